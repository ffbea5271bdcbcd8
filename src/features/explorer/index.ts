import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ModIndex } from '../../portal/search';
import { FileCacheStorage } from '../../portal/storage';
import { TAGS_FILE, TagIndex, type TagCoverage } from '../../portal/tags';
import { FACTORIO_VERSIONS } from '../../portal/types';
import type { DependencyData } from '../dependencyData';
import type { Logger } from '../logger';
import { registerLookups, type LookupsApi } from '../lookups';
import { pickOne, type Choice } from '../lookups/pickers';
import { tagCheckLimit } from '../lookups/settings';
import type { PortalService } from '../portalService';
import type { PortalStatus } from '../status';
import { DependencyTreeProvider } from './dependencyTree';
import { PortalFilterSets } from './filterSets';
import { SORT_MODES, type ExplorerFilter, type SortMode } from './portalModel';
import { LOAD_MORE_COMMAND, PortalTreeProvider } from './portalTree';
import type { TreeItemSnapshot } from './snapshot';

export interface ExplorerServices {
  portal: PortalService;
  data: DependencyData;
  status: PortalStatus;
  logger: Logger;
}

/** What the extension's exported API offers about the explorer (tests read the trees through it). */
export interface ExplorerApi extends LookupsApi {
  /** Children of a Mod Portal tree node (by id, as listed before), or the roots. */
  portal(parentId?: string): Promise<TreeItemSnapshot[]>;
  /** Children of a Dependencies tree node, or the roots. */
  dependencies(parentId?: string): Promise<TreeItemSnapshot[]>;
  /** True while the Dependencies tree still fetches mods. */
  dependenciesBusy(): boolean;
  filter(): ExplorerFilter;
  tagCoverage(): TagCoverage;
  /**
   * Whether the Mod Portal tree's welcome view (cannot reach the portal, nothing cached,
   * Retry) is what the user sees: the `factorioPortal.listUnavailable` context key.
   */
  listUnavailable(): boolean;
}

const FILTER_KEY = 'factorioPortal.explorer.filter';

function readFilter(memento: vscode.Memento): ExplorerFilter {
  const raw = memento.get<Partial<ExplorerFilter>>(FILTER_KEY) ?? {};
  const filter: ExplorerFilter = {
    hideDeprecated: raw.hideDeprecated === true,
    sort: SORT_MODES.includes(raw.sort as SortMode) ? (raw.sort as SortMode) : 'downloads',
  };
  if (typeof raw.factorioVersion === 'string' && /^\d+\.\d+$/.test(raw.factorioVersion)) filter.factorioVersion = raw.factorioVersion;
  return filter;
}

const SORT_LABELS: Readonly<Record<SortMode, string>> = {
  downloads: 'Most downloaded',
  updated: 'Recently updated',
  name: 'Name',
};

/**
 * The mod explorer (an activity-bar container with the Mod Portal and Dependencies
 * trees) and the lookup commands. Everything it creates is disposed with the extension.
 */
export function registerExplorer(context: vscode.ExtensionContext, services: ExplorerServices): ExplorerApi {
  const { portal, data, status, logger } = services;
  let filter = readFilter(context.globalState);

  const tagsFolder = (url: string): string =>
    path.join(context.globalStorageUri.fsPath, 'explorer-' + createHash('sha1').update(url).digest('hex').slice(0, 12));
  const buildTags = (url: string): TagIndex =>
    new TagIndex({
      source: {
        peekFullMod: (name) => portal.cache.peekFullMod(name),
        fetchFullMod: (name, options) => portal.cache.fetchFullMod(name, options),
      },
      storage: new FileCacheStorage(tagsFolder(url)),
      cap: tagCheckLimit(),
      mayRequest: () => status.mayRequest(),
      log: (message) => logger.info(message),
    });
  let tagsUrl = portal.url;
  let tags = buildTags(tagsUrl);
  let filterSets = new PortalFilterSets(() => portal.client);
  let tagTargetsFor: ModIndex | undefined;
  let tagSubscription = tags.onDidChange(() => portalTree.refreshSoon(1000));

  /** A fresh tag index and filter sets for the current portal; `forget` also deletes what the old index stored. */
  const replaceTags = async (forget: boolean): Promise<void> => {
    tagSubscription.dispose();
    const old = tags;
    old.dispose();
    if (forget) {
      // After the old index's last write, or that write would bring the file back.
      await old.flush();
      await new FileCacheStorage(tagsFolder(tagsUrl)).delete(TAGS_FILE);
    }
    tagsUrl = portal.url;
    tags = buildTags(tagsUrl);
    tagSubscription = tags.onDidChange(() => portalTree.refreshSoon(1000));
    tagTargetsFor = undefined;
    filterSets = new PortalFilterSets(() => portal.client);
    portalTree.filterChanged();
  };

  const startTagChecks = (index: ModIndex): void => {
    if (tagTargetsFor === index) return;
    tagTargetsFor = index;
    tags.setCap(tagCheckLimit());
    void tags.setTargets(index.all().slice(0, tags.limit).map((m) => m.name));
  };

  const portalTree = new PortalTreeProvider({
    portal,
    data,
    status,
    logger,
    tags: () => tags,
    filterSets: () => filterSets,
    startTagChecks,
    getFilter: () => filter,
  });
  const dependencyTree = new DependencyTreeProvider(portal, data);
  const lookups = registerLookups({ portal, data, logger, secrets: context.secrets, globalState: context.globalState, tags: () => tags });

  const portalView = vscode.window.createTreeView('factorioPortal.portal', { treeDataProvider: portalTree, showCollapseAll: true });
  const dependencyView = vscode.window.createTreeView('factorioPortal.dependencies', { treeDataProvider: dependencyTree, showCollapseAll: true });

  const setContexts = (): void => {
    void vscode.commands.executeCommand('setContext', 'factorioPortal.explorer.hideDeprecated', filter.hideDeprecated);
    void vscode.commands.executeCommand('setContext', 'factorioPortal.explorer.versionFilter', filter.factorioVersion ?? '');
    portalView.description = portalTree.description();
  };
  const setFilter = async (next: ExplorerFilter): Promise<ExplorerFilter> => {
    filter = next;
    await context.globalState.update(FILTER_KEY, next);
    setContexts();
    portalTree.filterChanged();
    return filter;
  };
  setContexts();

  const commands: Record<string, (arg?: unknown) => unknown> = {
    'factorioPortal.explorer.filterVersion': async (arg) => {
      let version: string | undefined | null = arg === null || arg === '' || arg === 'any' ? null : typeof arg === 'string' ? arg : undefined;
      if (version === undefined) {
        const any: Choice<string | null> = { label: vscode.l10n.t('Any Factorio version'), value: null };
        const items: Choice<string | null>[] = [any, ...[...FACTORIO_VERSIONS].reverse().map((v) => ({ label: `Factorio ${v}`, value: v as string | null }))];
        const active = items.find((i) => i.value === (filter.factorioVersion ?? null));
        const picked = await pickOne(items, { title: vscode.l10n.t('Show mods with a release for…'), ...(active ? { active } : {}) });
        if (picked === undefined) return filter;
        version = picked;
      }
      if (version !== null && !/^\d+\.\d+$/.test(version)) {
        void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" is not a Factorio version such as 2.0.', version));
        return filter;
      }
      const { factorioVersion: _dropped, ...rest } = filter;
      return setFilter(version === null ? rest : { ...rest, factorioVersion: version });
    },
    'factorioPortal.explorer.hideDeprecated': () => setFilter({ ...filter, hideDeprecated: true }),
    'factorioPortal.explorer.showDeprecated': () => setFilter({ ...filter, hideDeprecated: false }),
    'factorioPortal.explorer.sort': async (arg) => {
      let sort = SORT_MODES.find((m) => m === arg);
      if (!sort) {
        const items: Choice<SortMode>[] = SORT_MODES.map((m) => ({ label: vscode.l10n.t(SORT_LABELS[m]), value: m }));
        sort = await pickOne(items, { title: vscode.l10n.t('Sort mods by…'), active: items.find((i) => i.value === filter.sort) });
        if (!sort) return filter;
      }
      return setFilter({ ...filter, sort });
    },
    [LOAD_MORE_COMMAND]: (arg) => {
      if (typeof arg === 'string') portalTree.loadMore(arg);
    },
    // Everything learnt from the portal goes, in memory and on disk: the mod list, mod
    // records, tag checks and filter listings. The trees then load afresh.
    'factorioPortal.clearCache': async () => {
      await portal.cache.clear();
      await replaceTags(true);
      logger.info('Cleared the cached Mod Portal data.');
      vscode.window.setStatusBarMessage(vscode.l10n.t('Cached Mod Portal data cleared'), 3000);
    },
  };

  context.subscriptions.push(
    portalTree,
    dependencyTree,
    lookups.disposable,
    portalView,
    dependencyView,
    ...Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, (arg?: unknown) => run(arg))),
    portalView.onDidChangeVisibility((e) => {
      if (e.visible) status.pin();
    }),
    dependencyView.onDidChangeVisibility((e) => {
      if (e.visible) status.pin();
      dependencyTree.setVisible(e.visible);
    }),
    dependencyTree.onDidResolve(() => (dependencyView.description = dependencyTree.description)),
    portal.onDidChange(() => {
      if (portal.url !== tagsUrl) {
        // Another portal: its tags and filters are its own.
        void replaceTags(false);
        return;
      }
      portalTree.refreshSoon();
    }),
    status.onDidChange(() => {
      if (status.lastFailure === undefined) dependencyTree.reset();
      portalTree.refreshSoon();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('factorioPortal.explorer.tagChecks')) return;
      // A new limit stops the checks; they start again when the Tags node is next listed.
      tags.setCap(tagCheckLimit());
      tags.stop();
      tagTargetsFor = undefined;
      portalTree.refreshSoon();
    }),
    { dispose: () => (tagSubscription.dispose(), tags.dispose()) },
  );
  if (dependencyView.visible) dependencyTree.setVisible(true);
  if (portalView.visible) status.pin();

  return {
    portal: (parentId) => portalTree.snapshot(parentId),
    dependencies: (parentId) => dependencyTree.snapshot(parentId),
    dependenciesBusy: () => dependencyTree.busy,
    filter: () => ({ ...filter }),
    tagCoverage: () => tags.coverage(),
    listUnavailable: () => portalTree.listUnavailable,
    details: () => lookups.api.details(),
  };
}

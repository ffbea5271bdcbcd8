import * as vscode from 'vscode';
import type { TagCoverage } from '../../portal/tags';
import { PORTAL_FACTORIO_VERSIONS } from '../../model/version';
import type { CommandTable } from '../core/commandTable';
import type { DependencyData } from '../infoJson/dependencyData';
import type { Logger } from '../core/logger';
import type { ModsFolderService } from '../services/modsFolder';
import type { WorkspaceModsService } from '../services/workspaceMods';
import { pickOne, type Choice } from '../core/quickPick';
import type { PortalService } from '../services/portalService';
import type { PortalStatus } from '../services/status';
import { DependencyTreeProvider } from './dependencyTree';
import { SORT_MODES, type ExplorerFilter, type SortMode } from './portalModel';
import { LOAD_MORE_COMMAND, PortalTreeProvider } from './portalTree';
import type { TreeItemSnapshot } from './snapshot';

export interface ExplorerServices {
  portal: PortalService;
  data: DependencyData;
  status: PortalStatus;
  logger: Logger;
  workspace: WorkspaceModsService;
  modsFolder: ModsFolderService;
}

/** What the extension's exported API offers about the trees (tests read them through it). */
export interface ExplorerTreesApi {
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

/** The title bar's filter, sort and "load more" commands of the Mod Portal tree. */
function filterCommands(
  filter: () => ExplorerFilter,
  setFilter: (next: ExplorerFilter) => Promise<ExplorerFilter>,
  loadMore: (parentId: string) => void,
): Record<string, (arg?: unknown) => unknown> {
  return {
    'factorioPortal.explorer.filterVersion': async (arg) => {
      const current = filter();
      let version: string | undefined | null = arg === null || arg === '' || arg === 'any' ? null : typeof arg === 'string' ? arg : undefined;
      if (version === undefined) {
        const any: Choice<string | null> = { label: vscode.l10n.t('Any Factorio version'), value: null };
        const items: Choice<string | null>[] = [any, ...[...PORTAL_FACTORIO_VERSIONS].reverse().map((v) => ({ label: `Factorio ${v}`, value: v as string | null }))];
        const active = items.find((i) => i.value === (current.factorioVersion ?? null));
        const picked = await pickOne(items, { title: vscode.l10n.t('Show mods with a release for…'), ...(active ? { active } : {}) });
        if (picked === undefined) return current;
        version = picked;
      }
      if (version !== null && !/^\d+\.\d+$/.test(version)) {
        void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" is not a Factorio version such as 2.0.', version));
        return current;
      }
      const { factorioVersion: _dropped, ...rest } = current;
      return setFilter(version === null ? rest : { ...rest, factorioVersion: version });
    },
    'factorioPortal.explorer.hideDeprecated': () => setFilter({ ...filter(), hideDeprecated: true }),
    'factorioPortal.explorer.showDeprecated': () => setFilter({ ...filter(), hideDeprecated: false }),
    'factorioPortal.explorer.sort': async (arg) => {
      const current = filter();
      let sort = SORT_MODES.find((m) => m === arg);
      if (!sort) {
        const items: Choice<SortMode>[] = SORT_MODES.map((m) => ({ label: vscode.l10n.t(SORT_LABELS[m]), value: m }));
        sort = await pickOne(items, { title: vscode.l10n.t('Sort mods by…'), active: items.find((i) => i.value === current.sort) });
        if (!sort) return current;
      }
      return setFilter({ ...current, sort });
    },
    [LOAD_MORE_COMMAND]: (arg) => {
      if (typeof arg === 'string') loadMore(arg);
    },
  };
}

interface ExplorerViews {
  portalTree: PortalTreeProvider;
  dependencyTree: DependencyTreeProvider;
  portalView: vscode.TreeView<unknown>;
  dependencyView: vscode.TreeView<unknown>;
}

/** What keeps the trees current: their visibility, the portal's changes and the status. */
function followChanges(services: ExplorerServices, views: ExplorerViews): vscode.Disposable[] {
  const { portal, status } = services;
  const { portalTree, dependencyTree, portalView, dependencyView } = views;
  return [
    portalView.onDidChangeVisibility((e) => {
      if (e.visible) status.pin();
      portal.setTagChecksPaused(!e.visible);
    }),
    dependencyView.onDidChangeVisibility((e) => {
      if (e.visible) status.pin();
      dependencyTree.setVisible(e.visible);
    }),
    dependencyTree.onDidResolve(() => (dependencyView.description = dependencyTree.description)),
    // Another portal, or cleared data: its tags and filter listings are new.
    portal.onDidReplace(() => portalTree.filterChanged()),
    // The list was dropped from memory: so is the view built on it.
    portal.onDidRelease(() => portalTree.filterChanged()),
    portal.onDidChange(() => portalTree.refreshSoon()),
    portal.onDidChangeTags(() => portalTree.refreshSoon(1000)),
    status.onDidChange(() => {
      if (status.lastFailure === undefined) dependencyTree.reset();
      portalTree.refreshSoon();
    }),
  ];
}

/**
 * The mod explorer: an activity-bar container with the Mod Portal and Dependencies trees,
 * their commands and their API. The filter lives in global state (it outlasts a session);
 * per-portal state (tags, filter listings) belongs to the PortalService.
 */
export function createExplorer(
  context: vscode.ExtensionContext,
  services: ExplorerServices,
): {
  disposable: vscode.Disposable;
  commands: CommandTable;
  api: ExplorerTreesApi;
  /** Whether the Mod Portal tree (which reads the whole list) is visible, and when that changes. */
  portalVisible(): boolean;
  onDidChangePortalVisibility: vscode.Event<unknown>;
} {
  const { portal, data, status, logger } = services;
  const filter = (): ExplorerFilter => readFilter(context.globalState);

  const portalTree = new PortalTreeProvider({
    portal,
    data,
    status,
    logger,
    tags: () => portal.tags,
    filterSets: () => portal.filterSets,
    startTagChecks: (index) => portal.startTagChecks(index),
    getFilter: filter,
  });
  const dependencyTree = new DependencyTreeProvider(portal, data, { workspace: services.workspace, modsFolder: services.modsFolder });

  const portalView = vscode.window.createTreeView('factorioPortal.portal', { treeDataProvider: portalTree, showCollapseAll: true });
  const dependencyView = vscode.window.createTreeView('factorioPortal.dependencies', { treeDataProvider: dependencyTree, showCollapseAll: true });

  const setContexts = (): void => {
    const current = filter();
    void vscode.commands.executeCommand('setContext', 'factorioPortal.explorer.hideDeprecated', current.hideDeprecated);
    void vscode.commands.executeCommand('setContext', 'factorioPortal.explorer.versionFilter', current.factorioVersion ?? '');
    portalView.description = portalTree.description();
  };
  const setFilter = async (next: ExplorerFilter): Promise<ExplorerFilter> => {
    await context.globalState.update(FILTER_KEY, next);
    setContexts();
    portalTree.filterChanged();
    return filter();
  };
  setContexts();

  const commands = filterCommands(filter, setFilter, (parentId) => portalTree.loadMore(parentId));

  const disposable = vscode.Disposable.from(portalTree, dependencyTree, portalView, dependencyView, ...followChanges(services, { portalTree, dependencyTree, portalView, dependencyView }));
  if (dependencyView.visible) dependencyTree.setVisible(true);
  if (portalView.visible) status.pin();
  portal.setTagChecksPaused(!portalView.visible);

  const api: ExplorerTreesApi = {
    portal: (parentId) => portalTree.snapshot(parentId),
    dependencies: (parentId) => dependencyTree.snapshot(parentId),
    dependenciesBusy: () => dependencyTree.busy,
    filter,
    tagCoverage: () => portal.tags.coverage(),
    listUnavailable: () => portalTree.listUnavailable,
  };
  return {
    disposable,
    commands,
    api,
    portalVisible: () => portalView.visible,
    onDidChangePortalVisibility: portalView.onDidChangeVisibility,
  };
}

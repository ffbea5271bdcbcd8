import * as vscode from 'vscode';
import { categoryTitle } from '../../portal/categories';
import { newestFirst } from '../../model/releases';
import type { ModList, ModSelection } from '../../portal/modList';
import type { TagIndex } from '../../portal/tags';
import type { Release } from '../../portal/types';
import type { DependencyData } from '../infoJson/dependencyData';
import type { Logger } from '../core/logger';
import type { PortalService } from '../services/portalService';
import { PORTAL_TEXT_LIMITS, clip } from '../core/portalText';
import type { PortalStatus } from '../services/status';
import type { PortalFilterSets } from '../services/filterSets';
import { formatDownloads } from '../core/portalText';
import {
  applyFilter,
  describeFilter,
  groupByCategory,
  type ExplorerFilter,
  type FilterSets,
} from './portalModel';
import { snapshotOf, type TreeItemSnapshot } from './snapshot';
import { messageOf } from '../../util/errors';

export const PAGE_SIZE = 100;
const MAX_TOOLTIP_DEPENDENCIES = 30;

/** One line of portal text in a tooltip: a title, a name, a version. */
function portalLine(text: string): string {
  return clip(text, PORTAL_TEXT_LIMITS.line);
}
export const LOAD_MORE_COMMAND = 'factorioPortal.explorer.loadMore';

export type PortalNode =
  | { type: 'group'; id: string; group: 'categories' | 'tags' }
  | { type: 'category'; id: string; key: string; count: number }
  | { type: 'tag'; id: string; tag: string; count: number }
  | { type: 'mod'; id: string; name: string }
  | { type: 'release'; id: string; name: string; version: string; release: Release }
  | { type: 'more'; id: string; listId: string; remaining: number }
  | { type: 'message'; id: string; text: string; icon: string; tooltip?: string };

export interface PortalTreeServices {
  portal: PortalService;
  data: DependencyData;
  status: PortalStatus;
  logger: Logger;
  tags: () => TagIndex;
  filterSets: () => PortalFilterSets;
  /** The most downloaded mods to check for tags, given the list. */
  startTagChecks: (list: ModList) => void;
  getFilter: () => ExplorerFilter;
}

interface View {
  list: ModList;
  key: string;
  mods: ModSelection;
  groups: Map<string, ModSelection>;
  error?: string;
}

/** The Mod Portal tree: categories and tags, their mods, a mod's releases. */
export class PortalTreeProvider implements vscode.TreeDataProvider<PortalNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<PortalNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, PortalNode>();
  private readonly shown = new Map<string, number>();
  private view: View | undefined;
  private unavailable: boolean | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly services: PortalTreeServices) {}

  /** Re-reads everything soon; bursts of changes (a tag check every half second) make one refresh. */
  refreshSoon(delayMs = 300): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
    }, delayMs);
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  /** Filters changed: what is shown starts over at the first page. */
  filterChanged(): void {
    this.view = undefined;
    this.shown.clear();
    this.refresh();
  }

  loadMore(listId: string): void {
    this.shown.set(listId, (this.shown.get(listId) ?? PAGE_SIZE) + PAGE_SIZE);
    this.refresh();
  }

  description(): string {
    return describeFilter(this.services.getFilter());
  }

  private remember<T extends PortalNode>(node: T): T {
    this.nodes.set(node.id, node);
    return node;
  }

  /** As last set on the `factorioPortal.listUnavailable` context key (the welcome view's condition). */
  get listUnavailable(): boolean {
    return this.unavailable === true;
  }

  private setUnavailable(value: boolean): void {
    if (this.unavailable === value) return;
    this.unavailable = value;
    void vscode.commands.executeCommand('setContext', 'factorioPortal.listUnavailable', value);
  }

  // ---- data ----

  private async currentView(list: ModList): Promise<View> {
    const filter = this.services.getFilter();
    const key = JSON.stringify(filter);
    if (this.view && this.view.list === list && this.view.key === key) return this.view;
    const sets: FilterSets = {};
    let error: string | undefined;
    try {
      if (filter.factorioVersion !== undefined) sets.version = await this.services.filterSets().get({ version: filter.factorioVersion });
      else if (filter.hideDeprecated) sets.notDeprecated = await this.services.filterSets().get({ hideDeprecated: true });
    } catch (e) {
      error = messageOf(e);
      this.services.logger.warn(`Explorer filter could not be applied: ${error}`);
    }
    // Without the filter's names, nothing would pass: show everything and say why.
    const mods = error ? applyFilter(list, { ...filter, factorioVersion: undefined, hideDeprecated: false }, {}) : applyFilter(list, filter, sets);
    const view: View = { list, key, mods, groups: groupByCategory(mods), ...(error ? { error } : {}) };
    this.view = view;
    return view;
  }

  isDeprecated(name: string): boolean {
    const full = this.services.portal.cache.peekFullMod(name);
    if (full.state === 'found') return full.mod.deprecated === true;
    const checked = this.services.tags().deprecated(name);
    if (checked !== undefined) return checked;
    const notDeprecated = this.services.filterSets().peek({ hideDeprecated: true });
    return notDeprecated !== undefined && this.services.portal.cache.peekList()?.has(name) === true && !notDeprecated.has(name);
  }

  private page(listId: string, mods: ModSelection | undefined): PortalNode[] {
    if (mods === undefined) return [];
    const limit = this.shown.get(listId) ?? PAGE_SIZE;
    const out: PortalNode[] = mods.top(limit).map((m) => this.remember({ type: 'mod', id: `${listId}/${m.name}`, name: m.name }));
    if (mods.size > limit) out.push(this.remember({ type: 'more', id: `${listId}/…more`, listId, remaining: mods.size - limit }));
    return out;
  }

  private message(parentId: string, text: string, icon: string, tooltip?: string): PortalNode {
    return this.remember({ type: 'message', id: `${parentId}/…message`, text, icon, ...(tooltip ? { tooltip } : {}) });
  }

  async getChildren(element?: PortalNode): Promise<PortalNode[]> {
    if (element === undefined) return this.roots();
    const list = this.services.portal.cache.peekList() ?? (await this.services.data.list());
    if (!list) return [];
    switch (element.type) {
      case 'group':
        return element.group === 'categories' ? this.categories(element, list) : this.tagGroups(element, list);
      case 'category': {
        const view = await this.currentView(list);
        return this.page(element.id, view.groups.get(element.key));
      }
      case 'tag': {
        const view = await this.currentView(list);
        const names = new Set(this.services.tags().modsWithTag(element.tag));
        return this.page(element.id, view.mods.filter((name) => names.has(name)));
      }
      case 'mod':
        return this.releases(element);
      default:
        return [];
    }
  }

  private async roots(): Promise<PortalNode[]> {
    const list = await this.services.data.list();
    if (!list || list.size === 0) {
      const state = this.services.portal.listState;
      const failed = state.status === 'error' || this.services.status.lastFailure !== undefined || !list;
      this.setUnavailable(failed);
      if (!failed) return [this.message('root', vscode.l10n.t('The Mod Portal lists no mods.'), 'info')];
      return [];
    }
    this.setUnavailable(false);
    return [
      this.remember({ type: 'group', id: 'categories', group: 'categories' }),
      this.remember({ type: 'group', id: 'tags', group: 'tags' }),
    ];
  }

  private async categories(parent: PortalNode, list: ModList): Promise<PortalNode[]> {
    const view = await this.currentView(list);
    const out: PortalNode[] = [];
    if (view.error) out.push(this.message(parent.id, vscode.l10n.t('Filter not applied: {0}', view.error), 'warning', view.error));
    for (const [key, mods] of view.groups) out.push(this.remember({ type: 'category', id: `category:${key}`, key, count: mods.size }));
    if (view.groups.size === 0) out.push(this.message(parent.id, vscode.l10n.t('No mod matches the filters.'), 'info'));
    return out;
  }

  private async tagGroups(parent: PortalNode, list: ModList): Promise<PortalNode[]> {
    this.services.startTagChecks(list);
    const view = await this.currentView(list);
    const tagIndex = this.services.tags();
    const out: PortalNode[] = [];
    for (const { tag } of tagIndex.tags()) {
      const count = view.mods.count(tagIndex.modsWithTag(tag));
      out.push(this.remember({ type: 'tag', id: `tag:${tag}`, tag, count }));
    }
    if (out.length === 0) {
      const coverage = tagIndex.coverage();
      const text =
        tagIndex.limit === 0
          ? vscode.l10n.t('Tag checks are off (setting factorioPortal.explorer.tagChecks).')
          : coverage.target === 0
            ? vscode.l10n.t('Checking the most downloaded mods for tags…')
            : vscode.l10n.t('Checking the most downloaded mods for tags… ({0} of {1})', coverage.checked, coverage.target);
      out.push(this.message(parent.id, text, tagIndex.limit === 0 ? 'info' : 'loading~spin'));
    }
    return out;
  }

  private async releases(node: { id: string; name: string }): Promise<PortalNode[]> {
    await this.services.data.ensure([node.name], { full: false });
    const record = this.services.portal.cache.peekMods([node.name]).get(node.name);
    let releases: Release[] = record?.state === 'found' ? (record.mod.releases ?? []) : [];
    if (releases.length === 0) {
      const latest = (await this.services.portal.cache.peekList()?.details(node.name))?.latest_release;
      if (latest) releases = [latest];
    }
    if (releases.length === 0) return [this.message(node.id, vscode.l10n.t('No releases known'), 'info')];
    return newestFirst(releases)
      .map((release) => this.remember({ type: 'release', id: `${node.id}@${release.version}`, name: node.name, version: release.version, release }));
  }

  // ---- items ----

  getTreeItem(node: PortalNode): vscode.TreeItem {
    const item = this.buildItem(node);
    item.id = node.id;
    return item;
  }

  /** A mod's tooltip (owner, summary, latest release) is made when it is hovered: its details are read from disk then. */
  async resolveTreeItem(item: vscode.TreeItem, node: PortalNode): Promise<vscode.TreeItem> {
    if (node.type === 'mod' && item.tooltip === undefined) item.tooltip = await this.modTooltip(node);
    return item;
  }

  private buildItem(node: PortalNode): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.type) {
      case 'group': {
        if (node.group === 'categories') {
          const item = new vscode.TreeItem(vscode.l10n.t('Categories'), Collapsed);
          item.iconPath = new vscode.ThemeIcon('list-tree');
          item.description = this.view ? vscode.l10n.t('{0} mods', this.view.mods.size.toLocaleString('en-US')) : undefined;
          return item;
        }
        const item = new vscode.TreeItem(vscode.l10n.t('Tags'), Collapsed);
        item.iconPath = new vscode.ThemeIcon('tag');
        // Said once here, not on every tag; nothing before the checks start (no "0 of 0").
        const coverage = this.services.tags().coverage();
        if (coverage.target > 0) {
          item.description =
            coverage.checked >= coverage.target
              ? vscode.l10n.t('from the {0} most downloaded', coverage.target)
              : vscode.l10n.t('{0} of the {1} most downloaded checked', coverage.checked, coverage.target);
        }
        item.tooltip = vscode.l10n.t(
          'Tags come only from each mod’s full record, so they are known for the most downloaded mods (checked in the background while this view is open) and for mods opened in detail.',
        );
        return item;
      }
      case 'category': {
        const item = new vscode.TreeItem(categoryTitle(node.key), Collapsed);
        item.description = node.count.toLocaleString('en-US');
        item.tooltip = node.key === 'no-category' ? vscode.l10n.t('Mods without a category: {0}', node.count) : vscode.l10n.t('Category "{0}": {1} mods', categoryTitle(node.key), node.count);
        item.iconPath = new vscode.ThemeIcon('folder');
        item.contextValue = 'factorioPortal.category';
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(node.tag, Collapsed);
        item.description = node.count.toLocaleString('en-US');
        item.tooltip = vscode.l10n.t('Mods tagged "{0}" among the most downloaded mods checked so far and mods opened in detail: {1}', node.tag, node.count);
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = 'factorioPortal.tag';
        return item;
      }
      case 'mod':
        return this.modItem(node);
      case 'release': {
        const r = node.release;
        const item = new vscode.TreeItem(r.version, vscode.TreeItemCollapsibleState.None);
        item.description = `Factorio ${r.info_json.factorio_version}${r.released_at ? ` · ${r.released_at.slice(0, 10)}` : ''}`;
        const full = this.services.portal.cache.peekFullMod(node.name);
        const deps = full.state === 'found' ? full.mod.releases?.find((x) => x.version === r.version)?.info_json.dependencies : undefined;
        // Every piece is portal text: shown as text, never read as Markdown.
        const tooltip = new vscode.MarkdownString();
        tooltip.appendMarkdown('**').appendText(portalLine(`${node.name} ${r.version}`)).appendMarkdown('** ');
        tooltip.appendText(vscode.l10n.t('for Factorio {0}', portalLine(r.info_json.factorio_version)));
        if (r.released_at) tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Released {0}', r.released_at.slice(0, 10)));
        if (deps) {
          tooltip.appendMarkdown('\n\n');
          tooltip.appendText(
            deps.length
              ? vscode.l10n.t('Dependencies: {0}', clip(deps.slice(0, MAX_TOOLTIP_DEPENDENCIES).join(', '), PORTAL_TEXT_LIMITS.summary))
              : vscode.l10n.t('No dependencies'),
          );
        }
        item.tooltip = tooltip;
        item.iconPath = new vscode.ThemeIcon('versions');
        item.contextValue = 'factorioPortal.release';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
        item.description = vscode.l10n.t('{0} more', node.remaining.toLocaleString('en-US'));
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: LOAD_MORE_COMMAND, title: vscode.l10n.t('Load more'), arguments: [node.listId] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.tooltip) item.tooltip = node.tooltip;
        return item;
      }
    }
  }

  private modItem(node: { name: string }): vscode.TreeItem {
    const mod = this.services.portal.cache.peekList()?.get(node.name);
    const deprecated = this.isDeprecated(node.name);
    const item = new vscode.TreeItem(portalLine(mod?.title || node.name), vscode.TreeItemCollapsibleState.Collapsed);
    const downloads = mod ? `${formatDownloads(mod.downloads_count)} ↓` : '';
    item.description = deprecated ? `${downloads} · ${vscode.l10n.t('deprecated')}` : downloads;
    item.iconPath = deprecated
      ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
      : new vscode.ThemeIcon('package');
    item.contextValue = deprecated ? 'factorioPortal.mod.deprecated' : 'factorioPortal.mod';
    item.command = { command: 'factorioPortal.showModDetails', title: vscode.l10n.t('Show Mod Details'), arguments: [{ name: node.name }] };
    return item;
  }

  private async modTooltip(node: { name: string }): Promise<vscode.MarkdownString> {
    const list = this.services.portal.cache.peekList();
    const mod = list?.get(node.name);
    const details = await list?.details(node.name);
    const deprecated = this.isDeprecated(node.name);
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    tooltip.appendText(portalLine(mod?.title || node.name));
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(`${portalLine(node.name)} · ${portalLine(details?.owner ?? '')}`);
    if (deprecated) tooltip.appendMarkdown(`\n\n**${vscode.l10n.t('Deprecated')}**`);
    if (details?.summary) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(clip(details.summary, PORTAL_TEXT_LIMITS.summary));
    }
    if (mod) {
      tooltip.appendMarkdown('\n\n');
      const latest = mod.latest;
      tooltip.appendText(
        vscode.l10n.t('{0} downloads', mod.downloads_count.toLocaleString('en-US')) +
          (latest ? ` · ${vscode.l10n.t('latest {0} for Factorio {1}', portalLine(latest.version), portalLine(latest.factorio_version))}` : ''),
      );
    }
    return tooltip;
  }

  // ---- for the exported API ----

  async snapshot(parentId?: string): Promise<TreeItemSnapshot[]> {
    let parent: PortalNode | undefined;
    if (parentId !== undefined) {
      parent = this.nodes.get(parentId);
      if (!parent) throw new Error(`No Mod Portal tree node "${parentId}" has been listed`);
    }
    const children = await this.getChildren(parent);
    return Promise.all(children.map(async (child) => snapshotOf(child.id, await this.resolveTreeItem(this.getTreeItem(child), child))));
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.emitter.dispose();
  }
}

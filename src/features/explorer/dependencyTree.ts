import * as vscode from 'vscode';
import { isBuiltinMod } from '../../model/builtins';
import { parseDependency, type DependencyKind } from '../../model/dependency';
import { resolveDependencies, type DependencyNode, type Resolution, type ResolveFacts, type ResolveProblem } from '../../model/resolve';
import type { DependencyData } from '../infoJson/dependencyData';
import { installStateText } from '../infoJson/localHover';
import type { ModsFolderService } from '../services/modsFolder';
import type { WorkspaceModsService } from '../services/workspaceMods';
import { dependencyInstallState } from '../../mods/satisfaction';
import { latestCompatibleRelease, latestRelease } from '../../model/releases';
import { findInfoJson, infoJsonModel, isInfoJson, toRange } from '../core/documents';
import type { PortalService } from '../services/portalService';
import { snapshotOf, type TreeItemSnapshot } from './snapshot';

/** The problem groups, each named for what it holds, in this order. */
type ProblemGroup = 'conflicts' | 'missing' | 'no-release' | 'unsatisfiable';
const PROBLEM_GROUPS: readonly ProblemGroup[] = ['conflicts', 'missing', 'no-release', 'unsatisfiable'];

function groupOf(problem: ResolveProblem): ProblemGroup {
  return problem.code === 'missing' || problem.code === 'no-release' || problem.code === 'unsatisfiable' ? problem.code : 'conflicts';
}

function groupLabel(group: ProblemGroup): string {
  switch (group) {
    case 'conflicts':
      return vscode.l10n.t('Conflicts');
    case 'missing':
      return vscode.l10n.t('Not on the Mod Portal');
    case 'no-release':
      return vscode.l10n.t('No release for this Factorio version');
    case 'unsatisfiable':
      return vscode.l10n.t('No release satisfies the constraints');
  }
}

type DepNode =
  | { type: 'problems'; id: string; group: ProblemGroup; problems: ResolveProblem[] }
  | { type: 'problem'; id: string; problem: ResolveProblem }
  /** `rootText`: the dependency string of info.json this row is, or is under (a click goes to its line). */
  | { type: 'dependency'; id: string; node: DependencyNode; rootText: string }
  | { type: 'message'; id: string; text: string; icon: string };

const KIND_LABEL: Readonly<Record<DependencyKind, string>> = {
  required: '',
  incompatible: 'incompatible',
  optional: 'optional',
  'hidden-optional': 'hidden optional',
  'no-load-order': 'no load order',
  recommended: 'recommended',
};

/**
 * The Dependencies view: the workspace info.json's dependencies, resolved transitively
 * from the releases each constraint selects. It follows the active info.json and its
 * edits, and works only while visible, so an open info.json alone sends no request.
 */
export class DependencyTreeProvider implements vscode.TreeDataProvider<DepNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DepNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly resolved = new vscode.EventEmitter<void>();
  /** Fires after each resolution (the view's description names the mod shown). */
  readonly onDidResolve = this.resolved.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly nodes = new Map<string, DepNode>();
  private document: vscode.TextDocument | undefined;
  private resolution: { version: number; uri: string; result: Resolution; rootName?: string; factorioVersion?: string } | undefined;
  private visible = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Names already asked for, so a failure does not turn into a request loop. */
  private readonly requested = new Set<string>();
  /** Full-record fetches asked of DependencyData and not finished yet. */
  private pending = 0;
  private noInfoJson: boolean | undefined;

  constructor(
    private readonly portal: PortalService,
    private readonly data: DependencyData,
    private readonly local: { workspace: WorkspaceModsService; modsFolder: ModsFolderService },
  ) {
    this.disposables.push(
      local.workspace.onDidChange(() => this.changed()),
      local.modsFolder.onDidChange(() => this.changed()),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isInfoJson(editor.document) && editor.document !== this.document) {
          this.document = editor.document;
          this.changed();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document) this.changed();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.document) {
          this.document = undefined;
          this.changed();
        }
      }),
      this.portal.onDidChange(() => this.changed()),
    );
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.changed();
  }

  /** Forgets what was asked for, so what failed is asked again (a refresh, the portal back). */
  reset(): void {
    this.requested.clear();
    this.changed();
  }

  private changed(): void {
    clearTimeout(this.timer);
    // Typing makes bursts of changes: resolve once they pause.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.resolution = undefined;
      this.emitter.fire(undefined);
    }, 300);
  }

  get description(): string {
    const r = this.resolution;
    if (!r) return '';
    return [r.rootName, r.factorioVersion ? `Factorio ${r.factorioVersion}` : undefined].filter(Boolean).join(' · ');
  }

  private setNoInfoJson(value: boolean): void {
    if (this.noInfoJson === value) return;
    this.noInfoJson = value;
    void vscode.commands.executeCommand('setContext', 'factorioPortal.noInfoJson', value);
  }

  private async target(): Promise<vscode.TextDocument | undefined> {
    // The tree stays on the info.json it shows while the user looks at other files.
    const active = vscode.window.activeTextEditor?.document;
    const switched = active !== undefined && isInfoJson(active);
    if (!switched && this.document && !this.document.isClosed) return this.document;
    this.document = await findInfoJson();
    return this.document;
  }

  private lookup(name: string): ResolveFacts {
    // A mod of this workspace resolves to the local copy: its version and its dependencies as they are now.
    const local = this.local.workspace.byName(name);
    if (local) {
      return {
        state: 'found',
        dependenciesKnown: true,
        releases: [{
          download_url: '',
          file_name: '',
          released_at: '',
          sha1: '',
          version: local.version ?? '',
          info_json: { factorio_version: local.factorioVersion ?? '', dependencies: [...(local.dependencies ?? ['base'])] },
        }],
      };
    }
    const cache = this.portal.cache;
    const full = cache.peekFullMod(name);
    if (full.state === 'found') return { state: 'found', releases: full.mod.releases ?? [], dependenciesKnown: true };
    if (full.state === 'missing') return { state: 'missing' };
    const short = cache.peekMods([name]).get(name);
    if (short?.state === 'found') return { state: 'found', releases: short.mod.releases ?? [], dependenciesKnown: false };
    if (short?.state === 'missing') return { state: 'missing' };
    return { state: 'unknown' };
  }

  async resolve(): Promise<Resolution | undefined> {
    // Both start once and then keep themselves current; their change events re-resolve.
    void this.local.modsFolder.scan();
    await this.local.workspace.start();
    const document = await this.target();
    this.setNoInfoJson(document === undefined);
    if (!document) return undefined;
    const uri = document.uri.toString();
    if (this.resolution && this.resolution.uri === uri && this.resolution.version === document.version) return this.resolution.result;
    const doc = infoJsonModel(document);
    const dependencies = (doc.dependencies?.items ?? []).flatMap((item) => (item.value !== undefined ? [item.value] : []));
    const result = resolveDependencies({
      rootName: doc.modName,
      factorioVersion: doc.factorioVersion,
      dependencies,
      lookup: (name) => this.lookup(name),
    });
    this.resolution = { version: document.version, uri, result, rootName: doc.modName, factorioVersion: doc.factorioVersion };
    this.fetchMissing(result);
    this.resolved.fire();
    return result;
  }

  /** Asks the portal for what the tree still lacks; the cache's change event re-resolves. */
  private fetchMissing(result: Resolution): void {
    const any = result.needAny.filter((n) => !this.requested.has(n) && !isBuiltinMod(n));
    if (any.length > 0) {
      for (const n of any) this.requested.add(n);
      void this.data.ensure(any, { full: false });
    }
    const full = result.needFull.filter((n) => !this.requested.has(`full:${n}`));
    if (full.length === 0) return;
    for (const n of full) this.requested.add(`full:${n}`);
    this.pending++;
    void this.data.prefetchFull(full).finally(() => this.pending--);
  }

  /** True while dependencies are still being fetched. */
  get busy(): boolean {
    return this.pending > 0;
  }

  private remember<T extends DepNode>(node: T): T {
    this.nodes.set(node.id, node);
    return node;
  }

  async getChildren(element?: DepNode): Promise<DepNode[]> {
    if (element === undefined) {
      if (!this.visible && this.resolution === undefined && !this.apiAsked) {
        // Not shown yet: nothing to do until it is.
        return [];
      }
      const result = await this.resolve();
      if (!result) return [];
      const out: DepNode[] = [];
      for (const group of PROBLEM_GROUPS) {
        const problems = result.problems.filter((p) => groupOf(p) === group);
        if (problems.length > 0) out.push(this.remember({ type: 'problems', id: `problems:${group}`, group, problems }));
      }
      result.roots.forEach((node, i) => out.push(this.remember({ type: 'dependency', id: `${i}:${node.name}`, node, rootText: node.text })));
      if (result.roots.length === 0) out.push(this.remember({ type: 'message', id: 'empty', text: vscode.l10n.t('This info.json declares no dependencies.'), icon: 'info' }));
      if (result.truncated) out.push(this.remember({ type: 'message', id: 'truncated', text: vscode.l10n.t('Too many mods to follow: the tree is cut short.'), icon: 'warning' }));
      return out;
    }
    if (element.type === 'problems') {
      return element.problems.map((problem, i) => this.remember({ type: 'problem', id: `${element.id}/${i}`, problem }));
    }
    if (element.type === 'dependency') {
      return element.node.children.map((node, i) => this.remember({ type: 'dependency', id: `${element.id}/${i}:${node.name}`, node, rootText: element.rootText }));
    }
    return [];
  }

  getTreeItem(element: DepNode): vscode.TreeItem {
    const item = this.buildItem(element);
    item.id = element.id;
    return item;
  }

  private buildItem(element: DepNode): vscode.TreeItem {
    switch (element.type) {
      case 'problems': {
        const errors = element.problems.filter((p) => p.severity === 'error').length;
        const item = new vscode.TreeItem(groupLabel(element.group), vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(element.problems.length);
        item.iconPath = new vscode.ThemeIcon(errors > 0 ? 'error' : 'warning', new vscode.ThemeColor(errors > 0 ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'));
        return item;
      }
      case 'problem': {
        const p = element.problem;
        const item = new vscode.TreeItem(p.message, vscode.TreeItemCollapsibleState.None);
        item.description = p.code;
        item.tooltip = p.message;
        item.iconPath = new vscode.ThemeIcon(p.severity === 'error' ? 'error' : 'warning', new vscode.ThemeColor(p.severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'));
        item.contextValue = `factorioPortal.conflict.${p.code}`;
        const line = this.lineOf((text) => p.mods.includes(dependencyName(text)));
        if (line) item.command = line;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(element.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(element.icon);
        return item;
      }
      case 'dependency': {
        const item = this.dependencyItem(element.node);
        const line = this.lineOf((text) => text === element.rootText);
        if (line) item.command = line;
        return item;
      }
    }
  }

  /** Opens the shown info.json at the first dependency `matches` picks, selected: what a click on a row does. */
  private lineOf(matches: (text: string) => boolean): vscode.Command | undefined {
    const document = this.document;
    if (!document || document.isClosed) return undefined;
    const item = infoJsonModel(document).dependencies?.items.find((i) => i.value !== undefined && matches(i.value));
    if (!item) return undefined;
    const selection = toRange(document, item.contentStart, item.contentEnd);
    return { title: vscode.l10n.t('Go to the Dependency'), command: 'vscode.open', arguments: [document.uri, { selection, preserveFocus: false }] };
  }

  private dependencyItem(node: DependencyNode): vscode.TreeItem {
    const expandable = node.children.length > 0;
    const item = new vscode.TreeItem(node.name, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const parts: string[] = [];
    if (KIND_LABEL[node.kind]) parts.push(KIND_LABEL[node.kind]);
    const selected = node.version ? `${node.constraint ? `${node.constraint} → ` : ''}${node.version}` : node.constraint;
    if (selected) parts.push(selected);
    const state = stateText(node);
    if (state) parts.push(state);
    const local = node.state !== 'builtin' ? this.local.workspace.byName(node.name) : undefined;
    if (local) parts.push(this.workspaceText(node.name, local.version));
    const installed = this.installedText(node);
    if (installed) parts.push(installed);
    if (node.repeat === 'seen') parts.push(vscode.l10n.t('see above'));
    if (node.repeat === 'cycle') parts.push(vscode.l10n.t('cycle'));
    if (node.pending) parts.push(vscode.l10n.t('loading…'));
    item.description = parts.join(' · ');

    const errors = node.problems.some((p) => p.severity === 'error');
    const warnings = node.problems.length > 0;
    if (errors || warnings) {
      item.iconPath = new vscode.ThemeIcon(errors ? 'error' : 'warning', new vscode.ThemeColor(errors ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'));
    } else {
      item.iconPath = new vscode.ThemeIcon(iconFor(node));
    }
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(node.text);
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(vscode.l10n.t('Declared by {0}', node.declaredBy || vscode.l10n.t('this mod')));
    if (node.version) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(vscode.l10n.t('Selected release {0} (Factorio {1})', node.version, node.factorioVersion ?? '?'));
    }
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(
      node.load === 'loaded' ? vscode.l10n.t('Loaded with this mod') : node.load === 'maybe' ? vscode.l10n.t('Loaded only if the player has it') : vscode.l10n.t('Not loaded because of this mod'),
    );
    for (const p of node.problems) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(`${p.severity === 'error' ? '⛔' : '⚠'} ${p.message}`);
    }
    if (local) tooltip.appendMarkdown('\n\n').appendText(this.workspaceText(node.name, local.version));
    if (installed) tooltip.appendMarkdown('\n\n').appendText(installed);
    item.tooltip = tooltip;
    const portalMod = node.state !== 'builtin' && node.state !== 'malformed' && node.state !== 'self' && node.state !== 'missing';
    const onlyLocal = local !== undefined && this.portal.cache.peekMods([node.name]).get(node.name)?.state !== 'found';
    item.contextValue = portalMod && !onlyLocal ? 'factorioPortal.dependency' : 'factorioPortal.dependency.local';
    return item;
  }

  /** "this workspace: 1.2.0 · portal: 1.1.3", the portal part when it has the mod too. */
  private workspaceText(name: string, version: string | undefined): string {
    const here = vscode.l10n.t('this workspace: {0}', version ?? '?');
    const releases = this.portal.cache.peekMods([name]).get(name);
    if (releases?.state !== 'found') return here;
    const fv = this.resolution?.factorioVersion;
    const release = latestCompatibleRelease(releases.mod.releases ?? [], fv) ?? latestRelease(releases.mod.releases ?? []);
    return release ? `${here} · ${vscode.l10n.t('portal: {0}', release.version)}` : here;
  }

  /** The mods folder's copy of a dependency, when the folder exists and the dependency asks for one. */
  private installedText(node: DependencyNode): string | undefined {
    const scan = this.local.modsFolder.peek();
    if (!scan?.exists || node.state === 'builtin' || node.state === 'malformed' || node.state === 'self' || node.kind === 'incompatible') return undefined;
    const state = dependencyInstallState(node.text, scan);
    return state ? installStateText(state, node.constraint) : undefined;
  }

  // ---- for the exported API ----

  private apiAsked = false;

  async snapshot(parentId?: string): Promise<TreeItemSnapshot[]> {
    this.apiAsked = true;
    let parent: DepNode | undefined;
    if (parentId !== undefined) {
      parent = this.nodes.get(parentId);
      if (!parent) throw new Error(`No Dependencies tree node "${parentId}" has been listed`);
    }
    const children = await this.getChildren(parent);
    return children.map((child) => snapshotOf(child.id, this.getTreeItem(child)));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.emitter.dispose();
    this.resolved.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function dependencyName(text: string): string {
  return parseDependency(text).name?.text ?? '';
}

function stateText(node: DependencyNode): string {
  switch (node.state) {
    case 'builtin':
      return vscode.l10n.t('built in');
    case 'missing':
      return vscode.l10n.t('not on the portal');
    case 'unknown':
      return vscode.l10n.t('loading…');
    case 'no-release':
      return vscode.l10n.t('no compatible release');
    case 'unsatisfiable':
      return vscode.l10n.t('no release satisfies the constraints');
    case 'malformed':
      return vscode.l10n.t('malformed');
    case 'self':
      return vscode.l10n.t('this mod itself');
    default:
      return '';
  }
}

function iconFor(node: DependencyNode): string {
  if (node.state === 'unknown' || node.pending) return 'loading~spin';
  if (node.state === 'builtin') return 'symbol-constant';
  switch (node.kind) {
    case 'incompatible':
      return 'circle-slash';
    case 'optional':
    case 'hidden-optional':
      return 'question';
    case 'recommended':
      return 'star-empty';
    case 'no-load-order':
      return 'debug-disconnect';
    default:
      return 'package';
  }
}

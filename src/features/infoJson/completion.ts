import * as vscode from 'vscode';
import { BUILTIN_MODS, builtinModsFor, isBuiltinMod } from '../../model/builtins';
import { completionContextAt, isOfferableVersion, stringContentsFor } from '../../model/completionContext';
import { compatibleReleases } from '../../model/releases';
import { parseFactorioVersion, PORTAL_FACTORIO_VERSIONS } from '../../model/version';
import type { ModList, ModSummary } from '../../portal/modList';
import { withinBudget } from '../../util/time';
import type { Config } from '../core/config';
import type { DependencyData } from './dependencyData';
import { INFO_JSON_SELECTOR, infoJsonModel, toRange } from '../core/documents';
import type { WorkspaceModsService } from '../services/workspaceMods';
import { clip, markdownEscaped, PORTAL_TEXT_LIMITS, unbrokenDate } from '../core/portalText';

/** How long completion waits for portal data before answering with what it has. */
const DATA_BUDGET_MS = 2500;

const OPERATORS: { op: string; label: string }[] = [
  { op: '>=', label: vscode.l10n.t('this version or newer (usual)') },
  { op: '=', label: vscode.l10n.t('exactly this version') },
  { op: '>', label: vscode.l10n.t('newer than this version') },
  { op: '<=', label: vscode.l10n.t('this version or older') },
  { op: '<', label: vscode.l10n.t('older than this version') },
];

const PREFIXES: { prefix: string; label: string; since?: string }[] = [
  { prefix: '?', label: vscode.l10n.t('optional dependency') },
  { prefix: '!', label: vscode.l10n.t('incompatible mod') },
  { prefix: '(?)', label: vscode.l10n.t('hidden optional dependency') },
  { prefix: '~', label: vscode.l10n.t('required, without affecting load order') },
  { prefix: '+', label: vscode.l10n.t('recommended mod (Factorio 2.1+)'), since: '2.1' },
];

function sortKey(rank: number): string {
  return rank.toString().padStart(5, '0');
}

function formatDownloads(count: number): string {
  return vscode.l10n.t('{0} downloads', count.toLocaleString('en-US'));
}

function supportsRecommended(factorioVersion: string | undefined): boolean {
  const parsed = factorioVersion ? parseFactorioVersion(factorioVersion) : undefined;
  if (!parsed?.ok) return false;
  const v = parsed.version;
  return v.major > 2 || (v.major === 2 && v.minor >= 1);
}

class ModCompletionItem extends vscode.CompletionItem {
  constructor(
    label: vscode.CompletionItemLabel,
    /** A portal mod: its summary, and the list whose details() gives the rest when the item is focused. */
    readonly listed: { mod: ModSummary; list: ModList } | undefined,
  ) {
    super(label, vscode.CompletionItemKind.Module);
  }
}

/** Completes mod names, operators and versions in `dependencies`, and `factorio_version`. */
export class DependencyCompletionProvider implements vscode.CompletionItemProvider<vscode.CompletionItem> {
  constructor(
    private readonly data: DependencyData,
    private readonly config: Config,
    private readonly workspace: WorkspaceModsService,
  ) {}

  async provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.CompletionList | undefined> {
    const model = infoJsonModel(document);
    const context = completionContextAt(model, document.offsetAt(position));
    if (!context) return undefined;
    const factorioVersion = model.factorioVersion;
    const range = toRange(document, context.replaceRange.start, context.replaceRange.end);
    const typed = context.typed;

    switch (context.kind) {
      case 'factorio-version':
        return new vscode.CompletionList(this.factorioVersions(range, context.inString));
      case 'dependency-new-item':
        return new vscode.CompletionList(await this.names(range, typed, factorioVersion, true, false, model.modName), true);
      case 'dependency':
        if (context.part === 'name') {
          const atStart = context.prefix === undefined && typed === '';
          return new vscode.CompletionList(await this.names(range, typed, factorioVersion, false, atStart, model.modName), true);
        }
        if (context.part === 'operator') return new vscode.CompletionList(this.operators(document, range));
        if (context.part === 'version' && context.name) {
          return new vscode.CompletionList(await this.versions(context.name, range, factorioVersion));
        }
        return undefined;
    }
  }

  /** What only the focused item shows: the list itself carries names and titles alone. */
  async resolveCompletionItem(item: vscode.CompletionItem): Promise<vscode.CompletionItem> {
    if (item instanceof ModCompletionItem && item.listed && !item.documentation) {
      const { mod, list } = item.listed;
      const details = await list.details(mod.name);
      // Owner and downloads once, in the detail line; the summary below it, wrapping.
      item.detail = vscode.l10n.t('by {0} · {1}', clip(details?.owner || '?', PORTAL_TEXT_LIMITS.line), formatDownloads(mod.downloads_count));
      item.documentation = new vscode.MarkdownString(markdownEscaped(clip(details?.summary || '', PORTAL_TEXT_LIMITS.summary)));
    }
    return item;
  }

  private async names(
    range: vscode.Range,
    typed: string,
    factorioVersion: string | undefined,
    quoted: boolean,
    offerPrefixes: boolean,
    ownName: string | undefined,
  ): Promise<vscode.CompletionItem[]> {
    const items: vscode.CompletionItem[] = [];
    const query = typed.replace(/^"/, '').trim();
    const lower = query.toLowerCase();
    // Portal names are untrusted: escaped, a `"` or `\` in one cannot end or break the string.
    const wrap = (name: string) => (quoted ? JSON.stringify(name) : stringContentsFor(name));

    let rank = 0;
    // The mods being developed here come first: they are what an author links together.
    await withinBudget(this.workspace.start(), DATA_BUDGET_MS);
    const local = new Set<string>();
    for (const mod of this.workspace.all()) {
      if (mod.name === ownName || local.has(mod.name) || isBuiltinMod(mod.name)) continue;
      if (lower && !mod.name.toLowerCase().includes(lower)) continue;
      local.add(mod.name);
      const item = new ModCompletionItem({ label: mod.name, description: vscode.l10n.t('this workspace') }, undefined);
      item.detail = mod.version ? vscode.l10n.t('{0} in this workspace', mod.version) : vscode.l10n.t('In this workspace');
      item.insertText = wrap(mod.name);
      item.range = range;
      item.filterText = typed;
      item.sortText = sortKey(rank++);
      items.push(item);
    }

    for (const builtin of factorioVersion ? builtinModsFor(factorioVersion) : BUILTIN_MODS) {
      if (lower && !builtin.name.startsWith(lower)) continue;
      const item = new ModCompletionItem({ label: builtin.name, description: builtin.title }, undefined);
      item.detail = vscode.l10n.t('Built into Factorio');
      item.documentation = new vscode.MarkdownString().appendText(builtin.description);
      item.insertText = wrap(builtin.name);
      item.range = range;
      item.filterText = typed;
      item.sortText = sortKey(rank++);
      items.push(item);
    }

    const list = await withinBudget(this.data.list(), DATA_BUDGET_MS);
    if (list) {
      for (const hit of list.search(query, this.config.completionLimit)) {
        const mod = hit.mod;
        if (isBuiltinMod(mod.name) || local.has(mod.name)) continue;
        const item = new ModCompletionItem({ label: mod.name, description: clip(mod.title, PORTAL_TEXT_LIMITS.line) }, { mod, list });
        item.insertText = wrap(mod.name);
        item.range = range;
        // Our ranking decides the order (title matches included), not VS Code's word filter.
        item.filterText = typed;
        item.sortText = sortKey(rank++);
        items.push(item);
      }
    }

    if (offerPrefixes) {
      for (const p of PREFIXES) {
        if (p.since && !supportsRecommended(factorioVersion)) continue;
        const item = new vscode.CompletionItem({ label: p.prefix, description: p.label }, vscode.CompletionItemKind.Operator);
        item.insertText = p.prefix + ' ';
        item.range = range;
        item.filterText = typed;
        item.sortText = 'zz' + sortKey(rank++);
        item.command = { title: 'suggest', command: 'editor.action.triggerSuggest' };
        items.push(item);
      }
    }
    return items;
  }

  private operators(document: vscode.TextDocument, range: vscode.Range): vscode.CompletionItem[] {
    const before = range.start.character > 0 ? document.lineAt(range.start.line).text[range.start.character - 1] : ' ';
    const lead = before === ' ' ? '' : ' ';
    return OPERATORS.map(({ op, label }, i) => {
      const item = new vscode.CompletionItem({ label: op, description: label }, vscode.CompletionItemKind.Operator);
      item.insertText = `${lead}${op} `;
      item.filterText = op;
      item.range = range;
      item.sortText = sortKey(i);
      item.command = { title: 'suggest', command: 'editor.action.triggerSuggest' };
      return item;
    });
  }

  private async versions(name: string, range: vscode.Range, factorioVersion: string | undefined): Promise<vscode.CompletionItem[]> {
    if (isBuiltinMod(name)) {
      const parsed = factorioVersion ? parseFactorioVersion(factorioVersion) : undefined;
      if (!parsed?.ok) return [];
      const item = new vscode.CompletionItem(`${parsed.text}.0`, vscode.CompletionItemKind.Constant);
      item.detail = vscode.l10n.t('Built-in mods are versioned with the game');
      item.range = range;
      return [item];
    }
    const local = this.workspace.byName(name)?.version;
    const localItem = local !== undefined && isOfferableVersion(local) ? new vscode.CompletionItem({ label: local, description: vscode.l10n.t('this workspace') }, vscode.CompletionItemKind.Constant) : undefined;
    if (localItem) {
      localItem.detail = vscode.l10n.t('{0}: the version in this workspace', local!);
      localItem.range = range;
      localItem.sortText = '0';
      localItem.preselect = true;
    }
    await withinBudget(this.data.ensure([name], { full: false }), DATA_BUDGET_MS);
    const mod = this.data.mod(name);
    if (!mod?.releases) return localItem ? [localItem] : [];
    // Only versions the grammar accepts: anything else would make a malformed dependency, or break the string.
    const releases = compatibleReleases(mod.releases, factorioVersion);
    return releases.filter((release) => isOfferableVersion(release.version)).map((release, i) => {
      const item = new vscode.CompletionItem(
        { label: release.version, description: release.released_at.slice(0, 10) },
        vscode.CompletionItemKind.Constant,
      );
      item.detail = vscode.l10n.t('{0} for Factorio {1}, released {2}', release.version, release.info_json.factorio_version, unbrokenDate(release.released_at.slice(0, 10)));
      item.range = range;
      item.sortText = sortKey(i);
      if (i === 0 && !localItem) item.preselect = true;
      return item;
    }).filter((item) => !localItem || (item.label as vscode.CompletionItemLabel).label !== local).concat(localItem ? [localItem] : []);
  }

  private factorioVersions(range: vscode.Range, inString: boolean): vscode.CompletionItem[] {
    return [...PORTAL_FACTORIO_VERSIONS].reverse().map((version, i) => {
      const item = new vscode.CompletionItem(version, vscode.CompletionItemKind.Constant);
      item.insertText = inString ? version : JSON.stringify(version);
      item.range = range;
      item.sortText = sortKey(i);
      if (i === 0) item.preselect = true;
      return item;
    });
  }
}

export function registerCompletion(data: DependencyData, config: Config, workspace: WorkspaceModsService): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    INFO_JSON_SELECTOR,
    new DependencyCompletionProvider(data, config, workspace),
    '"', ' ', '?', '!', '~', '+', '(', '>', '<', '=',
  );
}

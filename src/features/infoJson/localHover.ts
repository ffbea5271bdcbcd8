import * as vscode from 'vscode';
import { portalNameProblems } from '../../model/analysis';
import { isBuiltinMod } from '../../model/builtins';
import { latestCompatibleRelease, latestRelease } from '../../model/releases';
import { dependencyInstallState, type DependencyInstallState } from '../../mods/satisfaction';
import type { ModsFolderScan } from '../../mods/modsFolder';
import { withinBudget } from '../../util/time';
import type { DependencyData } from './dependencyData';
import { INFO_JSON_SELECTOR, infoJsonModel, toRange } from '../core/documents';
import { clip, PORTAL_TEXT_LIMITS, safeLinkUrl } from '../core/portalText';
import type { ModsFolderService } from '../services/modsFolder';
import type { PortalService } from '../services/portalService';
import type { WorkspaceModsService } from '../services/workspaceMods';

/** How long a hover waits for the portal or the first mods folder scan. */
export const HOVER_BUDGET_MS = 3000;

/** Portal and file text only ever goes in through appendText; `<` is escaped so no HTML survives. */
export function finish(md: vscode.MarkdownString): vscode.MarkdownString {
  md.value = md.value.replace(/</g, '&lt;');
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** One line of the install state of a dependency, in words. */
export function installStateText(state: DependencyInstallState, constraint: string | undefined): string {
  if (!state.loaded) {
    return state.versions.length > 0
      ? vscode.l10n.t('Mods folder: {0} lies there but the game refuses it (its file name does not match its info.json)', state.versions[0].version)
      : vscode.l10n.t('Mods folder: not installed');
  }
  const parts = [vscode.l10n.t('Mods folder: {0} installed', state.loaded.version), state.enabled ? vscode.l10n.t('enabled') : vscode.l10n.t('disabled')];
  if (constraint) parts.push(state.loaded.satisfies ? vscode.l10n.t('satisfies {0}', constraint) : vscode.l10n.t('does not satisfy {0}', constraint));
  return parts.join(' · ');
}

/**
 * What is known locally about the mods an info.json names: its own name on the portal
 * (hover on `name`), and for each dependency the workspace's copy and the mods folder's
 * (hover on a dependency, shown beside the portal card).
 */
export class LocalHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly data: DependencyData,
    private readonly portal: PortalService,
    private readonly workspace: WorkspaceModsService,
    private readonly modsFolder: ModsFolderService,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const offset = document.offsetAt(position);
    const doc = infoJsonModel(document);
    const nameField = doc.fields.get('name');
    if (nameField?.valueRange && offset >= nameField.valueRange.start && offset <= nameField.valueRange.end && doc.modName) {
      return new vscode.Hover(finish(await this.nameCard(doc.modName)), toRange(document, nameField.valueRange.start, nameField.valueRange.end));
    }
    const item = doc.dependencies?.items.find((i) => offset >= i.range.start && offset <= i.range.end);
    const name = item?.parsed?.name?.text;
    if (!item || !name || item.value === undefined || isBuiltinMod(name)) return undefined;
    const md = new vscode.MarkdownString();
    const lines: string[] = [];
    await Promise.all([this.workspace.start(), withinBudget(this.modsFolder.scan(), HOVER_BUDGET_MS)]);
    const local = this.workspace.byName(name);
    if (local) {
      const mod = this.data.mod(name);
      const release = mod?.releases ? (latestCompatibleRelease(mod.releases, doc.factorioVersion) ?? latestRelease(mod.releases)) : undefined;
      const here = vscode.l10n.t('this workspace: {0}', local.version ?? '?');
      lines.push(release ? `${here} · ${vscode.l10n.t('portal: {0}', release.version)}` : here);
    }
    const scan: ModsFolderScan | undefined = this.modsFolder.peek();
    if (scan?.exists) {
      const state = dependencyInstallState(item.value, scan);
      const constraint = item.parsed?.operator && item.parsed.version ? `${item.parsed.operator.text} ${item.parsed.version.text}` : undefined;
      if (state) lines.push(installStateText(state, constraint));
    }
    if (lines.length === 0) return undefined;
    for (const line of lines) md.appendText(line).appendMarkdown('  \n');
    return new vscode.Hover(finish(md), toRange(document, item.range.start, item.range.end));
  }

  /** What the portal has under the mod's own name, or that the name is free. */
  private async nameCard(name: string): Promise<vscode.MarkdownString> {
    const md = new vscode.MarkdownString();
    if (isBuiltinMod(name)) {
      md.appendText(vscode.l10n.t('"{0}" is a mod that comes with the game.', name));
      return md;
    }
    await withinBudget(this.data.ensure([name], { full: false }), HOVER_BUDGET_MS);
    const facts = this.data.facts(name);
    const mod = this.data.mod(name);
    if (facts.state === 'found' && mod) {
      const line = (text: string): string => clip(text, PORTAL_TEXT_LIMITS.line);
      md.appendMarkdown('**').appendText(vscode.l10n.t('On the Mod Portal: {0}', line(mod.title || mod.name))).appendMarkdown('**\n\n');
      md.appendText(vscode.l10n.t('by {0}', line(mod.owner || '?'))).appendText(` · ${vscode.l10n.t('{0} downloads', mod.downloads_count.toLocaleString('en-US'))}`);
      md.appendMarkdown('  \n');
      const latest = latestRelease(mod.releases ?? []);
      if (latest) {
        md.appendText(
          vscode.l10n.t('Latest release: {0} for Factorio {1} ({2})', line(latest.version), line(latest.info_json?.factorio_version ?? '?'), latest.released_at.slice(0, 10)),
        );
        md.appendMarkdown('  \n');
      }
      const link = safeLinkUrl(this.portal.modPageUrl(mod.name));
      if (link) md.appendMarkdown(`\n[${vscode.l10n.t('Mod Portal')}](${link.replace(/[()\s]/g, (c: string) => encodeURIComponent(c))})`);
      return md;
    }
    if (facts.state === 'missing') {
      md.appendText(vscode.l10n.t('Not on the portal: the name is free.'));
      md.appendMarkdown('\n\n');
      const problems = portalNameProblems(name);
      md.appendText(
        problems.length === 0
          ? vscode.l10n.t('The portal would accept this name.')
          : vscode.l10n.t('The portal would not accept this name: it needs {0}.', problems.join(vscode.l10n.t(' and '))),
      );
      return md;
    }
    md.appendText(vscode.l10n.t('The portal could not be reached: whether it has a mod with this name is not known.'));
    return md;
  }
}

export function registerLocalHover(data: DependencyData, portal: PortalService, workspace: WorkspaceModsService, modsFolder: ModsFolderService): vscode.Disposable {
  return vscode.languages.registerHoverProvider(INFO_JSON_SELECTOR, new LocalHoverProvider(data, portal, workspace, modsFolder));
}

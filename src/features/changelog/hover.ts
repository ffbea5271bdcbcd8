import * as vscode from 'vscode';
import { isBuiltinMod } from '../../model/builtins';
import { parseInfoJson } from '../../model/document';
import { compareVersions, parseModVersion } from '../../model/version';
import { clip, PORTAL_TEXT_LIMITS } from '../core/portalText';
import { toRange } from '../core/documents';
import type { DependencyData } from '../infoJson/dependencyData';
import { withinBudget } from '../../util/time';
import { finish, HOVER_BUDGET_MS } from '../infoJson/localHover';
import { CHANGELOG_SELECTOR, changelogAnalysis, readSibling } from './documents';

/**
 * Hovering a `Version:` line says whether that version of the mod (named by the info.json
 * beside the changelog) is on the Mod Portal: when it was released and for which Factorio,
 * or that it is not published yet.
 */
export class ChangelogHoverProvider implements vscode.HoverProvider {
  constructor(private readonly data: DependencyData) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const section = changelogAnalysis(document).sections.find((s) => s.versionLine === position.line);
    if (!section?.versionRange) return undefined;
    const version = parseModVersion(section.version);
    const info = await readSibling(document.uri, 'info.json');
    const name = info ? parseInfoJson(info.text).modName : undefined;
    if (!version || !name || isBuiltinMod(name)) return undefined;
    const range = toRange(document, section.versionRange.start, section.versionRange.end);
    await withinBudget(this.data.ensure([name], { full: false }), HOVER_BUDGET_MS);
    const line = (text: string): string => clip(text, PORTAL_TEXT_LIMITS.line);
    const md = new vscode.MarkdownString();
    const facts = this.data.facts(name);
    if (facts.state === 'unknown') {
      md.appendText(vscode.l10n.t('The Mod Portal could not be reached: whether {0} {1} is published is not known.', name, section.version));
      return new vscode.Hover(finish(md), range);
    }
    const releases = this.data.mod(name)?.releases ?? [];
    const release = releases.find((r) => {
      const v = parseModVersion(r.version);
      return v !== undefined && compareVersions(v, version) === 0;
    });
    md.appendMarkdown('**').appendText(`${name} ${section.version}`).appendMarkdown('**\n\n');
    if (release) {
      md.appendText(
        vscode.l10n.t('On the Mod Portal: released {0}, for Factorio {1}.', line(release.released_at.slice(0, 10)), line(release.info_json?.factorio_version ?? '?')),
      );
    } else if (facts.state === 'missing') {
      md.appendText(vscode.l10n.t('Not on the Mod Portal yet: the portal has no mod named {0}.', name));
    } else {
      const newest = releases.map((r) => r.version).filter((v) => parseModVersion(v)).sort((a, b) => compareVersions(parseModVersion(b)!, parseModVersion(a)!))[0];
      md.appendText(
        newest
          ? vscode.l10n.t('Not on the Mod Portal yet (the newest release there is {0}).', line(newest))
          : vscode.l10n.t('Not on the Mod Portal yet.'),
      );
    }
    return new vscode.Hover(finish(md), range);
  }
}

export function registerChangelogHover(data: DependencyData): vscode.Disposable {
  return vscode.languages.registerHoverProvider(CHANGELOG_SELECTOR, new ChangelogHoverProvider(data));
}

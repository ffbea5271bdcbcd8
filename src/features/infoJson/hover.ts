import * as vscode from 'vscode';
import { categoryTitle } from '../../portal/categories';
import { builtinModsFor, isBuiltinMod, builtinAvailableIn, BUILTIN_MODS } from '../../model/builtins';
import { changelogBetween, parseChangelog } from '../../model/changelog';
import type { DependencyItem } from '../../model/document';
import { compatibleReleases, latestCompatibleRelease, latestRelease } from '../../model/releases';
import { compareVersions, parseVersion, satisfies, sortVersionsDesc } from '../../model/version';
import type { FullModEntry, ModEntry, Release } from '../../portal/types';
import type { DependencyData } from './dependencyData';
import { INFO_JSON_SELECTOR, infoJsonModel, toRange } from '../core/documents';
import { PORTAL_TEXT_LIMITS, clip, cutText, safeHomepageUrl, safeLinkUrl } from '../core/portalText';
import type { PortalService } from '../services/portalService';

const FULL_INFO_BUDGET_MS = 3000;
// A hover is a glance: a few lines of what an update brings, the rest one click away.
const MAX_CHANGELOG_ENTRIES = 2;
const MAX_CHANGELOG_CHARS = 500;
const MAX_CHANGELOG_LINES = 8;

/**
 * Portal text goes in through appendText (Markdown syntax and theme icons escaped);
 * `<` is escaped last so that no HTML tag survives even where HTML would render.
 */
function finish(md: vscode.MarkdownString): vscode.MarkdownString {
  md.value = md.value.replace(/</g, '&lt;');
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** A mod name as inline code; backslash escapes don't work inside code spans. */
function code(name: string): string {
  return '`' + name.replace(/[`\r\n]/g, '') + '`';
}

/** One line of portal text (a title, a version, a tag list), cut to its limit. */
function line(text: string): string {
  return clip(text, PORTAL_TEXT_LIMITS.line);
}

/** A link to a URL safeLinkUrl accepted; parentheses and spaces would end it early. */
function markdownLink(label: string, safeUrl: string): string {
  return `[${label}](${safeUrl.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
}

function date(iso: string | undefined): string | undefined {
  return iso ? iso.slice(0, 10) : undefined;
}

function factorioVersionsOf(releases: readonly Release[]): string[] {
  const set = new Set(releases.map((r) => r.info_json.factorio_version));
  return sortVersionsDesc([...set]).reverse();
}

/** The lower bound a constraint sets, for "what updating brings". */
function constraintBound(item: DependencyItem): string | undefined {
  return item.parsed?.version?.text;
}

export class DependencyHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly data: DependencyData,
    private readonly portal: PortalService,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const offset = document.offsetAt(position);
    const doc = infoJsonModel(document);
    const item = doc.dependencies?.items.find((i) => offset >= i.range.start && offset <= i.range.end);
    const name = item?.parsed?.name?.text;
    if (!item || !name) return undefined;
    const range = toRange(document, item.range.start, item.range.end);

    if (isBuiltinMod(name)) return new vscode.Hover(finish(this.builtinCard(name, doc.factorioVersion)), range);

    await this.data.ensure([name], { full: false });
    const mod = this.data.mod(name);
    if (!mod) {
      const facts = this.data.facts(name);
      const md = new vscode.MarkdownString();
      md.appendMarkdown('**').appendText(name).appendMarkdown('**\n\n');
      md.appendText(
        facts.state === 'missing'
          ? vscode.l10n.t('The Mod Portal has no mod with this name.')
          : vscode.l10n.t('No portal data for this mod yet (the portal could not be reached).'),
      );
      return new vscode.Hover(finish(md), range);
    }
    const full = await Promise.race([
      this.data.fetchFull(name),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), FULL_INFO_BUDGET_MS)),
    ]);
    return new vscode.Hover(finish(this.modCard(mod, full ?? this.data.fullMod(name), item, doc.factorioVersion)), range);
  }

  private builtinCard(name: string, factorioVersion: string | undefined): vscode.MarkdownString {
    const builtin = BUILTIN_MODS.find((b) => b.name === name)!;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(builtin.title).appendMarkdown(`** ${code(name)}\n\n`);
    md.appendText(builtin.description);
    md.appendMarkdown('\n\n');
    md.appendText(vscode.l10n.t('Built into Factorio: not on the Mod Portal, versioned with the game.'));
    if (factorioVersion && !builtinAvailableIn(name, factorioVersion)) {
      md.appendMarkdown('\n\n$(warning) ');
      md.appendText(vscode.l10n.t('Not available in Factorio {0}.', factorioVersion));
    } else if (factorioVersion && builtinModsFor(factorioVersion).some((b) => b.name === name)) {
      md.appendMarkdown('\n\n');
      md.appendText(vscode.l10n.t('For Factorio {0}: version {0}.x', factorioVersion));
    }
    md.supportThemeIcons = true;
    return md;
  }

  private modCard(mod: ModEntry, full: FullModEntry | undefined, item: DependencyItem, factorioVersion: string | undefined): vscode.MarkdownString {
    const md = new vscode.MarkdownString();
    md.supportThemeIcons = true;
    const releases = mod.releases ?? [];

    if (full?.deprecated) {
      md.appendMarkdown('$(warning) **');
      md.appendText(vscode.l10n.t('Deprecated: the author no longer maintains this mod.'));
      md.appendMarkdown('**\n\n---\n\n');
    }
    md.appendMarkdown('### ').appendText(line(mod.title || mod.name)).appendMarkdown('\n\n');
    md.appendText(`${line(mod.name)} · `);
    md.appendText(vscode.l10n.t('by {0}', line(mod.owner || '?')));
    md.appendText(` · ${vscode.l10n.t('{0} downloads', mod.downloads_count.toLocaleString('en-US'))}`);
    md.appendMarkdown('\n\n');
    if (mod.summary) md.appendText(clip(mod.summary, PORTAL_TEXT_LIMITS.summary)).appendMarkdown('\n\n');

    const lines: string[][] = [];
    const latest = factorioVersion ? latestCompatibleRelease(releases, factorioVersion) : undefined;
    const overall = latestRelease(releases);
    if (factorioVersion) {
      lines.push([
        vscode.l10n.t('Latest for Factorio {0}', factorioVersion),
        latest ? `${latest.version} (${date(latest.released_at)})` : vscode.l10n.t('none'),
      ]);
    }
    if (overall && overall !== latest) {
      lines.push([vscode.l10n.t('Latest overall'), `${overall.version} (${vscode.l10n.t('Factorio {0}', overall.info_json.factorio_version)}, ${date(overall.released_at)})`]);
    }
    const versions = factorioVersionsOf(releases);
    if (versions.length) lines.push([vscode.l10n.t('Factorio versions'), versions.join(', ')]);
    if (mod.category) lines.push([vscode.l10n.t('Category'), categoryTitle(mod.category)]);
    if (full?.tags?.length) lines.push([vscode.l10n.t('Tags'), full.tags.join(', ')]);
    const updated = date(full?.updated_at) ?? date(overall?.released_at);
    if (updated) lines.push([vscode.l10n.t('Last update'), updated]);
    if (full?.license?.title || full?.license?.name) lines.push([vscode.l10n.t('License'), (full.license.title ?? full.license.name)!]);
    for (const [label, value] of lines) {
      md.appendMarkdown('**').appendText(label).appendMarkdown(':** ').appendText(line(value)).appendMarkdown('  \n');
    }
    md.appendMarkdown('\n');

    const source = full?.source_url ?? (full?.github_path ? `https://github.com/${full.github_path}` : undefined);
    const links = [
      [vscode.l10n.t('Mod Portal'), safeLinkUrl(this.portal.modPageUrl(mod.name))],
      [vscode.l10n.t('Source'), source ? safeLinkUrl(source) : undefined],
      [vscode.l10n.t('Homepage'), full?.homepage ? safeHomepageUrl(full.homepage) : undefined],
    ].flatMap(([label, safe]) => (safe ? [markdownLink(label!, safe)] : []));
    md.appendMarkdown(links.join(' · ')).appendMarkdown('\n\n');

    // What updating would bring: the changelog between the constraint and the latest compatible release.
    const bound = constraintBound(item);
    const op = item.parsed?.operator?.value;
    const boundVersion = bound ? parseVersion(bound) : undefined;
    const latestVersion = latest ? parseVersion(latest.version) : undefined;
    if (latest && latestVersion && boundVersion && op && (compareVersions(boundVersion, latestVersion) < 0 || !satisfies(latestVersion, op, boundVersion))) {
      // The newest entries come first, so the first part of a huge changelog is enough.
      const changelog = full?.changelog ? cutText(full.changelog, PORTAL_TEXT_LIMITS.changelogParse).text : undefined;
      const entries = changelog ? changelogBetween(parseChangelog(changelog), bound, latest.version) : [];
      md.appendMarkdown('---\n\n**');
      md.appendText(vscode.l10n.t('Updating from {0} to {1} brings:', bound!, line(latest.version)));
      md.appendMarkdown('**\n\n');
      if (entries.length === 0) {
        const newer = compatibleReleases(releases, factorioVersion!).filter((r) => compareVersions(parseVersion(r.version)!, boundVersion) > 0);
        md.appendText(vscode.l10n.t('{0} newer releases (no changelog published).', newer.length));
      } else {
        let budget = MAX_CHANGELOG_CHARS;
        let lines = MAX_CHANGELOG_LINES;
        let cut = false;
        for (const entry of entries.slice(0, MAX_CHANGELOG_ENTRIES)) {
          const body = entry.body.length > budget ? entry.body.slice(0, Math.max(0, budget)) + '…' : entry.body;
          budget -= body.length;
          md.appendMarkdown('**').appendText(line(entry.version)).appendMarkdown('**');
          if (entry.date) md.appendText(` (${line(entry.date)})`);
          md.appendMarkdown('  \n');
          // Plain text line by line: a code fence could be closed by the portal's own text.
          const bodyLines = body.split('\n').map((t) => t.trim()).filter((t) => t !== '');
          for (const text of bodyLines.slice(0, lines)) md.appendText(text).appendMarkdown('  \n');
          if (bodyLines.length > lines || body.length < entry.body.length) cut = true;
          lines -= bodyLines.length;
          md.appendMarkdown('\n');
          if (budget <= 0 || lines <= 0) break;
        }
        const more = entries.length - MAX_CHANGELOG_ENTRIES;
        if (more > 0) md.appendText(vscode.l10n.t('…and {0} more.', more));
        const changelogPage = safeLinkUrl(`${this.portal.modPageUrl(mod.name)}/changelog`);
        if (changelogPage && (more > 0 || cut || budget <= 0 || lines <= 0)) {
          md.appendMarkdown(' ').appendMarkdown(markdownLink(vscode.l10n.t('Full changelog on the Mod Portal'), changelogPage));
        }
      }
    }
    return md;
  }
}

export function registerHover(data: DependencyData, portal: PortalService): vscode.Disposable {
  return vscode.languages.registerHoverProvider(INFO_JSON_SELECTOR, new DependencyHoverProvider(data, portal));
}

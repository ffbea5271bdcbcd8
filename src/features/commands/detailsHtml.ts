// The details page of a mod, as a complete HTML document for a webview without scripts.
// All portal text passes through escapeHtml or renderPortalMarkdown, cut to a size first
// (with a link to the rest on the portal); the Content-Security-Policy allows no script at
// all, images only over https (and from the portal itself), and styles only from the
// page's own nonce'd style element.

import { newestFirst } from '../../model/releases';
import { categoryTitle } from '../../portal/categories';
import type { FullModEntry, ModEntry, Release } from '../../portal/types';
import { withoutTrailingSlashes } from '../../util/text';
import { PORTAL_TEXT_LIMITS, clip, cutText, safeHomepageUrl, safeLinkUrl } from '../core/portalText';
import { renderPortalMarkdown } from './portalMarkdown';

export interface DetailsPageOptions {
  /** The portal's base URL, e.g. https://mods.factorio.com. */
  portalUrl: string;
  nonce: string;
  /** The info.json's factorio_version, to mark compatible releases. */
  factorioVersion?: string;
  /** Shown when only short data is at hand (full info failed to load). */
  notice?: string;
  /** Most releases listed; older ones are counted. Default 40. */
  maxReleases?: number;
}

const OFFICIAL_PORTAL = 'https://mods.factorio.com';
const OFFICIAL_ASSETS = 'https://assets-mod.factorio.com';
/** Most dependencies listed per release, tags per mod and gallery images shown. */
const MAX_LISTED = 60;
const MAX_IMAGES = 12;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line of portal text (a title, a name, a tag), cut and escaped. */
function line(text: string): string {
  return escapeHtml(clip(text, PORTAL_TEXT_LIMITS.line));
}

export function contentSecurityPolicy(portalUrl: string, nonce: string): string {
  let origin = '';
  try {
    origin = new URL(portalUrl).origin;
  } catch {
    // A malformed portal URL just adds no image source.
  }
  return [`default-src 'none'`, `img-src https: ${origin}`.trim(), `style-src 'nonce-${nonce}'`, `form-action 'none'`].join('; ');
}

/** The thumbnail's absolute URL, or undefined when the portal has none for the mod. */
export function thumbnailUrl(mod: Pick<ModEntry, 'thumbnail'>, portalUrl: string): string | undefined {
  const thumb = mod.thumbnail;
  if (!thumb || thumb === '/assets/.thumb.png') return undefined;
  if (/^https:\/\//i.test(thumb)) return safeLinkUrl(thumb, ['https:']);
  if (!thumb.startsWith('/')) return undefined;
  const portal = withoutTrailingSlashes(portalUrl);
  const base = portal === OFFICIAL_PORTAL ? OFFICIAL_ASSETS : portal;
  return safeLinkUrl(base + thumb);
}

/**
 * A gallery image's URL. The portal gives absolute URLs on its asset host; another
 * portal (a local one, a mirror) serves the same paths itself, as it does thumbnails.
 */
export function imageUrl(raw: string, portalUrl: string): string | undefined {
  const portal = withoutTrailingSlashes(portalUrl);
  if (portal !== OFFICIAL_PORTAL && raw.startsWith(`${OFFICIAL_ASSETS}/`)) return safeLinkUrl(portal + raw.slice(OFFICIAL_ASSETS.length));
  return safeLinkUrl(raw, ['https:']);
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function date(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

function link(href: string | undefined, label: string): string {
  return href ? `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>` : '';
}

function releasesTable(releases: readonly Release[], options: DetailsPageOptions): string {
  const max = options.maxReleases ?? 40;
  const sorted = newestFirst(releases);
  const rows = sorted.slice(0, max).map((r) => {
    const compatible = options.factorioVersion !== undefined && r.info_json.factorio_version === options.factorioVersion;
    const deps = r.info_json.dependencies;
    const depList =
      deps === undefined
        ? '<span class="muted">unknown</span>'
        : deps.length === 0
          ? '<span class="muted">none</span>'
          : deps.slice(0, MAX_LISTED).map((d) => `<code>${line(d)}</code>`).join(' ') + (deps.length > MAX_LISTED ? ` <span class="muted">…and ${deps.length - MAX_LISTED} more</span>` : '');
    const flags = r.feature_flags?.length ? `<div class="muted">needs ${r.feature_flags.slice(0, MAX_LISTED).map(line).join(', ')}</div>` : '';
    return (
      `<tr${compatible ? ' class="compatible"' : ''}>` +
      `<td><strong>${line(r.version)}</strong></td>` +
      `<td>${line(r.info_json.factorio_version)}</td>` +
      `<td>${escapeHtml(date(r.released_at))}</td>` +
      `<td>${depList}${flags}</td></tr>`
    );
  });
  const more = sorted.length > max ? `<p class="muted">…and ${sorted.length - max} older releases.</p>` : '';
  return (
    `<table class="releases"><thead><tr><th>Version</th><th>Factorio</th><th>Released</th><th>Dependencies</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>${more}`
  );
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 40px; line-height: 1.5; max-width: 980px; }
header { display: flex; gap: 16px; align-items: flex-start; margin: 16px 0; }
header img { width: 96px; height: 96px; object-fit: cover; border-radius: 4px; flex: none; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; border-bottom: 1px solid var(--vscode-panel-border, #8884); padding-bottom: 4px; margin-top: 28px; }
.muted { color: var(--vscode-descriptionForeground); }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; margin: 2px 4px 2px 0; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); font-size: 0.9em; }
.deprecated { background: var(--vscode-inputValidation-warningBackground, #b89500); color: var(--vscode-foreground); }
.notice { border-left: 3px solid var(--vscode-inputValidation-warningBorder, #b89500); padding: 4px 10px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8883); vertical-align: top; }
tr.compatible td:first-child { border-left: 3px solid var(--vscode-charts-green, #3a3); }
code { font-family: var(--vscode-editor-font-family); font-size: 0.95em; background: var(--vscode-textCodeBlock-background); padding: 0 3px; border-radius: 3px; }
pre { background: var(--vscode-textCodeBlock-background); padding: 8px; overflow-x: auto; white-space: pre-wrap; }
pre code { background: none; padding: 0; }
.description img { max-width: 100%; }
.description table { width: auto; }
.align-left { text-align: left; }
.align-center { text-align: center; }
.align-right { text-align: right; }
.gallery img { max-height: 160px; margin: 4px; border-radius: 3px; }
a { color: var(--vscode-textLink-foreground); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dt { color: var(--vscode-descriptionForeground); }
dd { margin: 0; }
`;

/** Where a text cut to its limit goes on. */
function continued(url: string | undefined): string {
  const rest = url ? `<a href="${escapeHtml(url)}">continued on the Mod Portal</a>` : 'continued on the Mod Portal';
  return `<p class="continued muted">… The text is ${rest}.</p>`;
}

/** Portal Markdown, cut to its limit, its headings under the page's h2. */
function markdownSection(source: string, restUrl: string | undefined): string {
  const { text, cut } = cutText(source, PORTAL_TEXT_LIMITS.markdown);
  return renderPortalMarkdown(text, { headingOffset: 2 }) + (cut ? continued(restUrl) : '');
}

/** The whole page for `mod`; `full` adds description, changelog, tags, license and links. */
export function renderDetailsPage(mod: ModEntry | FullModEntry, options: DetailsPageOptions): string {
  const full = mod as FullModEntry;
  const portal = withoutTrailingSlashes(options.portalUrl);
  const pageUrl = safeLinkUrl(`${portal}/mod/${encodeURIComponent(mod.name)}`);
  const thumb = thumbnailUrl(mod, portal);
  const parts: string[] = [];

  parts.push('<header>');
  if (thumb) parts.push(`<img src="${escapeHtml(thumb)}" alt="">`);
  parts.push('<div>');
  parts.push(`<h1>${line(mod.title || mod.name)}</h1>`);
  parts.push(
    `<div class="muted"><code>${line(mod.name)}</code> by ${line(mod.owner || 'unknown')} · ${formatCount(mod.downloads_count)} downloads` +
      (mod.category ? ` · ${line(categoryTitle(mod.category))}` : '') +
      '</div>',
  );
  if (full.deprecated) parts.push('<p><span class="badge deprecated">Deprecated</span> The author no longer maintains this mod.</p>');
  if (mod.summary) parts.push(`<p>${escapeHtml(clip(mod.summary, PORTAL_TEXT_LIMITS.summary))}</p>`);
  if (full.tags?.length) parts.push(`<div>${full.tags.slice(0, MAX_LISTED).map((t) => `<span class="badge">${line(t)}</span>`).join('')}</div>`);
  parts.push('</div></header>');
  if (options.notice) parts.push(`<p class="notice">${escapeHtml(options.notice)}</p>`);

  const facts: string[] = [];
  const links = [
    link(pageUrl, 'Mod Portal page'),
    link(full.homepage ? safeHomepageUrl(full.homepage) : undefined, 'Homepage'),
    link(full.source_url ? safeLinkUrl(full.source_url) : undefined, 'Source'),
    link(full.github_path ? safeLinkUrl(`https://github.com/${full.github_path}`) : undefined, 'GitHub'),
  ].filter((l) => l !== '');
  facts.push(`<dt>Links</dt><dd>${links.join(' · ')}</dd>`);
  if (full.license) {
    const l = full.license;
    const label = l.title || l.name || l.id || 'License';
    const href = l.url ? safeLinkUrl(l.url) : undefined;
    facts.push(`<dt>License</dt><dd>${href ? link(href, clip(label, PORTAL_TEXT_LIMITS.line)) : line(label)}</dd>`);
  }
  if (full.created_at) facts.push(`<dt>Created</dt><dd>${escapeHtml(date(full.created_at))}</dd>`);
  if (full.updated_at) facts.push(`<dt>Updated</dt><dd>${escapeHtml(date(full.updated_at))}</dd>`);
  parts.push(`<dl>${facts.join('')}</dl>`);

  if (full.description) parts.push(`<h2>Description</h2><div class="description">${markdownSection(full.description, pageUrl)}</div>`);

  const gallery = (full.images ?? []).slice(0, MAX_IMAGES * 4).flatMap((img) => {
    const src = img.thumbnail ? imageUrl(img.thumbnail, portal) : undefined;
    const href = img.url ? imageUrl(img.url, portal) : undefined;
    if (!src) return [];
    return [href ? `<a href="${escapeHtml(href)}"><img src="${escapeHtml(src)}" alt=""></a>` : `<img src="${escapeHtml(src)}" alt="">`];
  });
  if (gallery.length > 0) parts.push(`<h2>Images</h2><div class="gallery">${gallery.slice(0, MAX_IMAGES).join('')}</div>`);

  const releases = mod.releases ?? (mod.latest_release ? [mod.latest_release] : []);
  parts.push(`<h2>Releases</h2>${releases.length > 0 ? releasesTable(releases, options) : '<p class="muted">No releases.</p>'}`);

  if (full.changelog) {
    const { text, cut } = cutText(full.changelog, PORTAL_TEXT_LIMITS.changelog);
    parts.push(`<h2>Changelog</h2><pre>${escapeHtml(text)}</pre>${cut ? continued(pageUrl && `${pageUrl}/changelog`) : ''}`);
  }
  if (full.faq) parts.push(`<h2>FAQ</h2><div class="description">${markdownSection(full.faq, pageUrl && `${pageUrl}/faq`)}</div>`);

  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(portal, options.nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${line(mod.title || mod.name)}</title>`,
    `<style nonce="${escapeHtml(options.nonce)}">${STYLE}</style>`,
    '</head><body>',
    ...parts,
    '</body></html>',
  ].join('\n');
}

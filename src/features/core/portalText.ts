// Portal text (titles, summaries, descriptions, changelogs, URLs) is untrusted and has no
// size limit of its own, and everything that shows it runs on the extension host, which
// every extension shares. So each piece is cut to a size made for where it is shown, and
// a URL is only ever an absolute http(s) one. Nothing here uses a regular expression on
// text of unbounded length.

/** How much of each kind of portal text is shown at most, in UTF-16 code units. */
export const PORTAL_TEXT_LIMITS = {
  /** A title, an owner, a category, a tag, a version: one line in a tooltip or a heading. */
  line: 200,
  /** A summary in a hover or a tooltip. */
  summary: 1_000,
  /** A description or a FAQ rendered in the details panel. */
  markdown: 100_000,
  /** A changelog shown in the details panel. */
  changelog: 30_000,
  /** What the hover's changelog parser reads: the newest entries come first. */
  changelogParse: 200_000,
  /** A URL; real ones are far shorter. */
  url: 2_048,
} as const;

/** A code unit index at or below `at` that does not split a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** `text` cut to `max` code units, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, safeCut(text, max))}…`;
}

/**
 * The first `max` code units of a multi-line text, ending at a line break when one is in
 * the second half (so a cut Markdown text loses no half line), and whether it was cut.
 */
export function cutText(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const lineEnd = text.lastIndexOf('\n', max);
  const end = lineEnd >= max / 2 ? lineEnd : safeCut(text, max);
  return { text: text.slice(0, end), cut: true };
}

/** The URL when it is an absolute http(s) URL (or only https when asked), normalised; undefined otherwise. */
export function safeLinkUrl(raw: string, schemes: readonly string[] = ['http:', 'https:']): string | undefined {
  if (raw.length > PORTAL_TEXT_LIMITS.url) return undefined;
  const text = raw.trim();
  const lower = text.slice(0, 8).toLowerCase();
  if (!lower.startsWith('http://') && !lower.startsWith('https://')) return undefined;
  try {
    const url = new URL(text);
    return schemes.includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A homepage as mod authors write it: a URL, or a bare host such as `example.org/mod`. */
export function safeHomepageUrl(raw: string): string | undefined {
  if (raw.length > PORTAL_TEXT_LIMITS.url) return undefined;
  const text = raw.trim();
  // Each dot-separated label is one unambiguous run, so this cannot backtrack.
  return safeLinkUrl(text) ?? (/^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(text) ? safeLinkUrl(`https://${text}`) : undefined);
}

/** 1234 → "1.2K", 9876543 → "9.9M". */
export function formatDownloads(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, '')}K`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0).replace(/\.0$/, '')}M`;
}

/**
 * Text for a MarkdownString, its Markdown syntax escaped. Unlike `appendText`, which turns
 * every space into `&nbsp;`, the text still wraps: a long summary in the suggest widget's
 * details would otherwise run off to the side behind a horizontal scrollbar.
 */
export function markdownEscaped(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-!~<>|.]/g, '\\$&').replace(/\r?\n/g, '  \n');
}

/** A date that never breaks across lines at its hyphens (U+2011, the non-breaking hyphen). */
export function unbrokenDate(date: string): string {
  return date.replace(/-/g, '\u2011');
}

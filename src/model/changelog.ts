// Factorio's changelog.txt format: entries separated by a line of dashes, each
// starting with "Version: X.Y.Z", then an optional "Date:" and categories.

import { compareVersions, parseVersion } from './version';

export interface ChangelogEntry {
  version: string;
  date?: string;
  /** The entry's lines after the Version/Date header, as written. */
  body: string;
}

// Changelogs come from the portal, so each line is read with plain string operations that
// look at every character a bounded number of times: no backtracking regex (one like
// /^Date:\s*(.+?)\s*$/ takes quadratic time on a line of spaces).

/** A line of at least ten dashes, then nothing but white space. */
function isSeparator(line: string): boolean {
  let dashes = 0;
  while (dashes < line.length && line.charCodeAt(dashes) === 0x2d) dashes++;
  return dashes >= 10 && line.slice(dashes).trim() === '';
}

/** What follows `label` at the start of the line, trimmed; undefined when the line has another start. */
function valueAfter(line: string, label: string): string | undefined {
  return line.startsWith(label) ? line.slice(label.length).trim() : undefined;
}

/** Up to the first white space. */
function firstWord(text: string): string {
  const end = text.search(/\s/);
  return end < 0 ? text : text.slice(0, end);
}

export function parseChangelog(text: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { version: string; date?: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) entries.push({ version: current.version, date: current.date, body: current.lines.join('\n').trim() });
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (isSeparator(line)) {
      flush();
      continue;
    }
    const version = valueAfter(line, 'Version:');
    if (version) {
      flush();
      current = { version: firstWord(version), lines: [] };
      continue;
    }
    if (!current) continue;
    const date = valueAfter(line, 'Date:');
    if (date && current.date === undefined && current.lines.length === 0) current.date = date;
    else current.lines.push(line);
  }
  flush();
  return entries;
}

/** Entries newer than `after` and not newer than `upTo`, newest first. */
export function changelogBetween(entries: readonly ChangelogEntry[], after: string | undefined, upTo: string): ChangelogEntry[] {
  const low = after ? parseVersion(after) : undefined;
  const high = parseVersion(upTo);
  if (!high) return [];
  return entries
    .filter((entry) => {
      const v = parseVersion(entry.version);
      return v !== undefined && compareVersions(v, high) <= 0 && (low === undefined || compareVersions(v, low) > 0);
    })
    .sort((a, b) => compareVersions(parseVersion(b.version)!, parseVersion(a.version)!));
}

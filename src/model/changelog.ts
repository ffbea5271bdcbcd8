// Factorio's changelog.txt format: entries separated by a line of dashes, each
// starting with "Version: X.Y.Z", then an optional "Date:" and categories.

import { compareVersions, parseVersion } from './version';

export interface ChangelogEntry {
  version: string;
  date?: string;
  /** The entry's lines after the Version/Date header, as written. */
  body: string;
}

const SEPARATOR = /^-{10,}\s*$/;

export function parseChangelog(text: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { version: string; date?: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) entries.push({ version: current.version, date: current.date, body: current.lines.join('\n').trim() });
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (SEPARATOR.test(line)) {
      flush();
      continue;
    }
    const version = /^Version:\s*(\S+)/.exec(line);
    if (version) {
      flush();
      current = { version: version[1], lines: [] };
      continue;
    }
    if (!current) continue;
    const date = /^Date:\s*(.+?)\s*$/.exec(line);
    if (date && current.date === undefined && current.lines.length === 0) current.date = date[1];
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

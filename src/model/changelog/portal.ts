// Reading a changelog as the portal serves it, for hover cards: whatever its shape, the
// versions and what each says. The lines are read as the strict checker reads them
// (./lines), without its rules: a changelog the game would refuse still tells what changed.

import { compareVersions, parseVersion } from '../version';
import { DATE_LABEL, separatorDashes, skipBlanks, splitLines, startsWithLabel, trimmedEnd, VERSION_LABEL, type TextLine } from './lines';

export interface ChangelogEntry {
  version: string;
  date?: string;
  /** The entry's lines after the Version/Date header, as written. */
  body: string;
}

/** What follows `label` at the start of the line, trimmed; undefined when the line has another start. */
function valueAfter(text: string, line: TextLine, label: string): string | undefined {
  if (!startsWithLabel(text, line, label)) return undefined;
  const from = skipBlanks(text, line.start + label.length, line.end);
  return text.slice(from, trimmedEnd(text, from, line.end));
}

/** Up to the first white space. */
function firstWord(value: string): string {
  const end = value.search(/\s/);
  return end < 0 ? value : value.slice(0, end);
}

export function parseChangelog(text: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { version: string; date?: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) entries.push({ version: current.version, date: current.date, body: current.lines.join('\n').trim() });
    current = undefined;
  };
  for (const line of splitLines(text)) {
    if (separatorDashes(text, line) > 0) {
      flush();
      continue;
    }
    const version = valueAfter(text, line, VERSION_LABEL);
    if (version) {
      flush();
      current = { version: firstWord(version), lines: [] };
      continue;
    }
    if (!current) continue;
    const date = valueAfter(text, line, DATE_LABEL);
    if (date && current.date === undefined && current.lines.length === 0) current.date = date;
    else current.lines.push(text.slice(line.start, line.end));
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

// The checks of changelog.txt a release needs before it is packaged: the errors that make
// the game drop the whole in-game changelog, and the newest section's version. The line
// rules are those seen failing in the game (see the changelog format notes); each line is
// looked at once with plain string operations, so any input takes linear time.

import { parseModVersion } from '../model/version';

export interface ChangelogProblem {
  /** 0-based. */
  line: number;
  message: string;
}

export interface ChangelogCheck {
  errors: ChangelogProblem[];
  /** The `Version:` of the first section, as written. */
  newestVersion: string | undefined;
}

const SEPARATOR_LENGTH = 99;
/** Enough to say what is wrong; a file with more is still one failed check. */
const MAX_ERRORS = 50;

function isDashes(line: string): boolean {
  const trimmed = line.trimEnd();
  if (trimmed.length < 3) return false;
  for (let i = 0; i < trimmed.length; i++) if (trimmed.charCodeAt(i) !== 0x2d) return false;
  return true;
}

function leadingSpaces(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 0x20) n++;
  return n;
}

/** The Error findings of a changelog.txt, and its newest section's version. */
export function checkChangelog(text: string): ChangelogCheck {
  const errors: ChangelogProblem[] = [];
  const error = (line: number, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, message });
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let newestVersion: string | undefined;
  const versions = new Set<string>();
  /** What the previous meaningful line was. */
  let state: 'start' | 'separator' | 'version' | 'date' | 'category' | 'entry' = 'start';
  let lastSeparator = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // Rules the game's documentation states but nobody has seen it enforce (an empty line
    // after a separator, where Date goes) are left to the changelog language's warnings.
    if (line === '') continue;
    if (isDashes(line)) {
      if (line !== '-'.repeat(SEPARATOR_LENGTH)) {
        error(i, `A separator is exactly ${SEPARATOR_LENGTH} dashes and nothing else (this one has ${line.trimEnd().length}${line.length !== line.trimEnd().length ? ' and trailing white space' : ''})`);
      }
      state = 'separator';
      lastSeparator = i;
      continue;
    }
    if (state === 'start') {
      error(i, 'The file must start with a separator line of 99 dashes');
      state = 'entry';
      continue;
    }
    if (line.trim() === '') {
      error(i, 'A line of only white space');
      continue;
    }
    if (state === 'separator') {
      if (!line.startsWith('Version: ')) {
        error(i, 'The line after a separator must be "Version: " and the version');
        state = 'version';
        continue;
      }
      const version = line.slice('Version: '.length).split(' ')[0];
      if (!parseModVersion(version)) error(i, `"${version}" is not a version: three numbers X.Y.Z, each 0 to 65535`);
      else if (versions.has(version)) error(i, `Version ${version} appears twice`);
      versions.add(version);
      newestVersion ??= version;
      state = 'version';
      continue;
    }
    if (line.startsWith('Date:')) {
      state = 'date';
      continue;
    }
    if (line.indexOf('\t') >= 0 && line.indexOf('\t') <= leadingSpaces(line)) {
      error(i, 'A tab in the indentation: use spaces (2 before a category, 4 before an entry, 6 before a continuation)');
      continue;
    }
    const indent = leadingSpaces(line);
    if (indent === 2) {
      if (!line.endsWith(':')) error(i, line.trimEnd().endsWith(':') ? 'Trailing white space after a category' : 'A category line ends with a colon, such as "  Bugfixes:"');
      state = 'category';
    } else if (indent === 4) {
      if (!line.startsWith('    - ') || line.charCodeAt(6) === 0x20 || line.length === 6) error(i, 'An entry is four spaces, "- " and the text');
      else if (state === 'version' || state === 'date') error(i, 'An entry must come under a category');
      state = 'entry';
    } else if (indent >= 6) {
      if (state !== 'entry') error(i, 'A continuation line (six spaces) must follow an entry');
    } else {
      error(i, `Not a category (2 spaces), an entry (4 spaces and "- ") or a continuation (6 spaces): this line has ${indent}`);
    }
  }
  const last = lines.map((l, i) => (l.trim() === '' ? -1 : i)).filter((i) => i >= 0).pop();
  if (last !== undefined && last === lastSeparator) error(last, 'The file ends with a separator: the game then shows no changelog');
  if (lastSeparator < 0 && errors.length === 0) error(0, 'No section: the file must start with a separator line of 99 dashes');
  return { errors, newestVersion };
}

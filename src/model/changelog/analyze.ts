// The game's rules for changelog.txt (see the "Changelog format" page of the Lua API
// docs), checked line by line in one pass. What the game is seen to refuse is an error;
// what is only documented against is a warning; what it accepts is at most a hint.
// Every finding sits on the characters at fault and, where the fix is not a guess about
// what the author meant, carries the edits that fix it.

import type { Range } from '../range';
import { isKnownCategory, knownCategoryLike } from './categories';
import {
  DATE_LABEL,
  SEPARATOR,
  SEPARATOR_LENGTH,
  separatorDashes,
  skipBlanks,
  splitLines,
  startsWithLabel,
  trimmedEnd,
  VERSION_LABEL,
  type TextLine,
} from './lines';

export type ChangelogSeverity = 'error' | 'warning' | 'information' | 'hint';

export const CHANGELOG_CODES = [
  'changelog-before-first-separator',
  'changelog-separator-length',
  'changelog-missing-separator',
  'changelog-trailing-separator',
  'changelog-blank-after-separator',
  'changelog-version-missing',
  'changelog-version-syntax',
  'changelog-version-range',
  'changelog-duplicate-version',
  'changelog-date-repeated',
  'changelog-date-position',
  'changelog-category-indent',
  'changelog-category-colon',
  'changelog-unknown-category',
  'changelog-duplicate-category',
  'changelog-empty-category',
  'changelog-entry-indent',
  'changelog-entry-spacing',
  'changelog-entry-empty',
  'changelog-entry-outside-category',
  'changelog-continuation-indent',
  'changelog-continuation-position',
  'changelog-unexpected-line',
  'changelog-whitespace-line',
  'changelog-tab-indent',
  'changelog-tab',
  'changelog-tab-in-text',
  'changelog-trailing-whitespace',
  'changelog-trailing-whitespace-text',
  'changelog-bom',
  'changelog-too-large',
] as const;

export type ChangelogCode = (typeof CHANGELOG_CODES)[number];

/** A replacement of the text between two offsets. */
export interface ChangelogEdit {
  start: number;
  end: number;
  text: string;
}

export interface ChangelogFinding {
  code: ChangelogCode;
  /** The default; the editor may override it per code. */
  severity: ChangelogSeverity;
  message: string;
  /** Offsets of the characters at fault. */
  range: Range;
  /** 0-based line of `range.start`. */
  line: number;
  /** The edits that fix it, when fixing needs no guess about what was meant. */
  fix?: ChangelogEdit[];
  /** What the fix puts in, for its title (a category name). */
  replacement?: string;
}

export interface ChangelogCategory {
  /** As written, without the colon. */
  name: string;
  /** 0-based line of the category line. */
  line: number;
  nameRange: Range;
  entries: number;
  /** 0-based last line with content (the category line itself when it has no entries). */
  endLine: number;
}

export interface ChangelogSection {
  /** The version as written on its `Version:` line; '' when the section has none. */
  version: string;
  /** 0-based line where the section starts: its separator, else its `Version:` line. */
  line: number;
  /** 0-based line of `Version:`. */
  versionLine?: number;
  /** Offsets of the version text. */
  versionRange?: Range;
  date?: string;
  dateLine?: number;
  /** 0-based last line with content. */
  endLine: number;
  categories: ChangelogCategory[];
}

export interface ChangelogAnalysis {
  /** In file order: the newest first in a well-kept changelog. */
  sections: ChangelogSection[];
  findings: ChangelogFinding[];
  /** Set when findings were left out (see MAX_CHANGELOG_FINDINGS) or the text was cut (MAX_CHANGELOG_LENGTH). */
  truncated: boolean;
}

/** What each line was read as; the formatter rewrites lines by it. */
export type LineShape =
  | 'blank'
  | 'whitespace'
  | 'separator'
  | 'version'
  | 'date'
  | 'category'
  | 'entry'
  | 'continuation'
  | 'other';

/** Past this length (in characters) the rest of a file is not checked: a changelog is a few hundred kilobytes at most. */
export const MAX_CHANGELOG_LENGTH = 5_000_000;
/** More findings than this say nothing more, and would slow the Problems view down. */
export const MAX_CHANGELOG_FINDINGS = 1000;

const INDENT = { category: 2, entry: 4, continuation: 6 } as const;
const TAB_WIDTH = 4;
const COLON = 0x3a;
const DASH = 0x2d;
const SPACE = 0x20;
const TAB = 0x09;

/** Three numbers, anchored and without nested repetition: linear on any input. */
const THREE_NUMBERS = /^([0-9]+)\.([0-9]+)\.([0-9]+)$/;

function versionKey(version: string): string {
  const m = THREE_NUMBERS.exec(version);
  return m ? `${Number(m[1])}.${Number(m[2])}.${Number(m[3])}` : version;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

interface Scan extends ChangelogAnalysis {
  lines: TextLine[];
  shapes: LineShape[];
  /** Lines that start a section without the separator they need. */
  unseparated: Set<number>;
  /** Blank lines that come right after a separator. */
  blankAfterSeparator: Set<number>;
}

/**
 * The sections of a changelog.txt and what the game would make of it: every rule of the
 * format, one finding per fault. One pass over the text, linear in its length.
 */
export function analyzeChangelog(text: string): ChangelogAnalysis {
  const { sections, findings, truncated } = scanChangelog(text);
  return { sections, findings, truncated };
}

/** analyzeChangelog with how each line was read, for the formatter. */
export function scanChangelog(fullText: string): Scan {
  let truncated = false;
  const findings: ChangelogFinding[] = [];
  const sections: ChangelogSection[] = [];
  const shapes: LineShape[] = [];
  const unseparated = new Set<number>();
  const blankAfterSeparator = new Set<number>();

  let text = fullText;
  let cut: number | undefined;
  if (text.length > MAX_CHANGELOG_LENGTH) {
    const lastBreak = text.lastIndexOf('\n', MAX_CHANGELOG_LENGTH);
    cut = lastBreak > 0 ? lastBreak : MAX_CHANGELOG_LENGTH;
    text = text.slice(0, cut);
  }
  const lines = splitLines(text);

  const report = (finding: ChangelogFinding): void => {
    if (findings.length < MAX_CHANGELOG_FINDINGS) findings.push(finding);
    else truncated = true;
  };
  const at = (start: number, end: number): Range => ({ start, end });
  const eolOf = (line: TextLine): string => (line.next > line.end ? text.slice(line.end, line.next) : '\n');

  if (text.charCodeAt(0) === 0xfeff) {
    report({
      code: 'changelog-bom',
      severity: 'warning',
      message: 'The file starts with a byte-order mark; save it as UTF-8 without one (a BOM is known to break locale files).',
      range: at(0, 1),
      line: 0,
      fix: [{ start: 0, end: 1, text: '' }],
    });
    lines[0] = { ...lines[0], start: 1 };
  }

  type Last = 'none' | 'version' | 'date' | 'category' | 'entry' | 'continuation';
  let state: 'start' | 'header' | 'body' = 'start';
  let section: ChangelogSection | undefined;
  let category: ChangelogCategory | undefined;
  let last: Last = 'none';
  let separatorLine: number | undefined;
  let blankStart: number | undefined;
  let blankStartLine = 0;
  let beforeFirstReported = false;
  const seenVersions = new Map<string, number>();
  let sectionCategories = new Set<string>();

  const closeCategory = (): void => {
    if (category && category.entries === 0) {
      const line = lines[category.line];
      report({
        code: 'changelog-empty-category',
        severity: 'hint',
        message: `The category "${category.name}" has no entries.`,
        range: category.nameRange,
        line: category.line,
        fix: [{ start: line.start, end: line.next, text: '' }],
      });
    }
    category = undefined;
  };
  const startSection = (n: number): ChangelogSection => {
    closeCategory();
    section = { version: '', line: n, endLine: n, categories: [] };
    sectionCategories = new Set();
    sections.push(section);
    last = 'none';
    return section;
  };
  const missingVersion = (): void => {
    const sep = lines[separatorLine!];
    report({
      code: 'changelog-version-missing',
      severity: 'error',
      message: 'The line after a separator must be "Version: " and the version.',
      range: at(sep.start, sep.end),
      line: separatorLine!,
    });
  };
  /** Trailing white space, an error on the lines the game parses strictly, a hint after free text. */
  const trailing = (line: TextLine, n: number, contentEnd: number, strict: boolean): void => {
    if (contentEnd >= line.end) return;
    report({
      code: strict ? 'changelog-trailing-whitespace' : 'changelog-trailing-whitespace-text',
      severity: strict ? 'error' : 'hint',
      message: strict ? 'Trailing white space: the game refuses it on this line.' : 'Trailing white space.',
      range: at(contentEnd, line.end),
      line: n,
      fix: [{ start: contentEnd, end: line.end, text: '' }],
    });
  };
  /** Tabs inside a line's text (not its indentation): one finding on the first, the fix replaces them all. */
  const tabs = (n: number, from: number, to: number, strict: boolean): void => {
    // Within the line only: indexOf would run on to the end of the text on every line.
    const fix: ChangelogEdit[] = [];
    for (let i = from; i < to; i++) if (text.charCodeAt(i) === TAB) fix.push({ start: i, end: i + 1, text: ' ' });
    if (fix.length === 0) return;
    const first = fix[0].start;
    report({
      code: strict ? 'changelog-tab' : 'changelog-tab-in-text',
      severity: strict ? 'warning' : 'hint',
      message: 'A tab: the format allows no tabs; use spaces.',
      range: at(first, first + 1),
      line: n,
      fix,
    });
  };

  /** An empty line right after a separator: the first of a run is where the finding starts. */
  const blankInHeader = (n: number, line: TextLine): void => {
    if (state !== 'header') return;
    blankAfterSeparator.add(n);
    if (blankStart === undefined) {
      blankStart = line.start;
      blankStartLine = n;
    }
  };

  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.start === line.end) {
      shapes.push('blank');
      blankInHeader(n, line);
      continue;
    }
    const contentStart = skipBlanks(text, line.start, line.end);
    if (contentStart === line.end) {
      shapes.push('whitespace');
      report({
        code: 'changelog-whitespace-line',
        severity: 'error',
        message: 'A line of only white space: the game refuses it (an empty line is fine).',
        range: at(line.start, line.end),
        line: n,
        fix: [{ start: line.start, end: line.end, text: '' }],
      });
      blankInHeader(n, line);
      continue;
    }
    const contentEnd = trimmedEnd(text, contentStart, line.end);

    const dashes = separatorDashes(text, line);
    if (dashes > 0) {
      shapes.push('separator');
      if (state === 'header') missingVersion();
      startSection(n);
      separatorLine = n;
      blankStart = undefined;
      state = 'header';
      if (dashes !== SEPARATOR_LENGTH) {
        report({
          code: 'changelog-separator-length',
          severity: 'error',
          message: `A separator is exactly ${SEPARATOR_LENGTH} dashes; this one has ${dashes}.`,
          range: at(line.start, line.start + dashes),
          line: n,
          fix: [{ start: line.start, end: line.start + dashes, text: SEPARATOR }],
        });
      }
      trailing(line, n, line.start + dashes, true);
      continue;
    }

    if (startsWithLabel(text, line, VERSION_LABEL)) {
      shapes.push('version');
      if (state !== 'header') {
        unseparated.add(n);
        report({
          code: 'changelog-missing-separator',
          severity: 'error',
          message:
            state === 'start'
              ? `The file must start with a separator, a line of ${SEPARATOR_LENGTH} dashes.`
              : `A section starts with a separator, a line of ${SEPARATOR_LENGTH} dashes, before its Version line.`,
          range: at(line.start, line.start + VERSION_LABEL.length),
          line: n,
          fix: [{ start: line.start, end: line.start, text: SEPARATOR + eolOf(line) }],
        });
        startSection(n);
      } else if (blankStart !== undefined) {
        report({
          code: 'changelog-blank-after-separator',
          severity: 'warning',
          message: 'No empty line may come between a separator and its Version line.',
          range: at(blankStart, line.start),
          line: blankStartLine,
          fix: [{ start: blankStart, end: line.start, text: '' }],
        });
      }
      state = 'body';
      const current = section!;
      current.versionLine = n;
      current.endLine = n;
      last = 'version';
      const gapStart = line.start + VERSION_LABEL.length;
      const tokenStart = skipBlanks(text, gapStart, line.end);
      if (tokenStart === line.end) {
        report({
          code: 'changelog-version-missing',
          severity: 'error',
          message: 'The Version line has no version.',
          range: at(line.start, line.end),
          line: n,
        });
        trailing(line, n, gapStart, true);
        continue;
      }
      let tokenEnd = tokenStart;
      while (tokenEnd < line.end && text.charCodeAt(tokenEnd) !== SPACE && text.charCodeAt(tokenEnd) !== TAB && text.charCodeAt(tokenEnd) !== 0x0d) tokenEnd++;
      const version = text.slice(tokenStart, tokenEnd);
      current.version = version;
      current.versionRange = at(tokenStart, tokenEnd);
      if (tokenStart - gapStart !== 1 || text.charCodeAt(gapStart) !== SPACE) {
        const hasTab = text.slice(gapStart, tokenStart).includes('\t');
        report({
          code: hasTab ? 'changelog-tab' : 'changelog-version-syntax',
          severity: 'warning',
          message: hasTab ? 'A tab: the format allows no tabs; use spaces.' : '"Version:" is followed by one space, then the version.',
          range: tokenStart > gapStart ? at(gapStart, tokenStart) : at(line.start, gapStart),
          line: n,
          fix: [{ start: gapStart, end: tokenStart, text: ' ' }],
        });
      }
      const m = THREE_NUMBERS.exec(version);
      if (!m) {
        report({
          code: 'changelog-version-syntax',
          severity: 'warning',
          message: `"${version.length > 40 ? version.slice(0, 40) + '…' : version}" is not a version of three numbers, X.Y.Z.`,
          range: current.versionRange,
          line: n,
        });
      } else {
        const numbers = [m[1], m[2], m[3]].map(Number);
        if (numbers.some((x) => x > 65535)) {
          report({
            code: 'changelog-version-range',
            severity: 'warning',
            message: 'Each number of a version is at most 65535.',
            range: current.versionRange,
            line: n,
          });
        } else if (numbers.every((x) => x === 0)) {
          report({ code: 'changelog-version-range', severity: 'warning', message: 'Version 0.0.0 is not a version the game accepts.', range: current.versionRange, line: n });
        }
      }
      const key = versionKey(version);
      const first = seenVersions.get(key);
      if (first !== undefined) {
        report({
          code: 'changelog-duplicate-version',
          severity: 'error',
          message: `Version ${version.length > 40 ? version.slice(0, 40) + '…' : version} is already in this file (line ${first + 1}); the game refuses a version twice.`,
          range: current.versionRange,
          line: n,
        });
      } else seenVersions.set(key, n);
      trailing(line, n, contentEnd, true);
      continue;
    }

    if (state === 'start') {
      shapes.push('other');
      if (!beforeFirstReported) {
        beforeFirstReported = true;
        report({
          code: 'changelog-before-first-separator',
          severity: 'error',
          message: `Nothing but empty lines may come before the first separator (a line of ${SEPARATOR_LENGTH} dashes).`,
          range: at(contentStart, contentEnd),
          line: n,
        });
      }
      continue;
    }
    if (state === 'header') {
      missingVersion();
      state = 'body';
    }
    const current = section!;
    current.endLine = n;

    if (contentStart === line.start && startsWithLabel(text, line, DATE_LABEL)) {
      shapes.push('date');
      const label = at(line.start, line.start + DATE_LABEL.length);
      if (current.date !== undefined) {
        report({ code: 'changelog-date-repeated', severity: 'warning', message: 'A section has at most one Date line.', range: label, line: n });
      } else {
        if (last !== 'version' && current.versionLine !== undefined) {
          const versionLine = lines[current.versionLine];
          const moved = text.slice(line.start, line.end) + eolOf(versionLine);
          report({
            code: 'changelog-date-position',
            severity: 'warning',
            message: 'The Date line comes right after the Version line.',
            range: label,
            line: n,
            fix: [
              { start: versionLine.next, end: versionLine.next, text: moved },
              { start: line.start, end: line.next, text: '' },
            ],
          });
        }
        current.date = text.slice(skipBlanks(text, label.end, line.end), contentEnd);
        current.dateLine = n;
      }
      tabs(n, label.end, contentEnd, true);
      trailing(line, n, contentEnd, false);
      last = 'date';
      continue;
    }

    // The shape a line means, from its first and last characters and what came before it;
    // its indentation is then checked against that shape.
    let columns = 0;
    let indentHasTab = false;
    for (let i = line.start; i < contentStart; i++) {
      if (text.charCodeAt(i) === TAB) {
        indentHasTab = true;
        columns += TAB_WIDTH - (columns % TAB_WIDTH);
      } else columns++;
    }
    const afterEntry = last === 'entry' || last === 'continuation';
    const endsWithColon = text.charCodeAt(contentEnd - 1) === COLON;
    let shape: 'category' | 'entry' | 'continuation' | 'other';
    // Under an entry, a deeper line continues it, a dash included: "      - a sub-point" is
    // common in well-kept mods and in the game's own changelog, which the game shows.
    // A dash one column too deep is an entry indented wrong, more likely than a sub-point.
    const dash = text.charCodeAt(contentStart) === DASH;
    if (afterEntry && (columns >= 6 || (columns === 5 && !dash))) shape = 'continuation';
    else if (dash) shape = 'entry';
    else if (endsWithColon && columns < 5) shape = 'category';
    else if (afterEntry && columns >= 3) shape = 'continuation';
    else if (columns >= 5) shape = 'continuation';
    else if (columns >= 1) {
      shape = 'category';
      if (!endsWithColon) {
        report({
          code: 'changelog-category-colon',
          severity: 'error',
          message: 'A category line ends with a colon.',
          range: at(contentStart, contentEnd),
          line: n,
          fix: [{ start: contentEnd, end: contentEnd, text: ':' }],
        });
      }
    } else shape = 'other';
    shapes.push(shape);
    // A category reaches to its last entry, continuation or stray line; the next category starts anew.
    if (category && shape !== 'category') category.endLine = n;

    if (shape === 'other') {
      report({
        code: 'changelog-unexpected-line',
        severity: 'error',
        message: 'Not a line of the changelog format: a category is indented by 2 spaces, an entry by 4 ("- " and text), a continuation of an entry by 6.',
        range: at(contentStart, contentEnd),
        line: n,
      });
      trailing(line, n, contentEnd, false);
      continue;
    }

    const expected = INDENT[shape];
    const indent = contentStart - line.start;
    // A continuation may be indented deeper (the game's own changelog does it); only less is wrong.
    if (indentHasTab || (shape === 'continuation' ? indent < expected : indent !== expected)) {
      const indentRange = contentStart > line.start ? at(line.start, contentStart) : at(contentStart, contentStart + 1);
      const fix = [{ start: line.start, end: contentStart, text: ' '.repeat(expected) }];
      const what = shape === 'category' ? 'A category' : shape === 'entry' ? 'An entry' : 'A continuation line';
      if (indentHasTab) {
        report({ code: 'changelog-tab-indent', severity: 'error', message: `A tab in the indentation: the game refuses it. ${what} is indented by ${expected} spaces.`, range: indentRange, line: n, fix });
      } else {
        report({
          code: `changelog-${shape}-indent`,
          severity: 'error',
          message: `${what} is indented by ${shape === 'continuation' ? 'at least' : 'exactly'} ${expected} spaces, not ${plural(indent, 'space', 'spaces')}.`,
          range: indentRange,
          line: n,
          fix,
        });
      }
    }

    if (shape === 'category') {
      const nameEnd = endsWithColon ? contentEnd - 1 : contentEnd;
      const name = text.slice(contentStart, nameEnd);
      closeCategory();
      const nameRange = at(contentStart, Math.max(nameEnd, contentStart + 1));
      if (sectionCategories.has(name)) {
        report({
          code: 'changelog-duplicate-category',
          severity: 'hint',
          message: `"${name}" is already a category of this section; the game shows both.`,
          range: nameRange,
          line: n,
        });
      }
      if (!isKnownCategory(name)) {
        const like = knownCategoryLike(name);
        report({
          code: 'changelog-unknown-category',
          severity: 'information',
          message: like
            ? `"${name}" is not one of the game's categories: did you mean "${like}"? The game shows other names after its own.`
            : `"${name.length > 40 ? name.slice(0, 40) + '…' : name}" is not one of the game's categories; the game shows it after its own.`,
          range: nameRange,
          line: n,
          ...(like ? { fix: [{ start: contentStart, end: nameEnd, text: like }], replacement: like } : {}),
        });
      }
      sectionCategories.add(name);
      category = { name, line: n, nameRange, entries: 0, endLine: n };
      current.categories.push(category);
      tabs(n, contentStart, contentEnd, true);
      trailing(line, n, contentEnd, true);
      last = 'category';
      continue;
    }

    if (shape === 'entry') {
      if (category) category.entries++;
      else {
        report({
          code: 'changelog-entry-outside-category',
          severity: 'error',
          message: 'An entry belongs to a category: put a category line ("  Changes:" say) above it.',
          range: at(contentStart, contentEnd),
          line: n,
        });
      }
      const afterDash = contentStart + 1;
      const textStart = skipBlanks(text, afterDash, contentEnd);
      if (afterDash === contentEnd) {
        report({ code: 'changelog-entry-empty', severity: 'error', message: 'An entry with no text.', range: at(contentStart, afterDash), line: n });
      } else if (textStart - afterDash !== 1 || text.charCodeAt(afterDash) !== SPACE) {
        report({
          code: 'changelog-entry-spacing',
          severity: 'error',
          message: 'An entry is "-", one space, then its text.',
          range: textStart > afterDash ? at(afterDash, textStart) : at(contentStart, afterDash),
          line: n,
          fix: [{ start: afterDash, end: textStart, text: ' ' }],
        });
      }
      tabs(n, textStart, contentEnd, false);
      trailing(line, n, contentEnd, false);
      last = 'entry';
      continue;
    }

    // A continuation line.
    if (!afterEntry) {
      report({
        code: 'changelog-continuation-position',
        severity: 'error',
        message: 'A line indented by 6 spaces continues an entry; here no entry comes before it.',
        range: at(contentStart, contentEnd),
        line: n,
      });
    }
    tabs(n, contentStart, contentEnd, false);
    trailing(line, n, contentEnd, false);
    last = 'continuation';
  }

  if (state === 'header') {
    const n = separatorLine!;
    const sep = lines[n];
    sections.pop();
    const start = n > 0 ? lines[n - 1].end : sep.start;
    report({
      code: 'changelog-trailing-separator',
      severity: 'error',
      message: 'The file ends with a separator: the game shows no changelog then. Remove it, or start a section after it.',
      range: at(sep.start, sep.end),
      line: n,
      fix: [{ start, end: n > 0 ? sep.end : sep.next, text: '' }],
    });
  }
  closeCategory();
  if (cut !== undefined) {
    truncated = true;
    findings.push({
      code: 'changelog-too-large',
      severity: 'information',
      message: `Only the first ${MAX_CHANGELOG_LENGTH.toLocaleString('en-US')} characters of this file are checked.`,
      range: at(cut, cut),
      line: lines.length - 1,
    });
  }
  findings.sort((a, b) => a.range.start - b.range.start);
  return { sections, findings, truncated, lines, shapes, unseparated, blankAfterSeparator };
}

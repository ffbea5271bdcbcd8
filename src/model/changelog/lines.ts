// The lines of a changelog.txt and what each one is on its own, shared by the strict
// checker (the game's rules) and the lenient reader of portal changelogs, so that both
// read a line the same way. Every function looks at each character a bounded number of
// times: changelogs come from the portal and from any workspace, and a backtracking regex
// (one like /^Date:\s*(.+?)\s*$/) takes quadratic time on a line of spaces.

/** The game's separator: exactly this many dashes. */
export const SEPARATOR_LENGTH = 99;
export const SEPARATOR = '-'.repeat(SEPARATOR_LENGTH);
/** Fewer dashes than this at the start of a line is not meant as a separator. */
export const MIN_SEPARATOR_DASHES = 3;

export interface TextLine {
  /** Offset of the line's first character. */
  start: number;
  /** Offset just past the line's last character, line break excluded. */
  end: number;
  /** Offset just past the line break (equals `end` on the last line). */
  next: number;
}

/** The lines of `text`, split at `\n` (a `\r` before it belongs to the break). */
export function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) {
      lines.push({ start, end: text.length, next: text.length });
      return lines;
    }
    const end = newline > start && text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
    lines.push({ start, end, next: newline + 1 });
    start = newline + 1;
  }
}

export function isBlankChar(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0b || code === 0x0c;
}

/** Offset of the first character at or after `from` that is not a space or a tab. */
export function skipBlanks(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isBlankChar(text.charCodeAt(i))) i++;
  return i;
}

/** Offset just past the last character before `end` (and not before `from`) that is not white space. */
export function trimmedEnd(text: string, from: number, end: number): number {
  let i = end;
  while (i > from && isBlankChar(text.charCodeAt(i - 1))) i--;
  return i;
}

/** How many dashes start the line when nothing but white space follows them; 0 otherwise. */
export function separatorDashes(text: string, line: TextLine): number {
  let i = line.start;
  while (i < line.end && text.charCodeAt(i) === 0x2d) i++;
  const dashes = i - line.start;
  return dashes >= MIN_SEPARATOR_DASHES && skipBlanks(text, i, line.end) === line.end ? dashes : 0;
}

/** Whether the line starts with `label` (case as written, at the first column). */
export function startsWithLabel(text: string, line: TextLine, label: string): boolean {
  return line.end - line.start >= label.length && text.startsWith(label, line.start);
}

export const VERSION_LABEL = 'Version:';
export const DATE_LABEL = 'Date:';

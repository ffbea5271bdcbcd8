// Format Document for changelog.txt: each line rewritten to the shape the checker read it
// as (indentation, separators, the space after "Version:" and after an entry's dash), tabs
// to spaces, trailing white space and stray empty lines gone. Words and their order never
// change, and a line the checker could not place keeps its text.

import { scanChangelog, type ChangelogEdit } from './analyze';
import { DATE_LABEL, SEPARATOR, skipBlanks, trimmedEnd, VERSION_LABEL } from './lines';

function untab(text: string): string {
  return text.includes('\t') ? text.replace(/\t/g, ' ') : text;
}

/** The edits, in order and not overlapping, that format the changelog. */
export function formatChangelog(text: string): ChangelogEdit[] {
  const scan = scanChangelog(text);
  const { lines, shapes } = scan;
  const firstSection = scan.sections[0]?.line ?? lines.length;
  const edits: ChangelogEdit[] = [];
  for (let n = 0; n < shapes.length; n++) {
    const line = lines[n];
    const shape = shapes[n];
    if (shape === 'blank' || shape === 'whitespace') {
      if (n < firstSection || scan.blankAfterSeparator.has(n)) {
        if (line.next > line.start) edits.push({ start: line.start, end: line.next, text: '' });
      } else if (shape === 'whitespace') edits.push({ start: line.start, end: line.end, text: '' });
      continue;
    }
    const contentStart = skipBlanks(text, line.start, line.end);
    const contentEnd = trimmedEnd(text, contentStart, line.end);
    const after = (from: number): string => untab(text.slice(skipBlanks(text, from, contentEnd), contentEnd));
    let wanted: string;
    switch (shape) {
      case 'separator':
        wanted = SEPARATOR;
        break;
      case 'version': {
        const value = after(line.start + VERSION_LABEL.length);
        wanted = value ? `${VERSION_LABEL} ${value}` : VERSION_LABEL;
        if (scan.unseparated.has(n)) wanted = SEPARATOR + (line.next > line.end ? text.slice(line.end, line.next) : '\n') + wanted;
        break;
      }
      case 'date': {
        const value = after(line.start + DATE_LABEL.length);
        wanted = value ? `${DATE_LABEL} ${value}` : DATE_LABEL;
        break;
      }
      case 'category':
        wanted = '  ' + untab(text.slice(contentStart, contentEnd));
        break;
      case 'entry': {
        const value = after(contentStart + 1);
        wanted = value ? `    - ${value}` : '    -';
        break;
      }
      case 'continuation': {
        // Deeper indentation of spaces is kept: it shows sub-points as the author laid them out.
        const indent = text.slice(line.start, contentStart);
        wanted = (indent.length > 6 && !indent.includes('\t') ? indent : '      ') + untab(text.slice(contentStart, contentEnd));
        break;
      }
      default:
        wanted = text.slice(line.start, contentEnd);
    }
    if (wanted.length !== line.end - line.start || !text.startsWith(wanted, line.start)) edits.push({ start: line.start, end: line.end, text: wanted });
  }
  return edits;
}

/** `text` with edits applied; the edits are in order and do not overlap. */
export function applyChangelogEdits(text: string, edits: readonly ChangelogEdit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    parts.push(text.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

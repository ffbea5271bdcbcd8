// Where and how a new dependency string goes into an info.json: appended to
// `dependencies` (created when missing), indented like the rest of the file, as text
// edits that leave everything else byte for byte as it was.

import type { Edit, FormattingOptions } from 'jsonc-parser';
import { parseDependency } from '../../model/dependency';
import { parseInfoJson } from '../../model/document';

export type { Edit } from 'jsonc-parser';

/** The file's own indentation and line ending, so new lines look like old ones. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indents = text
    .split(/\r?\n/)
    .map((line) => /^([ \t]+)\S/.exec(line)?.[1])
    .filter((s): s is string => s !== undefined);
  if (indents.some((s) => s.startsWith('\t'))) return { insertSpaces: false, tabSize: 4, eol };
  const sizes = indents.map((s) => s.length).filter((n) => n > 0);
  const tabSize = sizes.length > 0 ? Math.min(...sizes) : 2;
  return { insertSpaces: true, tabSize: Math.min(8, Math.max(1, tabSize)), eol };
}

export type InsertResult =
  | { ok: true; edit: Edit }
  | { ok: false; reason: 'exists'; existing: string }
  | { ok: false; reason: 'not-an-object' | 'dependencies-not-array' | 'syntax' };

function indentOfLine(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** After `end`, past spaces: a comma already there (a trailing comma) is reused. */
function afterTrailingComma(text: string, end: number): number | undefined {
  const m = /^[ \t\r\n]*,/.exec(text.slice(end));
  return m ? end + m[0].length : undefined;
}

/**
 * The edit that appends `dependency` to the info.json `text`: after the last item, with
 * the separator the items already use; or, with no `dependencies`, a new property after
 * the last one, laid out like the file (one line stays one line).
 */
export function insertDependencyEdits(text: string, dependency: string): InsertResult {
  const doc = parseInfoJson(text);
  const root = doc.root;
  if (root === undefined) return { ok: false, reason: text.trim() === '' ? 'not-an-object' : 'syntax' };
  const name = parseDependency(dependency).name?.text;
  const deps = doc.dependencies;
  if (deps && !deps.isArray) return { ok: false, reason: 'dependencies-not-array' };
  const existing = name === undefined ? undefined : deps?.items.find((item) => item.parsed?.name?.text === name);
  if (existing) return { ok: false, reason: 'exists', existing: existing.value ?? existing.raw };
  const format = detectFormatting(text);
  const unit = format.insertSpaces ? ' '.repeat(format.tabSize ?? 2) : '\t';
  const eol = format.eol ?? '\n';
  const value = JSON.stringify(dependency);

  if (deps) {
    const items = deps.items;
    const last = items[items.length - 1];
    if (last === undefined) {
      // `[]`: the new item goes between the brackets, on their line.
      return { ok: true, edit: { offset: deps.range.start + 1, length: 0, content: value } };
    }
    let separator: string;
    if (items.length >= 2) {
      const between = text.slice(items[items.length - 2]!.range.end, last.range.start);
      separator = between.replace(/^[^,]*,/, '');
    } else {
      const before = text.slice(deps.range.start + 1, last.range.start);
      separator = before.includes('\n') ? eol + indentOfLine(text, last.range.start) : ' ';
    }
    const comma = afterTrailingComma(text, last.range.end);
    if (comma !== undefined) return { ok: true, edit: { offset: comma, length: 0, content: `${separator}${value},` } };
    return { ok: true, edit: { offset: last.range.end, length: 0, content: `,${separator}${value}` } };
  }

  const properties = root.children ?? [];
  const lastProperty = properties[properties.length - 1];
  const rootText = text.slice(root.offset, root.offset + root.length);
  const multiline = rootText.includes('\n');
  if (lastProperty === undefined) {
    const inner = multiline ? `${eol}${unit}"dependencies": [${eol}${unit}${unit}${value}${eol}${unit}]${eol}` : `"dependencies": [${value}]`;
    return { ok: true, edit: { offset: root.offset + 1, length: 0, content: inner } };
  }
  const end = lastProperty.offset + lastProperty.length;
  const indent = indentOfLine(text, lastProperty.offset);
  const property = multiline
    ? `${eol}${indent}"dependencies": [${eol}${indent}${unit}${value}${eol}${indent}]`
    : ` "dependencies": [${value}]`;
  const comma = afterTrailingComma(text, end);
  if (comma !== undefined) return { ok: true, edit: { offset: comma, length: 0, content: `${property},` } };
  return { ok: true, edit: { offset: end, length: 0, content: `,${property}` } };
}

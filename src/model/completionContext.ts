// What the user is typing at a cursor in info.json, for completion. Works on half-typed
// text: jsonc-parser ends an unterminated string at the line end, so the item being
// typed is still found.

import { createScanner, getLocation, Node, ScanError, SyntaxKind } from 'jsonc-parser';
import { DependencyKind, kindOfPrefix } from './dependency';
import type { Range } from './document';
import { isOperator, Operator } from './version';

export interface DependencyCompletionContext {
  kind: 'dependency';
  part: 'name' | 'operator' | 'version';
  /** Index of the item in the dependencies array. */
  index: number;
  /** The item's contents (inside the quotes). */
  itemStart: number;
  itemEnd: number;
  /** Exactly the token being typed (partial name, operator or version), never the quotes. */
  replaceRange: Range;
  /** The text of replaceRange before the cursor. */
  typed: string;
  /** The prefix as written: `!`, `?`, `(?)`, `~` or `+`. */
  prefix?: string;
  dependencyKind: DependencyKind;
  /** The mod name, when typing the operator or the version. */
  name?: string;
  /** The operator, when typing the version. */
  operator?: Operator;
}

/** In the dependencies array but outside any string: a whole quoted item will be inserted. */
export interface NewItemCompletionContext {
  kind: 'dependency-new-item';
  index: number;
  /** The cursor, or a bare unquoted word under it (`[fl|]`). */
  replaceRange: Range;
  typed: string;
}

export interface FactorioVersionCompletionContext {
  kind: 'factorio-version';
  /** The string's contents when in a string, else the cursor or a bare number under it. */
  replaceRange: Range;
  inString: boolean;
  typed: string;
}

export type CompletionContext = DependencyCompletionContext | NewItemCompletionContext | FactorioVersionCompletionContext;

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isOperatorChar = (c: string | undefined): boolean => c === '<' || c === '>' || c === '=';

/** Contents range of a string node, or undefined if the cursor is not strictly inside its quotes. */
function stringContentsAt(text: string, node: Node | undefined, offset: number): Range | undefined {
  if (!node || node.type !== 'string') return undefined;
  const scanner = createScanner(text, false);
  scanner.setPosition(node.offset);
  if (scanner.scan() !== SyntaxKind.StringLiteral) return undefined;
  const terminated = scanner.getTokenError() !== ScanError.UnexpectedEndOfString;
  const start = node.offset + 1;
  const end = terminated ? node.offset + node.length - 1 : node.offset + node.length;
  return offset >= start && offset <= end ? { start, end } : undefined;
}

function wordAround(text: string, offset: number, isWordChar: (c: string) => boolean): Range {
  let start = offset;
  let end = offset;
  while (start > 0 && isWordChar(text[start - 1])) start--;
  while (end < text.length && isWordChar(text[end])) end++;
  return { start, end };
}

/** Works on the raw contents `s` with the cursor at `c`; ranges are relative to `s`. */
function dependencyPartAt(
  s: string,
  c: number,
): Omit<DependencyCompletionContext, 'kind' | 'index' | 'itemStart' | 'itemEnd' | 'typed'> | undefined {
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s[i])) i++;

  let prefix: string | undefined;
  if (s.startsWith('(?)', i)) prefix = '(?)';
  else if ('!?~+'.includes(s[i] ?? 'x')) prefix = s[i];
  else if (s.startsWith('(', i) && (i + 1 === n || s.startsWith('(?', i)) && c <= i + 2) {
    // `(` or `(?` on the way to `(?)`: nothing to offer until the prefix is complete.
    return undefined;
  }
  if (prefix !== undefined) {
    if (c < i + prefix.length) return undefined;
    i += prefix.length;
  }
  const dependencyKind = kindOfPrefix(prefix ?? '') ?? 'required';
  const base = { dependencyKind, ...(prefix !== undefined ? { prefix } : {}) };

  while (i < n && isSpace(s[i])) i++;
  const nameStart = i;
  while (i < n && !isOperatorChar(s[i])) i++;
  const stop = i;
  let nameEnd = stop;
  while (nameEnd > nameStart && isSpace(s[nameEnd - 1])) nameEnd--;
  const name = s.slice(nameStart, nameEnd);
  const withName = name ? { ...base, name } : base;

  const at = (start: number, end: number): Range => ({ start, end });

  if (c <= nameEnd || c < stop) {
    if (c >= nameStart && c <= nameEnd) return { ...base, part: 'name', replaceRange: at(nameStart, nameEnd) };
    if (c < nameStart) return { ...base, part: 'name', replaceRange: at(c, c) };
    // Between the name and an operator further on.
    return { ...withName, part: 'operator', replaceRange: at(c, c) };
  }
  if (stop === n) {
    // Only spaces after the name: the operator comes next.
    return nameEnd > nameStart
      ? { ...withName, part: 'operator', replaceRange: at(c, c) }
      : { ...base, part: 'name', replaceRange: at(c, c) };
  }

  const opStart = stop;
  i = opStart;
  while (i < n && isOperatorChar(s[i])) i++;
  const opEnd = i;
  const opText = s.slice(opStart, opEnd);
  while (i < n && isSpace(s[i])) i++;
  const versionStart = i;
  while (i < n && !isSpace(s[i])) i++;
  const versionEnd = i;
  const withOperator = isOperator(opText) ? { ...withName, operator: opText } : withName;

  // Right after `<` or `>` the user may still add `=`; after `<=`, `>=` or `=` the version is next.
  const operatorDone = opText === '<=' || opText === '>=' || opText === '=';
  if (c < opEnd || (c === opEnd && !operatorDone)) {
    return { ...withName, part: 'operator', replaceRange: at(opStart, opEnd) };
  }
  if (versionStart === versionEnd || c < versionStart) {
    return { ...withOperator, part: 'version', replaceRange: at(c, c) };
  }
  if (c <= versionEnd) return { ...withOperator, part: 'version', replaceRange: at(versionStart, versionEnd) };
  return undefined;
}

function dependencyContext(text: string, offset: number, index: number, node: Node | undefined): CompletionContext | undefined {
  const contents = stringContentsAt(text, node, offset);
  if (contents) {
    const s = text.slice(contents.start, contents.end);
    const found = dependencyPartAt(s, offset - contents.start);
    if (!found) return undefined;
    const replaceRange = {
      start: contents.start + found.replaceRange.start,
      end: contents.start + found.replaceRange.end,
    };
    return {
      kind: 'dependency',
      index,
      itemStart: contents.start,
      itemEnd: contents.end,
      ...found,
      replaceRange,
      typed: text.slice(replaceRange.start, offset),
    };
  }
  // Next to an existing value (`["a" |]`) a new item would need a comma first.
  if (node) return undefined;
  const replaceRange = wordAround(text, offset, (c) => /^[A-Za-z0-9_\-]$/.test(c));
  return { kind: 'dependency-new-item', index, replaceRange, typed: text.slice(replaceRange.start, offset) };
}

function factorioVersionContext(text: string, offset: number, node: Node | undefined): CompletionContext | undefined {
  const contents = stringContentsAt(text, node, offset);
  if (contents) {
    return { kind: 'factorio-version', inString: true, replaceRange: contents, typed: text.slice(contents.start, offset) };
  }
  if (node) {
    // A bare number such as `2.0` typed without quotes is replaced by the quoted version.
    const end = node.offset + node.length;
    if (node.type === 'number' && offset >= node.offset && offset <= end) {
      const replaceRange = { start: node.offset, end };
      return { kind: 'factorio-version', inString: false, replaceRange, typed: text.slice(node.offset, offset) };
    }
    return undefined;
  }
  const replaceRange = wordAround(text, offset, (c) => /^[0-9.]$/.test(c));
  return { kind: 'factorio-version', inString: false, replaceRange, typed: text.slice(replaceRange.start, offset) };
}

/** The completion situation at `offset`, or undefined where the extension offers nothing. */
export function completionContextAt(text: string, offset: number): CompletionContext | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const location = getLocation(text, offset);
  const path = location.path;
  if (location.isAtPropertyKey) return undefined;
  if (path.length === 2 && path[0] === 'dependencies' && typeof path[1] === 'number') {
    return dependencyContext(text, offset, path[1], location.previousNode);
  }
  if (path.length === 1 && path[0] === 'factorio_version') {
    return factorioVersionContext(text, offset, location.previousNode);
  }
  return undefined;
}

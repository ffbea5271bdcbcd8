// What the user is typing at a cursor in info.json, for completion. Read from the document
// model (which already ends an unterminated string at the line end, so the item being typed
// is found) and from the dependency grammar's own tokens: no second parser here.

import { createScanner, SyntaxKind } from 'jsonc-parser';
import { DependencyTokens } from './dependency';
import { DependenciesField, DependencyItem, dependencyRange, InfoJsonDocument, stringContents } from './document';
import type { Range } from './range';
import { parseVersion } from './version';

export interface DependencyCompletionContext {
  kind: 'dependency';
  part: 'name' | 'operator' | 'version';
  /** Exactly the token being typed (partial name, operator or version), never the quotes. */
  replaceRange: Range;
  /** The text of replaceRange before the cursor. */
  typed: string;
  /** The prefix as written: `!`, `?`, `(?)`, `~` or `+`. */
  prefix?: string;
  /** The mod name, when typing the operator or the version. */
  name?: string;
}

/** In the dependencies array but outside any string: a whole quoted item will be inserted. */
export interface NewItemCompletionContext {
  kind: 'dependency-new-item';
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

function wordAround(text: string, offset: number, isWordChar: (c: string) => boolean): Range {
  let start = offset;
  let end = offset;
  while (start > 0 && isWordChar(text[start - 1]!)) start--;
  while (end < text.length && isWordChar(text[end]!)) end++;
  return { start, end };
}

/** Index into the item's decoded value of the document offset `offset` (inside its contents). */
function valueIndex(item: DependencyItem, offset: number): number {
  const raw = offset - item.contentStart;
  const map = item.valueToRaw;
  if (!map) return raw;
  // The last decoded character whose escape starts at or before the cursor.
  let lo = 0;
  let hi = map.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map[mid]! <= raw) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type Part = Omit<DependencyCompletionContext, 'kind' | 'typed'>;

/** Which token of the dependency `s` the cursor `c` is on; ranges are indexes into `s`. */
function dependencyPartAt(s: string, tokens: DependencyTokens, c: number): Part | undefined {
  const n = s.length;
  const { prefix, name, operator, version } = tokens;
  if (prefix) {
    if (c < prefix.end) return undefined;
  } else {
    let lead = 0;
    while (lead < n && isSpace(s[lead])) lead++;
    // `(` or `(?` on the way to `(?)`: nothing to offer until the prefix is complete.
    if (s[lead] === '(' && (lead + 1 === n || s.startsWith('(?', lead)) && c <= lead + 2) return undefined;
  }
  const base = prefix ? { prefix: prefix.text } : {};
  const withName = name ? { ...base, name: name.text } : base;
  const at = (start: number, end: number): Range => ({ start, end });

  // Where the operator starts, or would: without a name the name is empty right there.
  const stop = operator?.start ?? n;
  const nameStart = name?.start ?? stop;
  const nameEnd = name?.end ?? stop;
  if (c <= nameEnd || c < stop) {
    if (c >= nameStart && c <= nameEnd) return { ...base, part: 'name', replaceRange: at(nameStart, nameEnd) };
    if (c < nameStart) return { ...base, part: 'name', replaceRange: at(c, c) };
    // Between the name and an operator further on.
    return { ...withName, part: 'operator', replaceRange: at(c, c) };
  }
  if (!operator) {
    // Only spaces after the name: the operator comes next.
    return name ? { ...withName, part: 'operator', replaceRange: at(c, c) } : { ...base, part: 'name', replaceRange: at(c, c) };
  }

  // Right after `<` or `>` the user may still add `=`; after `<=`, `>=` or `=` the version is next.
  const operatorDone = operator.text === '<=' || operator.text === '>=' || operator.text === '=';
  if (c < operator.end || (c === operator.end && !operatorDone)) {
    return { ...withName, part: 'operator', replaceRange: at(operator.start, operator.end) };
  }
  if (!version || c < version.start) return { ...withName, part: 'version', replaceRange: at(c, c) };
  if (c <= version.end) return { ...withName, part: 'version', replaceRange: at(version.start, version.end) };
  return undefined;
}

/** The last item starting at or before `offset` (items are in document order). */
function itemBefore(items: readonly DependencyItem[], offset: number): DependencyItem | undefined {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.range.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? items[lo - 1] : undefined;
}

/** Whether a comma separates `from` and `to`: a new item right after a value would need one. */
function commaBetween(text: string, from: number, to: number): boolean {
  const scanner = createScanner(text, true);
  scanner.setPosition(from);
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF && scanner.getTokenOffset() < to; kind = scanner.scan()) {
    if (kind === SyntaxKind.CommaToken) return true;
  }
  return false;
}

function dependencyContext(doc: InfoJsonDocument, deps: DependenciesField, offset: number): CompletionContext | undefined {
  const text = doc.text;
  const item = itemBefore(deps.items, offset);
  if (item?.value !== undefined && item.parsed && offset >= item.contentStart && offset <= item.contentEnd) {
    const found = dependencyPartAt(item.value, item.parsed.tokens, valueIndex(item, offset));
    if (!found) return undefined;
    const replaceRange = dependencyRange(item, found.replaceRange);
    return { kind: 'dependency', ...found, replaceRange, typed: text.slice(replaceRange.start, offset) };
  }
  if (item && offset <= item.range.end) return undefined;
  // Next to an existing value (`["a" |]`) a new item would need a comma first.
  if (item && !commaBetween(text, item.range.end, offset)) return undefined;
  const replaceRange = wordAround(text, offset, (c) => /^[A-Za-z0-9_\-]$/.test(c));
  return { kind: 'dependency-new-item', replaceRange, typed: text.slice(replaceRange.start, offset) };
}

/** The first token after `from`, skipping whitespace and comments: where a missing value would go. */
function nextTokenOffset(text: string, from: number): number {
  const scanner = createScanner(text, true);
  scanner.setPosition(from);
  scanner.scan();
  return scanner.getTokenOffset();
}

function factorioVersionContext(doc: InfoJsonDocument, offset: number): CompletionContext | undefined {
  const field = doc.fields.get('factorio_version');
  if (!field) return undefined;
  const text = doc.text;
  const node = field.valueNode;
  if (node) {
    if (node.type === 'string') {
      const contents = stringContents(text, node);
      if (offset < contents.start || offset > contents.end) return undefined;
      const replaceRange = { start: contents.start, end: contents.end };
      return { kind: 'factorio-version', inString: true, replaceRange, typed: text.slice(contents.start, offset) };
    }
    // A bare number such as `2.0` typed without quotes is replaced by the quoted version.
    const end = node.offset + node.length;
    if (node.type === 'number' && offset >= node.offset && offset <= end) {
      const replaceRange = { start: node.offset, end };
      return { kind: 'factorio-version', inString: false, replaceRange, typed: text.slice(node.offset, offset) };
    }
    return undefined;
  }
  const colon = field.node.colonOffset;
  if (colon === undefined || offset <= colon || offset > nextTokenOffset(text, colon + 1)) return undefined;
  const replaceRange = wordAround(text, offset, (c) => /^[0-9.]$/.test(c));
  return { kind: 'factorio-version', inString: false, replaceRange, typed: text.slice(replaceRange.start, offset) };
}

/** Where the dependencies array's items may go: after `[`, up to `]` (or the end, when it is missing). */
function arrayInside(doc: InfoJsonDocument, deps: DependenciesField): Range | undefined {
  const node = deps.field.valueNode;
  if (!node || node.type !== 'array') return undefined;
  const end = node.offset + node.length;
  return { start: node.offset + 1, end: doc.text[end - 1] === ']' && end - 1 > node.offset ? end - 1 : end };
}

/** The completion situation at `offset` in the model, or undefined where the extension offers nothing. */
export function completionContextAt(doc: InfoJsonDocument, offset: number): CompletionContext | undefined {
  if (offset < 0 || offset > doc.text.length) return undefined;
  const deps = doc.dependencies;
  const inside = deps && arrayInside(doc, deps);
  if (deps && inside && offset >= inside.start && offset <= inside.end) return dependencyContext(doc, deps, offset);
  return factorioVersionContext(doc, offset);
}

// JSON string escapes for the characters that would end or break a string literal.
const UNSAFE_IN_STRING = /["\\\u0000-\u001f\u2028\u2029]/;

/**
 * Text to put between the quotes of a JSON string so that it decodes to `value`: as is
 * when nothing in it needs escaping, else JSON-escaped.
 */
export function stringContentsFor(value: string): string {
  return UNSAFE_IN_STRING.test(value) ? JSON.stringify(value).slice(1, -1) : value;
}

/**
 * A portal version worth offering: one the model's parser accepts, exactly as written
 * (parseVersion trims, and a version with a space or a line break would break the string).
 */
export function isOfferableVersion(text: unknown): text is string {
  return typeof text === 'string' && text.trim() === text && parseVersion(text) !== undefined;
}

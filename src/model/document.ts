// info.json as the editor holds it: possibly half-typed, possibly with comments or
// trailing commas (which an editor tolerates and the game does not). All positions are
// 0-based character offsets into the text; ranges are end-exclusive.

import {
  createScanner,
  JSONVisitor,
  Node,
  NodeType,
  ParseError,
  ParseErrorCode,
  printParseErrorCode,
  ScanError,
  SyntaxKind,
  visit,
} from 'jsonc-parser';
import { parseDependency, ParsedDependency } from './dependency';
import type { Range } from './range';

export type SimpleValue = string | number | boolean | null;

export interface InfoJsonField {
  key: string;
  keyRange: Range;
  /** Undefined while the value is not typed yet (`"name": `). */
  valueRange: Range | undefined;
  /** The value when it is a string, number, boolean or null. */
  value: SimpleValue | undefined;
  /** The property node. */
  node: Node;
  valueNode: Node | undefined;
}

export interface DependencyItem {
  index: number;
  /** The item's node, quotes included. */
  range: Range;
  /** Offset of the first character inside the quotes (the node start for a non-string). */
  contentStart: number;
  /** End of the contents: before the closing quote, or the line end of an unterminated string. */
  contentEnd: number;
  /** The text between the quotes exactly as written (escapes undecoded). */
  raw: string;
  /** The decoded string; undefined when the item is not a string. */
  value: string | undefined;
  parsed?: ParsedDependency;
  /** False for a string still missing its closing quote. */
  terminated: boolean;
  /**
   * Only when the string contains escapes: for each index into `value` (and one past
   * its end) the index into `raw` where that character's escape begins.
   */
  valueToRaw?: readonly number[];
  node: Node;
}

export interface DependenciesField {
  /** The value's range (the array, brackets included). */
  range: Range;
  isArray: boolean;
  items: DependencyItem[];
  field: InfoJsonField;
}

export interface SyntaxProblem {
  message: string;
  start: number;
  end: number;
  /** jsonc-parser's error name, e.g. `CommaExpected`. */
  code: string;
}

export interface InfoJsonDocument {
  text: string;
  /** The root value when it is an object. */
  root: Node | undefined;
  /** Top-level properties by key; a repeated key keeps the last one, as JSON parsers do. */
  fields: ReadonlyMap<string, InfoJsonField>;
  dependencies: DependenciesField | undefined;
  syntaxErrors: SyntaxProblem[];
  comments: Range[];
  /** The comma itself, for each comma directly followed by `}` or `]`. */
  trailingCommas: Range[];
  modName: string | undefined;
  modVersion: string | undefined;
  factorioVersion: string | undefined;
}

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false };

const SYNTAX_MESSAGES: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'Unexpected text: values must be strings in double quotes, numbers, objects, arrays, true, false or null',
  [ParseErrorCode.InvalidNumberFormat]: 'Invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'Expected a property name in double quotes',
  [ParseErrorCode.ValueExpected]: 'Expected a value',
  [ParseErrorCode.ColonExpected]: "Expected ':'",
  [ParseErrorCode.CommaExpected]: "Expected ','",
  [ParseErrorCode.CloseBraceExpected]: "Expected '}'",
  [ParseErrorCode.CloseBracketExpected]: "Expected ']'",
  [ParseErrorCode.EndOfFileExpected]: 'Expected the end of the file after the top-level value',
  [ParseErrorCode.InvalidCommentToken]: 'Invalid comment',
  [ParseErrorCode.UnexpectedEndOfComment]: "Unterminated comment: expected '*/'",
  [ParseErrorCode.UnexpectedEndOfString]: 'Unterminated string: expected a closing \'"\'',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'Incomplete number',
  [ParseErrorCode.InvalidUnicode]: 'Invalid \\u escape: expected four hex digits',
  [ParseErrorCode.InvalidEscapeCharacter]: 'Invalid escape in string',
  [ParseErrorCode.InvalidCharacter]: 'Invalid character in string: control characters must be escaped',
};

function rangeOf(node: Node): Range {
  return { start: node.offset, end: node.offset + node.length };
}

function simpleValue(node: Node | undefined): SimpleValue | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return node.value as SimpleValue;
    default:
      return undefined;
  }
}

/**
 * The contents of a string node: from after the opening quote to before the closing one,
 * or to the line end where jsonc-parser stops an unterminated string.
 */
export function stringContents(text: string, node: Node): Range & { terminated: boolean } {
  const scanner = createScanner(text, false);
  scanner.setPosition(node.offset);
  const terminated = scanner.scan() === SyntaxKind.StringLiteral && scanner.getTokenError() !== ScanError.UnexpectedEndOfString;
  const start = node.offset + 1;
  const end = terminated ? Math.max(start, node.offset + node.length - 1) : node.offset + node.length;
  return { start, end, terminated };
}

const SIMPLE_ESCAPES: Readonly<Record<string, boolean>> = {
  '"': true,
  '\\': true,
  '/': true,
  b: true,
  f: true,
  n: true,
  r: true,
  t: true,
};

/**
 * Maps decoded indexes to raw ones. JSON escapes decode to one UTF-16 unit each
 * (`\uXXXX` included), so a walk over the raw text suffices; when an invalid escape
 * makes the walk disagree with the decoder's length, offsets fall back to a plain
 * clamp, which is wrong only inside that broken string.
 */
function buildValueToRaw(raw: string, value: string): number[] | undefined {
  if (!raw.includes('\\')) return undefined;
  const map: number[] = [];
  let i = 0;
  while (i < raw.length) {
    map.push(i);
    if (raw[i] !== '\\') i++;
    else if (raw[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) i += 6;
    else if (SIMPLE_ESCAPES[raw[i + 1] ?? ''] === true) i += 2;
    else return undefined;
  }
  map.push(raw.length);
  return map.length === value.length + 1 ? map : undefined;
}

/** Document offset of index `i` of the item's decoded value. */
export function dependencyOffset(item: DependencyItem, i: number): number {
  const map = item.valueToRaw;
  if (map) return item.contentStart + map[Math.max(0, Math.min(i, map.length - 1))];
  return item.contentStart + Math.max(0, Math.min(i, item.raw.length));
}

/** Document range of a range within the item's decoded value. */
export function dependencyRange(item: DependencyItem, r: Range): Range {
  return { start: dependencyOffset(item, r.start), end: dependencyOffset(item, r.end) };
}

function toItem(text: string, node: Node, index: number): DependencyItem {
  const range = rangeOf(node);
  if (node.type !== 'string') {
    return {
      index,
      range,
      contentStart: range.start,
      contentEnd: range.end,
      raw: text.slice(range.start, range.end),
      value: undefined,
      terminated: true,
      node,
    };
  }
  const { start: contentStart, end: contentEnd, terminated } = stringContents(text, node);
  const raw = text.slice(contentStart, contentEnd);
  const value = typeof node.value === 'string' ? node.value : raw;
  const valueToRaw = buildValueToRaw(raw, value);
  return {
    index,
    range,
    contentStart,
    contentEnd,
    raw,
    value,
    parsed: parseDependency(value),
    terminated,
    ...(valueToRaw ? { valueToRaw } : {}),
    node,
  };
}

function toField(prop: Node): InfoJsonField | undefined {
  const keyNode = prop.children?.[0];
  if (!keyNode || typeof keyNode.value !== 'string') return undefined;
  const valueNode = prop.children?.[1];
  return {
    key: keyNode.value,
    keyRange: rangeOf(keyNode),
    valueRange: valueNode ? rangeOf(valueNode) : undefined,
    value: simpleValue(valueNode),
    node: prop,
    valueNode,
  };
}

/**
 * jsonc-parser's parser recurses once per nesting level and overflows the stack a few
 * thousand levels down; no info.json nests more than a handful. Values nested deeper
 * than this are reported, and hidden from the parser when it would overflow.
 */
export const MAX_NESTING = 100;

/** jsonc-parser's Node while it is being built. */
interface TreeNode {
  type: NodeType;
  value?: unknown;
  offset: number;
  length: number;
  colonOffset?: number;
  parent?: TreeNode;
  children?: TreeNode[];
}

interface TreeScan {
  root: Node | undefined;
  errors: ParseError[];
  comments: Range[];
  trailingCommas: Range[];
  /** Values that start deeper than MAX_NESTING, opening bracket to closing bracket (or the end). */
  tooDeep: Range[];
}

/**
 * jsonc-parser's parseTree, keeping only what the model reads: the root object, its
 * properties and their values, and the items of `dependencies`. Any deeper value is one
 * node without children: a 10 MB file then costs a few thousand nodes, not millions
 * (whose allocation, not the parsing, made such a file take seconds). Comments,
 * trailing commas and too-deep values are noted on the way, so it is one pass.
 */
function buildTree(text: string): TreeScan {
  const errors: ParseError[] = [];
  const comments: Range[] = [];
  const trailingCommas: Range[] = [];
  const tooDeep: Range[] = [];
  const top: TreeNode = { type: 'array', offset: -1, length: -1, children: [] };
  let parent: TreeNode = top;
  // > 0 inside a value whose contents are not kept: the levels still open in it.
  let skipped = 0;
  let depth = 0;
  let deepStart = -1;
  let lastComma: Range | undefined;

  const keepsContents = (node: TreeNode): boolean => {
    if (node.parent === top) return true;
    const property = node.parent;
    return property?.type === 'property' && property.parent?.parent === top && property.children?.[0]?.value === 'dependencies';
  };
  const completeProperty = (end: number): void => {
    if (parent.type === 'property') {
      parent.length = end - parent.offset;
      parent = parent.parent!;
    }
  };
  const begin = (type: 'object' | 'array') => (offset: number): void => {
    lastComma = undefined;
    if (++depth === MAX_NESTING + 1) deepStart = offset;
    if (skipped > 0) {
      skipped++;
      return;
    }
    const node: TreeNode = { type, offset, length: -1, parent, children: [] };
    parent.children!.push(node);
    parent = node;
    if (!keepsContents(node)) skipped = 1;
  };
  const end = (offset: number, length: number): void => {
    if (lastComma) trailingCommas.push(lastComma);
    lastComma = undefined;
    if (depth-- === MAX_NESTING + 1) {
      tooDeep.push({ start: deepStart, end: offset + length });
      deepStart = -1;
    }
    if (skipped > 1) {
      skipped--;
      return;
    }
    skipped = 0;
    // A property whose value is missing ends with its object.
    if (parent.type === 'property') completeProperty(offset + length);
    parent.length = offset + length - parent.offset;
    parent = parent.parent!;
    completeProperty(offset + length);
  };
  const visitor: JSONVisitor = {
    onObjectBegin: begin('object'),
    onArrayBegin: begin('array'),
    onObjectEnd: end,
    onArrayEnd: end,
    onObjectProperty: (name, offset, length) => {
      lastComma = undefined;
      if (skipped > 0) return;
      const property: TreeNode = { type: 'property', offset, length: -1, parent, children: [] };
      parent.children!.push(property);
      property.children!.push({ type: 'string', value: name, offset, length, parent: property });
      parent = property;
    },
    onLiteralValue: (value: unknown, offset, length) => {
      lastComma = undefined;
      if (skipped > 0) return;
      const type: NodeType = value === null ? 'null' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'boolean';
      parent.children!.push({ type, offset, length, parent, value });
      completeProperty(offset + length);
    },
    onSeparator: (separator, offset, length) => {
      lastComma = separator === ',' ? { start: offset, end: offset + length } : undefined;
      if (skipped > 0 || parent.type !== 'property') return;
      if (separator === ':') parent.colonOffset = offset;
      else if (separator === ',') completeProperty(offset);
    },
    onComment: (offset, length) => {
      comments.push({ start: offset, end: offset + length });
    },
    onError: (error, offset, length) => {
      lastComma = undefined;
      errors.push({ error, offset, length });
    },
  };
  visit(text, visitor, PARSE_OPTIONS);
  if (deepStart >= 0) tooDeep.push({ start: deepStart, end: text.length });
  const root = top.children![0];
  if (root) delete root.parent;
  return { root: root as Node | undefined, errors, comments, trailingCommas, tooDeep };
}

/**
 * The too-deep values from jsonc-parser's scanner alone (a loop, so any depth is fine),
 * for when the parser itself would overflow.
 */
function tooDeepValues(text: string): Range[] {
  const tooDeep: Range[] = [];
  const scanner = createScanner(text, true);
  // The open containers up to MAX_NESTING, matched by kind: the parser ignores a `]` that
  // closes an object, and so must this count, or a `[}[}…` run would hide its depth.
  const open: SyntaxKind[] = [];
  let deepStart = -1;
  let deepLevel = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      if (deepStart >= 0) deepLevel++;
      else if (open.length < MAX_NESTING) open.push(kind);
      else {
        deepStart = scanner.getTokenOffset();
        deepLevel = 1;
      }
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      if (deepStart >= 0) {
        // Inside a hidden value any closer counts: none of it reaches the parser.
        if (--deepLevel === 0) {
          tooDeep.push({ start: deepStart, end: scanner.getTokenOffset() + scanner.getTokenLength() });
          deepStart = -1;
        }
      } else if (open[open.length - 1] === (kind === SyntaxKind.CloseBraceToken ? SyntaxKind.OpenBraceToken : SyntaxKind.OpenBracketToken)) {
        open.pop();
      }
    }
  }
  if (deepStart >= 0) tooDeep.push({ start: deepStart, end: text.length });
  return tooDeep;
}

/**
 * The text with each too-deep value replaced by `0` and spaces of the same length, so
 * every offset the parser reports still points into the real text.
 */
function maskTooDeep(text: string, tooDeep: readonly Range[]): string {
  const pieces: string[] = [];
  let from = 0;
  for (const r of tooDeep) {
    pieces.push(text.slice(from, r.start), '0', ' '.repeat(r.end - r.start - 1));
    from = r.end;
  }
  pieces.push(text.slice(from));
  return pieces.join('');
}

/** The tree, parsing once; only a file nested deep enough to overflow the parser is scanned first. */
function parseText(text: string): TreeScan {
  try {
    return buildTree(text);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  // Comments and commas inside the hidden values go unreported, with the rest of their contents.
  const tooDeep = tooDeepValues(text);
  return { ...buildTree(maskTooDeep(text, tooDeep)), tooDeep };
}

function stringField(fields: ReadonlyMap<string, InfoJsonField>, key: string): string | undefined {
  const v = fields.get(key)?.value;
  return typeof v === 'string' ? v : undefined;
}

export function parseInfoJson(text: string): InfoJsonDocument {
  const { root: tree, errors, comments, trailingCommas, tooDeep } = parseText(text);
  const root = tree?.type === 'object' ? tree : undefined;

  const fields = new Map<string, InfoJsonField>();
  for (const prop of root?.children ?? []) {
    const field = toField(prop);
    if (field) {
      // Delete first so the map's order follows the last occurrence too.
      fields.delete(field.key);
      fields.set(field.key, field);
    }
  }

  let dependencies: DependenciesField | undefined;
  const depField = fields.get('dependencies');
  if (depField) {
    const arr = depField.valueNode;
    dependencies = {
      range: depField.valueRange ?? depField.keyRange,
      isArray: arr?.type === 'array',
      items: arr?.type === 'array' ? (arr.children ?? []).map((child, i) => toItem(text, child, i)) : [],
      field: depField,
    };
  }

  const syntaxErrors: SyntaxProblem[] = [
    ...tooDeep.map((r) => ({
      message: `Nested more than ${MAX_NESTING} levels deep: what is inside is not checked`,
      start: r.start,
      end: r.start + 1,
      code: 'NestingTooDeep',
    })),
    ...errors.map((e) => ({
      message: SYNTAX_MESSAGES[e.error] ?? printParseErrorCode(e.error),
      start: e.offset,
      end: e.offset + e.length,
      code: printParseErrorCode(e.error),
    })),
  ].sort((a, b) => a.start - b.start);

  return {
    text,
    root,
    fields,
    dependencies,
    syntaxErrors,
    comments,
    trailingCommas,
    modName: stringField(fields, 'name'),
    modVersion: stringField(fields, 'version'),
    factorioVersion: stringField(fields, 'factorio_version'),
  };
}

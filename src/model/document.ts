// info.json as the editor holds it: possibly half-typed, possibly with comments or
// trailing commas (which an editor tolerates and the game does not). All positions are
// 0-based character offsets into the text; ranges are end-exclusive.

import {
  createScanner,
  Node,
  ParseError,
  ParseErrorCode,
  parseTree,
  printParseErrorCode,
  ScanError,
  SyntaxKind,
} from 'jsonc-parser';
import { parseDependency, ParsedDependency } from './dependency';

export { completionContextAt } from './completionContext';
export type { CompletionContext, DependencyCompletionContext } from './completionContext';

export interface Range {
  start: number;
  end: number;
}

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

/** Whether the string literal starting at `offset` has its closing quote. */
function isTerminatedString(text: string, offset: number): boolean {
  const scanner = createScanner(text, false);
  scanner.setPosition(offset);
  return scanner.scan() === SyntaxKind.StringLiteral && scanner.getTokenError() !== ScanError.UnexpectedEndOfString;
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
  const terminated = isTerminatedString(text, node.offset);
  const contentStart = range.start + 1;
  const contentEnd = terminated ? Math.max(contentStart, range.end - 1) : range.end;
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

function scanTrivia(text: string): { comments: Range[]; trailingCommas: Range[] } {
  const comments: Range[] = [];
  const trailingCommas: Range[] = [];
  const scanner = createScanner(text, false);
  let lastComma: Range | undefined;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const start = scanner.getTokenOffset();
    const end = start + scanner.getTokenLength();
    switch (kind) {
      case SyntaxKind.LineCommentTrivia:
      case SyntaxKind.BlockCommentTrivia:
        comments.push({ start, end });
        continue;
      case SyntaxKind.Trivia:
      case SyntaxKind.LineBreakTrivia:
        continue;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        if (lastComma) trailingCommas.push(lastComma);
        break;
    }
    lastComma = kind === SyntaxKind.CommaToken ? { start, end } : undefined;
  }
  return { comments, trailingCommas };
}

function stringField(fields: ReadonlyMap<string, InfoJsonField>, key: string): string | undefined {
  const v = fields.get(key)?.value;
  return typeof v === 'string' ? v : undefined;
}

export function parseInfoJson(text: string): InfoJsonDocument {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, PARSE_OPTIONS);
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

  const syntaxErrors = errors.map((e) => ({
    message: SYNTAX_MESSAGES[e.error] ?? printParseErrorCode(e.error),
    start: e.offset,
    end: e.offset + e.length,
    code: printParseErrorCode(e.error),
  }));

  return {
    text,
    root,
    fields,
    dependencies,
    syntaxErrors,
    ...scanTrivia(text),
    modName: stringField(fields, 'name'),
    modVersion: stringField(fields, 'version'),
    factorioVersion: stringField(fields, 'factorio_version'),
  };
}

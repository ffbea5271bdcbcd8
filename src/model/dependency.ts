// The dependency string grammar: `<prefix> <name> <operator> <version>`, with prefix and
// operator+version optional. Parsing is tolerant (odd spacing is accepted as the game
// accepts it) and reports the first problem with the exact range of the offending part.

import { isOperator, MAX_VERSION_COMPONENT, Operator, Version } from './version';

export type DependencyKind =
  | 'required'
  | 'incompatible'
  | 'optional'
  | 'hidden-optional'
  | 'no-load-order'
  | 'recommended';

/** A piece of the dependency string; offsets are within the string, end exclusive. */
export interface Part {
  text: string;
  start: number;
  end: number;
}

export interface DependencyError {
  message: string;
  start: number;
  end: number;
  /** What belongs at [start, end). */
  expected: string;
  /** The whole string with the problem corrected, when the intent is unambiguous. */
  suggestion?: string;
}

/**
 * Where each piece of a dependency string was written, valid or not: the grammar's one
 * tokenization, which the checks below judge and an editor reads while the text is
 * still half-typed.
 */
export interface DependencyTokens {
  prefix?: Part;
  /** Everything between the prefix and the operator, trimmed (a bad name included). */
  name?: Part;
  /** The run of operator characters, e.g. `>=`, or a typo such as `=>`. */
  operator?: Part;
  /** The word after the operator, e.g. `1.2.0`, or a half-typed `1.`. */
  version?: Part;
  /** Whatever follows the version. */
  rest?: Part;
}

export interface ParsedDependency {
  text: string;
  kind: DependencyKind;
  tokens: DependencyTokens;
  prefix?: Part;
  name?: Part;
  operator?: Part & { value: Operator };
  version?: Part & { value: Version };
  error?: DependencyError;
}

/** The pieces of a dependency without positions, e.g. to build a new string. */
export interface DependencySpec {
  kind: DependencyKind;
  name: string;
  operator?: Operator;
  version?: string;
}

export const PREFIX_OF_KIND: Readonly<Record<DependencyKind, string>> = {
  required: '',
  incompatible: '!',
  optional: '?',
  'hidden-optional': '(?)',
  'no-load-order': '~',
  recommended: '+',
};

const KIND_OF_PREFIX: ReadonlyMap<string, DependencyKind> = new Map([
  ['!', 'incompatible'],
  ['?', 'optional'],
  ['(?)', 'hidden-optional'],
  ['~', 'no-load-order'],
  ['+', 'recommended'],
]);

/** Kinds whose target the game loads whenever the declarer is loaded. */
export function isRequiredKind(kind: DependencyKind): boolean {
  return kind === 'required' || kind === 'no-load-order';
}

const OPERATOR_LIST = '<, <=, =, >= or >';
const VERSION_EXAMPLE = 'a version such as 1.2.0';
const NAME_EXPECTED = "a mod name (letters, digits, '-' and '_')";

/** Common typos for operators and what they were meant to be. */
const OPERATOR_TYPOS: ReadonlyMap<string, Operator> = new Map([
  ['=>', '>='],
  ['=<', '<='],
  ['==', '='],
]);

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isOperatorChar = (c: string | undefined): boolean => c === '<' || c === '>' || c === '=';
const isNameChar = (c: string): boolean => /^[A-Za-z0-9_\- ]$/.test(c);

/** Reads a prefix at `i`, if any. */
function readPrefix(s: string, i: number): Part | undefined {
  if (s.startsWith('(?)', i)) return { text: '(?)', start: i, end: i + 3 };
  const c = s[i];
  if (c === '!' || c === '?' || c === '~' || c === '+') return { text: c, start: i, end: i + 1 };
  return undefined;
}

function part(s: string, start: number, end: number): Part {
  return { text: s.slice(start, end), start, end };
}

/** Where the name stops: at an operator, or at `!=` which is a bad operator rather than a name. */
function nameStop(s: string, from: number): number {
  let j = from;
  while (j < s.length && !isOperatorChar(s[j]) && !(s[j] === '!' && s[j + 1] === '=')) j++;
  return j;
}

function trimEnd(s: string, start: number, end: number): number {
  while (end > start && isSpace(s[end - 1])) end--;
  return end;
}

function checkName(s: string, name: Part): { name: Part; error?: DependencyError } {
  // "mod 1.0": a version given without its operator ends the would-be name.
  const lastSpace = Math.max(name.text.lastIndexOf(' '), name.text.lastIndexOf('\t'));
  if (lastSpace > 0) {
    const word = name.text.slice(lastSpace + 1);
    if (/^[0-9]+(\.[0-9]*)+$/.test(word)) {
      const wordStart = name.start + lastSpace + 1;
      const realName = part(s, name.start, trimEnd(s, name.start, wordStart));
      return {
        name: realName,
        error: {
          message: `expected an operator such as >= before the version '${word}'`,
          start: wordStart,
          end: name.end,
          expected: `an operator: ${OPERATOR_LIST}`,
          suggestion: s.slice(0, wordStart) + '>= ' + s.slice(wordStart),
        },
      };
    }
  }
  for (let k = 0; k < name.text.length; k++) {
    const c = name.text[k];
    if (!isNameChar(c)) {
      const start = name.start + k;
      return {
        name,
        error: {
          message: `invalid character '${c}' in the mod name; use letters, digits, '-' and '_'`,
          start,
          end: start + c.length,
          expected: "letters, digits, '-' or '_'",
        },
      };
    }
  }
  return { name };
}

function checkVersion(s: string, token: Part): { value?: Version; error?: DependencyError } {
  const fail = (message: string, start: number, end: number): { error: DependencyError } => ({
    error: { message, start, end, expected: VERSION_EXAMPLE },
  });
  const pieces: Part[] = [];
  let from = token.start;
  for (let k = token.start; k <= token.end; k++) {
    if (k === token.end || s[k] === '.') {
      pieces.push(part(s, from, k));
      from = k + 1;
    }
  }
  if (pieces.length > 3) {
    return fail(
      `a version has at most three numbers (A.B.C), not '${token.text}'`,
      pieces[3].start - 1,
      token.end,
    );
  }
  for (const p of pieces) {
    if (p.text === '') {
      // An empty number: point at the dot that has nothing beside it.
      const at = p.start < token.end && s[p.start] === '.' ? p.start : Math.max(token.start, p.start - 1);
      return fail(`missing number in version '${token.text}'`, at, Math.min(at + 1, token.end));
    }
    if (!/^[0-9]+$/.test(p.text)) return fail(`'${p.text}' in version '${token.text}' is not a number`, p.start, p.end);
    if (Number(p.text) > MAX_VERSION_COMPONENT) {
      return fail(`${p.text} is larger than ${MAX_VERSION_COMPONENT}, the largest version number`, p.start, p.end);
    }
  }
  if (pieces.length === 1) {
    return fail(`'${token.text}' needs two or three numbers, such as ${token.text}.0 or ${token.text}.0.0`, token.start, token.end);
  }
  const [major, minor, patch] = pieces.map((p) => Number(p.text));
  return { value: pieces.length === 3 ? { major, minor, patch } : { major, minor } };
}

/** Splits a dependency string into its pieces as written, judging nothing. */
export function tokenizeDependency(text: string): DependencyTokens {
  const s = typeof text === 'string' ? text : '';
  const tokens: DependencyTokens = {};
  const n = s.length;
  let i = 0;
  const skip = (): void => {
    while (i < n && isSpace(s[i])) i++;
  };

  skip();
  const prefix = readPrefix(s, i);
  if (prefix) {
    tokens.prefix = prefix;
    i = prefix.end;
    skip();
  }

  const nameStart = i;
  const stop = nameStop(s, i);
  const nameEnd = trimEnd(s, nameStart, stop);
  if (nameEnd > nameStart) tokens.name = part(s, nameStart, nameEnd);
  i = stop;
  if (i === n) return tokens;

  // An operator run: take every operator-like character so `=>` or `==` is reported whole.
  const opStart = i;
  while (i < n && (isOperatorChar(s[i]) || s[i] === '!')) i++;
  tokens.operator = part(s, opStart, i);

  skip();
  if (i === n) return tokens;
  const versionStart = i;
  while (i < n && !isSpace(s[i])) i++;
  tokens.version = part(s, versionStart, i);

  skip();
  if (i < n) tokens.rest = part(s, i, trimEnd(s, i, n));
  return tokens;
}

/** Parses a dependency string. Never throws; `error` holds the first problem found. */
export function parseDependency(text: string): ParsedDependency {
  const s = typeof text === 'string' ? text : '';
  const tokens = tokenizeDependency(s);
  const result: ParsedDependency = { text: s, kind: 'required', tokens };
  const setError = (e: DependencyError): void => {
    result.error ??= e;
  };
  const { prefix, name, operator, version, rest } = tokens;

  if (!prefix && !name && !operator) {
    setError({ message: 'empty dependency: expected a mod name', start: 0, end: s.length, expected: NAME_EXPECTED });
    return result;
  }

  if (prefix) {
    result.prefix = prefix;
    result.kind = KIND_OF_PREFIX.get(prefix.text) ?? 'required';
  }

  if (name) {
    const checked = checkName(s, name);
    result.name = checked.name;
    if (checked.error) setError(checked.error);
  } else if (prefix) {
    setError({
      message: `expected a mod name after '${prefix.text}'`,
      start: prefix.start,
      end: prefix.end,
      expected: NAME_EXPECTED,
    });
  }

  if (!operator) return result;

  const opText = operator.text;
  if (!name && !prefix) {
    setError({
      message: `expected a mod name before '${opText}'`,
      start: operator.start,
      end: operator.end,
      expected: NAME_EXPECTED,
    });
  }
  if (isOperator(opText)) {
    result.operator = { ...operator, value: opText };
  } else {
    const meant = OPERATOR_TYPOS.get(opText);
    setError({
      message: meant
        ? `'${opText}' is not an operator; did you mean '${meant}'?`
        : `'${opText}' is not an operator; expected ${OPERATOR_LIST}`,
      start: operator.start,
      end: operator.end,
      expected: `an operator: ${OPERATOR_LIST}`,
      ...(meant ? { suggestion: s.slice(0, operator.start) + meant + s.slice(operator.end) } : {}),
    });
  }

  if (!version) {
    setError({
      message: `expected ${VERSION_EXAMPLE} after '${opText}'`,
      start: operator.start,
      end: operator.end,
      expected: VERSION_EXAMPLE,
    });
    return result;
  }

  const checked = checkVersion(s, version);
  if (checked.value) result.version = { ...version, value: checked.value };
  if (checked.error) setError(checked.error);

  if (rest) {
    setError({
      message: `unexpected '${rest.text}' after the version`,
      start: rest.start,
      end: rest.end,
      expected: 'nothing after the version',
    });
  }
  return result;
}

/** The parts of a cleanly parsed dependency, or undefined if it had an error. */
export function dependencySpec(d: ParsedDependency): DependencySpec | undefined {
  if (d.error || !d.name) return undefined;
  return {
    kind: d.kind,
    name: d.name.text,
    ...(d.operator && d.version ? { operator: d.operator.value, version: d.version.text } : {}),
  };
}

function isParsed(d: ParsedDependency | DependencySpec): d is ParsedDependency {
  return typeof (d as ParsedDependency).text === 'string';
}

/**
 * The canonical form: `? name >= 1.2.0` (prefix, then single spaces around the
 * operator). A parsed dependency with an error is returned as it was written.
 */
export function formatDependency(d: ParsedDependency | DependencySpec): string {
  const spec = isParsed(d) ? dependencySpec(d) : d;
  if (!spec) return isParsed(d) ? d.text : '';
  const prefix = PREFIX_OF_KIND[spec.kind];
  let out = prefix ? `${prefix} ${spec.name}` : spec.name;
  if (spec.operator && spec.version) out += ` ${spec.operator} ${spec.version}`;
  return out;
}

/** True when the string parses and is already in canonical form. */
export function isCanonical(text: string): boolean {
  const parsed = parseDependency(text);
  return !parsed.error && formatDependency(parsed) === text;
}

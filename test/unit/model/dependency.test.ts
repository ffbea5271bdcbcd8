import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DependencyTokens,
  formatDependency,
  isCanonical,
  parseDependency,
  ParsedDependency,
  Part,
  tokenizeDependency,
} from '../../../src/model/dependency';

interface Expect {
  kind: ParsedDependency['kind'];
  prefix?: string;
  name: string;
  operator?: string;
  version?: string;
}

function shape(d: ParsedDependency): Expect {
  return {
    kind: d.kind,
    ...(d.prefix ? { prefix: d.prefix.text } : {}),
    name: d.name?.text ?? '',
    ...(d.operator ? { operator: d.operator.text } : {}),
    ...(d.version ? { version: d.version.text } : {}),
  };
}

/** Every part's offsets must point at its own text inside the string. */
function assertOffsets(d: ParsedDependency): void {
  for (const p of [d.prefix, d.name, d.operator, d.version]) {
    if (p) assert.equal(d.text.slice(p.start, p.end), p.text, `offsets of '${p.text}' in '${d.text}'`);
  }
}

const VALID: Array<[string, Expect]> = [
  // The examples of info-json.md.
  ['base >= 2.0.0', { kind: 'required', name: 'base', operator: '>=', version: '2.0.0' }],
  ['? quality', { kind: 'optional', prefix: '?', name: 'quality' }],
  ['! incompatible-mod', { kind: 'incompatible', prefix: '!', name: 'incompatible-mod' }],
  ['(?) hidden-lib', { kind: 'hidden-optional', prefix: '(?)', name: 'hidden-lib' }],
  ['~ some-mod >= 1.0.0', { kind: 'no-load-order', prefix: '~', name: 'some-mod', operator: '>=', version: '1.0.0' }],
  ['space-age', { kind: 'required', name: 'space-age' }],
  ['+ quality >= 2.1.0', { kind: 'recommended', prefix: '+', name: 'quality', operator: '>=', version: '2.1.0' }],
  ['? mod>=1.0', { kind: 'optional', prefix: '?', name: 'mod', operator: '>=', version: '1.0' }],
  ['~mod', { kind: 'no-load-order', prefix: '~', name: 'mod' }],
  // Spacing variants.
  ['base  >=  2.0.0', { kind: 'required', name: 'base', operator: '>=', version: '2.0.0' }],
  ['base >= 2.0.0   ', { kind: 'required', name: 'base', operator: '>=', version: '2.0.0' }],
  ['   ?   flib', { kind: 'optional', prefix: '?', name: 'flib' }],
  ['?flib', { kind: 'optional', prefix: '?', name: 'flib' }],
  ['(?)flib', { kind: 'hidden-optional', prefix: '(?)', name: 'flib' }],
  ['!flib', { kind: 'incompatible', prefix: '!', name: 'flib' }],
  ['+flib', { kind: 'recommended', prefix: '+', name: 'flib' }],
  ['flib>=0.16.5', { kind: 'required', name: 'flib', operator: '>=', version: '0.16.5' }],
  ['base\t>=\t1.1', { kind: 'required', name: 'base', operator: '>=', version: '1.1' }],
  // Every operator.
  ['a-mod < 1.0', { kind: 'required', name: 'a-mod', operator: '<', version: '1.0' }],
  ['a-mod <= 1.0', { kind: 'required', name: 'a-mod', operator: '<=', version: '1.0' }],
  ['a-mod = 1.0.3', { kind: 'required', name: 'a-mod', operator: '=', version: '1.0.3' }],
  ['a-mod > 1.0', { kind: 'required', name: 'a-mod', operator: '>', version: '1.0' }],
  // Old mods had names with spaces; the name runs up to the operator.
  ['Old Mod Name >= 0.1.2', { kind: 'required', name: 'Old Mod Name', operator: '>=', version: '0.1.2' }],
  ['? 5dim core', { kind: 'optional', prefix: '?', name: '5dim core' }],
  ['My_Mod-2 = 65535.65535.65535', { kind: 'required', name: 'My_Mod-2', operator: '=', version: '65535.65535.65535' }],
];

test('parses every documented example and spacing variant', () => {
  for (const [text, expected] of VALID) {
    const d = parseDependency(text);
    assert.equal(d.error, undefined, `${text}: ${d.error?.message}`);
    assert.deepEqual(shape(d), expected, text);
    assertOffsets(d);
  }
});

test('parses every dependency of the built-in mods', () => {
  const root = join(__dirname, '..', '..', 'fixtures', 'builtin-mods');
  let count = 0;
  for (const version of readdirSync(root)) {
    for (const file of readdirSync(join(root, version))) {
      const info = JSON.parse(readFileSync(join(root, version, file), 'utf8')) as { dependencies?: string[] };
      for (const dep of info.dependencies ?? []) {
        const d = parseDependency(dep);
        assert.equal(d.error, undefined, dep);
        assert.ok(isCanonical(dep), dep);
        count++;
      }
    }
  }
  assert.ok(count >= 10);
});

test('version values are decoded', () => {
  const d = parseDependency('flib >= 0.16.5');
  assert.deepEqual(d.version?.value, { major: 0, minor: 16, patch: 5 });
  assert.equal(d.operator?.value, '>=');
  assert.deepEqual(parseDependency('base > 1.1').version?.value, { major: 1, minor: 1 });
});

interface Bad {
  text: string;
  /** The text of the error range; `start` disambiguates repeated text. */
  bad: string;
  start?: number;
  message: RegExp;
  expected?: RegExp;
}

const MALFORMED: Bad[] = [
  { text: '', bad: '', start: 0, message: /empty dependency/, expected: /mod name/ },
  { text: '   ', bad: '   ', message: /empty dependency/ },
  { text: '?', bad: '?', message: /expected a mod name after '\?'/ },
  { text: '?  ', bad: '?', message: /expected a mod name after '\?'/ },
  { text: '(?)', bad: '(?)', message: /after '\(\?\)'/ },
  { text: '>= 1.0', bad: '>=', message: /expected a mod name before '>='/ },
  { text: '? >= 1.0', bad: '?', message: /after '\?'/ },
  { text: 'flib >=', bad: '>=', message: /expected a version such as 1\.2\.0 after '>='/, expected: /a version such as 1\.2\.0/ },
  { text: 'flib >=   ', bad: '>=', message: /after '>='/ },
  { text: 'flib <', bad: '<', message: /after '<'/ },
  { text: 'flib >= 1.x', bad: 'x', message: /'x' in version '1\.x' is not a number/, expected: /version/ },
  { text: 'flib >= 1.2.3.4', bad: '.4', message: /at most three numbers/ },
  { text: 'flib >= 1.70000.0', bad: '70000', message: /70000 is larger than 65535/ },
  { text: 'flib >= 1', bad: '1', start: 8, message: /needs two or three numbers/ },
  { text: 'flib >= 1..2', bad: '.', start: 10, message: /missing number/ },
  { text: 'flib >= 1.2.', bad: '.', start: 11, message: /missing number/ },
  { text: 'flib >= 1.0-beta', bad: '0-beta', message: /'0-beta' .*is not a number/ },
  { text: 'flib >= v1.0', bad: 'v1', message: /not a number/ },
  { text: 'flib => 1.0', bad: '=>', message: /'=>' is not an operator; did you mean '>='/, expected: /operator/ },
  { text: 'flib =< 1.0', bad: '=<', message: /did you mean '<='/ },
  { text: 'flib == 1.0', bad: '==', message: /did you mean '='/ },
  { text: 'flib <> 1.0', bad: '<>', message: /'<>' is not an operator; expected <, <=, =, >= or >/ },
  { text: 'flib != 1.0', bad: '!=', message: /'!=' is not an operator/ },
  { text: 'flib >>= 1.0', bad: '>>=', message: /not an operator/ },
  { text: 'mod 1.0', bad: '1.0', message: /expected an operator such as >= before the version '1\.0'/, expected: /operator/ },
  { text: '? mod 1.0.0', bad: '1.0.0', message: /operator/ },
  { text: 'my.mod', bad: '.', message: /invalid character '\.' in the mod name/, expected: /letters, digits/ },
  { text: 'flib, base', bad: ',', message: /invalid character ','/ },
  { text: '? ? flib', bad: '?', start: 2, message: /invalid character '\?'/ },
  { text: '(? flib', bad: '(', message: /invalid character '\('/ },
  { text: 'flib >= 1.0 extra', bad: 'extra', message: /unexpected 'extra' after the version/ },
  { text: 'flib >= 1.0 2.0  ', bad: '2.0', message: /unexpected/ },
  { text: 'möd', bad: 'ö', message: /invalid character 'ö'/ },
];

test('malformed strings give the exact bad range and what belongs there', () => {
  for (const c of MALFORMED) {
    const d = parseDependency(c.text);
    assert.ok(d.error, `no error for '${c.text}'`);
    const start = c.start ?? c.text.indexOf(c.bad);
    assert.deepEqual(
      { start: d.error.start, end: d.error.end },
      { start, end: start + c.bad.length },
      `range for '${c.text}': got '${c.text.slice(d.error.start, d.error.end)}'`,
    );
    assert.match(d.error.message, c.message, c.text);
    if (c.expected) assert.match(d.error.expected, c.expected, c.text);
    assert.ok(d.error.expected.length > 0);
    assertOffsets(d);
  }
});

test('malformed strings still expose the parts that did parse', () => {
  const d = parseDependency('? flib >= 1.x');
  assert.equal(d.kind, 'optional');
  assert.equal(d.name?.text, 'flib');
  assert.equal(d.operator?.value, '>=');
  assert.equal(d.version, undefined);
  const noVersion = parseDependency('mod 1.0');
  assert.equal(noVersion.name?.text, 'mod');
});

test('unambiguous typos carry a corrected string', () => {
  assert.equal(parseDependency('flib => 1.0').error?.suggestion, 'flib >= 1.0');
  assert.equal(parseDependency('? mod 1.0').error?.suggestion, '? mod >= 1.0');
  assert.equal(parseDependency('flib <> 1.0').error?.suggestion, undefined);
});

test('never throws on odd input', () => {
  for (const text of ['"', '\\', '\u0000', '((((', '?'.repeat(1000), '>=>=>=', ' ~ ', undefined as unknown as string]) {
    const d = parseDependency(text);
    assert.equal(typeof d.kind, 'string');
  }
});

test('formatDependency gives the canonical form', () => {
  const cases: Array<[string, string]> = [
    ['?   flib>=0.16.5 ', '? flib >= 0.16.5'],
    ['(?)hidden-lib', '(?) hidden-lib'],
    ['~mod', '~ mod'],
    ['!  other  ', '! other'],
    ['+quality>=2.1.0', '+ quality >= 2.1.0'],
    ['base  >=  2.0', 'base >= 2.0'],
    ['  space-age', 'space-age'],
  ];
  for (const [text, canonical] of cases) {
    assert.equal(formatDependency(parseDependency(text)), canonical, text);
    assert.equal(isCanonical(text), false, text);
    assert.equal(isCanonical(canonical), true, canonical);
  }
  assert.equal(formatDependency({ kind: 'optional', name: 'flib', operator: '>=', version: '0.16.5' }), '? flib >= 0.16.5');
  assert.equal(formatDependency({ kind: 'required', name: 'flib' }), 'flib');
  // A broken string cannot be reformatted safely.
  assert.equal(formatDependency(parseDependency('flib => 1.0')), 'flib => 1.0');
  assert.equal(isCanonical('flib => 1.0'), false);
});

test('the tokens say where each piece was written, valid or not', () => {
  const text = (s: string, t: Part | undefined) => (t ? s.slice(t.start, t.end) : undefined);
  const cases: Array<[string, Partial<Record<keyof DependencyTokens, string>>]> = [
    ['', {}],
    ['   ', {}],
    ['? ', { prefix: '?' }],
    ['(?) hidden', { prefix: '(?)', name: 'hidden' }],
    ['flib >', { name: 'flib', operator: '>' }],
    ['flib => 1.', { name: 'flib', operator: '=>', version: '1.' }],
    ['flib != 1.0', { name: 'flib', operator: '!=', version: '1.0' }],
    ['~ fl ib   >=   1.x   extra words ', { prefix: '~', name: 'fl ib', operator: '>=', version: '1.x', rest: 'extra words' }],
    ['>= 1.0', { operator: '>=', version: '1.0' }],
  ];
  for (const [s, expected] of cases) {
    const tokens = tokenizeDependency(s);
    const got = Object.fromEntries(
      (['prefix', 'name', 'operator', 'version', 'rest'] as const).flatMap((k) => (tokens[k] ? [[k, text(s, tokens[k])]] : [])),
    );
    assert.deepEqual(got, expected, s);
    for (const t of Object.values(tokens) as Part[]) assert.equal(t.text, s.slice(t.start, t.end), s);
    assert.deepEqual(parseDependency(s).tokens, tokens, 'parseDependency judges the same tokens');
  }
});

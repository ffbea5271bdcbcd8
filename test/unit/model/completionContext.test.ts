import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionContext, completionContextAt, isOfferableVersion, stringContentsFor } from '../../../src/model/completionContext';
import { parseInfoJson } from '../../../src/model/document';
import { deepInfoJson, HUGE_DEPENDENCIES, hugeDependencies, hugeInfoJson } from '../../fixtures/stressInfoJson';

/** Splits a test string at its `|` cursor marker. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0 && marked.indexOf('|', offset + 1) < 0, `one cursor in ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function contextAt(marked: string): { ctx: CompletionContext | undefined; text: string; offset: number } {
  const { text, offset } = cursor(marked);
  return { ctx: completionContextAt(parseInfoJson(text), offset), text, offset };
}

interface DepExpect {
  part: 'name' | 'operator' | 'version';
  /** The replaced text: the token being typed, never the quotes. */
  replaces: string;
  typed: string;
  name?: string;
  operator?: string;
  prefix?: string;
}

const DEPENDENCY_CASES: Array<[string, DepExpect]> = [
  ['{"dependencies": ["|"]}', { part: 'name', replaces: '', typed: '' }],
  ['{"dependencies": ["fl|"]}', { part: 'name', replaces: 'fl', typed: 'fl' }],
  ['{"dependencies": ["|flib"]}', { part: 'name', replaces: 'flib', typed: '' }],
  ['{"dependencies": ["fl|ib >= 1.0"]}', { part: 'name', replaces: 'flib', typed: 'fl' }],
  ['{"dependencies": ["? |"]}', { part: 'name', replaces: '', typed: '', prefix: '?' }],
  ['{"dependencies": ["?|"]}', { part: 'name', replaces: '', typed: '', prefix: '?' }],
  ['{"dependencies": ["?fl|"]}', { part: 'name', replaces: 'fl', typed: 'fl', prefix: '?' }],
  ['{"dependencies": ["(?) hid|"]}', { part: 'name', replaces: 'hid', typed: 'hid', prefix: '(?)' }],
  ['{"dependencies": ["~ |mod >= 1.0"]}', { part: 'name', replaces: 'mod', typed: '', prefix: '~' }],
  ['{"dependencies": ["flib |"]}', { part: 'operator', replaces: '', typed: '', name: 'flib' }],
  ['{"dependencies": ["? flib   |"]}', { part: 'operator', replaces: '', typed: '', name: 'flib', prefix: '?' }],
  ['{"dependencies": ["flib >|"]}', { part: 'operator', replaces: '>', typed: '>', name: 'flib' }],
  ['{"dependencies": ["flib |>= 1.0"]}', { part: 'operator', replaces: '>=', typed: '', name: 'flib' }],
  ['{"dependencies": ["flib >|= 1.0"]}', { part: 'operator', replaces: '>=', typed: '>', name: 'flib' }],
  ['{"dependencies": ["flib >= |"]}', { part: 'version', replaces: '', typed: '', name: 'flib', operator: '>=' }],
  ['{"dependencies": ["flib >=|"]}', { part: 'version', replaces: '', typed: '', name: 'flib', operator: '>=' }],
  ['{"dependencies": ["flib>=|"]}', { part: 'version', replaces: '', typed: '', name: 'flib', operator: '>=' }],
  ['{"dependencies": ["flib = |"]}', { part: 'version', replaces: '', typed: '', name: 'flib', operator: '=' }],
  ['{"dependencies": ["flib >= 0.1|"]}', { part: 'version', replaces: '0.1', typed: '0.1', name: 'flib', operator: '>=' }],
  ['{"dependencies": ["flib >= 0.|16.5"]}', { part: 'version', replaces: '0.16.5', typed: '0.', name: 'flib', operator: '>=' }],
  ['{"dependencies": ["flib >= |0.16.5"]}', { part: 'version', replaces: '0.16.5', typed: '', name: 'flib', operator: '>=' }],
  ['{"dependencies": ["? flib>=0.1|"]}', { part: 'version', replaces: '0.1', typed: '0.1', name: 'flib', operator: '>=', prefix: '?' }],
  // Typing at the end of a line in a half-typed file.
  ['{\n  "dependencies": [\n    "base >= 2.0.0",\n    "fl|\n  ]\n}', { part: 'name', replaces: 'fl', typed: 'fl' }],
  ['{\n  "dependencies": [\n    "flib >= |\n  ],\n  "name": "x"\n}', { part: 'version', replaces: '', typed: '', name: 'flib', operator: '>=' }],
  ['{"name": "x", "dependencies": ["base", "? fl|', { part: 'name', replaces: 'fl', typed: 'fl', prefix: '?' }],
  ['{\n  "dependencies": ["base >= 2.0", "fl|\n  "factorio_version": "2.0"\n}', { part: 'name', replaces: 'fl', typed: 'fl' }],
];

test('completion context inside dependency strings', () => {
  for (const [marked, expected] of DEPENDENCY_CASES) {
    const { ctx, text, offset } = contextAt(marked);
    assert.ok(ctx && ctx.kind === 'dependency', `${marked}: ${JSON.stringify(ctx)}`);
    assert.equal(ctx.part, expected.part, marked);
    assert.equal(text.slice(ctx.replaceRange.start, ctx.replaceRange.end), expected.replaces, marked);
    assert.ok(ctx.replaceRange.start <= offset && offset <= ctx.replaceRange.end, `${marked}: range holds the cursor`);
    assert.equal(ctx.typed, expected.typed, marked);
    assert.equal(ctx.name, expected.name, marked);
    assert.equal(ctx.prefix, expected.prefix, marked);
    // The range stays inside the string being typed: the quotes are never replaced.
    const item = parseInfoJson(text).dependencies!.items.find((i) => i.contentStart <= offset && offset <= i.contentEnd)!;
    assert.ok(item, `${marked}: the cursor is in an item`);
    assert.ok(item.contentStart <= ctx.replaceRange.start && ctx.replaceRange.end <= item.contentEnd, marked);
    assert.equal(text[item.contentStart - 1], '"', `${marked}: contents start after the quote`);
    if (expected.operator !== undefined) {
      // What comes after the operator is the version: the grammar sees the same operator.
      assert.equal(item.parsed!.tokens.operator?.text, expected.operator, marked);
    }
  }
});

test('completion context reports the prefix of a later item', () => {
  const { ctx, text } = contextAt('{"dependencies": ["base", "! fl|"]}');
  assert.ok(ctx?.kind === 'dependency');
  assert.equal(ctx.prefix, '!');
  assert.equal(text.slice(ctx.replaceRange.start, ctx.replaceRange.end), 'fl');
  const { ctx: hidden } = contextAt('{"dependencies": ["(?)|"]}');
  assert.ok(hidden?.kind === 'dependency');
  assert.equal(hidden.prefix, '(?)');
  assert.equal(hidden.part, 'name');
});

test('completion context for a new item outside any string', () => {
  const cases: Array<[string, string, string]> = [
    ['{"dependencies": [|]}', '', ''],
    ['{"dependencies": [\n  |\n]}', '', ''],
    ['{"dependencies": ["base", |]}', '', ''],
    ['{"dependencies": ["base",|', '', ''],
    ['{"dependencies": [fl|]}', 'fl', 'fl'],
    ['{"dependencies": ["base", fl|ib]}', 'flib', 'fl'],
  ];
  for (const [marked, replaces, typed] of cases) {
    const { ctx, text } = contextAt(marked);
    assert.ok(ctx?.kind === 'dependency-new-item', `${marked}: ${JSON.stringify(ctx)}`);
    assert.equal(text.slice(ctx.replaceRange.start, ctx.replaceRange.end), replaces, marked);
    assert.equal(ctx.typed, typed, marked);
  }
});

test('completion context for factorio_version', () => {
  const cases: Array<[string, string, boolean, string]> = [
    ['{"factorio_version": "|"}', '', true, ''],
    ['{"factorio_version": "2.|0"}', '2.0', true, '2.'],
    ['{"factorio_version": "|2.0"}', '2.0', true, ''],
    ['{"factorio_version": "1|', '1', true, '1'],
    ['{"factorio_version": |}', '', false, ''],
    ['{"name": "x",\n "factorio_version": |\n}', '', false, ''],
    ['{"factorio_version": 2.|0}', '2.0', false, '2.'],
  ];
  for (const [marked, replaces, inString, typed] of cases) {
    const { ctx, text } = contextAt(marked);
    assert.ok(ctx?.kind === 'factorio-version', `${marked}: ${JSON.stringify(ctx)}`);
    assert.equal(text.slice(ctx.replaceRange.start, ctx.replaceRange.end), replaces, marked);
    assert.equal(ctx.inString, inString, marked);
    assert.equal(ctx.typed, typed, marked);
  }
});

test('no completion context elsewhere', () => {
  const cases = [
    '|{"dependencies": []}',
    '{"dependencies": []|}',
    '{"dependencies": [] |, "name": "x"}',
    '{"depend|encies": []}',
    '{"name": "fl|"}',
    '{"title": "|"}',
    '{"dependencies": ["base"|]}',
    '{"dependencies": ["base" |]}',
    '{"dependencies": [|"base"]}',
    '{"dependencies": ["|? flib"]}',
    '{"dependencies": ["flib >= 1.0 |"]}',
    '{"dependencies": ["(|"]}',
    '{"factorio_version": "2.0"|}',
    '{"factorio_version"|: "2.0"}',
    '{"other": {"dependencies": ["|"]}}',
    '{"other": {"factorio_version": "|"}}',
  ];
  for (const marked of cases) {
    const { ctx } = contextAt(marked);
    assert.equal(ctx, undefined, `${marked}: ${JSON.stringify(ctx)}`);
  }
  assert.equal(completionContextAt(parseInfoJson('{}'), -1), undefined);
  assert.equal(completionContextAt(parseInfoJson('{}'), 99), undefined);
});

test('completion inside an escaped string replaces the token as written', () => {
  const { ctx, text } = contextAt('{"dependencies": ["? \\u0066l|"]}');
  assert.ok(ctx?.kind === 'dependency');
  assert.equal(ctx.part, 'name');
  assert.equal(text.slice(ctx.replaceRange.start, ctx.replaceRange.end), '\\u0066l');
  assert.equal(ctx.prefix, '?');
  const { ctx: version } = contextAt('{"dependencies": ["\\u0066lib >= |"]}');
  assert.ok(version?.kind === 'dependency');
  assert.equal(version.part, 'version');
  assert.equal(version.name, 'flib', 'the decoded name');
});

// --- what completion inserts can't break the JSON string ---

test('text for inside a string is escaped only where JSON needs it', () => {
  assert.equal(stringContentsFor('factorio-lib'), 'factorio-lib');
  assert.equal(stringContentsFor('Some Mod_2'), 'Some Mod_2');
  assert.equal(stringContentsFor('a"b'), 'a\\"b');
  assert.equal(stringContentsFor('a\\b'), 'a\\\\b');
  assert.equal(stringContentsFor('a\nb'), 'a\\nb');
  for (const nasty of ['"', '\\', '"]}, "x": 1 //', 'tab\there', '\u0000\u001f', 'line\u2028sep', 'ünïcode', '"\\"']) {
    const contents = stringContentsFor(nasty);
    assert.ok(!/[\u0000-\u001f]/.test(contents), `no raw control character for ${JSON.stringify(nasty)}`);
    assert.equal(JSON.parse(`"${contents}"`), nasty, 'the string decodes to the name');
    const doc = parseInfoJson(`{"dependencies": ["${contents}"]}`);
    assert.deepEqual(doc.syntaxErrors, [], JSON.stringify(nasty));
    assert.equal(doc.dependencies!.items.length, 1);
  }
});

test('only versions the model parses, exactly as written, are offered', () => {
  for (const ok of ['1.0', '1.2.3', '0.18.0', '65535.65535.65535', '01.02']) assert.equal(isOfferableVersion(ok), true, ok);
  for (const bad of ['', '1', '1.2.3.4', '1.x', 'v1.0', '1.0-beta', '70000.0', ' 1.0.0', '1.0.0\n', '1.0"', '1.0\\', '1.0 ', 5, null, undefined, {}]) {
    assert.equal(isOfferableVersion(bad), false, JSON.stringify(bad));
  }
});

// --- files no one writes by hand ---

test('completion answers in a file nested 10,000 levels deep', () => {
  const text = deepInfoJson();
  const doc = parseInfoJson(text);
  const typing = text.indexOf('"? fl') + '"? fl'.length;
  const ctx = completionContextAt(doc, typing);
  assert.ok(ctx?.kind === 'dependency', JSON.stringify(ctx));
  assert.equal(ctx.part, 'name');
  assert.equal(ctx.typed, 'fl');
  assert.equal(ctx.prefix, '?');
  const operator = completionContextAt(doc, text.indexOf('factorio-lib ') + 'factorio-lib '.length);
  assert.ok(operator?.kind === 'dependency' && operator.part === 'operator', JSON.stringify(operator));
  // Inside the deep item nothing is offered; every offset answers without throwing.
  assert.equal(completionContextAt(doc, text.indexOf('[{"a": [{"a"', text.indexOf('"dependencies"')) + 3), undefined);
  for (let offset = 0; offset <= text.length; offset += 997) completionContextAt(doc, offset);
});

test('completion answers in a 10 MB file with 10,000 dependencies', () => {
  const text = hugeInfoJson();
  const doc = parseInfoJson(text);
  const last = hugeDependencies().at(-1)!;
  const at = text.lastIndexOf(JSON.stringify(last)) + 1 + last.indexOf('>=');
  const ctx = completionContextAt(doc, at);
  assert.ok(ctx?.kind === 'dependency', JSON.stringify(ctx));
  assert.equal(ctx.part, 'operator');
  assert.equal(ctx.name, `stress-dep-${HUGE_DEPENDENCIES - 1}`);
  const name = completionContextAt(doc, text.indexOf('"factorio-lib') + 4);
  assert.ok(name?.kind === 'dependency' && name.part === 'name' && name.typed === 'fac', JSON.stringify(name));
  assert.equal(completionContextAt(doc, text.indexOf('Lorem') + 2), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompletionContext,
  completionContextAt,
  dependencyOffset,
  dependencyRange,
  parseInfoJson,
} from '../../../src/model/document';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'info-json');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** Splits a test string at its `|` cursor marker. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0 && marked.indexOf('|', offset + 1) < 0, `one cursor in ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function contextAt(marked: string): { ctx: CompletionContext | undefined; text: string; offset: number } {
  const { text, offset } = cursor(marked);
  return { ctx: completionContextAt(text, offset), text, offset };
}

test('a well-formed file gives its fields, values and ranges', () => {
  const text = fixture('good-mod.info.json');
  const doc = parseInfoJson(text);
  assert.deepEqual(doc.syntaxErrors, []);
  assert.deepEqual(doc.comments, []);
  assert.deepEqual(doc.trailingCommas, []);
  assert.equal(doc.modName, 'better-belts');
  assert.equal(doc.modVersion, '1.3.0');
  assert.equal(doc.factorioVersion, '2.0');
  const title = doc.fields.get('title')!;
  assert.equal(text.slice(title.keyRange.start, title.keyRange.end), '"title"');
  assert.equal(text.slice(title.valueRange!.start, title.valueRange!.end), '"Better Belts"');
  assert.equal(title.value, 'Better Belts');
  assert.equal(doc.fields.get('quality_required')!.value, false);
  const deps = doc.dependencies!;
  assert.equal(deps.isArray, true);
  assert.equal(text[deps.range.start], '[');
  assert.equal(text[deps.range.end - 1], ']');
  assert.equal(deps.items.length, 7);
  for (const item of deps.items) {
    assert.equal(text.slice(item.range.start, item.range.end), JSON.stringify(item.value));
    assert.equal(text.slice(item.contentStart, item.contentEnd), item.raw);
    assert.equal(item.parsed?.error, undefined);
    assert.equal(item.terminated, true);
  }
  const flib = deps.items[1];
  assert.equal(flib.index, 1);
  const name = dependencyRange(flib, flib.parsed!.name!);
  assert.equal(text.slice(name.start, name.end), 'flib');
});

test('the built-in mod files parse cleanly', () => {
  for (const file of ['space-age-2.0.66.info.json', 'space-age-2.1.12.info.json', 'quality-2.1.12.info.json', 'base-2.0.66.info.json']) {
    const doc = parseInfoJson(fixture(file));
    assert.deepEqual(doc.syntaxErrors, [], file);
    assert.ok(doc.dependencies!.items.every((i) => i.parsed && !i.parsed.error), file);
  }
  assert.equal(parseInfoJson(fixture('space-age-2.1.12.info.json')).dependencies!.items[2].parsed!.kind, 'recommended');
});

test('comments and trailing commas are found while the tree still parses', () => {
  const text = fixture('messy-mod.info.json');
  const doc = parseInfoJson(text);
  assert.deepEqual(doc.syntaxErrors, []);
  assert.deepEqual(doc.comments.map((c) => text.slice(c.start, c.end)), ['// the game does not allow comments', '/* block */']);
  assert.equal(doc.trailingCommas.length, 2);
  for (const c of doc.trailingCommas) {
    assert.equal(text.slice(c.start, c.end), ',');
    assert.match(text.slice(c.end), /^\s*[\]}]/);
  }
  const items = doc.dependencies!.items;
  assert.deepEqual(items.map((i) => i.value), ['base>=2.0', '?flib => 0.12', undefined, 'flib', 'mod 1.0']);
  assert.equal(items[2].raw, '42');
  assert.equal(items[2].parsed, undefined);
  assert.equal(items[1].parsed!.error!.message.includes("did you mean '>='"), true);
});

test('commas inside strings and comments are not trailing commas', () => {
  const doc = parseInfoJson('{"a": ",]", "b": [1 /* , ] */ ]}');
  assert.deepEqual(doc.trailingCommas, []);
  assert.equal(doc.comments.length, 1);
});

test('half-typed documents still give a tree and precise errors', () => {
  // Unterminated string at the end of the file.
  let text = '{\n  "name": "my-mod",\n  "dependencies": ["base >= 2.0.0", "fl';
  let doc = parseInfoJson(text);
  assert.equal(doc.modName, 'my-mod');
  let items = doc.dependencies!.items;
  assert.equal(items.length, 2);
  assert.equal(items[1].terminated, false);
  assert.equal(items[1].raw, 'fl');
  assert.equal(items[1].value, 'fl');
  assert.equal(items[1].contentEnd, text.length);
  const codes = doc.syntaxErrors.map((e) => e.code);
  assert.ok(codes.includes('UnexpectedEndOfString'), codes.join());
  const unterminated = doc.syntaxErrors.find((e) => e.code === 'UnexpectedEndOfString')!;
  assert.equal(text.slice(unterminated.start, unterminated.end), '"fl');
  assert.match(unterminated.message, /Unterminated string/);

  // Unterminated string in the middle: it stops at the line end and the rest still parses.
  text = '{\n  "dependencies": ["flib >= 0.1\n  ],\n  "factorio_version": "2.0"\n}';
  doc = parseInfoJson(text);
  items = doc.dependencies!.items;
  assert.equal(items[0].raw, 'flib >= 0.1');
  assert.equal(items[0].parsed!.version!.text, '0.1');
  assert.equal(doc.factorioVersion, '2.0');

  // Missing comma between properties.
  text = '{\n  "name": "my-mod"\n  "version": "1.0.0"\n}';
  doc = parseInfoJson(text);
  const comma = doc.syntaxErrors.find((e) => e.code === 'CommaExpected')!;
  assert.ok(comma, JSON.stringify(doc.syntaxErrors));
  assert.equal(text.slice(comma.start, comma.end), '"version"');
  assert.equal(comma.message, "Expected ','");
  assert.equal(doc.modVersion, '1.0.0');

  // Missing comma between array items.
  doc = parseInfoJson('{"dependencies": ["base" "flib"]}');
  assert.deepEqual(doc.dependencies!.items.map((i) => i.value), ['base', 'flib']);
  assert.ok(doc.syntaxErrors.some((e) => e.code === 'CommaExpected'));

  // Missing closing brace and bracket.
  text = '{"name": "abcd", "dependencies": ["base"';
  doc = parseInfoJson(text);
  assert.deepEqual(doc.dependencies!.items.map((i) => i.value), ['base']);
  assert.ok(doc.syntaxErrors.some((e) => e.code === 'CloseBracketExpected'));
  assert.ok(doc.syntaxErrors.some((e) => e.code === 'CloseBraceExpected'));

  // A property still waiting for its value.
  doc = parseInfoJson('{"name": "abcd", "title": ');
  const title = doc.fields.get('title')!;
  assert.equal(title.valueRange, undefined);
  assert.equal(title.value, undefined);
  assert.ok(doc.syntaxErrors.some((e) => e.code === 'ValueExpected'));
});

test('odd roots and shapes do not throw', () => {
  for (const text of ['', '   ', '[]', '"x"', '{', '}', '{"dependencies": "base"}', '{"dependencies": {}}', '{"dependencies": [null, [], {}]}', '{"":1}']) {
    const doc = parseInfoJson(text);
    assert.ok(Array.isArray(doc.syntaxErrors), text);
  }
  assert.equal(parseInfoJson('[]').root, undefined);
  assert.ok(parseInfoJson('').syntaxErrors.length > 0, 'an empty file is not valid JSON');
  const notArray = parseInfoJson('{"dependencies": "base"}').dependencies!;
  assert.equal(notArray.isArray, false);
  assert.deepEqual(notArray.items, []);
});

test('a repeated key keeps the last value', () => {
  const doc = parseInfoJson('{"name": "first", "name": "second"}');
  assert.equal(doc.modName, 'second');
});

test('escaped strings map decoded offsets back to the document', () => {
  const text = '{"dependencies": ["\\u0066lib >= 1.0", "a\\tb"]}';
  const doc = parseInfoJson(text);
  const [item, tab] = doc.dependencies!.items;
  assert.equal(item.value, 'flib >= 1.0');
  assert.equal(item.raw, '\\u0066lib >= 1.0');
  const name = dependencyRange(item, item.parsed!.name!);
  assert.equal(text.slice(name.start, name.end), '\\u0066lib');
  const version = dependencyRange(item, item.parsed!.version!);
  assert.equal(text.slice(version.start, version.end), '1.0');
  // The tab is an invalid name character; its range covers the escape as written.
  const err = dependencyRange(tab, tab.parsed!.error!);
  assert.equal(text.slice(err.start, err.end), '\\t');
  // Offsets past the end clamp to the end of the contents.
  assert.equal(dependencyOffset(item, 999), item.contentEnd);
});

// --- completion contexts ---

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
    assert.equal(ctx.operator, expected.operator, marked);
    assert.equal(ctx.prefix, expected.prefix, marked);
    assert.ok(ctx.itemStart <= ctx.replaceRange.start && ctx.replaceRange.end <= ctx.itemEnd, marked);
    assert.notEqual(text[ctx.itemStart - 1], undefined);
    assert.equal(text[ctx.itemStart - 1], '"', `${marked}: contents start after the quote`);
  }
});

test('completion context reports the item index and the dependency kind', () => {
  const { ctx } = contextAt('{"dependencies": ["base", "! fl|"]}');
  assert.ok(ctx?.kind === 'dependency');
  assert.equal(ctx.index, 1);
  assert.equal(ctx.dependencyKind, 'incompatible');
  const { ctx: hidden } = contextAt('{"dependencies": ["(?)|"]}');
  assert.ok(hidden?.kind === 'dependency');
  assert.equal(hidden.dependencyKind, 'hidden-optional');
});

test('completion context for a new item outside any string', () => {
  const cases: Array<[string, string, number]> = [
    ['{"dependencies": [|]}', '', 0],
    ['{"dependencies": [\n  |\n]}', '', 0],
    ['{"dependencies": ["base", |]}', '', 1],
    ['{"dependencies": ["base",|', '', 1],
    ['{"dependencies": [fl|]}', 'fl', 0],
    ['{"dependencies": ["base", fl|ib]}', 'flib', 1],
  ];
  for (const [marked, replaces, index] of cases) {
    const { ctx, text } = contextAt(marked);
    assert.ok(ctx?.kind === 'dependency-new-item', `${marked}: ${JSON.stringify(ctx)}`);
    assert.equal(text.slice(ctx.replaceRange.start, ctx.replaceRange.end), replaces, marked);
    assert.equal(ctx.index, index, marked);
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
  assert.equal(completionContextAt('{}', -1), undefined);
  assert.equal(completionContextAt('{}', 99), undefined);
});

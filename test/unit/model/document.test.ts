import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependencyOffset, dependencyRange, MAX_NESTING, parseInfoJson } from '../../../src/model/document';
import {
  DEEP_LEVELS,
  deepInfoJson,
  HUGE_BYTES,
  HUGE_DEPENDENCIES,
  hugeDependencies,
  hugeInfoJson,
  nested,
} from '../../fixtures/stressInfoJson';
import { fixtureText } from '../builders';

const fixture = (name: string): string => fixtureText('info-json', name);

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
  for (const file of ['../builtin-mods/2.0.66/space-age.info.json', '../builtin-mods/2.1.12/space-age.info.json', '../builtin-mods/2.1.12/quality.info.json', '../builtin-mods/2.0.66/base.info.json']) {
    const doc = parseInfoJson(fixture(file));
    assert.deepEqual(doc.syntaxErrors, [], file);
    assert.ok(doc.dependencies!.items.every((i) => i.parsed && !i.parsed.error), file);
  }
  assert.equal(parseInfoJson(fixture('../builtin-mods/2.1.12/space-age.info.json')).dependencies!.items[2].parsed!.kind, 'recommended');
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

// --- files no one writes by hand: they must still give a model, never throw ---

test('a file nested 10,000 levels deep gives a model and one error per too-deep value', () => {
  const text = deepInfoJson();
  const doc = parseInfoJson(text);
  assert.equal(doc.modName, 'stress-mod');
  assert.equal(doc.factorioVersion, '2.0');
  const deep = doc.syntaxErrors.filter((e) => e.code === 'NestingTooDeep');
  assert.equal(deep.length, 2, JSON.stringify(doc.syntaxErrors.slice(0, 5)));
  for (const e of deep) {
    assert.match(text[e.start]!, /[[{]/, 'points at the opening bracket');
    assert.match(e.message, new RegExp(`more than ${MAX_NESTING} levels`));
  }
  const items = doc.dependencies!.items;
  assert.deepEqual(items.map((i) => i.value), ['base >= 2.0.0', undefined, '? factorio-lib >= 1.0.0', '? fl']);
  assert.equal(items[1]!.node.type, 'array');
  assert.equal(text.slice(items[1]!.range.start, items[1]!.range.start + 3), '[{"');
  assert.equal(items[3]!.terminated, false);
  // Nothing else is wrong with the file: only the depth and the half-typed string.
  assert.deepEqual([...new Set(doc.syntaxErrors.map((e) => e.code))].sort(), ['NestingTooDeep', 'UnexpectedEndOfString']);
});

test('deep nesting just past the limit is reported whatever the stack allows', () => {
  const text = `{"name": "abcd", "x": ${nested(MAX_NESTING + 5)}, "dependencies": ["base"]}`;
  const doc = parseInfoJson(text);
  assert.deepEqual(doc.syntaxErrors.map((e) => e.code), ['NestingTooDeep']);
  assert.deepEqual(doc.dependencies!.items.map((i) => i.value), ['base']);
  assert.deepEqual(parseInfoJson(`{"x": ${nested(MAX_NESTING - 1)}}`).syntaxErrors, []);
});

test('unclosed and mismatched deep nesting does not throw either', () => {
  // `[}` nests nothing: the parser skips the rest after the first stray `}`.
  const cases: Array<[string, boolean]> = [
    [nested(DEEP_LEVELS, false), true],
    ['{"a":'.repeat(DEEP_LEVELS), true],
    ['['.repeat(200_000), true],
    ['[}'.repeat(DEEP_LEVELS), false],
  ];
  for (const [deep, tooDeep] of cases) {
    const text = `{"name": "abcd", "dependencies": ["base", "? fl"], "x": ${deep}`;
    const doc = parseInfoJson(text);
    assert.equal(doc.modName, 'abcd');
    assert.deepEqual(doc.dependencies!.items.map((i) => i.value), ['base', '? fl']);
    assert.equal(doc.syntaxErrors.some((e) => e.code === 'NestingTooDeep'), tooDeep, deep.slice(0, 10));
    assert.ok(doc.syntaxErrors.some((e) => e.code !== 'NestingTooDeep'), 'the missing closers are reported too');
  }
});

test('a 10 MB file with 10,000 dependencies gives every item, with comments and commas still found', () => {
  const text = hugeInfoJson();
  assert.ok(text.length >= HUGE_BYTES * 0.95, `${text.length} characters`);
  const doc = parseInfoJson(text);
  assert.deepEqual(doc.syntaxErrors, []);
  const items = doc.dependencies!.items;
  assert.equal(items.length, HUGE_DEPENDENCIES);
  assert.deepEqual(items.map((i) => i.value), hugeDependencies());
  for (const i of [0, 1, 89 * 3, HUGE_DEPENDENCIES - 1]) {
    const item = items[i]!;
    assert.equal(text.slice(item.range.start, item.range.end), JSON.stringify(item.value));
  }
  assert.equal(items[97]!.parsed!.error!.message.includes("did you mean '>='"), true);
  assert.equal(doc.fields.get('description')!.value, JSON.parse(text).description);
  // The big values are one node each: their contents are not needed.
  assert.equal(doc.fields.get('records')!.valueNode!.type, 'array');
  assert.deepEqual(doc.fields.get('records')!.valueNode!.children, []);

  const messy = text.replace('"records": [', '"records": [ /* c */').replace(/\n {2}\]\n\}\n$/, ',\n  ]\n}\n');
  const messyDoc = parseInfoJson(messy);
  assert.deepEqual(messyDoc.comments.map((c) => messy.slice(c.start, c.end)), ['/* c */']);
  assert.equal(messyDoc.trailingCommas.length, 1);
  assert.equal(messy[messyDoc.trailingCommas[0]!.start], ',');
});

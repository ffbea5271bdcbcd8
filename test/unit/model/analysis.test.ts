import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AnalysisContext,
  analyzeDocument,
  fieldFindings,
  Finding,
  FindingCode,
  ModFacts,
  portalNameProblems,
  updateFixData,
} from '../../../src/model/analysis';
import { parseDependency } from '../../../src/model/dependency';
import { parseInfoJson } from '../../../src/model/document';
import { deepInfoJson, HUGE_DEPENDENCIES, hugeDependencies, hugeInfoJson } from '../../fixtures/stressInfoJson';
import { fixtureText, release } from '../builders';

const BUILTIN_FIXTURES = join(__dirname, '..', '..', 'fixtures', 'builtin-mods');
const fixture = (name: string): string => fixtureText('info-json', name);


/** Facts for a small fictional portal; names not listed are missing. */
const PORTAL: Record<string, ModFacts> = {
  flib: {
    state: 'found',
    title: 'Factorio Library',
    releases: [release('0.12.9', '1.1'), release('0.16.5', '2.0'), release('0.15.0', '2.0'), release('0.17.0', '2.1'), release('0.1.0', '0.18')],
  },
  stdlib2: { state: 'found', releases: [release('2.1.0', '2.0')] },
  'bad-belts': { state: 'found', releases: [release('1.0.0', '1.1')] },
  'old-helper': { state: 'found', releases: [release('1.4.2', '2.0'), release('1.2.0', '2.0'), release('1.0.0', '2.0')] },
  'legacy-mod': { state: 'found', deprecated: true, title: 'Legacy', releases: [release('3.0.0', '2.0')] },
  'old-only': { state: 'found', releases: [release('0.5.0', '1.1'), release('0.4.0', '1.0')] },
};

function portal(extra: Partial<AnalysisContext> = {}): AnalysisContext {
  return { facts: (name) => PORTAL[name] ?? { state: 'missing' }, ...extra };
}

const unknownPortal: AnalysisContext = { facts: () => ({ state: 'unknown' }) };

/** A valid info.json around the given dependency strings (or raw array text); null leaves factorio_version out. */
function infoJson(deps: string[] | string, factorioVersion: string | null = '2.0', name = 'my-mod'): string {
  const depText = typeof deps === 'string' ? deps : JSON.stringify(deps);
  const fv = factorioVersion === null ? '' : `,\n  "factorio_version": ${JSON.stringify(factorioVersion)}`;
  return `{\n  "name": ${JSON.stringify(name)},\n  "version": "1.0.0",\n  "title": "My Mod",\n  "author": "me"${fv},\n  "dependencies": ${depText}\n}`;
}

function analyze(text: string, ctx: AnalysisContext = portal()): Finding[] {
  return analyzeDocument(parseInfoJson(text), ctx);
}

function only(findings: Finding[], code: FindingCode): Finding {
  const matching = findings.filter((f) => f.code === code);
  assert.equal(matching.length, 1, `one ${code} in ${JSON.stringify(findings, null, 1)}`);
  return matching[0];
}

const slice = (text: string, f: Finding): string => text.slice(f.start, f.end);

test('a correct file with full facts has no findings', () => {
  assert.deepEqual(analyze(fixture('good-mod.info.json')), []);
});

test('the game\'s own info.json files have no findings', () => {
  for (const file of ['../builtin-mods/2.0.66/space-age.info.json', '../builtin-mods/2.1.12/space-age.info.json', '../builtin-mods/2.1.12/quality.info.json']) {
    assert.deepEqual(analyze(fixture(file)), [], file);
  }
  // Every built-in mod of both game versions, including base and core, which have no
  // factorio_version (and core no version) because they are versioned with the game.
  const files = readdirSync(BUILTIN_FIXTURES).flatMap((dir) => readdirSync(join(BUILTIN_FIXTURES, dir)).map((f) => join(dir, f)));
  assert.equal(files.length, 11, files.join());
  for (const file of files) {
    const text = readFileSync(join(BUILTIN_FIXTURES, file), 'utf8');
    assert.deepEqual(analyze(text), [], file);
    assert.deepEqual(analyze(text, unknownPortal), [], file);
  }
});

test('only the built-in mods may leave out version and factorio_version', () => {
  const text = '{\n  "name": "my-mod",\n  "title": "t",\n  "author": "a",\n  "dependencies": []\n}';
  const messages = analyze(text).map((f) => `${f.code}/${f.severity}: ${f.message}`);
  assert.deepEqual(messages, [
    'missing-field/error: Missing mandatory field "version"',
    'missing-field/warning: Missing "factorio_version": the game then assumes "0.12"',
  ]);
  // A built-in mod still needs its title and author.
  const core = '{\n  "name": "core",\n  "dependencies": []\n}';
  assert.deepEqual(analyze(core).map((f) => f.message), ['Missing mandatory field "title"', 'Missing mandatory field "author"']);
});

test('unknown facts never produce portal findings', () => {
  const text = infoJson(['nonexistent-mod', 'flib = 0.1.0', 'old-helper >= 0.0.1', 'flib < 0.0.1']);
  const codes = analyze(text, unknownPortal).map((f) => f.code);
  assert.deepEqual(codes, ['duplicate-dependency']);
  assert.deepEqual(analyze(fixture('good-mod.info.json'), unknownPortal), []);
});

test('json-syntax, json-comment and json-trailing-comma', () => {
  const text = fixture('messy-mod.info.json');
  const findings = analyze(text);
  const comments = findings.filter((f) => f.code === 'json-comment');
  assert.deepEqual(comments.map((f) => slice(text, f)), ['// the game does not allow comments', '/* block */']);
  assert.ok(comments.every((f) => f.severity === 'error' && /strict JSON/.test(f.message)));
  const commas = findings.filter((f) => f.code === 'json-trailing-comma');
  assert.equal(commas.length, 2);
  assert.ok(commas.every((f) => slice(text, f) === ',' && f.severity === 'error'));

  const broken = '{\n  "name": "my-mod"\n  "version": "1.0.0"\n}';
  const syntax = only(analyze(broken), 'json-syntax');
  assert.equal(slice(broken, syntax), '"version"');
  assert.equal(syntax.severity, 'error');
  assert.match(syntax.message, /Expected ','/);
});

test('invalid-name: the portal\'s rules are a warning, the game\'s limit an error', () => {
  for (const [name, pattern] of [
    ['my mod', /letters, digits/],
    ['abc', /4 to 49 characters \(it has 3\)/],
    ['a'.repeat(50), /4 to 49/],
    ['möd-name', /letters/],
  ] as const) {
    const text = infoJson([], '2.0', name);
    const f = only(fieldFindings(parseInfoJson(text)), 'invalid-name');
    assert.equal(f.severity, 'warning', name);
    assert.match(f.message, pattern, name);
    assert.equal(slice(text, f), JSON.stringify(name));
  }
  const long = only(fieldFindings(parseInfoJson(infoJson([], '2.0', 'x'.repeat(101)))), 'invalid-name');
  assert.equal(long.severity, 'error');
  assert.match(long.message, /101 characters/);
  const notString = only(fieldFindings(parseInfoJson('{"name": 5, "version": "1.0.0", "title": "t", "author": "a", "factorio_version": "2.0"}')), 'invalid-name');
  assert.equal(notString.severity, 'error');
  for (const ok of ['abcd', 'a'.repeat(49), 'My_Mod-2']) {
    assert.equal(fieldFindings(parseInfoJson(infoJson([], '2.0', ok))).length, 0, ok);
  }
});

test('invalid-version', () => {
  for (const bad of ['1.0', '1.0.0.0', '1.0.70000', 'v1', '']) {
    const text = infoJson([]).replace('"version": "1.0.0"', `"version": ${JSON.stringify(bad)}`);
    const f = only(fieldFindings(parseInfoJson(text)), 'invalid-version');
    assert.equal(f.severity, 'error');
    assert.equal(slice(text, f), JSON.stringify(bad));
    assert.match(f.message, /A\.B\.C/);
  }
  const numeric = '{"name": "abcd", "version": 1, "title": "t", "author": "a", "factorio_version": "2.0"}';
  only(fieldFindings(parseInfoJson(numeric)), 'invalid-version');
});

test('invalid-factorio-version, with the portal explanation for a third number', () => {
  let text = infoJson([], '2.0.1');
  let f = only(fieldFindings(parseInfoJson(text)), 'invalid-factorio-version');
  assert.equal(f.severity, 'error');
  assert.equal(slice(text, f), '"2.0.1"');
  assert.match(f.message, /portal rejects/);
  text = infoJson([], 'two');
  f = only(fieldFindings(parseInfoJson(text)), 'invalid-factorio-version');
  assert.match(f.message, /"two"/);
});

test('missing-field: mandatory ones are errors, factorio_version a warning', () => {
  const text = '{\n  "name": "abcd"\n}';
  const findings = fieldFindings(parseInfoJson(text)).filter((f) => f.code === 'missing-field');
  const byMessage = findings.map((f) => [f.severity, f.message.match(/"(\w+)"/)?.[1]]);
  assert.deepEqual(byMessage, [
    ['error', 'version'],
    ['error', 'title'],
    ['error', 'author'],
    ['warning', 'factorio_version'],
  ]);
  assert.ok(findings.every((f) => slice(text, f) === '{'));
  assert.match(findings[3].message, /0\.12/);
  // Nothing about fields when there is no object at all: the syntax error says it.
  assert.deepEqual(fieldFindings(parseInfoJson('')).map((f) => f.code), ['json-syntax']);
});

test('dependency-not-string', () => {
  let text = infoJson('["base", 42, {"name": "flib"}]');
  const findings = analyze(text).filter((f) => f.code === 'dependency-not-string');
  assert.deepEqual(findings.map((f) => slice(text, f)), ['42', '{"name": "flib"}']);
  assert.ok(findings.every((f) => f.severity === 'error'));
  text = infoJson('"base"');
  const whole = only(analyze(text), 'dependency-not-string');
  assert.equal(slice(text, whole), '"base"');
  assert.match(whole.message, /array/);
});

test('malformed-dependency points at the bad part inside the string', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['flib >=', '>=', /^Expected a version such as 1\.2\.0 after '>='$/],
    ['flib => 1.0', '=>', /did you mean '>='/],
    ['flib >= 1.x', 'x', /not a number/],
    ['mod 1.0', '1.0', /operator/],
    ['', '', /^Empty/],
    ['?', '?', /mod name/],
    ['my.mod', '.', /^Invalid character '\.' in the mod name; use letters, digits/],
  ];
  for (const [dep, bad, message] of cases) {
    const text = infoJson([dep]);
    const f = only(analyze(text), 'malformed-dependency');
    assert.equal(f.severity, 'error');
    assert.match(f.message, message, dep);
    assert.equal(slice(text, f), bad, dep);
    // The range lies inside the quotes.
    const quoted = JSON.stringify(dep);
    const itemStart = text.indexOf(quoted);
    assert.ok(f.start > itemStart && f.end < itemStart + quoted.length || dep === '', dep);
  }
  const fix = only(analyze(infoJson(['? flib => 0.16.5'])), 'malformed-dependency');
  assert.equal(fix.data?.replacement, '? flib >= 0.16.5');
  assert.equal(fix.dependency, 'flib');
});

test('unknown-mod only when the portal says missing, with suggestions', () => {
  const text = infoJson(['flbi >= 0.1.0', '? nothing-here', 'base', 'space-age']);
  const ctx = portal({ suggest: (name) => (name === 'flbi' ? ['flib', 'flbi'] : []) });
  const findings = analyze(text, ctx).filter((f) => f.code === 'unknown-mod');
  assert.equal(findings.length, 2);
  const [required, optional] = findings;
  assert.equal(slice(text, required), 'flbi');
  assert.equal(required.severity, 'error');
  assert.match(required.message, /No mod named "flbi".*did you mean "flib"\?/);
  assert.deepEqual(required.data?.suggestions, ['flib']);
  assert.equal(required.dependency, 'flbi');
  assert.equal(optional.severity, 'warning');
  assert.equal(optional.data, undefined);
  // Built-ins are never looked up; the mod's own name is (for what the portal has under it).
  const asked: string[] = [];
  analyze(text, { facts: (n) => (asked.push(n), { state: 'missing' }) });
  assert.deepEqual(asked.sort(), ['flbi', 'my-mod', 'nothing-here']);
});

test('a dependency still being typed is not judged against the portal', () => {
  const text = '{"name": "my-mod", "version": "1.0.0", "title": "t", "author": "a", "factorio_version": "2.0",\n"dependencies": ["fl\n]}';
  const codes = analyze(text).map((f) => f.code);
  assert.ok(codes.includes('json-syntax'));
  assert.ok(!codes.includes('unknown-mod'), codes.join());
});

test('deprecated-mod', () => {
  const text = infoJson(['legacy-mod']);
  const f = only(analyze(text), 'deprecated-mod');
  assert.equal(f.severity, 'warning');
  assert.equal(slice(text, f), 'legacy-mod');
  assert.match(f.message, /Legacy.*deprecated/);
});

test('no-compatible-release: error when required, warning when optional, nothing for incompatible', () => {
  const text = infoJson(['old-only', '? old-only', '~ old-only']);
  const findings = analyze(text).filter((f) => f.code === 'no-compatible-release');
  assert.equal(findings.length, 1, 'the later duplicates are only flagged as duplicates');
  assert.equal(findings[0].severity, 'error');
  assert.match(findings[0].message, /no release for Factorio 2\.0 \(its latest, 0\.5\.0, is for Factorio 1\.1\)/);
  const optional = only(analyze(infoJson(['? old-only'])), 'no-compatible-release');
  assert.equal(optional.severity, 'warning');
  assert.equal(analyze(infoJson(['! old-only'])).length, 0);
  // 0.18 releases count for a 1.0 mod.
  assert.equal(analyze(infoJson(['flib >= 0.1.0'], '1.0')).length, 0);
  assert.equal(only(analyze(infoJson(['flib'], '0.17')), 'no-compatible-release').severity, 'error');
});

test('unsatisfiable-constraint', () => {
  const text = infoJson(['? flib >= 0.17.0']);
  const f = only(analyze(text), 'unsatisfiable-constraint');
  assert.equal(f.severity, 'error');
  assert.equal(slice(text, f), '>= 0.17.0');
  assert.match(f.message, /No release of "flib" for Factorio 2\.0 matches ">= 0\.17\.0"; the latest compatible is 0\.16\.5/);
  assert.deepEqual(f.data, { latestVersion: '0.16.5', replacement: '? flib >= 0.16.5' });
  // The fix keeps what the constraint means: a pin stays a pin.
  assert.deepEqual(only(analyze(infoJson(['flib = 0.16.4'])), 'unsatisfiable-constraint').data, {
    latestVersion: '0.16.5',
    replacement: 'flib = 0.16.5',
    minimum: 'flib >= 0.16.5',
  });
  assert.deepEqual(only(analyze(infoJson(['flib < 0.15.0'])), 'unsatisfiable-constraint').data, {
    latestVersion: '0.16.5',
    replacement: 'flib <= 0.16.5',
    minimum: 'flib >= 0.16.5',
  });
  assert.equal(analyze(infoJson(['flib > 0.16.5'])).map((f) => f.code).join(), 'unsatisfiable-constraint');
  assert.deepEqual(only(analyze(infoJson(['flib > 0.16.5'])), 'unsatisfiable-constraint').data, { latestVersion: '0.16.5', replacement: 'flib >= 0.16.5' });
});

test('outdated-constraint keeps the prefix and the meaning of the constraint in its replacement', () => {
  const cases: Array<[string, string]> = [
    ['~ old-helper = 1.0.0', '~ old-helper = 1.4.2'],
    ['~ old-helper < 1.4.2', '~ old-helper <= 1.4.2'],
    ['~ old-helper <= 1.2', '~ old-helper <= 1.4.2'],
  ];
  for (const [dep, replacement] of cases) {
    const text = infoJson([dep]);
    const f = only(analyze(text), 'outdated-constraint');
    assert.equal(f.severity, 'warning');
    assert.equal(slice(text, f), dep.slice('~ old-helper '.length));
    assert.match(f.message, /excludes the latest compatible release of "old-helper", 1\.4\.2/);
    assert.deepEqual(f.data, { latestVersion: '1.4.2', replacement, minimum: '~ old-helper >= 1.4.2' });
  }
  // The pin from the report: updated, it is still a pin.
  const pinned = only(analyze(infoJson(['flib = 0.15.0'])), 'outdated-constraint');
  assert.equal(pinned.data?.replacement, 'flib = 0.16.5');
  assert.equal(pinned.data?.minimum, 'flib >= 0.16.5');
  assert.deepEqual(analyze(infoJson(['old-helper = 1.4.2'])), []);
  assert.deepEqual(analyze(infoJson(['old-helper <= 1.4.2'])), []);
});

test('outdated-minimum is a hint with the latest compatible version', () => {
  const text = infoJson(['(?) old-helper >= 1.0', 'flib > 0.15.0']);
  const findings = analyze(text).filter((f) => f.code === 'outdated-minimum');
  assert.equal(findings.length, 2);
  assert.equal(findings[0].severity, 'hint');
  assert.equal(slice(text, findings[0]), '>= 1.0');
  assert.match(findings[0].message, /latest compatible is 1\.4\.2/);
  assert.deepEqual(findings[0].data, { latestVersion: '1.4.2', replacement: '(?) old-helper >= 1.4.2' });
  assert.deepEqual(findings[1].data, { latestVersion: '0.16.5', replacement: 'flib >= 0.16.5' });
  assert.deepEqual(analyze(infoJson(['old-helper >= 1.4.2', 'flib >= 0.16.5'])), []);
});

test('duplicate-dependency flags the later one', () => {
  const text = infoJson(['flib >= 0.16.5', 'base', '? flib']);
  const f = only(analyze(text), 'duplicate-dependency');
  assert.equal(slice(text, f), '"? flib"');
  assert.equal(f.dependency, 'flib');
});

test('self-dependency', () => {
  const text = infoJson(['my-mod >= 1.0.0']);
  const f = only(analyze(text), 'self-dependency');
  assert.equal(f.severity, 'error');
  assert.equal(slice(text, f), 'my-mod');
  assert.equal(analyze(text).length, 1, 'no portal findings on top');
});

test('version-on-incompatible is a faded hint that does not claim the game ignores it', () => {
  const text = infoJson(['! bad-belts < 2.0.0']);
  const f = only(analyze(text), 'version-on-incompatible');
  assert.equal(f.severity, 'hint');
  assert.deepEqual(f.tags, ['unnecessary']);
  assert.equal(slice(text, f), '< 2.0.0');
  assert.doesNotMatch(f.message, /ignore|no effect/i);
  assert.match(f.message, /documentation/);
  assert.match(f.message, /"< 2\.0\.0"/);
  assert.equal(f.data?.replacement, '! bad-belts');
  assert.equal(analyze(text).length, 1);
  // As real mods write it.
  const real = only(analyze(infoJson(['! aai-industry >= 0.3.0']), unknownPortal), 'version-on-incompatible');
  assert.equal(real.severity, 'hint');
  assert.equal(real.data?.replacement, '! aai-industry');
});

test('only deprecated and unnecessary findings carry a tag', () => {
  const text = infoJson(['legacy-mod', '! bad-belts >= 1.0', 'flib = 0.15.0', 'nothing-here']);
  const tagged = analyze(text).filter((f) => f.tags).map((f) => [f.code, f.tags]);
  assert.deepEqual(tagged, [['deprecated-mod', ['deprecated']], ['version-on-incompatible', ['unnecessary']]]);
});

test('updateFixData moves the bound and keeps the operator where it can', () => {
  const cases: Array<[Parameters<typeof updateFixData>[0], string, string | undefined]> = [
    [{ kind: 'required', name: 'flib', op: '=' }, 'flib = 0.16.12', 'flib >= 0.16.12'],
    [{ kind: 'optional', name: 'flib', op: '>=' }, '? flib >= 0.16.12', undefined],
    [{ kind: 'hidden-optional', name: 'flib', op: '>' }, '(?) flib >= 0.16.12', undefined],
    [{ kind: 'no-load-order', name: 'flib', op: '<' }, '~ flib <= 0.16.12', '~ flib >= 0.16.12'],
    [{ kind: 'recommended', name: 'flib', op: '<=' }, '+ flib <= 0.16.12', '+ flib >= 0.16.12'],
  ];
  for (const [dep, replacement, minimum] of cases) {
    const expected = { latestVersion: '0.16.12', replacement, ...(minimum ? { minimum } : {}) };
    assert.deepEqual(updateFixData(dep, '0.16.12'), expected, `${dep.kind} ${dep.op}`);
  }
});

test('recommended-needs-2.1', () => {
  const text = infoJson(['+ quality >= 2.0.0']);
  const f = only(analyze(text), 'recommended-needs-2.1');
  assert.equal(f.severity, 'error');
  assert.equal(slice(text, f), '+');
  assert.match(f.message, /2\.1 or later; this mod targets 2\.0/);
  assert.equal(f.data?.replacement, '? quality >= 2.0.0');
  assert.deepEqual(analyze(infoJson(['+ quality >= 2.1.0'], '2.1')), []);
  // Without a usable factorio_version there is nothing to compare against.
  assert.deepEqual(analyze(infoJson(['+ flib'], null)).map((x) => x.code), ['missing-field']);
});

test('builtin-unavailable and builtin-version-mismatch', () => {
  let text = infoJson(['space-age', '? recycler'], '1.1');
  let findings = analyze(text).filter((f) => f.code === 'builtin-unavailable');
  assert.deepEqual(findings.map((f) => [slice(text, f), f.severity]), [['space-age', 'error'], ['recycler', 'warning']]);
  assert.match(findings[0].message, /Space Age.*2\.0 and later; this mod targets 1\.1/);

  text = infoJson(['base >= 2.1.0', 'quality < 2.0', 'space-age = 2.0.7', 'elevated-rails <= 2.0']);
  findings = analyze(text);
  assert.deepEqual(findings.map((f) => [f.code, slice(text, f)]), [
    ['builtin-version-mismatch', '>= 2.1.0'],
    ['builtin-version-mismatch', '< 2.0'],
  ]);
  assert.equal(findings[0].severity, 'warning');
  assert.match(findings[0].message, /factorio_version 2\.0 it is 2\.0\.x/);
  assert.equal(findings[0].data?.replacement, 'base >= 2.0.0');
  // A 0.18 mod runs in 1.0 too, so base 1.0 is possible.
  assert.deepEqual(analyze(infoJson(['base >= 1.0.0'], '0.18')), []);
  only(analyze(infoJson(['base >= 1.1.0'], '0.18')), 'builtin-version-mismatch');
});

test('ignored names skip the portal rules only', () => {
  const text = infoJson(['private-mod', 'flib = 0.1.0', 'private-mod']);
  const ctx = portal({ ignored: new Set(['private-mod', 'flib']) });
  assert.deepEqual(analyze(text, ctx).map((f) => f.code), ['duplicate-dependency']);
});

test('missing or invalid factorio_version skips release compatibility', () => {
  for (const fv of [null, '2.0.1', 'x']) {
    const codes = analyze(infoJson(['old-only', 'flib = 0.1.0', 'nothing-here', 'legacy-mod'], fv)).map((f) => f.code);
    assert.ok(!codes.includes('no-compatible-release'), String(fv));
    assert.ok(!codes.includes('unsatisfiable-constraint'), String(fv));
    assert.ok(!codes.includes('outdated-constraint'), String(fv));
    assert.ok(codes.includes('unknown-mod') && codes.includes('deprecated-mod'), String(fv));
  }
});

test('findings come in document order and every code is reachable', () => {
  const seen = new Set<FindingCode>();
  const texts = [
    fixture('messy-mod.info.json'),
    infoJson(['flbi', 'legacy-mod', 'old-only', 'flib >= 0.15.0', 'old-helper = 1.0.0', 'old-helper', 'x y', '! bad-belts >= 1.0', '+ base', 'recycler', 'elevated-rails >= 3.0', 'stdlib2 > 2.1.0'], '2.0', 'x y'),
    '{"name": "abcd"\n"version": "1", "factorio_version": "2.0.0", "dependencies": [1]}',
  ];
  for (const text of texts) {
    const findings = analyze(text);
    for (let i = 1; i < findings.length; i++) assert.ok(findings[i - 1].start <= findings[i].start);
    for (const f of findings) seen.add(f.code);
  }
  const all: FindingCode[] = [
    'json-syntax', 'json-comment', 'json-trailing-comma', 'invalid-name', 'invalid-version', 'invalid-factorio-version',
    'missing-field', 'dependency-not-string', 'malformed-dependency', 'unknown-mod', 'deprecated-mod', 'no-compatible-release',
    'unsatisfiable-constraint', 'outdated-constraint', 'outdated-minimum', 'duplicate-dependency', 'self-dependency',
    'version-on-incompatible', 'recommended-needs-2.1', 'builtin-version-mismatch', 'builtin-unavailable',
  ];
  assert.deepEqual(all.filter((c) => !seen.has(c)), []);
});

test('files no one writes by hand are analysed, not thrown on', () => {
  const unknown: AnalysisContext = { facts: () => ({ state: 'unknown' }) };
  const deep = analyzeDocument(parseInfoJson(deepInfoJson()), unknown);
  assert.deepEqual(
    [...new Set(deep.map((f) => f.code))].sort(),
    ['dependency-not-string', 'json-syntax'],
    'the depth and the half-typed string, and the deep item is not a string',
  );
  const missing: AnalysisContext = { facts: () => ({ state: 'missing' }) };
  const huge = analyzeDocument(parseInfoJson(hugeInfoJson()), missing);
  const malformed = hugeDependencies().filter((d) => parseDependency(d).error).length;
  assert.equal(huge.filter((f) => f.code === 'malformed-dependency').length, malformed);
  assert.ok(malformed > 50);
  // Every well-formed one except the built-in base is checked against the portal.
  assert.equal(huge.filter((f) => f.code === 'unknown-mod').length, HUGE_DEPENDENCIES - malformed - 1);
});

test('a dependency on a workspace mod is checked against the local version, never the portal', () => {
  const text = infoJson(['my-lib >= 1.0.0', '? my-extra >= 2.0.0', 'old-helper >= 1.0.0', '! my-rival']);
  const local: Record<string, string> = { 'my-lib': '1.2.0', 'my-extra': '1.0.0', 'old-helper': '0.9.0', 'my-rival': '1.0.0' };
  const ctx = portal({ workspaceMod: (name) => (name in local ? { version: local[name] } : undefined) });
  const findings = analyze(text, ctx);
  // Not on the portal (my-lib, my-extra) yet never unknown; old-helper is outdated on the portal
  // but the local copy is what counts.
  assert.deepEqual(findings.filter((f) => f.code !== 'workspace-version-mismatch'), []);
  const mismatches = findings.filter((f) => f.code === 'workspace-version-mismatch');
  assert.deepEqual(mismatches.map((f) => [f.dependency, f.severity, slice(text, f)]), [
    ['my-extra', 'warning', '>= 2.0.0'],
    ['old-helper', 'error', '>= 1.0.0'],
  ]);
  assert.match(mismatches[0].message, /"my-extra" in this workspace is version 1\.0\.0, which ">= 2\.0\.0" excludes/);
  assert.equal(mismatches[1].data?.replacement, 'old-helper >= 0.9.0');
  // A local version that does not parse is reported in its own file, not here.
  assert.deepEqual(analyze(infoJson(['my-lib >= 1.0.0']), portal({ workspaceMod: () => ({ version: 'one' }) })), []);
});

test('already-published: a local version not newer than the newest release on the portal', () => {
  const at = (version: string): Finding[] =>
    analyze(infoJson([], '2.0', 'old-helper').replace('"version": "1.0.0"', `"version": "${version}"`));
  for (const version of ['1.4.2', '0.1.0']) {
    const f = only(at(version), 'already-published');
    assert.equal(f.severity, 'hint');
    assert.equal(f.message, '1.4.2 is already published; bump before uploading');
    assert.equal(f.data?.latestVersion, '1.4.2');
  }
  // That very version is on the portal, below the newest: both are named.
  const older = only(at('1.0.0'), 'already-published');
  assert.equal(older.message, '1.0.0 is already published (newest 1.4.2)');
  assert.equal(older.data?.latestVersion, '1.4.2');
  assert.deepEqual(at('1.4.3').filter((f) => f.code === 'already-published'), []);
  const text = infoJson([], '2.0', 'old-helper');
  assert.equal(slice(text, only(analyze(text), 'already-published')), '"1.0.0"');
  // Not on the portal, or nothing known: nothing to say.
  assert.deepEqual(analyze(infoJson([], '2.0', 'fresh-name')), []);
  assert.deepEqual(analyze(infoJson([], '2.0', 'old-helper'), unknownPortal), []);
});

test('name-owned-by-other: only when signed in as someone else than the owner', () => {
  const facts = (name: string): ModFacts => (name === 'taken-name' ? { state: 'found', owner: 'Alice', releases: [] } : { state: 'missing' });
  const text = infoJson([], '2.0', 'taken-name');
  const f = only(analyze(text, { facts, signedInAs: 'bob' }), 'name-owned-by-other');
  assert.equal(f.severity, 'information');
  assert.equal(f.message, 'This name belongs to Alice on the portal: it will refuse your upload');
  assert.equal(slice(text, f), '"taken-name"');
  assert.deepEqual(analyze(text, { facts, signedInAs: 'alice' }), []);
  assert.deepEqual(analyze(text, { facts }), []);
});

test('portalNameProblems: letters, digits, - and _, 4 to 49 characters', () => {
  assert.deepEqual(portalNameProblems('my-mod_2'), []);
  assert.deepEqual(portalNameProblems('abcd'), []);
  assert.deepEqual(portalNameProblems('a'.repeat(49)), []);
  assert.deepEqual(portalNameProblems('abc'), ['4 to 49 characters (it has 3)']);
  assert.deepEqual(portalNameProblems('a'.repeat(50)), ['4 to 49 characters (it has 50)']);
  assert.deepEqual(portalNameProblems('my mod'), ["only letters, digits, '-' and '_'"]);
  assert.equal(portalNameProblems('é!').length, 2);
});

test('a mod whose releases are unknown gets no release findings, only what is known (deprecation)', () => {
  const ctx: AnalysisContext = {
    facts: (name) => (name === 'no-releases' ? { state: 'found', releases: undefined, deprecated: true } : { state: 'missing' }),
  };
  const codes = analyze(infoJson(['no-releases >= 1.0.0', '? no-releases = 9.9.9']), ctx).map((f) => f.code);
  for (const code of ['no-compatible-release', 'unsatisfiable-constraint', 'outdated-constraint', 'outdated-minimum', 'unknown-mod'] as const) {
    assert.ok(!codes.includes(code), `${code} in ${codes.join(', ')}`);
  }
  assert.ok(codes.includes('deprecated-mod'));
  // The same mod with no release at all is another matter.
  const none: AnalysisContext = { facts: () => ({ state: 'found', releases: [] }) };
  assert.ok(analyze(infoJson(['no-releases']), none).some((f) => f.code === 'no-compatible-release'));
});

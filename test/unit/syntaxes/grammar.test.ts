// The grammar engine (vscode-textmate with Oniguruma) is not a dependency, so these tests
// run the grammar's regexes with JS RegExp, which is why the grammar sticks to the subset
// both engines read alike, and check the scope selector against hand-built scope stacks.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

interface Capture {
  name: string;
}

interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  captures?: Record<string, Capture>;
  beginCaptures?: Record<string, Capture>;
  endCaptures?: Record<string, Capture>;
  patterns?: Rule[];
}

interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const ROOT = path.join(__dirname, '..', '..', '..');
const GRAMMAR_PATH = 'syntaxes/info-json-dependencies.tmLanguage.json';

function loadGrammar(): Grammar {
  return JSON.parse(readFileSync(path.join(ROOT, GRAMMAR_PATH), 'utf8')) as Grammar;
}

function repositoryRule(grammar: Grammar, key: string): Rule {
  const rule = grammar.repository[key];
  assert.ok(rule, `repository has ${key}`);
  return rule;
}

function* allRules(rules: Iterable<Rule>): Generator<Rule> {
  for (const rule of rules) {
    yield rule;
    if (rule.patterns) yield* allRules(rule.patterns);
  }
}

function allRegexes(grammar: Grammar): string[] {
  const out: string[] = [];
  for (const rule of allRules([...grammar.patterns, ...Object.values(grammar.repository)])) {
    for (const source of [rule.match, rule.begin, rule.end]) if (source !== undefined) out.push(source);
  }
  return out;
}

/** What a match rule gives a whole JSON string literal, by role; undefined if it does not match it whole. */
interface Coloured {
  prefix?: string;
  prefixScope?: string;
  name?: string;
  nameScope?: string;
  operator?: string;
  version?: string;
  invalid?: string;
}

function colour(rule: Rule, literal: string): Coloured | undefined {
  assert.ok(rule.match && rule.captures);
  const m = new RegExp(rule.match).exec(literal);
  // The engine tries the rule where the string starts, so only a match from the opening
  // quote to the closing one counts.
  if (!m || m.index !== 0 || m[0].length !== literal.length) return undefined;
  const out: Coloured = {};
  for (const [group, capture] of Object.entries(rule.captures)) {
    const text: string | undefined = m[Number(group)];
    if (text === undefined) continue;
    const scope = capture.name;
    if (scope.startsWith('punctuation.definition.string.')) assert.equal(text, '"');
    else if (scope.startsWith('keyword.operator.dependency.') || scope.startsWith('storage.modifier.dependency.')) {
      out.prefix = text;
      out.prefixScope = scope;
    } else if (scope.startsWith('entity.name.type.') || scope.startsWith('support.type.')) {
      out.name = text;
      out.nameScope = scope;
    } else if (scope.startsWith('keyword.operator.comparison.')) out.operator = text;
    else if (scope.startsWith('constant.numeric.')) out.version = text;
    else if (scope.startsWith('invalid.')) out.invalid = text;
    else assert.fail(`unexpected capture scope ${scope}`);
  }
  return out;
}

const PREFIX_SCOPES: Record<string, string> = {
  '!': 'keyword.operator.dependency.incompatible.factorio',
  '?': 'storage.modifier.dependency.optional.factorio',
  '(?)': 'storage.modifier.dependency.hidden-optional.factorio',
  '~': 'storage.modifier.dependency.no-load-order.factorio',
  '+': 'storage.modifier.dependency.recommended.factorio',
};
const MOD_SCOPE = 'entity.name.type.mod.factorio';
const BUILTIN_SCOPE = 'support.type.builtin-mod.factorio';

interface Example {
  literal: string;
  prefix?: string;
  name: string;
  builtin?: boolean;
  operator?: string;
  version?: string;
}

// The examples of the dependency grammar's reference, the built-in mods' own
// dependencies, and the spacing real files use.
const WELL_FORMED: Example[] = [
  { literal: '"base >= 2.0.0"', name: 'base', builtin: true, operator: '>=', version: '2.0.0' },
  { literal: '"? quality"', prefix: '?', name: 'quality', builtin: true },
  { literal: '"! incompatible-mod"', prefix: '!', name: 'incompatible-mod' },
  { literal: '"(?) hidden-lib"', prefix: '(?)', name: 'hidden-lib' },
  { literal: '"~ some-mod >= 1.0.0"', prefix: '~', name: 'some-mod', operator: '>=', version: '1.0.0' },
  { literal: '"space-age"', name: 'space-age', builtin: true },
  { literal: '"+ quality >= 2.1.0"', prefix: '+', name: 'quality', builtin: true, operator: '>=', version: '2.1.0' },
  { literal: '"? mod>=1.0"', prefix: '?', name: 'mod', operator: '>=', version: '1.0' },
  { literal: '"~mod"', prefix: '~', name: 'mod' },
  { literal: '"?  double  >=  1.2.3"', prefix: '?', name: 'double', operator: '>=', version: '1.2.3' },
  { literal: '"trailing-space >= 1.0 "', name: 'trailing-space', operator: '>=', version: '1.0' },
  { literal: '" leading-space"', name: 'leading-space' },
  { literal: '"elevated-rails >= 2.0.0"', name: 'elevated-rails', builtin: true, operator: '>=', version: '2.0.0' },
  { literal: '"recycler >= 2.1.0"', name: 'recycler', builtin: true, operator: '>=', version: '2.1.0' },
  { literal: '"core"', name: 'core', builtin: true },
  { literal: '"base-extended"', name: 'base-extended' },
  { literal: '"my base mod"', name: 'my base mod' },
  { literal: '"Old Mod With Spaces > 0.1"', name: 'Old Mod With Spaces', operator: '>', version: '0.1' },
  { literal: '"Mixed_Case-Mod < 3.0.0"', name: 'Mixed_Case-Mod', operator: '<', version: '3.0.0' },
  { literal: '"lib <= 0.18"', name: 'lib', operator: '<=', version: '0.18' },
  { literal: '"! lib = 65535.65535.65535"', prefix: '!', name: 'lib', operator: '=', version: '65535.65535.65535' },
  { literal: '"(?)lib"', prefix: '(?)', name: 'lib' },
  { literal: '"!conflict>1.0"', prefix: '!', name: 'conflict', operator: '>', version: '1.0' },
  { literal: '"1st-mod"', name: '1st-mod' },
];

test('every regex compiles as a JS RegExp', () => {
  const regexes = allRegexes(loadGrammar());
  assert.ok(regexes.length >= 8, `found ${regexes.length} regexes`);
  for (const source of regexes) assert.doesNotThrow(() => new RegExp(source), source);
});

test('regexes stay within what Oniguruma and JS read alike', () => {
  for (const source of allRegexes(loadGrammar())) {
    // Oniguruma needs look-behinds of fixed length.
    for (const m of source.matchAll(/\(\?<[=!]((?:\\.|[^()\\])*)\)/g)) {
      assert.doesNotMatch(m[1]!, /[*+?{]/, `variable-length look-behind in ${source}`);
    }
    // \h, \A, \z and possessive quantifiers mean different things, or nothing, in JS.
    assert.doesNotMatch(source, /\\[hHAzZG]|[*+?}][+]/, source);
  }
});

for (const ex of WELL_FORMED) {
  test(`colours ${ex.literal}`, () => {
    const got = colour(repositoryRule(loadGrammar(), 'dependency'), ex.literal);
    assert.ok(got, `${ex.literal} matches the dependency rule`);
    assert.equal(got.prefix, ex.prefix);
    assert.equal(got.prefixScope, ex.prefix === undefined ? undefined : PREFIX_SCOPES[ex.prefix]);
    assert.equal(got.name, ex.name);
    assert.equal(got.nameScope, ex.builtin ? BUILTIN_SCOPE : MOD_SCOPE);
    assert.equal(got.operator, ex.operator);
    assert.equal(got.version, ex.version);
    assert.equal(got.invalid, undefined);
  });
}

test('the malformed rule marks only the version of a dependency with a bad version', () => {
  const grammar = loadGrammar();
  const dependency = repositoryRule(grammar, 'dependency');
  const malformed = repositoryRule(grammar, 'malformed-dependency');
  const cases: Array<[string, Coloured]> = [
    ['"? space-age-addon >= 1.x"', { prefix: '?', name: 'space-age-addon', operator: '>=', invalid: '1.x' }],
    ['"mod >= 1.0.0.1"', { name: 'mod', operator: '>=', invalid: '1.0.0.1' }],
    ['"mod => 1.0"', { name: 'mod', operator: '=', invalid: '> 1.0' }],
    ['"mod >= "', { name: 'mod', operator: '>=', invalid: '' }],
    ['"! mod >= v1"', { prefix: '!', name: 'mod', operator: '>=', invalid: 'v1' }],
  ];
  for (const [literal, expected] of cases) {
    assert.equal(colour(dependency, literal), undefined, `${literal} is not well-formed`);
    const got = colour(malformed, literal);
    assert.ok(got, `${literal} matches the malformed rule`);
    assert.equal(got.prefix, expected.prefix, literal);
    assert.equal(got.name, expected.name, literal);
    assert.equal(got.operator, expected.operator, literal);
    assert.equal(got.invalid, expected.invalid, literal);
    assert.equal(got.version, undefined, literal);
  }
});

test('strings that are not dependencies keep the plain JSON string scopes', () => {
  const grammar = loadGrammar();
  const rules = [repositoryRule(grammar, 'dependency'), repositoryRule(grammar, 'malformed-dependency')];
  const negatives = ['""', '" "', '"!"', '"? "', '"(?)"', '">= 1.0"', '"esc\\"ape"', '"back\\\\slash"', '"~ >= 1.0"'];
  for (const literal of negatives) {
    for (const rule of rules) assert.equal(colour(rule, literal), undefined, `${literal} stays a plain string`);
  }
});

test('the well-formed rule comes before the malformed rule and the plain JSON fallback', () => {
  const array = repositoryRule(loadGrammar(), 'dependency-array');
  const includes = (array.patterns ?? []).map((p) => p.include);
  const at = (name: string): number => includes.indexOf(name);
  assert.ok(at('#dependency') >= 0 && at('#dependency') < at('#malformed-dependency'));
  assert.ok(at('#malformed-dependency') < at('source.json#value'));
  assert.match(array.name ?? '', /\bmeta\.structure\.array\.json\b/);
});

test('every dependency of the sample mod is coloured, the malformed one as malformed', () => {
  const grammar = loadGrammar();
  const info = JSON.parse(readFileSync(path.join(ROOT, 'sample', 'info.json'), 'utf8')) as { dependencies: string[] };
  assert.ok(info.dependencies.length >= 10);
  for (const dep of info.dependencies) {
    const literal = JSON.stringify(dep);
    const wellFormed = colour(repositoryRule(grammar, 'dependency'), literal);
    if (dep.includes('1.x')) {
      assert.equal(wellFormed, undefined, dep);
      assert.equal(colour(repositoryRule(grammar, 'malformed-dependency'), literal)?.invalid, '1.x');
    } else {
      assert.ok(wellFormed?.name, dep);
    }
  }
});

test('only the exact "dependencies" key starts the dependency member', () => {
  const member = repositoryRule(loadGrammar(), 'dependencies-member');
  const begin = new RegExp(member.begin ?? '');
  assert.match('"dependencies"', begin);
  assert.match('  "dependencies": [', begin);
  for (const key of ['"Dependencies"', '"dependencies2"', '"optional_dependencies"', '"dependency"']) {
    assert.doesNotMatch(key, begin, key);
  }
  assert.equal(member.beginCaptures?.['0']?.name, 'string.json support.type.property-name.json');
});

test('the member and its value end where the JSON grammar would, leaving no stray comma', () => {
  const grammar = loadGrammar();
  const value = repositoryRule(grammar, 'dependencies-value');
  assert.equal(value.name, 'meta.structure.dictionary.value.json');
  const valueEnd = new RegExp(value.end ?? '', 'g');
  // The value owns the comma after it, as the JSON grammar's own value rule does.
  valueEnd.lastIndex = 0;
  const atComma = valueEnd.exec('] , "x"');
  assert.equal(atComma?.[1], ',');
  assert.equal(value.endCaptures?.['1']?.name, 'punctuation.separator.dictionary.pair.json');
  assert.equal(new RegExp(value.end ?? '').exec(']\n}')?.index, 2);

  const memberEnd = new RegExp(repositoryRule(grammar, 'dependencies-member').end ?? '', 'y');
  const after = (text: string, at: number): boolean => {
    memberEnd.lastIndex = at;
    return memberEnd.test(text);
  };
  assert.ok(after('"dependencies": [], "x"', 19), 'ends right after the consumed comma');
  assert.ok(after('"dependencies": []}', 18), 'ends before the closing brace');
  assert.ok(!after('"dependencies": []', 14), 'does not end right after the key');
});

/**
 * The subset of vscode-textmate's scope selector semantics the injection selector uses:
 * an optional priority, a path of scope prefixes matched in order, and `- path` exclusions.
 */
function selectorMatches(selector: string, scopes: readonly string[]): boolean {
  const [positive, ...negatives] = selector.replace(/^[LR]:/, '').split(/\s+-\s+/);
  const pathMatches = (path: string): boolean => {
    let from = 0;
    for (const wanted of path.trim().split(/\s+/)) {
      const i = scopes.findIndex((s, j) => j >= from && (s === wanted || s.startsWith(`${wanted}.`)));
      if (i < 0) return false;
      from = i + 1;
    }
    return true;
  };
  return pathMatches(positive ?? '') && negatives.every((n) => !pathMatches(n));
}

test('the injection applies only between the members of a top-level object', () => {
  const { injectionSelector } = loadGrammar();
  assert.match(injectionSelector, /^L:/, 'wins over the JSON object key rule at the same position');
  const topLevel = ['source.json', 'meta.structure.dictionary.json'];
  const value = [...topLevel, 'meta.structure.dictionary.value.json'];
  assert.ok(selectorMatches(injectionSelector, topLevel));
  assert.ok(!selectorMatches(injectionSelector, [...value, 'meta.structure.dictionary.json']), 'nested object');
  assert.ok(!selectorMatches(injectionSelector, [...value, 'meta.structure.array.json', 'meta.dependencies.factorio']), 'inside the array itself');
  assert.ok(!selectorMatches(injectionSelector, [...value, 'string.quoted.double.json']), 'a member value');
  assert.ok(!selectorMatches(injectionSelector, ['source.json', 'meta.structure.array.json', 'meta.structure.dictionary.json']), 'object in a top-level array');
  assert.ok(!selectorMatches(injectionSelector, ['source.yaml', 'meta.structure.dictionary.json']), 'other languages');
});

test('package.json contributes the grammar as an injection into JSON', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { grammars?: Array<{ scopeName: string; path: string; injectTo?: string[] }> };
  };
  const grammar = loadGrammar();
  const entry = manifest.contributes.grammars?.find((g) => g.scopeName === grammar.scopeName);
  assert.ok(entry, 'grammar is contributed');
  assert.equal(path.posix.normalize(entry.path), GRAMMAR_PATH);
  assert.ok(existsSync(path.join(ROOT, entry.path)));
  assert.deepEqual(entry.injectTo, ['source.json']);
});

// The changelog grammar's rules are whole-line matches, run here with JS RegExp (the
// grammar keeps to what Oniguruma and JS read alike), in the order the grammar tries them.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CHANGELOG_CODES, VERSION_BEHIND_CODE } from '../../../src/model/changelog';

interface Rule {
  include?: string;
  match?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
}

interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const ROOT = path.join(__dirname, '..', '..', '..');
const GRAMMAR_PATH = 'syntaxes/factorio-changelog.tmLanguage.json';
const grammar = JSON.parse(readFileSync(path.join(ROOT, GRAMMAR_PATH), 'utf8')) as Grammar;

/** The rules in the order the grammar tries them. */
const rules: [string, Rule][] = grammar.patterns.map((p) => {
  const key = p.include!.replace(/^#/, '');
  assert.ok(grammar.repository[key], key);
  return [key, grammar.repository[key]];
});

/** The first rule that matches at the line's start, and the text of each scope it gives. */
function tokenize(line: string): { rule: string; scopes: Record<string, string> } | undefined {
  for (const [key, rule] of rules) {
    const m = new RegExp(rule.match!).exec(line);
    if (!m || m.index !== 0) continue;
    const scopes: Record<string, string> = {};
    if (rule.name) scopes[rule.name] = m[0];
    for (const [group, capture] of Object.entries(rule.captures ?? {})) if (m[Number(group)] !== undefined) scopes[capture.name] = m[Number(group)];
    return { rule: key, scopes };
  }
  return undefined;
}

const SEP = '-'.repeat(99);

test('every regex compiles, and none uses what Oniguruma reads differently', () => {
  assert.ok(rules.length >= 7);
  for (const [, rule] of rules) {
    assert.doesNotThrow(() => new RegExp(rule.match!));
    assert.doesNotMatch(rule.match!, /\\[hHAzZG]|[*+?}][+]|\(\?<[=!]/, rule.match);
  }
});

test('each line shape gets its scopes', () => {
  const cases: [string, string, Record<string, string>][] = [
    [SEP, 'separator', { 'comment.line.separator.factorio-changelog': SEP }],
    ['-'.repeat(98), 'bad-separator', { 'invalid.illegal.separator.factorio-changelog': '-'.repeat(98) }],
    [SEP + ' ', 'bad-separator', { 'invalid.illegal.separator.factorio-changelog': SEP + ' ' }],
    [
      'Version: 1.2.3 (hotfix)',
      'version',
      {
        'markup.heading.version.factorio-changelog': 'Version: 1.2.3 (hotfix)',
        'keyword.other.version.factorio-changelog': 'Version',
        'punctuation.separator.key-value.factorio-changelog': ':',
        'constant.numeric.version.factorio-changelog': '1.2.3',
        'comment.line.version-note.factorio-changelog': ' (hotfix)',
      },
    ],
    [
      'Date: 2026-11-30',
      'date',
      { 'keyword.other.date.factorio-changelog': 'Date', 'punctuation.separator.key-value.factorio-changelog': ':', 'string.unquoted.date.factorio-changelog': ' 2026-11-30' },
    ],
    ['  Major Features:', 'category', { 'entity.name.section.category.factorio-changelog': 'Major Features', 'punctuation.separator.category.factorio-changelog': ':' }],
    ['    - Fixed: a crash.', 'entry', { 'markup.list.unnumbered.factorio-changelog': '    - Fixed: a crash.', 'punctuation.definition.list.begin.factorio-changelog': '-' }],
    ['      continued', 'continuation', { 'markup.list.continuation.factorio-changelog': '      continued' }],
    ['      - a sub-point', 'continuation', { 'markup.list.continuation.factorio-changelog': '      - a sub-point' }],
    ['\t- tabbed', 'tab-indent', { 'invalid.illegal.tab-indent.factorio-changelog': '\t' }],
  ];
  for (const [line, rule, scopes] of cases) assert.deepEqual(tokenize(line), { rule, scopes }, line);
});

test('lines of no shape get no scope: the diagnostics speak for them', () => {
  for (const line of ['Some notes', '  Category without colon', '   - three spaces', '  Features: ', 'version: 1.0.0', '--']) assert.equal(tokenize(line), undefined, line);
});

test('every line of the sample and of the real changelogs is coloured, none as invalid', () => {
  const files = [path.join(ROOT, 'sample', 'changelog.txt'), ...readdirSync(path.join(ROOT, 'test', 'fixtures', 'changelogs')).filter((f) => f.endsWith('.txt')).map((f) => path.join(ROOT, 'test', 'fixtures', 'changelogs', f))];
  let lines = 0;
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const got = tokenize(line);
      // Trailing white space after an entry is tolerated by the game; the grammar still colours the entry.
      assert.ok(got, `${path.basename(file)}: ${JSON.stringify(line)}`);
      assert.ok(!Object.keys(got.scopes).some((s) => s.startsWith('invalid.')), `${path.basename(file)}: ${JSON.stringify(line)}`);
      lines++;
    }
  }
  assert.ok(lines > 5000, `${lines} lines`);
});

test('package.json contributes the language and its grammar', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    activationEvents: string[];
    contributes: { languages: { id: string; configuration: string }[]; grammars: { language?: string; scopeName: string; path: string }[] };
  };
  const language = manifest.contributes.languages.find((l) => l.id === 'factorio-changelog');
  assert.ok(language);
  assert.ok(existsSync(path.join(ROOT, language.configuration)));
  const entry = manifest.contributes.grammars.find((g) => g.language === 'factorio-changelog');
  assert.equal(entry?.scopeName, grammar.scopeName);
  assert.equal(path.posix.normalize(entry!.path), GRAMMAR_PATH);
  assert.ok(manifest.activationEvents.includes('onLanguage:factorio-changelog'));
});

test('every changelog code has a severity setting', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { properties?: Record<string, { enum?: string[] }> }> } };
  };
  const severities = manifest.contributes.configuration.properties['factorioPortal.diagnostics.severity'].properties!;
  for (const code of [...CHANGELOG_CODES, VERSION_BEHIND_CODE]) assert.deepEqual(severities[code]?.enum, ['error', 'warning', 'information', 'hint', 'off'], code);
});

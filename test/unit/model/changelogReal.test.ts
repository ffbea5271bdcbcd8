// Real changelog.txt files of published mods (sources in test/fixtures/changelogs/SOURCES.md):
// the game shows them, so the checker finds no Error and no Warning in them. And inputs
// built to be slow are checked whole.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeChangelog, formatChangelog, MAX_CHANGELOG_FINDINGS, parseChangelog } from '../../../src/model/changelog';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'changelogs');
const SOURCES = readFileSync(path.join(FIXTURES, 'SOURCES.md'), 'utf8');

/** The few serious findings a fixture is known to have, each explained in SOURCES.md. */
const EXPECTED: Readonly<Record<string, string[]>> = {
  'ClaudeMetz__FactoryPlanner__modfiles.txt': ['changelog-version-range'],
};

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'));

test('at least 20 repositories, each file with its source noted', () => {
  const repos = new Set(files.map((f) => f.split('__').slice(0, 2).join('/')));
  assert.ok(repos.size >= 20, `${repos.size} repositories`);
  for (const file of files) assert.match(SOURCES, new RegExp(`\`${file.replace(/\./g, '\\.')}\`.*\\| \`[0-9a-f]{40}\` \\|`), file);
});

for (const file of files) {
  test(`${file}: no Error or Warning, and every section read`, () => {
    const text = readFileSync(path.join(FIXTURES, file), 'utf8');
    const result = analyzeChangelog(text);
    const serious = result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code);
    assert.deepEqual(serious, EXPECTED[file] ?? []);
    // The portal reader sees the same sections.
    assert.deepEqual(
      result.sections.map((s) => s.version),
      parseChangelog(text).map((e) => e.version),
    );
    assert.ok(result.sections.length >= 1);
    assert.equal(result.truncated, false);
  });
}

const SEP = '-'.repeat(99);
const ADVERSARIAL: [string, (n: number) => string][] = [
  ['one long line of spaces', (n) => `${SEP}\nVersion: 1.0.0\n  Info:\n    - x${' '.repeat(n)}y`],
  ['one long line of tabs', (n) => `${SEP}\nVersion: 1.0.0\n  Info:\n${'\t'.repeat(n)}- x`],
  ['one long line of dashes', (n) => `${'-'.repeat(n)}\nVersion: 1.0.0`],
  ['one long version', (n) => `${SEP}\nVersion: ${'1'.repeat(n)}`],
  ['one long dotted version', (n) => `${SEP}\nVersion: 1.${'2'.repeat(n)}.x`],
  ['many separators', (n) => `${SEP}\n`.repeat(n / 100)],
  ['many categories in one section', (n) => `${SEP}\nVersion: 1.0.0\n` + '  Same:\n'.repeat(n / 8)],
  ['many blank lines after a separator', (n) => `${SEP}\n` + '\n'.repeat(n) + 'Version: 1.0.0\n'],
  ['many sections with blank lines', (n) => `${SEP}\n\nVersion: 1.0.0\n  Info:\n    - x\n`.repeat(n / 130)],
  ['many lines of whitespace', (n) => `${SEP}\nVersion: 1.0.0\n` + '  \n'.repeat(n / 3)],
];

// No clock here (speed is measured by `npm run bench -- changelog`): at 1 MB each, a pass
// that is not linear takes minutes, and the test runner's timeout fails it.
for (const [name, build] of ADVERSARIAL) {
  test(`adversarial input of 1 MB is checked and formatted: ${name}`, () => {
    const text = build(1_000_000);
    const result = analyzeChangelog(text);
    assert.ok(result.findings.length <= MAX_CHANGELOG_FINDINGS);
    formatChangelog(text);
  });
}

test('a 1 MB line, 100k separators and a 1 MB file of entries are checked whole', () => {
  const line = analyzeChangelog(`${SEP}\nVersion: 1.0.0\n  Info:\n    - ${'x'.repeat(1_000_000)}`);
  assert.deepEqual(line.findings, []);
  const separators = analyzeChangelog(`${SEP}\n`.repeat(100_000));
  // 10 MB: past the length cap too, which one more finding says.
  assert.equal(separators.findings.length, MAX_CHANGELOG_FINDINGS + 1);
  assert.equal(separators.findings.at(-1)!.code, 'changelog-too-large');
  const entries = analyzeChangelog(`${SEP}\nVersion: 1.0.0\n  Info:\n` + '    - An entry of some length, as they come.\n'.repeat(22_000));
  assert.deepEqual(entries.findings, []);
  assert.equal(entries.sections[0].categories[0].entries, 22_000);
});

// Every rule of changelog.txt, both ways: the fault is found on the exact characters, its
// fix removes it, and the text the game accepts gets no such finding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyzeChangelog,
  applyChangelogEdits,
  CHANGELOG_CODES,
  MAX_CHANGELOG_FINDINGS,
  MAX_CHANGELOG_LENGTH,
  type ChangelogCode,
  type ChangelogFinding,
} from '../../../src/model/changelog';

const SEP = '-'.repeat(99);

/** A valid file around `body` lines, which go into the section of 1.0.0 after its header. */
function file(...body: string[]): string {
  return [SEP, 'Version: 1.0.1', 'Date: 2026-11-30', '  Features:', '    - An entry.', SEP, 'Version: 1.0.0', ...body].join('\n') + '\n';
}

function findings(text: string, code: ChangelogCode): ChangelogFinding[] {
  return analyzeChangelog(text).findings.filter((f) => f.code === code);
}

/** The one finding of `code`: its severity, the text it covers, and the file once its fix is applied. */
function one(text: string, code: ChangelogCode): { severity: string; at: string; fixed?: string; finding: ChangelogFinding } {
  const found = findings(text, code);
  assert.equal(found.length, 1, `one ${code} in ${JSON.stringify(text)}: got ${JSON.stringify(analyzeChangelog(text).findings.map((f) => f.code))}`);
  const [finding] = found;
  return {
    severity: finding.severity,
    at: text.slice(finding.range.start, finding.range.end),
    fixed: finding.fix ? applyChangelogEdits(text, finding.fix) : undefined,
    finding,
  };
}

function none(text: string, code: ChangelogCode): void {
  assert.deepEqual(findings(text, code), [], `no ${code} in ${JSON.stringify(text)}`);
}

/** What the game is seen or documented to refuse: errors and warnings. */
function serious(text: string): string[] {
  return analyzeChangelog(text)
    .findings.filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => f.code);
}

const GOOD = file('  Bugfixes:', '    - Fixed a thing.', '      And said more about it.');

test('a well-formed file has no findings at all, and its sections and categories are read', () => {
  const result = analyzeChangelog(GOOD);
  assert.deepEqual(result.findings, []);
  assert.deepEqual(
    result.sections.map((s) => [s.version, s.line, s.versionLine, s.date, s.categories.map((c) => [c.name, c.entries])]),
    [
      ['1.0.1', 0, 1, '2026-11-30', [['Features', 1]]],
      ['1.0.0', 5, 6, undefined, [['Bugfixes', 1]]],
    ],
  );
  assert.equal(GOOD.slice(result.sections[0].versionRange!.start, result.sections[0].versionRange!.end), '1.0.1');
  assert.equal(result.sections[1].endLine, 9);
});

test('every code is exercised by a test here', async () => {
  const source = (await import('node:fs')).readFileSync(__filename, 'utf8');
  for (const code of CHANGELOG_CODES) assert.ok(source.includes(`'${code}'`), code);
});

test('changelog-before-first-separator: only empty lines before the first separator', () => {
  const bad = 'My mod changelog\n' + GOOD;
  const r = one(bad, 'changelog-before-first-separator');
  assert.equal(r.severity, 'error');
  assert.equal(r.at, 'My mod changelog');
  none('\n\n' + GOOD, 'changelog-before-first-separator');
  assert.deepEqual(serious('\n\n' + GOOD), []);
});

test('changelog-separator-length: exactly 99 dashes, 98 and 100 fail', () => {
  for (const n of [98, 100, 20]) {
    const bad = GOOD.replace(SEP, '-'.repeat(n));
    const r = one(bad, 'changelog-separator-length');
    assert.equal(r.severity, 'error');
    assert.equal(r.at, '-'.repeat(n));
    assert.equal(r.fixed, GOOD);
  }
  none(GOOD, 'changelog-separator-length');
});

test('changelog-trailing-whitespace: an error on separator, Version and category lines', () => {
  for (const [from, to] of [
    [SEP, SEP + ' '],
    ['Version: 1.0.1', 'Version: 1.0.1\t '],
    ['  Features:', '  Features: '],
  ]) {
    const bad = GOOD.replace(from, to);
    const r = one(bad, 'changelog-trailing-whitespace');
    assert.equal(r.severity, 'error');
    assert.equal(r.at, to.slice(from.length));
    assert.equal(r.fixed, GOOD);
  }
  none(GOOD, 'changelog-trailing-whitespace');
});

test('changelog-trailing-whitespace-text: after an entry, a continuation or a date, only a hint', () => {
  for (const [from, to] of [
    ['    - Fixed a thing.', '    - Fixed a thing.  '],
    ['      And said more about it.', '      And said more about it. '],
    ['Date: 2026-11-30', 'Date: 2026-11-30 '],
  ]) {
    const bad = GOOD.replace(from, to);
    const r = one(bad, 'changelog-trailing-whitespace-text');
    assert.equal(r.severity, 'hint');
    assert.equal(r.fixed, GOOD);
    assert.deepEqual(serious(bad), []);
  }
  none(GOOD, 'changelog-trailing-whitespace-text');
});

test('changelog-version-missing: the line after a separator is the Version line', () => {
  const bad = GOOD.replace('Version: 1.0.0\n', '');
  const r = one(bad, 'changelog-version-missing');
  assert.equal(r.severity, 'error');
  assert.equal(r.finding.line, 5);
  assert.equal(r.at, SEP);
  const empty = one(GOOD.replace('Version: 1.0.0', 'Version:'), 'changelog-version-missing');
  assert.equal(empty.at, 'Version:');
  none(GOOD, 'changelog-version-missing');
});

test('changelog-blank-after-separator: no empty line between a separator and its Version', () => {
  const bad = GOOD.replace(`${SEP}\nVersion: 1.0.0`, `${SEP}\n\n\nVersion: 1.0.0`);
  const r = one(bad, 'changelog-blank-after-separator');
  assert.equal(r.severity, 'warning');
  assert.equal(r.at, '\n\n');
  assert.equal(r.fixed, GOOD);
  none(GOOD, 'changelog-blank-after-separator');
  // Empty lines elsewhere are skipped by the game.
  assert.deepEqual(analyzeChangelog(GOOD.replace('    - An entry.\n', '    - An entry.\n\n\n')).findings, []);
});

test('changelog-missing-separator: a Version line needs its separator, the first one too', () => {
  const first = 'Version: 1.0.1\n  Changes:\n    - x\n';
  const r = one(first, 'changelog-missing-separator');
  assert.equal(r.severity, 'error');
  assert.equal(r.at, 'Version:');
  assert.equal(r.fixed, `${SEP}\n${first}`);
  const later = GOOD.replace(`${SEP}\nVersion: 1.0.0`, 'Version: 1.0.0');
  assert.equal(one(later, 'changelog-missing-separator').fixed, GOOD);
  assert.deepEqual(analyzeChangelog(later).sections.map((s) => s.version), ['1.0.1', '1.0.0']);
  none(GOOD, 'changelog-missing-separator');
});

test('changelog-trailing-separator: a file that ends with a separator is not shown', () => {
  const bad = GOOD + SEP + '\n';
  const r = one(bad, 'changelog-trailing-separator');
  assert.equal(r.severity, 'error');
  assert.equal(r.at, SEP);
  assert.equal(r.fixed, GOOD);
  assert.equal(analyzeChangelog(bad).sections.length, 2);
  none(GOOD, 'changelog-trailing-separator');
});

test('changelog-version-syntax: three numbers, and one space after "Version:"', () => {
  for (const version of ['1.0', '1.0.0.0', 'v1.0.0', 'abc']) {
    const r = one(GOOD.replace('Version: 1.0.0', `Version: ${version}`), 'changelog-version-syntax');
    assert.equal(r.severity, 'warning');
    assert.equal(r.at, version);
  }
  const spacing = one(GOOD.replace('Version: 1.0.0', 'Version:   1.0.0'), 'changelog-version-syntax');
  assert.equal(spacing.at, '   ');
  assert.equal(spacing.fixed, GOOD);
  const glued = one(GOOD.replace('Version: 1.0.0', 'Version:1.0.0'), 'changelog-version-syntax');
  assert.equal(glued.at, 'Version:');
  assert.equal(glued.fixed, GOOD);
  none(GOOD, 'changelog-version-syntax');
  // Text after the version is accepted (the game's own changelog has it).
  assert.deepEqual(analyzeChangelog(GOOD.replace('Version: 1.0.0', 'Version: 1.0.0 (hotfix)')).findings, []);
});

test('changelog-version-range: each number at most 65535, and not 0.0.0', () => {
  const big = one(GOOD.replace('Version: 1.0.0', 'Version: 1.65536.0'), 'changelog-version-range');
  assert.equal(big.severity, 'warning');
  assert.equal(big.at, '1.65536.0');
  assert.equal(one(GOOD.replace('Version: 1.0.0', 'Version: 0.00.0'), 'changelog-version-range').at, '0.00.0');
  none(GOOD.replace('Version: 1.0.0', 'Version: 65535.65535.65535'), 'changelog-version-range');
  none(GOOD.replace('Version: 1.0.0', 'Version: 0.0.1'), 'changelog-version-range');
});

test('changelog-duplicate-version: the same version twice fails, written alike or not', () => {
  const bad = GOOD.replace('Version: 1.0.0', 'Version: 1.0.01');
  const r = one(bad, 'changelog-duplicate-version');
  assert.equal(r.severity, 'error');
  assert.equal(r.at, '1.0.01');
  assert.match(r.finding.message, /line 2/);
  none(GOOD, 'changelog-duplicate-version');
});

test('changelog-date-repeated and changelog-date-position: one Date, right after the Version line', () => {
  const twice = GOOD.replace('Date: 2026-11-30', 'Date: 2026-11-30\nDate: 2026-12-01');
  const r = one(twice, 'changelog-date-repeated');
  assert.equal(r.severity, 'warning');
  assert.equal(r.at, 'Date:');
  assert.equal(r.finding.line, 3);

  const late = GOOD.replace('Version: 1.0.0\n', 'Version: 1.0.0\n  Bugfixes:\n    - Early.\nDate: 2026-01-01\n').replace('  Bugfixes:\n    - Fixed', '  Changes:\n    - Fixed');
  const moved = one(late, 'changelog-date-position');
  assert.equal(moved.severity, 'warning');
  assert.equal(moved.at, 'Date:');
  assert.match(moved.fixed!, /Version: 1\.0\.0\nDate: 2026-01-01\n {2}Bugfixes:\n {4}- Early\.\n {2}Changes:/);
  assert.deepEqual(analyzeChangelog(moved.fixed!).findings, []);
  none(GOOD, 'changelog-date-repeated');
  none(GOOD, 'changelog-date-position');
});

test('changelog-category-indent and changelog-category-colon', () => {
  for (const indent of ['', ' ', '   ', '    ']) {
    const bad = GOOD.replace('  Bugfixes:', `${indent}Bugfixes:`);
    const r = one(bad, 'changelog-category-indent');
    assert.equal(r.severity, 'error');
    assert.equal(r.at, indent || 'B');
    assert.equal(r.fixed, GOOD);
  }
  const colon = one(GOOD.replace('  Bugfixes:', '  Bugfixes'), 'changelog-category-colon');
  assert.equal(colon.severity, 'error');
  assert.equal(colon.at, 'Bugfixes');
  assert.equal(colon.fixed, GOOD);
  none(GOOD, 'changelog-category-indent');
  none(GOOD, 'changelog-category-colon');
});

test('changelog-unknown-category: information at most, with the known name it likely means', () => {
  const odd = one(GOOD.replace('  Bugfixes:', '  Compatibility:'), 'changelog-unknown-category');
  assert.equal(odd.severity, 'information');
  assert.equal(odd.at, 'Compatibility');
  assert.equal(odd.fixed, undefined);
  const like = one(GOOD.replace('  Bugfixes:', '  Bug Fixes:'), 'changelog-unknown-category');
  assert.equal(like.finding.replacement, 'Bugfixes');
  assert.equal(like.fixed, GOOD);
  assert.equal(one(GOOD.replace('  Bugfixes:', '  bugfix:'), 'changelog-unknown-category').finding.replacement, 'Bugfixes');
  assert.deepEqual(serious(GOOD.replace('  Bugfixes:', '  Compatibility:')), []);
  for (const name of ['Major Features', 'Ease of use', 'Circuit Network', 'Locale']) none(GOOD.replace('  Bugfixes:', `  ${name}:`), 'changelog-unknown-category');
});

test('changelog-duplicate-category and changelog-empty-category: accepted, hints', () => {
  const twice = GOOD.replace('    - An entry.', '    - An entry.\n  Features:\n    - Another.');
  const r = one(twice, 'changelog-duplicate-category');
  assert.equal(r.severity, 'hint');
  assert.equal(r.at, 'Features');
  const empty = GOOD.replace('  Bugfixes:', '  Changes:\n  Bugfixes:');
  const e = one(empty, 'changelog-empty-category');
  assert.equal(e.severity, 'hint');
  assert.equal(e.at, 'Changes');
  assert.equal(e.fixed, GOOD);
  // The last category of the file, empty too.
  assert.equal(one(GOOD + '  Info:\n', 'changelog-empty-category').at, 'Info');
  assert.deepEqual(serious(twice), []);
  assert.deepEqual(serious(empty), []);
  none(GOOD, 'changelog-empty-category');
});

test('changelog-entry-indent: four spaces, then "- "', () => {
  for (const indent of ['   ', '     ', '  ', '']) {
    const bad = GOOD.replace('    - Fixed a thing.', `${indent}- Fixed a thing.`);
    const r = one(bad, 'changelog-entry-indent');
    assert.equal(r.severity, 'error');
    assert.equal(r.at, indent || '-');
    assert.equal(r.fixed, GOOD);
  }
  // Under another entry too: one column deeper is a misplaced entry, not a sub-point.
  const under = one(GOOD.replace('      And said more about it.', '     - Another fix.'), 'changelog-entry-indent');
  assert.equal(under.at, '     ');
  assert.equal(under.fixed, GOOD.replace('      And said more about it.', '    - Another fix.'));
  none(GOOD, 'changelog-entry-indent');
});

test('changelog-entry-spacing and changelog-entry-empty: "-", one space, text', () => {
  const two = one(GOOD.replace('    - Fixed', '    -  Fixed'), 'changelog-entry-spacing');
  assert.equal(two.severity, 'error');
  assert.equal(two.at, '  ');
  assert.equal(two.fixed, GOOD);
  const glued = one(GOOD.replace('    - Fixed', '    -Fixed'), 'changelog-entry-spacing');
  assert.equal(glued.at, '-');
  assert.equal(glued.fixed, GOOD);
  const empty = one(GOOD.replace('    - Fixed a thing.', '    -'), 'changelog-entry-empty');
  assert.equal(empty.severity, 'error');
  assert.equal(empty.at, '-');
  none(GOOD, 'changelog-entry-spacing');
  none(GOOD, 'changelog-entry-empty');
});

test('changelog-entry-outside-category: an entry comes under a category', () => {
  const bad = GOOD.replace('  Bugfixes:\n', '');
  const r = one(bad, 'changelog-entry-outside-category');
  assert.equal(r.severity, 'error');
  assert.equal(r.at, '- Fixed a thing.');
  none(GOOD, 'changelog-entry-outside-category');
});

test('changelog-continuation-indent and changelog-continuation-position', () => {
  for (const indent of ['     ', '   ']) {
    const r = one(GOOD.replace('      And said', `${indent}And said`), 'changelog-continuation-indent');
    assert.equal(r.severity, 'error');
    assert.equal(r.at, indent);
    assert.equal(r.fixed, GOOD);
  }
  // Deeper is accepted: sub-points, as in the game's own changelog.
  for (const deeper of ['      - A sub-point.', '        Deeper still.']) assert.deepEqual(serious(GOOD.replace('      And said more about it.', deeper)), []);
  const afterCategory = one(GOOD.replace('  Bugfixes:\n    - Fixed a thing.\n', '  Bugfixes:\n'), 'changelog-continuation-position');
  assert.equal(afterCategory.severity, 'error');
  assert.equal(afterCategory.at, 'And said more about it.');
  none(GOOD, 'changelog-continuation-indent');
  none(GOOD, 'changelog-continuation-position');
});

test('changelog-unexpected-line: text the format has no place for', () => {
  const r = one(GOOD.replace('  Bugfixes:', 'Some notes\n  Bugfixes:'), 'changelog-unexpected-line');
  assert.equal(r.severity, 'error');
  assert.equal(r.at, 'Some notes');
  none(GOOD, 'changelog-unexpected-line');
});

test('changelog-whitespace-line: a line of only white space fails, an empty one does not', () => {
  const bad = GOOD.replace('  Bugfixes:', '   \n  Bugfixes:');
  const r = one(bad, 'changelog-whitespace-line');
  assert.equal(r.severity, 'error');
  assert.equal(r.at, '   ');
  assert.deepEqual(analyzeChangelog(r.fixed!).findings, []);
  none(GOOD.replace('  Bugfixes:', '\n  Bugfixes:'), 'changelog-whitespace-line');
});

test('changelog-tab-indent, changelog-tab and changelog-tab-in-text: tabs by where they are', () => {
  const indent = one(GOOD.replace('    - Fixed', '\t- Fixed'), 'changelog-tab-indent');
  assert.equal(indent.severity, 'error');
  assert.equal(indent.at, '\t');
  assert.equal(indent.fixed, GOOD);
  assert.equal(one(GOOD.replace('  Bugfixes:', '\tBugfixes:'), 'changelog-tab-indent').fixed, GOOD);
  assert.equal(one(GOOD.replace('      And', '\t\t  And'), 'changelog-tab-indent').fixed, GOOD);

  const structural = one(GOOD.replace('Version: 1.0.0', 'Version:\t1.0.0'), 'changelog-tab');
  assert.equal(structural.severity, 'warning');
  assert.equal(structural.fixed, GOOD);
  assert.equal(one(GOOD.replace('  Bugfixes:', '  Bug\tfixes:'), 'changelog-tab').at, '\t');

  const inText = one(GOOD.replace('Fixed a thing.', 'Fixed\ta\tthing.'), 'changelog-tab-in-text');
  assert.equal(inText.severity, 'hint');
  assert.equal(inText.at, '\t');
  assert.equal(inText.fixed, GOOD);
  for (const code of ['changelog-tab-indent', 'changelog-tab', 'changelog-tab-in-text'] as const) none(GOOD, code);
});

test('changelog-bom: a byte-order mark is a warning', () => {
  const r = one('\uFEFF' + GOOD, 'changelog-bom');
  assert.equal(r.severity, 'warning');
  assert.equal(r.fixed, GOOD);
  assert.deepEqual(serious('\uFEFF' + GOOD), ['changelog-bom']);
  none(GOOD, 'changelog-bom');
});

test('CRLF line endings and no newline at the end are accepted', () => {
  assert.deepEqual(analyzeChangelog(GOOD.replace(/\n/g, '\r\n')).findings, []);
  assert.deepEqual(analyzeChangelog(GOOD.trimEnd()).findings, []);
  // A fix keeps the file's line ending.
  const r = one(GOOD.replace(/\n/g, '\r\n').replace(`${SEP}\r\nVersion: 1.0.0`, 'Version: 1.0.0'), 'changelog-missing-separator');
  assert.equal(r.fixed, GOOD.replace(/\n/g, '\r\n'));
  // A trailing space before CRLF is still trailing white space.
  assert.equal(one(GOOD.replace(/\n/g, '\r\n').replace('  Features:', '  Features: '), 'changelog-trailing-whitespace').at, ' ');
});

test('changelog-too-large: past the cap the rest is not checked, and the cut is said', () => {
  const entry = '    - ' + 'x'.repeat(94) + '\n';
  const big = GOOD + '  Changes:\n' + entry.repeat(Math.ceil(MAX_CHANGELOG_LENGTH / entry.length) + 10) + '  Broken\n';
  const result = analyzeChangelog(big);
  assert.equal(result.truncated, true);
  assert.deepEqual(
    result.findings.map((f) => f.code),
    ['changelog-too-large'],
  );
});

test('findings are capped, and the cap is said', () => {
  const result = analyzeChangelog((SEP + '\n').repeat(5000) + 'Version: 1.0.0\n  Info:\n    - x\n');
  assert.equal(result.findings.length, MAX_CHANGELOG_FINDINGS);
  assert.equal(result.truncated, true);
});

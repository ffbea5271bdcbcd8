import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeChangelog, applyChangelogEdits, formatChangelog } from '../../../src/model/changelog';

const SEP = '-'.repeat(99);
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'changelogs');

function format(text: string): string {
  return applyChangelogEdits(text, formatChangelog(text));
}

/** Every character but white space and separators, in order: what formatting must never change. */
function words(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !/^-{3,}\s*$/.test(line))
    .join('')
    .replace(/\s+/g, '');
}

const MESSY = [
  '',
  '',
  '-'.repeat(98) + '  ',
  '',
  'Version:\t 1.2.3  ',
  'Date:2026-11-30 ',
  ' Features: ',
  '   -  Added\ta thing.',
  '\t- Added another.\t',
  '     continued here',
  '        - a sub-point kept deeper',
  '   ',
  '  Bugfixes:',
  '    -Fixed it.',
  'Version: 1.2.2',
  '  Changes:',
  '    - Older.',
].join('\n');

const FORMATTED = [
  SEP,
  'Version: 1.2.3',
  'Date: 2026-11-30',
  '  Features:',
  '    - Added a thing.',
  '    - Added another.',
  '      continued here',
  '        - a sub-point kept deeper',
  '',
  '  Bugfixes:',
  '    - Fixed it.',
  SEP,
  'Version: 1.2.2',
  '  Changes:',
  '    - Older.',
].join('\n');

test('Format Document normalises indentation, separators, tabs, spacing and trailing white space', () => {
  assert.equal(format(MESSY), FORMATTED);
  assert.deepEqual(analyzeChangelog(FORMATTED).findings, []);
  assert.equal(words(FORMATTED), words(MESSY));
});

test('formatting is idempotent, edits nothing on a formatted file, and keeps CRLF', () => {
  assert.deepEqual(formatChangelog(FORMATTED), []);
  assert.equal(format(format(MESSY)), format(MESSY));
  const crlf = MESSY.replace(/\n/g, '\r\n');
  assert.equal(format(crlf), FORMATTED.replace(/\n/g, '\r\n'));
});

test('lines the checker cannot place keep their words; the finding stays for the author', () => {
  const text = [SEP, 'Version: 1.0.0', 'notes   ', '  Changes', '    - x'].join('\n');
  const out = format(text);
  assert.equal(out, [SEP, 'Version: 1.0.0', 'notes', '  Changes', '    - x'].join('\n'));
  assert.deepEqual(
    analyzeChangelog(out).findings.map((f) => f.code),
    ['changelog-unexpected-line', 'changelog-category-colon'],
  );
});

test('every real changelog formats without losing a word, to a fixed point, with no new serious finding', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'));
  assert.ok(files.length >= 20);
  for (const file of files) {
    const text = readFileSync(path.join(FIXTURES, file), 'utf8');
    const out = format(text);
    assert.equal(words(out), words(text), file);
    assert.deepEqual(formatChangelog(out), [], file);
    const serious = (t: string) => analyzeChangelog(t).findings.filter((f) => f.severity === 'error' || f.severity === 'warning').length;
    assert.ok(serious(out) <= serious(text), file);
    const hints = analyzeChangelog(out).findings.filter((f) => f.code.startsWith('changelog-trailing') || f.code.startsWith('changelog-tab'));
    assert.deepEqual(hints, [], file);
  }
});

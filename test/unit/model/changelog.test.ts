import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changelogBetween, parseChangelog } from '../../../src/model/changelog';
import { adversarialChangelog } from '../../portal-server/adversarialText';

const SAMPLE = [
  '---------------------------------------------------------------------------------------------------',
  'Version: 1.2.0',
  'Date: 2025-03-01',
  '  Features:',
  '    - Added a thing.',
  '---------------------------------------------------------------------------------------------------',
  'Version: 1.1.0',
  '  Bugfixes:',
  '    - Fixed a crash.',
  '---------------------------------------------------------------------------------------------------',
  'Version: 1.0.0',
  'Date: 2024-01-01',
  '  Changes:',
  '    - First release.',
].join('\r\n');

test('parses versions, dates and bodies', () => {
  const entries = parseChangelog(SAMPLE);
  assert.deepEqual(
    entries.map((e) => [e.version, e.date]),
    [['1.2.0', '2025-03-01'], ['1.1.0', undefined], ['1.0.0', '2024-01-01']],
  );
  assert.equal(entries[0].body, 'Features:\n    - Added a thing.');
  assert.equal(entries[1].body, 'Bugfixes:\n    - Fixed a crash.');
});

test('ignores text before the first version and tolerates junk', () => {
  assert.deepEqual(parseChangelog('just some notes\nno versions'), []);
  assert.equal(parseChangelog('Version: 2.0.0\n  - x').length, 1);
});

test('selects the entries an update would bring, newest first', () => {
  const entries = parseChangelog(SAMPLE);
  assert.deepEqual(changelogBetween(entries, '1.0.0', '1.2.0').map((e) => e.version), ['1.2.0', '1.1.0']);
  assert.deepEqual(changelogBetween(entries, '1.1.0', '1.1.0').map((e) => e.version), []);
  assert.deepEqual(changelogBetween(entries, undefined, '1.1.0').map((e) => e.version), ['1.1.0', '1.0.0']);
});

test('crafted lines of a million spaces parse in linear time', () => {
  // /^Date:\s*(.+?)\s*$/ took quadratic time on such a line: minutes at this size.
  const entries = parseChangelog(adversarialChangelog(1_000_000));
  assert.deepEqual(
    entries.map((e) => [e.version, e.date]),
    [['1.0.1', `2024-01-01${' '.repeat(1_000_000)}x`], ['1.0.0', '2023-12-01']],
  );
  assert.match(entries[0].body, /^Bugfixes:\n {4}- Fixed a crash\.\n-{1000000}x\nVersion: {1000000}\nDate:$/);
});

test('keeps the format’s edge cases: short dash lines, dates only first, separators with trailing spaces', () => {
  const entries = parseChangelog('Version: 1.0.0 extra\nDate:   2024-05-05  \n  ---------\nDate: later\n----------   \nVersion:\t2.0.0\n  x');
  assert.deepEqual(entries, [
    { version: '1.0.0', date: '2024-05-05', body: '---------\nDate: later' },
    { version: '2.0.0', date: undefined, body: 'x' },
  ]);
});

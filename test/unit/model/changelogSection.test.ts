import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeChangelog, isoDate, newSectionText, newestSection, versionBehind } from '../../../src/model/changelog';

const SEP = '-'.repeat(99);
const sections = (...versions: string[]) => analyzeChangelog(versions.map((v) => `${SEP}\nVersion: ${v}\n  Info:\n    - x\n`).join('')).sections;

test('the newest section is the highest version, wherever it stands', () => {
  assert.equal(newestSection(sections('1.0.0', '1.2.0', '1.1.0'))?.version, '1.2.0');
  assert.equal(newestSection(sections('abc', '1.0')), undefined);
  assert.equal(newestSection([]), undefined);
});

test('info.json ahead of every section is behind; equal or older is not', () => {
  assert.deepEqual(versionBehind('1.1.0', sections('1.0.0')), { version: '1.1.0', newest: '1.0.0' });
  assert.deepEqual(versionBehind('1.0.0', []), { version: '1.0.0', newest: undefined });
  assert.equal(versionBehind('1.0.0', sections('1.0.0')), undefined);
  assert.equal(versionBehind('0.9.0', sections('1.0.0')), undefined);
  // Compared as numbers, not as text.
  assert.equal(versionBehind('1.0.9', sections('1.0.10')), undefined);
  assert.equal(versionBehind('not a version', sections('1.0.0')), undefined);
  assert.equal(versionBehind(undefined, sections('1.0.0')), undefined);
});

test('a new section is one the game accepts, dated as written, in the file\'s line ending', () => {
  const text = newSectionText('1.2.3', isoDate(new Date(2026, 0, 5)), '\r\n');
  assert.equal(text, `${SEP}\r\nVersion: 1.2.3\r\nDate: 2026-01-05\r\n  Changes:\r\n`);
  const findings = analyzeChangelog(text + `${SEP}\r\nVersion: 1.2.2\r\n  Info:\r\n    - x\r\n`).findings;
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity]),
    [['changelog-empty-category', 'hint']],
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareVersions,
  compareVersionStrings,
  formatVersion,
  parseFactorioVersion,
  parseModVersion,
  parseVersion,
  releaseMatchesFactorioVersion,
  satisfies,
  sortVersionsDesc,
} from '../../../src/model/version';

test('parseVersion accepts A.B and A.B.C within 0..65535', () => {
  assert.deepEqual(parseVersion('1.2'), { major: 1, minor: 2 });
  assert.deepEqual(parseVersion('1.2.3'), { major: 1, minor: 2, patch: 3 });
  assert.deepEqual(parseVersion('0.18.19'), { major: 0, minor: 18, patch: 19 });
  assert.deepEqual(parseVersion('65535.0.65535'), { major: 65535, minor: 0, patch: 65535 });
  // Leading zeros occur in real files; semver would refuse them.
  assert.deepEqual(parseVersion('01.002.0003'), { major: 1, minor: 2, patch: 3 });
  assert.deepEqual(parseVersion('1.1.300'), { major: 1, minor: 1, patch: 300 });
});

test('parseVersion rejects everything else without throwing', () => {
  for (const bad of ['', '1', '1.', '.1', '1..2', '1.2.3.4', '1.x', 'a.b', '1.65536', '-1.0', '1.0-beta', '1 .0', '1e3.0']) {
    assert.equal(parseVersion(bad), undefined, bad);
  }
  assert.equal(parseVersion(undefined as unknown as string), undefined);
  assert.equal(parseVersion(12 as unknown as string), undefined);
});

test('parseModVersion needs three numbers', () => {
  assert.deepEqual(parseModVersion('1.0.0'), { major: 1, minor: 0, patch: 0 });
  assert.equal(parseModVersion('1.0'), undefined);
});

test('compareVersions treats a missing patch as 0 and compares numerically', () => {
  assert.equal(compareVersions(parseVersion('1.0')!, parseVersion('1.0.0')!), 0);
  assert.ok(compareVersions(parseVersion('1.10.0')!, parseVersion('1.9.0')!) > 0);
  assert.ok(compareVersions(parseVersion('0.18.19')!, parseVersion('1.0')!) < 0);
  assert.ok(compareVersions(parseVersion('2.0.1')!, parseVersion('2.0')!) > 0);
  assert.ok(compareVersionStrings('garbage', '0.0.0') < 0);
  assert.ok(compareVersionStrings('0.0.1', 'garbage') > 0);
});

test('formatVersion round-trips', () => {
  assert.equal(formatVersion({ major: 1, minor: 2 }), '1.2');
  assert.equal(formatVersion({ major: 1, minor: 2, patch: 0 }), '1.2.0');
});

test('satisfies covers every operator', () => {
  const v = parseVersion('1.4.2')!;
  const cases: Array<[Parameters<typeof satisfies>[1], string, boolean]> = [
    ['<', '1.4.2', false],
    ['<', '1.5', true],
    ['<=', '1.4.2', true],
    ['<=', '1.4.1', false],
    ['=', '1.4.2', true],
    ['=', '1.4', false],
    ['>=', '1.4.2', true],
    ['>=', '1.4', true],
    ['>=', '1.4.3', false],
    ['>', '1.4.2', false],
    ['>', '1.4', true],
  ];
  for (const [op, bound, expected] of cases) {
    assert.equal(satisfies(v, op, parseVersion(bound)!), expected, `1.4.2 ${op} ${bound}`);
  }
});

test('sortVersionsDesc sorts numerically, ties and invalid ones kept in original order', () => {
  assert.deepEqual(sortVersionsDesc(['0.9.0', 'x', '0.10.0', '0.10', '1.0.0', 'y', '0.10.1']), [
    '1.0.0',
    '0.10.1',
    '0.10.0',
    '0.10',
    '0.9.0',
    'x',
    'y',
  ]);
});

test('parseFactorioVersion accepts only A.B and explains a third number', () => {
  const ok = parseFactorioVersion('2.0');
  assert.equal(ok.ok, true);
  assert.equal(ok.ok && ok.text, '2.0');
  const three = parseFactorioVersion('2.0.1');
  assert.equal(three.ok, false);
  assert.ok(!three.ok && three.hasPatch);
  assert.match(!three.ok ? three.message : '', /portal rejects a third number/);
  assert.match(!three.ok ? three.message : '', /"2\.0"/);
  for (const bad of ['2', 'two', '', ' 2.0', '2.0 ', '2.x']) {
    const r = parseFactorioVersion(bad);
    assert.equal(r.ok, false, bad);
    assert.equal(!r.ok && r.hasPatch, false, bad);
  }
  assert.equal(parseFactorioVersion(2 as unknown as string).ok, false);
});

test('releaseMatchesFactorioVersion: same A.B, and 0.18 loads in 1.0', () => {
  assert.equal(releaseMatchesFactorioVersion('2.0', '2.0'), true);
  assert.equal(releaseMatchesFactorioVersion('1.1', '2.0'), false);
  assert.equal(releaseMatchesFactorioVersion('2.1', '2.0'), false);
  assert.equal(releaseMatchesFactorioVersion('0.18', '1.0'), true);
  assert.equal(releaseMatchesFactorioVersion('1.0', '0.18'), false);
  assert.equal(releaseMatchesFactorioVersion('0.18', '1.1'), false);
  assert.equal(releaseMatchesFactorioVersion('0.17', '0.18'), false);
  // Third numbers show up in portal data; only A.B counts.
  assert.equal(releaseMatchesFactorioVersion('2.0.7', '2.0'), true);
  assert.equal(releaseMatchesFactorioVersion('', '2.0'), false);
  assert.equal(releaseMatchesFactorioVersion('2.0', 'nonsense'), false);
});

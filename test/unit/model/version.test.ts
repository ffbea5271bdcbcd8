import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bumpVersion,
  compareVersions,
  DEFAULT_FACTORIO_VERSION,
  FACTORIO_VERSIONS,
  formatVersion,
  majorMinor,
  newestSatisfyingIndex,
  parseFactorioVersion,
  parseModVersion,
  parseVersion,
  PORTAL_FACTORIO_VERSIONS,
  releaseMatchesFactorioVersion,
  satisfiableWithin,
  satisfies,
  sortVersionsDesc,
  updatedOperator,
  type Constraint,
  type Operator,
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
  // Leading zeros are read as numbers, never handed to semver as they are.
  assert.equal(compareVersions(parseVersion('01.002.0003')!, parseVersion('1.2.3')!), 0);
  assert.ok(compareVersions(parseVersion('0.0.10')!, parseVersion('0.0.9')!) > 0);
  // Components up to 65535, far beyond what a byte or a string comparison would order.
  assert.ok(compareVersions(parseVersion('1.1.300')!, parseVersion('1.1.99')!) > 0);
  assert.ok(compareVersions(parseVersion('65535.65535.65535')!, parseVersion('65535.65535.65534')!) > 0);
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

const v = (text: string) => parseVersion(text)!;
const c = (op: Operator, bound: string): Constraint => ({ op, bound: v(bound) });

test('satisfies reads a two-part bound and a two-part version as .0', () => {
  assert.equal(satisfies(v('1.0'), '=', v('1.0.0')), true);
  assert.equal(satisfies(v('1.0.0'), '=', v('1.0')), true);
  assert.equal(satisfies(v('0.0.0'), '<', v('0.0')), false);
  assert.equal(satisfies(v('0.0.1'), '>', v('0.0')), true);
  assert.equal(satisfies(v('007.0.1'), '>=', v('7.0')), true);
  assert.equal(satisfies(v('65535.65535.65535'), '<=', v('65535.65535.65535')), true);
});

test('newestSatisfyingIndex picks the newest version within every constraint', () => {
  const versions = ['0.9.0', '1.0', '1.2.0', '1.10.0', '2.0.0'].map(v);
  assert.equal(newestSatisfyingIndex(versions, []), 4);
  assert.equal(newestSatisfyingIndex(versions, [c('<', '2.0')]), 3);
  assert.equal(newestSatisfyingIndex(versions, [c('>=', '1.0'), c('<', '1.10')]), 2);
  assert.equal(newestSatisfyingIndex(versions, [c('=', '1.0.0')]), 1);
  assert.equal(newestSatisfyingIndex(versions, [c('>', '2.0.0')]), -1);
  assert.equal(newestSatisfyingIndex(versions, [c('>=', '1.2'), c('<=', '1.0')]), -1, 'contradicting constraints');
  assert.equal(newestSatisfyingIndex([], []), -1);
  // Equal versions written differently: the first of them.
  assert.equal(newestSatisfyingIndex(['1.0', '1.0.0', '01.0.0'].map(v), []), 0);
});

test('satisfiableWithin: whether any version of an inclusive range meets a constraint', () => {
  const game20 = { min: v('2.0.0'), max: v('2.0.65535') };
  const cases: Array<[Operator, string, boolean]> = [
    ['>=', '2.0.0', true],
    ['>=', '2.0.65535', true],
    ['>=', '2.1.0', false],
    ['>', '2.0.65535', false],
    ['>', '2.0.65534', true],
    ['<', '2.0', false],
    ['<', '2.0.1', true],
    ['<=', '2.0', true],
    ['<=', '1.1.99', false],
    ['=', '2.0.7', true],
    ['=', '2.1.0', false],
  ];
  for (const [op, bound, expected] of cases) {
    assert.equal(satisfiableWithin(op, v(bound), game20), expected, `${op} ${bound}`);
  }
});

test('updatedOperator keeps what a constraint means and admits the version it moves to', () => {
  assert.equal(updatedOperator('='), '=');
  assert.equal(updatedOperator('>='), '>=');
  assert.equal(updatedOperator('<='), '<=');
  assert.equal(updatedOperator('>'), '>=');
  assert.equal(updatedOperator('<'), '<=');
  for (const op of ['<', '<=', '=', '>=', '>'] as const) {
    assert.equal(satisfies(v('1.4.2'), updatedOperator(op), v('1.4.2')), true, op);
  }
});

test('one list of Factorio versions, from the game\'s default; the portal lists from 0.13', () => {
  assert.equal(FACTORIO_VERSIONS[0], DEFAULT_FACTORIO_VERSION);
  assert.equal(DEFAULT_FACTORIO_VERSION, '0.12');
  assert.equal(FACTORIO_VERSIONS[FACTORIO_VERSIONS.length - 1], '2.1');
  assert.deepEqual(PORTAL_FACTORIO_VERSIONS, FACTORIO_VERSIONS.slice(1));
  assert.equal(PORTAL_FACTORIO_VERSIONS[0], '0.13');
  // Oldest first, each a valid factorio_version.
  for (let i = 0; i < FACTORIO_VERSIONS.length; i++) {
    const parsed = parseFactorioVersion(FACTORIO_VERSIONS[i]);
    assert.ok(parsed.ok, FACTORIO_VERSIONS[i]);
    if (i > 0) assert.ok(compareVersions(v(FACTORIO_VERSIONS[i - 1]), v(FACTORIO_VERSIONS[i])) < 0);
  }
});

test('majorMinor drops a third number and rejects what is not a version', () => {
  assert.deepEqual(majorMinor('2.0.66'), { major: 2, minor: 0 });
  assert.deepEqual(majorMinor('1.1'), { major: 1, minor: 1 });
  assert.equal(majorMinor('2'), undefined);
  assert.equal(majorMinor(''), undefined);
});

test('bumpVersion raises one part and resets the lower ones', () => {
  assert.equal(bumpVersion('1.4.2', 'patch'), '1.4.3');
  assert.equal(bumpVersion('1.4.2', 'minor'), '1.5.0');
  assert.equal(bumpVersion('1.4.2', 'major'), '2.0.0');
  assert.equal(bumpVersion('0.0.0', 'patch'), '0.0.1');
  assert.equal(bumpVersion('01.02.03', 'patch'), '1.2.4');
  // Past what the game accepts, or not a mod version: no bump.
  assert.equal(bumpVersion('1.4.65535', 'patch'), undefined);
  assert.equal(bumpVersion('1.4.65535', 'minor'), '1.5.0');
  assert.equal(bumpVersion('65535.0.0', 'major'), undefined);
  assert.equal(bumpVersion('1.4', 'patch'), undefined);
  assert.equal(bumpVersion('x', 'major'), undefined);
});

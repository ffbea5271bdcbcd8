import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Release } from '../../../src/portal/types';
import {
  compatibleReleases,
  latestCompatibleRelease,
  latestRelease,
  newestFirst,
  newestSatisfying,
} from '../../../src/model/releases';
import { parseVersion } from '../../../src/model/version';
import { release } from '../builders';


const versions = (releases: readonly Release[]): string[] => releases.map((r) => r.version);

// In the portal's order (oldest first is common, but nothing promises it).
const FLIB = [
  release('0.12.9', '1.1'),
  release('0.16.5', '2.0'),
  release('0.15.0', '2.0'),
  release('0.17.0', '2.1'),
  release('0.1.0', '0.18'),
  release('0.9.0', '1.1'),
];

test('newestFirst orders numerically; invalid versions last, equal ones kept in order', () => {
  const a = release('1.0', '2.0');
  const b = release('1.0.0', '2.0');
  const list = [release('bogus', '2.0'), release('0.9.0', '2.0'), a, release('1.10.0', '2.0'), b, release('', '2.0'), release('1.9.0', '2.0')];
  const sorted = newestFirst(list);
  assert.deepEqual(versions(sorted), ['1.10.0', '1.9.0', '1.0', '1.0.0', '0.9.0', 'bogus', '']);
  assert.equal(sorted[2], a);
  assert.equal(sorted[3], b);
  assert.deepEqual(versions(list)[0], 'bogus', 'the input is left alone');
  assert.deepEqual(newestFirst([]), []);
  // Components above 255 exist on the portal.
  assert.deepEqual(versions(newestFirst([release('1.1.99', '2.0'), release('1.1.300', '2.0')])), ['1.1.300', '1.1.99']);
});

test('compatibleReleases: those that load with the Factorio version, newest first, valid only', () => {
  assert.deepEqual(versions(compatibleReleases(FLIB, '2.0')), ['0.16.5', '0.15.0']);
  assert.deepEqual(versions(compatibleReleases(FLIB, '1.1')), ['0.12.9', '0.9.0']);
  // A 0.18 release loads in a 1.0 mod, not the other way round.
  assert.deepEqual(versions(compatibleReleases(FLIB, '1.0')), ['0.1.0']);
  assert.deepEqual(versions(compatibleReleases([release('1.0.0', '1.0')], '0.18')), []);
  assert.deepEqual(compatibleReleases(FLIB, '0.16'), []);
  // Without a Factorio version every valid release counts.
  assert.deepEqual(versions(compatibleReleases([...FLIB, release('x.y', '2.0')], undefined)), ['0.17.0', '0.16.5', '0.15.0', '0.12.9', '0.9.0', '0.1.0']);
  // A release whose factorio_version carries a third number still counts by its A.B.
  assert.deepEqual(versions(compatibleReleases([release('1.0.0', '2.0.7')], '2.0')), ['1.0.0']);
  // Releases without info_json (a partial answer) are never compatible, and do not throw.
  const partial = { ...release('2.0.0', '2.0'), info_json: undefined } as unknown as Release;
  assert.deepEqual(compatibleReleases([partial], '2.0'), []);
});

test('latestCompatibleRelease and latestRelease', () => {
  assert.equal(latestCompatibleRelease(FLIB, '2.1')?.version, '0.17.0');
  assert.equal(latestCompatibleRelease(FLIB, '2.0')?.version, '0.16.5');
  assert.equal(latestCompatibleRelease(FLIB, '0.16'), undefined);
  assert.equal(latestCompatibleRelease(FLIB, undefined)?.version, '0.17.0');
  assert.equal(latestCompatibleRelease([], '2.0'), undefined);
  assert.equal(latestRelease(FLIB)?.version, '0.17.0');
  assert.equal(latestRelease([release('bogus', '2.0'), release('0.0.1', '2.0')])?.version, '0.0.1', 'never an invalid version');
  assert.equal(latestRelease([release('bogus', '2.0')]), undefined);
  assert.equal(latestRelease([]), undefined);
});

test('newestSatisfying: the release the game would pick', () => {
  const c = (op: '<' | '<=' | '=' | '>=' | '>', bound: string) => ({ op, bound: parseVersion(bound)! });
  assert.equal(newestSatisfying(FLIB, [], '2.0')?.version, '0.16.5');
  assert.equal(newestSatisfying(FLIB, [c('<', '0.16.5')], '2.0')?.version, '0.15.0');
  assert.equal(newestSatisfying(FLIB, [c('=', '0.15')], '2.0')?.version, '0.15.0');
  assert.equal(newestSatisfying(FLIB, [c('>=', '0.17.0')], '2.0'), undefined, 'only a 2.1 release satisfies it');
  assert.equal(newestSatisfying(FLIB, [c('>=', '0.17.0')], '2.1')?.version, '0.17.0');
  assert.equal(newestSatisfying(FLIB, [c('>=', '0.10'), c('<', '0.16')])?.version, '0.15.0', 'every constraint, any Factorio version');
  assert.equal(newestSatisfying(FLIB, [c('>', '0.16.5'), c('<', '0.17')]), undefined);
  assert.equal(newestSatisfying([], []), undefined);
  // Of equal versions, the one listed first, as newestFirst orders them.
  const a = release('1.0', '2.0');
  const b = release('1.0.0', '2.0');
  assert.equal(newestSatisfying([a, b], [c('=', '1.0.0')], '2.0'), a);
  assert.equal(newestSatisfying([b, a], [c('=', '1.0.0')], '2.0'), b);
});

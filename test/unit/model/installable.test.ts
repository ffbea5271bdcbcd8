import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDependency } from '../../../src/model/dependency';
import { dependencyNames, installability, type PortalAnswer } from '../../../src/model/installable';
import { release } from '../builders';

const found = (deprecated = false): PortalAnswer => ({ state: 'found', mod: { releases: [release('0.9.0', '1.1'), release('1.2.0', '2.0')], deprecated } });
const notLocal = (): boolean => false;

test('installability: what the portal answered, for the Factorio version and the constraint', () => {
  const check = (text: string, answer: PortalAnswer, fv = '2.0') => installability(parseDependency(text), fv, answer, notLocal);
  assert.deepEqual(check('lib', found()), { ok: true, deprecated: false });
  assert.deepEqual(check('lib', found(true)), { ok: true, deprecated: true });
  assert.deepEqual(check('lib >= 1.0.0', found()), { ok: true, deprecated: false });
  assert.deepEqual(check('lib >= 2.0.0', found()), { ok: false, reason: 'no-satisfying-release' });
  assert.deepEqual(check('lib', found(), '2.1'), { ok: false, reason: 'no-release' });
  assert.deepEqual(check('lib', { state: 'missing' }), { ok: false, reason: 'not-on-portal' });
  // No answer is no verdict: a failed request never makes a dependency impossible.
  assert.deepEqual(check('lib', { state: 'unknown' }), { ok: true, deprecated: false });
});

test('installability: built-in and workspace mods need nothing from the portal', () => {
  assert.deepEqual(installability(parseDependency('space-age'), '2.0', { state: 'missing' }, notLocal), { ok: true, deprecated: false });
  assert.deepEqual(installability(parseDependency('space-age'), '1.1', { state: 'missing' }, notLocal), { ok: false, reason: 'builtin-unavailable' });
  assert.deepEqual(installability(parseDependency('my-lib'), '2.0', { state: 'missing' }, (n) => n === 'my-lib'), { ok: true, deprecated: false });
});

test('dependencyNames: parsed, once each, malformed ones left out', () => {
  const names = dependencyNames(['base', '? opt', 'lib >= 1.0', 'lib', '!! bad', '? opt2'], (d) => d.kind === 'optional');
  assert.deepEqual(names.map((d) => d.name?.text), ['opt', 'opt2']);
});

import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SolvedMod } from '../../../src/model/solver';
import { namesToEnable } from '../../../src/mods/install';
import { planFromSolution } from '../../../src/mods/installPlan';
import type { Release } from '../../../src/portal/types';

function release(name: string, version: string): Release {
  return {
    version,
    download_url: `/download/${name}/${version}`,
    file_name: `${name}_${version}.zip`,
    sha1: '0'.repeat(40),
    released_at: '2025-01-01T00:00:00.000Z',
    info_json: { factorio_version: '2.0', dependencies: [] },
  } as Release;
}

function portal(name: string, version: string, installedVersion?: string): SolvedMod<Release> {
  const payload = release(name, version);
  return {
    name,
    version,
    origin: 'portal',
    release: { version, factorioVersion: '2.0', dependencies: [], payload },
    ...(installedVersion ? { installedVersion } : {}),
    requiredBy: [],
  };
}

const solved: SolvedMod<Release>[] = [
  portal('lib', '1.4.2'),
  portal('core', '1.1.0', '1.0.0'),
  { name: 'gfx', version: '0.5.0', origin: 'installed', requiredBy: [] },
  { name: 'local-mod', version: '0.3.0', origin: 'workspace', requiredBy: [] },
  { name: 'base', version: '2.0', origin: 'builtin', requiredBy: [] },
];

test('a solution becomes install, update and keep steps; workspace and built-in mods are only reported', () => {
  const { plan, kept } = planFromSolution('/mods', solved);
  assert.equal(plan.folder, '/mods');
  assert.deepEqual(
    plan.steps.map((s) => [s.action, s.name, s.version, s.action === 'update' ? s.from : undefined]),
    [
      ['install', 'lib', '1.4.2', undefined],
      ['update', 'core', '1.1.0', '1.0.0'],
      ['keep', 'gfx', '0.5.0', undefined],
    ],
  );
  assert.deepEqual(kept, [
    { name: 'gfx', version: '0.5.0', origin: 'installed' },
    { name: 'local-mod', version: '0.3.0', origin: 'workspace' },
    { name: 'base', version: '2.0', origin: 'builtin' },
  ]);
  // A kept installed mod is enabled with the rest: the mods that need it load only then.
  assert.deepEqual(namesToEnable(plan), ['lib', 'core', 'gfx']);
});

test('a root mod comes first: installed when absent, kept when that version is there, else an update of the newest older copy', () => {
  const absent = planFromSolution('/mods', [], { name: 'pack', release: release('pack', '2.0.0'), installedVersions: [] });
  assert.deepEqual(absent.plan.steps.map((s) => [s.action, s.name, s.version]), [['install', 'pack', '2.0.0']]);

  const there = planFromSolution('/mods', solved, { name: 'pack', release: release('pack', '2.0.0'), installedVersions: ['2.0.0', '1.0.0'] });
  assert.deepEqual(there.plan.steps[0], { action: 'keep', name: 'pack', version: '2.0.0', enable: true });
  assert.deepEqual(there.kept[0], { name: 'pack', version: '2.0.0', origin: 'installed' });

  const older = planFromSolution('/mods', [], { name: 'pack', release: release('pack', '2.0.0'), installedVersions: ['1.0.0', '1.10.0', '1.9.0'] });
  const step = older.plan.steps[0]!;
  assert.equal(step.action, 'update');
  assert.equal(step.action === 'update' && step.from, '1.10.0');
});

test('an expansion the solution needs (space-age) is enabled with the rest; base is always on', () => {
  const { plan, kept } = planFromSolution('/mods', [...solved, { name: 'space-age', version: '2.0', origin: 'builtin', requiredBy: [] }]);
  assert.deepEqual(namesToEnable(plan), ['lib', 'core', 'gfx', 'space-age']);
  assert.ok(kept.some((k) => k.name === 'space-age' && k.origin === 'builtin'), 'still reported as coming with the game');
});

import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InstalledMod, ModsFolderScan } from '../../../src/mods/modsFolder';
import { parseModList } from '../../../src/mods/modList';
import { dependencyInstallState } from '../../../src/mods/satisfaction';
import { parseDependency } from '../../../src/model/dependency';

function mod(name: string, version: string): InstalledMod {
  return { name, version, factorioVersion: '2.0', dependencies: undefined, title: name, kind: 'zip', path: `/m/${name}_${version}.zip`, fileName: `${name}_${version}.zip`, symlink: false, nameMismatch: false };
}

const scan: ModsFolderScan = {
  folder: '/m',
  exists: true,
  // As readModsFolder sorts: by name, newest first.
  mods: [mod('flib', '0.16.2'), mod('flib', '0.15.0'), mod('off', '1.0.0')],
  unreadable: [],
  modList: parseModList(JSON.stringify({ mods: [{ name: 'base', enabled: true }, { name: 'flib', enabled: true }, { name: 'off', enabled: false }] })),
};

describe('dependencyInstallState', () => {
  test('installed, enabled, and the loaded (newest) version judged against the constraint', () => {
    const ok = dependencyInstallState('flib >= 0.16.0', scan)!;
    assert.deepEqual(ok.versions.map((v) => [v.version, v.satisfies]), [['0.16.2', true], ['0.15.0', false]]);
    assert.equal(ok.loaded?.version, '0.16.2');
    assert.deepEqual([ok.installed, ok.enabled, ok.satisfied], [true, true, true]);
    const tooOld = dependencyInstallState(parseDependency('? flib > 0.16.2'), scan)!;
    assert.equal(tooOld.satisfied, false);
    assert.equal(dependencyInstallState('flib', scan)!.satisfied, true);
  });

  test('disabled or absent mods do not satisfy; an incompatibility is satisfied by them', () => {
    const off = dependencyInstallState('off', scan)!;
    assert.deepEqual([off.installed, off.enabled, off.satisfied], [true, false, false]);
    const absent = dependencyInstallState('nothing >= 1.0.0', scan)!;
    assert.deepEqual([absent.installed, absent.versions, absent.loaded, absent.satisfied], [false, [], undefined, false]);
    assert.equal(dependencyInstallState('! off', scan)!.satisfied, true);
    assert.equal(dependencyInstallState('! flib', scan)!.satisfied, false);
  });

  test('built-in mods are installed with the game', () => {
    const base = dependencyInstallState('base >= 2.0.0', scan)!;
    assert.deepEqual([base.builtin, base.installed, base.enabled, base.satisfied], [true, true, true, true]);
    const sa = dependencyInstallState('space-age', scan)!;
    assert.deepEqual([sa.builtin, sa.enabled, sa.satisfied], [true, false, false]);
  });

  test('a zip the game refuses (its name does not match its info.json) does not count as installed', () => {
    const misnamed = { ...scan, mods: [{ ...mod('lib', '2.0.0'), fileName: 'lib.zip', nameMismatch: true }, mod('lib', '1.0.0')] };
    const state = dependencyInstallState('lib >= 1.0.0', misnamed)!;
    assert.deepEqual(state.versions.map((v) => [v.version, v.refusedByGame]), [['2.0.0', true], ['1.0.0', false]]);
    assert.equal(state.loaded?.version, '1.0.0');
    const only = dependencyInstallState('lib', { ...scan, mods: [misnamed.mods[0]] })!;
    assert.deepEqual([only.installed, only.loaded, only.satisfied], [false, undefined, false]);
  });

  test('a dependency without a name has no state', () => {
    assert.equal(dependencyInstallState('>= 1.0', scan), undefined);
  });
});

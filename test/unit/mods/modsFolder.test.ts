import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  chooseModsFolder,
  defaultFactorioDataFolder,
  defaultModsFolderCandidates,
  factorioDataFolderCandidates,
  installedVersions,
  readModsFolder,
} from '../../../src/mods/modsFolder';
import { infoJson, makeZip, modZip } from './zips';

let root: string;
let mods: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'fmp-modsfolder-')));
  mods = path.join(root, 'mods');
  mkdirSync(mods);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function modFolder(at: string, name: string, version: string): void {
  mkdirSync(at, { recursive: true });
  writeFileSync(path.join(at, 'info.json'), infoJson(name, version));
}

describe('readModsFolder', () => {
  test('finds zips and folders by their info.json, symlinks included, and reads mod-list.json', async () => {
    writeFileSync(path.join(mods, 'flib_0.16.2.zip'), modZip('flib', '0.16.2'));
    writeFileSync(path.join(mods, 'flib_0.15.0.zip'), modZip('flib', '0.15.0'));
    writeFileSync(path.join(mods, 'renamed.zip'), modZip('other', '1.0.0'));
    modFolder(path.join(mods, 'devmod'), 'devmod', '0.1.0');
    modFolder(path.join(mods, 'old_1.0.0'), 'old', '1.0.0');
    modFolder(path.join(root, 'work', 'linked'), 'linked', '2.0.0');
    symlinkSync(path.join(root, 'work', 'linked'), path.join(mods, 'linked'), 'dir');
    writeFileSync(path.join(mods, 'mod-list.json'), JSON.stringify({ mods: [{ name: 'base', enabled: true }, { name: 'flib', enabled: false }] }));
    writeFileSync(path.join(mods, 'mod-settings.dat'), Buffer.from([1, 2, 3]));
    mkdirSync(path.join(mods, 'not-a-mod'));

    const scan = await readModsFolder(mods);
    assert.equal(scan.exists, true);
    assert.deepEqual(
      scan.mods.map((m) => [m.name, m.version, m.kind, m.symlink, m.nameMismatch]),
      [
        ['devmod', '0.1.0', 'folder', false, false],
        ['flib', '0.16.2', 'zip', false, false],
        ['flib', '0.15.0', 'zip', false, false],
        ['linked', '2.0.0', 'folder', true, false],
        ['old', '1.0.0', 'folder', false, false],
        ['other', '1.0.0', 'zip', false, true],
      ],
    );
    assert.deepEqual(scan.unreadable, []);
    assert.deepEqual(installedVersions(scan, 'flib').map((m) => m.fileName), ['flib_0.16.2.zip', 'flib_0.15.0.zip']);
    assert.deepEqual(scan.mods[1].dependencies, ['base >= 2.0.0']);
    assert.equal(scan.modList.present, true);
    assert.deepEqual(scan.modList.entries.map((e) => e.name), ['base', 'flib']);
  });

  test('bad entries are reported one by one and the scan goes on', async () => {
    writeFileSync(path.join(mods, 'good_1.0.0.zip'), modZip('good', '1.0.0'));
    writeFileSync(path.join(mods, 'truncated_1.0.0.zip'), modZip('truncated', '1.0.0').subarray(0, 50));
    writeFileSync(path.join(mods, 'noinfo_1.0.0.zip'), makeZip([{ name: 'noinfo/data.lua', data: '--' }]));
    writeFileSync(path.join(mods, 'badjson_1.0.0.zip'), makeZip([{ name: 'badjson/info.json', data: '{"name": ' }]));
    writeFileSync(path.join(mods, 'noversion_1.0.0.zip'), makeZip([{ name: 'nv/info.json', data: '{"name": "nv"}' }]));
    symlinkSync(path.join(root, 'nowhere'), path.join(mods, 'dangling'));
    writeFileSync(path.join(mods, 'commented_1.0.0.zip'), makeZip([{ name: 'c/info.json', data: '{"name": "commented", // no\n"version": "1.0.0"}' }]));
    writeFileSync(path.join(mods, 'comma_1.0.0.zip'), makeZip([{ name: 'c/info.json', data: '{"name": "comma", "version": "1.0.0",}' }]));
    mkdirSync(path.join(mods, 'broken'));
    writeFileSync(path.join(mods, 'broken', 'info.json'), '[1, 2]');

    const scan = await readModsFolder(mods);
    assert.deepEqual(scan.mods.map((m) => m.name), ['good']);
    assert.deepEqual(scan.unreadable.map((u) => u.fileName).sort(), ['badjson_1.0.0.zip', 'broken', 'comma_1.0.0.zip', 'commented_1.0.0.zip', 'dangling', 'noinfo_1.0.0.zip', 'noversion_1.0.0.zip', 'truncated_1.0.0.zip']);
    for (const u of scan.unreadable) assert.ok(u.reason.length > 0);
    assert.match(scan.unreadable.find((u) => u.fileName === 'dangling')!.reason, /broken link/);
  });

  test('a missing folder is a normal, empty state', async () => {
    const scan = await readModsFolder(path.join(root, 'absent'));
    assert.deepEqual({ exists: scan.exists, mods: scan.mods, unreadable: scan.unreadable, present: scan.modList.present }, { exists: false, mods: [], unreadable: [], present: false });
  });

  test('a malformed mod-list.json is reported, not thrown', async () => {
    writeFileSync(path.join(mods, 'mod-list.json'), '{"mods": [');
    const scan = await readModsFolder(mods);
    assert.ok(scan.modList.problem);
  });
});

describe('default folders', () => {
  test('Windows uses %APPDATA%, else the roaming folder under home', () => {
    assert.equal(defaultFactorioDataFolder('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a'), 'C:\\Users\\a\\AppData\\Roaming\\Factorio');
    assert.equal(defaultFactorioDataFolder('win32', {}, 'C:\\Users\\a'), 'C:\\Users\\a\\AppData\\Roaming\\Factorio');
    assert.deepEqual(defaultModsFolderCandidates('win32', { APPDATA: 'D:\\R' }, 'C:\\U'), ['D:\\R\\Factorio\\mods']);
  });

  test('macOS, then Linux with the Flatpak Steam place second', () => {
    assert.deepEqual(factorioDataFolderCandidates('darwin', {}, '/Users/a'), ['/Users/a/Library/Application Support/factorio']);
    assert.deepEqual(defaultModsFolderCandidates('linux', { APPDATA: 'ignored' }, '/home/a'), ['/home/a/.factorio/mods', '/home/a/.var/app/com.valvesoftware.Steam/.factorio/mods']);
  });

  test('the setting wins (with ~ expanded), else the first default that exists, else the first default', () => {
    const none = (): boolean => false;
    assert.deepEqual(chooseModsFolder(' ~/factorio/mods ', 'linux', {}, '/home/a', none), { folder: '/home/a/factorio/mods', source: 'setting' });
    assert.deepEqual(chooseModsFolder('', 'linux', {}, '/home/a', none), { folder: '/home/a/.factorio/mods', source: 'default' });
    const flatpak = (p: string): boolean => p.includes('.var');
    assert.deepEqual(chooseModsFolder(undefined, 'linux', {}, '/home/a', flatpak), { folder: '/home/a/.var/app/com.valvesoftware.Steam/.factorio/mods', source: 'default' });
  });
});

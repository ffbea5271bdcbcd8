import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { stagedName } from '../../../src/mods/install';
import { PendingInstall, readInstallRecord, writeInstallRecord } from '../../../src/mods/installRecord';
import { processAlive, recoverInstalls } from '../../../src/mods/installRecovery';

const MOD_LIST = '{\n  "mods": [\n    {\n      "name": "base",\n      "enabled": true\n    }\n  ]\n}\n';
const ID = 'a1b2c3d4e5f6';

let root: string;
let folder: string;
let storage: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'fmp-recover-')));
  folder = path.join(root, 'mods');
  storage = path.join(root, 'storage');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'mod-list.json'), MOD_LIST);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

function run(phase: PendingInstall['phase'], names: string[]): PendingInstall {
  return {
    id: ID,
    pid: 999_999_999,
    folder,
    startedAt: '2026-01-01T00:00:00.000Z',
    phase,
    createdFolder: false,
    files: names.map((n) => ({ name: n, version: '1.0.0', file: `${n}_1.0.0.zip`, staged: stagedName(`${n}_1.0.0.zip`, ID), sha1: sha1(`zip of ${n}`) })),
    enable: names,
    updates: [],
  };
}

function stageFiles(r: PendingInstall): void {
  for (const f of r.files) writeFileSync(path.join(folder, f.staged), `zip of ${f.name}`);
}

const dead = { isAlive: () => false, now: () => new Date('2026-01-02T00:00:00Z') };

describe('recoverInstalls', () => {
  test('a run cut short while downloading is undone: no staged or partial file, mod-list.json as it was', async () => {
    const r = run('staging', ['a', 'b']);
    stageFiles(r);
    r.files = [];
    writeFileSync(path.join(folder, `${stagedName('c_1.0.0.zip', ID)}`.replace(/^/, '.') + '.0123456789ab.part'), 'half');
    await writeInstallRecord(storage, { installs: [], pending: [r] });
    const report = await recoverInstalls(storage, dead);
    assert.equal(report.undone.length, 1);
    assert.equal(report.undone[0].removed.length, 3);
    assert.deepEqual(readdirSync(folder), ['mod-list.json']);
    assert.equal(readFileSync(path.join(folder, 'mod-list.json'), 'utf8'), MOD_LIST);
    assert.deepEqual((await readInstallRecord(storage)).record, { installs: [] });
  });

  test('a run cut short while committing is finished: every file in place, enabled and recorded', async () => {
    const r = run('committing', ['a', 'b']);
    stageFiles(r);
    // The crash came after the first rename.
    const [first] = r.files;
    writeFileSync(path.join(folder, first.file), 'zip of a');
    rmSync(path.join(folder, first.staged));
    await writeInstallRecord(storage, { installs: [], pending: [r] });
    const report = await recoverInstalls(storage, dead);
    assert.deepEqual(report.finished, [{ folder, files: ['a_1.0.0.zip', 'b_1.0.0.zip'] }]);
    assert.deepEqual(readdirSync(folder).sort(), ['a_1.0.0.zip', 'b_1.0.0.zip', 'mod-list.json', 'mod-list.json.bak']);
    const list = JSON.parse(readFileSync(path.join(folder, 'mod-list.json'), 'utf8')) as { mods: Array<{ name: string; enabled: boolean }> };
    assert.deepEqual(list.mods.map((m) => `${m.name}:${m.enabled}`), ['base:true', 'a:true', 'b:true']);
    const { record } = await readInstallRecord(storage);
    assert.equal(record.pending, undefined);
    assert.deepEqual(record.installs.map((e) => [e.file, e.sha1, e.installedAt]), [
      ['a_1.0.0.zip', sha1('zip of a'), '2026-01-02T00:00:00.000Z'],
      ['b_1.0.0.zip', sha1('zip of b'), '2026-01-02T00:00:00.000Z'],
    ]);
    // Once more: nothing left to do.
    const again = await recoverInstalls(storage, dead);
    assert.deepEqual([again.finished, again.undone, again.stale], [[], [], []]);
  });

  test('a committing run whose final name was taken meanwhile is undone, and the foreign file kept', async () => {
    const r = run('committing', ['a']);
    stageFiles(r);
    writeFileSync(path.join(folder, r.files[0].file), 'somebody else');
    await writeInstallRecord(storage, { installs: [], pending: [r] });
    const report = await recoverInstalls(storage, dead);
    assert.equal(report.finished.length, 0);
    assert.match(report.problems[0] ?? '', /appeared during the install/);
    assert.equal(readFileSync(path.join(folder, r.files[0].file), 'utf8'), 'somebody else');
    assert.deepEqual(readdirSync(folder).sort(), ['a_1.0.0.zip', 'mod-list.json']);
    assert.equal((await readInstallRecord(storage)).record.pending, undefined);
  });

  test('a run whose process still lives is left alone, files and all', async () => {
    const r = run('staging', ['a']);
    stageFiles(r);
    await writeInstallRecord(storage, { installs: [], pending: [r] });
    const report = await recoverInstalls(storage, { isAlive: () => true, staleAfterMs: 0 });
    assert.deepEqual([report.finished, report.undone, report.stale], [[], [], []]);
    assert.ok(existsSync(path.join(folder, r.files[0].staged)));
    assert.equal((await readInstallRecord(storage)).record.pending?.length, 1);
  });

  test('stale temporaries no run names go once they are old; young ones and other files stay', async () => {
    const old = new Date('2025-12-01T00:00:00Z');
    const names = ['.x_1.0.0.zip.0123456789ab.part', '.y_1.0.0.zip.ffffffffffff.fmp-staged', 'mod-list.json.123456', 'notes.part', 'mine.zip'];
    for (const n of names) {
      writeFileSync(path.join(folder, n), 'x');
      utimesSync(path.join(folder, n), old, old);
    }
    writeFileSync(path.join(folder, '.young.zip.0123456789ab.part'), 'x');
    const report = await recoverInstalls(storage, { ...dead, folders: [folder], now: () => new Date('2026-01-02T00:00:00Z') });
    assert.deepEqual(report.stale.map((f) => path.basename(f)).sort(), names.slice(0, 3).sort());
    assert.deepEqual(readdirSync(folder).sort(), ['.young.zip.0123456789ab.part', 'mine.zip', 'mod-list.json', 'notes.part']);
  });

  test('a tampered record cannot point a recovery outside its folder', async () => {
    const r = run('committing', ['a']);
    r.files[0].file = '../escape.zip';
    await writeInstallRecord(storage, { installs: [], pending: [r] });
    const report = await recoverInstalls(storage, dead);
    assert.match(report.problems[0] ?? '', /malformed/);
    assert.equal(existsSync(path.join(root, 'escape.zip')), false);
  });
});

test('processAlive: this process lives, a pid nobody has does not', () => {
  assert.equal(processAlive(process.pid), true);
  assert.equal(processAlive(999_999_999), false);
});

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { DownloadRelease, InstallPlan, InstallProgress, InstallStep, portalDownloader, runInstall } from '../../../src/mods/install';
import { PortalClient } from '../../../src/portal/client';
import { INSTALL_RECORD_FILE, readInstallRecord } from '../../../src/mods/installRecord';
import { readModsFolder } from '../../../src/mods/modsFolder';
import type { Release } from '../../../src/portal/types';
import type { DatasetMod } from '../../portal-server/records';
import { startPortalServer, type PortalServer } from '../../portal-server/server';

const MOD_LIST = `{
  "mods": 
  [
    
    {
      "name": "base",
      "enabled": true
    },
    
    {
      "name": "m-disabled",
      "enabled": false,
      "x-note": "kept"
    }
  ],
  "other-tool": 1
}
`;

let server: PortalServer;
let root: string;
let folder: string;
let storage: string;
let download: DownloadRelease;

before(async () => {
  server = await startPortalServer({ mods: 20, seed: 4 });
  download = portalDownloader(new PortalClient({ baseUrl: server.url, userAgent: 'install-test/1', maxRetries: 0 }), server.credentials);
});
after(() => server.close());

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'fmp-install-')));
  folder = path.join(root, 'mods');
  storage = path.join(root, 'storage');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'mod-list.json'), MOD_LIST);
  server.setFaults(undefined);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Mods of the local portal with at least two releases, by name. */
function mods(count: number): DatasetMod[] {
  const found = server.dataset.mods.filter((m) => m.releases.length >= 2).sort((a, b) => (a.name < b.name ? -1 : 1));
  assert.ok(found.length >= count, `the dataset has ${count} mods with two releases`);
  return found.slice(0, count);
}

const newest = (m: DatasetMod): Release => m.releases.at(-1)!;
const install = (m: DatasetMod, r: Release = newest(m)): InstallStep => ({ action: 'install', name: m.name, version: r.version, release: r });

function sha1(file: string): string {
  return createHash('sha1').update(readFileSync(file)).digest('hex');
}

/** Every file under the folder with its bytes' sha1: what "nothing changed" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) out[name] = statSync(path.join(dir, name)).isFile() ? sha1(path.join(dir, name)) : 'dir';
  return out;
}

describe('runInstall', () => {
  // The timeout only turns a lost parallel slot (the gate never opening) into a failure instead of a hang.
  test('downloads four at once, verified, then enables them in mod-list.json with everything else kept', { timeout: 120_000 }, async () => {
    const five = mods(5);
    let inFlight = 0;
    let most = 0;
    let releaseGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (releaseGate = resolve));
    // Holds every download until four run at once (or all have started): proves the parallelism without timing.
    const gated: DownloadRelease = async (release, options) => {
      inFlight++;
      most = Math.max(most, inFlight);
      if (inFlight === 4) releaseGate();
      await gate;
      try {
        return await download(release, options);
      } finally {
        inFlight--;
      }
    };
    const progress: InstallProgress[] = [];
    const result = await runInstall({ folder, steps: five.map((m) => install(m)) }, { download: gated, storageFolder: storage, onProgress: (p) => progress.push(p), now: () => new Date('2026-01-02T03:04:05Z') });
    assert.equal(result.status, 'done', JSON.stringify(result));
    assert.ok(result.status === 'done');
    assert.equal(most, 4);
    for (const m of five) assert.equal(sha1(path.join(folder, newest(m).file_name)), newest(m).sha1);
    const last = progress.at(-1)!;
    assert.deepEqual({ filesDone: last.filesDone, filesTotal: last.filesTotal }, { filesDone: 5, filesTotal: 5 });
    const totalBytes = five.reduce((a, m) => a + statSync(path.join(folder, newest(m).file_name)).size, 0);
    assert.equal(last.bytes, totalBytes);
    assert.equal(last.totalBytes, totalBytes);
    assert.ok(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1].bytes), 'bytes never go back');

    const added = five.map((m) => `,\n    {\n      "name": "${m.name}",\n      "enabled": true\n    }`).join('');
    assert.equal(readFileSync(path.join(folder, 'mod-list.json'), 'utf8'), MOD_LIST.replace('"x-note": "kept"\n    }', `"x-note": "kept"\n    }${added}`));
    assert.equal(readFileSync(path.join(folder, 'mod-list.json.bak'), 'utf8'), MOD_LIST);

    const { record, problem } = await readInstallRecord(storage);
    assert.equal(problem, undefined);
    assert.deepEqual(
      record.installs.map((e) => [e.name, e.version, e.file, e.sha1, e.installedAt, e.folder]),
      five.map((m) => [m.name, newest(m).version, newest(m).file_name, newest(m).sha1, '2026-01-02T03:04:05.000Z', folder]).sort(),
    );
    // The scan now sees them, by their info.json.
    const scan = await readModsFolder(folder);
    assert.deepEqual(scan.mods.map((m) => `${m.name}@${m.version}`).sort(), five.map((m) => `${m.name}@${newest(m).version}`).sort());

    // A second run of the same plan: nothing to do, nothing written.
    const before = snapshot(folder);
    const recordBefore = readFileSync(path.join(storage, INSTALL_RECORD_FILE), 'utf8');
    const requests = server.requests.length;
    const again = await runInstall({ folder, steps: five.map((m) => install(m)) }, { download, storageFolder: storage });
    assert.deepEqual(again, { status: 'nothing-to-do' });
    assert.deepEqual(snapshot(folder), before);
    assert.equal(readFileSync(path.join(storage, INSTALL_RECORD_FILE), 'utf8'), recordBefore);
    assert.deepEqual(server.requests.slice(requests).filter((r) => r.host === 'portal'), [], 'no download asked for');
  });

  test('enabling a kept, disabled mod is a change; keeping it as it is is nothing to do', async () => {
    const keep: InstallPlan = { folder, steps: [{ action: 'keep', name: 'm-disabled', version: '1.0.0' }] };
    assert.deepEqual(await runInstall(keep, { download, storageFolder: storage }), { status: 'nothing-to-do' });
    const result = await runInstall({ folder, steps: [{ action: 'keep', name: 'm-disabled', version: '1.0.0', enable: true }] }, { download, storageFolder: storage });
    assert.ok(result.status === 'done');
    assert.deepEqual(result.modList.enabled, ['m-disabled']);
    assert.equal(readFileSync(path.join(folder, 'mod-list.json'), 'utf8'), MOD_LIST.replace('"enabled": false', '"enabled": true'));
  });

  test('files are staged under hidden names while the record names the run; the run commits, then is complete', async () => {
    const two = mods(2);
    const seen: Array<{ fileName: string; pending: unknown }> = [];
    const watching: DownloadRelease = async (release, options) => {
      const { record } = await readInstallRecord(storage);
      seen.push({ fileName: options.fileName, pending: record.pending?.map((p) => [p.phase, p.folder, p.pid]) });
      // Nothing is in place while the downloads run.
      assert.deepEqual(readdirSync(folder).filter((n) => !n.startsWith('.')), ['mod-list.json']);
      return download(release, options);
    };
    const result = await runInstall({ folder, steps: two.map((m) => install(m)) }, { download: watching, storageFolder: storage });
    assert.equal(result.status, 'done', JSON.stringify(result));
    // Downloads run side by side, so they start in any order: each file is looked up by its name.
    assert.equal(seen.length, two.length);
    for (const m of two) {
      const staged = new RegExp(`^\\.${newest(m).file_name.replace(/[.]/g, '\\.')}\\.[0-9a-f]{12}\\.fmp-staged$`);
      const download = seen.find((d) => staged.test(d.fileName));
      assert.ok(download, `${newest(m).file_name} was staged under a hidden name: ${seen.map((d) => d.fileName).join(', ')}`);
      assert.deepEqual(download.pending, [['staging', folder, process.pid]]);
    }
    assert.deepEqual(readdirSync(folder).sort(), [...two.map((m) => newest(m).file_name), 'mod-list.json', 'mod-list.json.bak'].sort());
    const { record } = await readInstallRecord(storage);
    assert.equal(record.pending, undefined);
    assert.equal(record.installs.length, 2);
  });

  test('mod-list.json spoilt during the downloads: the placed files are taken back, the record left with no run', async () => {
    const two = mods(2);
    const spoiling: DownloadRelease = async (release, options) => {
      writeFileSync(path.join(folder, 'mod-list.json'), '{"mods": [');
      return download(release, options);
    };
    const result = await runInstall({ folder, steps: two.map((m) => install(m)) }, { download: spoiling, storageFolder: storage });
    assert.ok(result.status === 'failed', JSON.stringify(result));
    assert.match(result.error, /mod-list\.json/);
    assert.deepEqual(readdirSync(folder), ['mod-list.json']);
    assert.equal(readFileSync(path.join(folder, 'mod-list.json'), 'utf8'), '{"mods": [');
    assert.deepEqual((await readInstallRecord(storage)).record, { installs: [] });
  });

  test('Cancel half-way removes every file the run wrote and leaves mod-list.json untouched', async () => {
    const five = mods(5);
    const hung = five[4];
    server.setFaults({ hang: true, match: `/download/${hung.name}/` });
    const before = snapshot(folder);
    const cancel = new AbortController();
    let done = 0;
    // Cancel once the four others are on disk and the fifth hangs.
    const counting: DownloadRelease = async (release, options) => {
      const file = await download(release, options);
      if (++done === 4) cancel.abort();
      return file;
    };
    const result = await runInstall({ folder, steps: five.map((m) => install(m)) }, { download: counting, storageFolder: storage, signal: cancel.signal, parallel: 4 });
    assert.equal(result.status, 'cancelled');
    assert.ok(result.status === 'cancelled');
    assert.equal(result.removed.length, 4);
    assert.deepEqual(snapshot(folder), before);
    assert.deepEqual((await readInstallRecord(storage)).record, { installs: [] }, 'no install and no pending run');
  });

  test('a failed download (wrong sha1) removes everything and leaves mod-list.json untouched', async () => {
    const three = mods(3);
    server.setFaults({ corruptDownload: true, match: `/download/${three[1].name}/` });
    const before = snapshot(folder);
    const result = await runInstall({ folder, steps: three.map((m) => install(m)) }, { download, storageFolder: storage });
    assert.equal(result.status, 'failed');
    assert.ok(result.status === 'failed');
    assert.match(result.error, /sha1/);
    assert.deepEqual(snapshot(folder), before);
    assert.deepEqual((await readInstallRecord(storage)).record, { installs: [] }, 'no install and no pending run');
  });

  test('a server error fails the run the same way', async () => {
    const three = mods(3);
    server.setFaults({ status: 500, match: `/download/${three[2].name}/` });
    const before = snapshot(folder);
    const result = await runInstall({ folder, steps: three.map((m) => install(m)) }, { download, storageFolder: storage });
    assert.equal(result.status, 'failed');
    assert.deepEqual(snapshot(folder), before);
  });

  test('a malformed mod-list.json or a foreign file in the way stops the run before any download', async () => {
    const [m] = mods(1);
    writeFileSync(path.join(folder, 'mod-list.json'), '{"mods": [}');
    const requests = server.requests.length;
    const bad = await runInstall({ folder, steps: [install(m)] }, { download, storageFolder: storage });
    assert.ok(bad.status === 'failed');
    assert.match(bad.error, /mod-list\.json/);
    writeFileSync(path.join(folder, 'mod-list.json'), MOD_LIST);
    writeFileSync(path.join(folder, newest(m).file_name), 'mine');
    const inTheWay = await runInstall({ folder, steps: [install(m)] }, { download, storageFolder: storage });
    assert.ok(inTheWay.status === 'failed');
    assert.equal(readFileSync(path.join(folder, newest(m).file_name), 'utf8'), 'mine');
    // Every download starts at the portal; the download host may still be hearing from
    // the previous test's cancelled transfers.
    assert.deepEqual(server.requests.slice(requests).filter((r) => r.host === 'portal'), []);
    assert.deepEqual(readdirSync(folder).sort(), [newest(m).file_name, 'mod-list.json']);
  });

  test('an update removes the older zip only when this extension installed it', async () => {
    const [ours, theirs] = mods(2);
    const old = (m: DatasetMod): Release => m.releases.at(-2)!;
    const first = await runInstall({ folder, steps: [install(ours, old(ours))] }, { download, storageFolder: storage });
    assert.equal(first.status, 'done');
    // The user put this one there.
    const theirsOld = await download(old(theirs), { folder, fileName: old(theirs).file_name, signal: new AbortController().signal, onProgress: () => undefined });

    const update = (m: DatasetMod): InstallStep => ({ action: 'update', name: m.name, from: old(m).version, version: newest(m).version, release: newest(m) });
    const result = await runInstall({ folder, steps: [update(ours), update(theirs)] }, { download, storageFolder: storage });
    assert.ok(result.status === 'done', JSON.stringify(result));
    assert.deepEqual(result.removedOld, [path.join(folder, old(ours).file_name)]);
    assert.deepEqual(result.keptOld, [{ name: theirs.name, version: old(theirs).version }]);
    assert.equal(existsSync(path.join(folder, old(ours).file_name)), false);
    assert.equal(existsSync(theirsOld.path), true);
    const { record } = await readInstallRecord(storage);
    assert.deepEqual(record.installs.map((e) => `${e.name}@${e.version}`).sort(), [`${ours.name}@${newest(ours).version}`, `${theirs.name}@${newest(theirs).version}`].sort());
  });

  test('a missing mods folder is made, with a mod-list.json enabling base and the new mods', async () => {
    const [m] = mods(1);
    const fresh = path.join(root, 'fresh', 'mods');
    const result = await runInstall({ folder: fresh, steps: [install(m)] }, { download, storageFolder: storage });
    assert.ok(result.status === 'done');
    assert.deepEqual(JSON.parse(readFileSync(path.join(fresh, 'mod-list.json'), 'utf8')), { mods: [{ name: 'base', enabled: true }, { name: m.name, enabled: true }] });
  });

  test('a malformed install record counts as empty and is reported', async () => {
    mkdirSync(storage);
    writeFileSync(path.join(storage, INSTALL_RECORD_FILE), '{"installs": [');
    assert.match((await readInstallRecord(storage)).problem ?? '', /malformed/);
    const [m] = mods(1);
    const result = await runInstall({ folder, steps: [install(m)] }, { download, storageFolder: storage });
    assert.ok(result.status === 'done');
    assert.match(result.recordProblem ?? '', /malformed/);
    assert.equal((await readInstallRecord(storage)).record.installs.length, 1);
  });

  test('unsafe file names and missing checksums are refused before anything is written', async () => {
    const [m] = mods(1);
    for (const release of [{ ...newest(m), file_name: '../escape.zip' }, { ...newest(m), sha1: '' }, { ...newest(m), file_name: `${m.name}_9.9.9.zip` }]) {
      const result = await runInstall({ folder, steps: [{ action: 'install', name: m.name, version: release.version, release }] }, { download, storageFolder: storage });
      assert.equal(result.status, 'failed');
    }
    assert.deepEqual(readdirSync(folder), ['mod-list.json']);
    assert.equal(existsSync(path.join(root, 'escape.zip')), false);
  });
});

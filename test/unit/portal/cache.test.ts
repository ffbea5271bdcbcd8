import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FULL_FILE, INDEX_FILE, LIST_FILE, MODS_FILE, PortalCache, changeConcerns, type CacheChange, type PortalSource } from '../../../src/portal/cache';
import { PortalError } from '../../../src/portal/errors';
import { decodeModList, encodeModList } from '../../../src/portal/modList/listFile';
import { FileCacheStorage, MemoryCacheStorage, type CacheStorage } from '../../../src/portal/storage';
import type { FullModEntry, ModEntry } from '../../../src/portal/types';
import { FakeClock, countingStorage } from '../builders';

const MINUTE = 60_000;


function mod(name: string, downloads = 1, version = '1.0.0'): ModEntry {
  return {
    name,
    title: name.toUpperCase(),
    owner: 'o',
    summary: 's',
    downloads_count: downloads,
    releases: [
      {
        version,
        download_url: `/download/${name}/1`,
        file_name: `${name}_${version}.zip`,
        info_json: { factorio_version: '2.0' },
        released_at: '2025-01-01T00:00:00Z',
        sha1: 'abc',
      },
    ],
  };
}

/**
 * A stand-in for the portal client that counts calls and answers from a table the
 * test changes; `gate` holds answers back so overlapping calls can be observed.
 */
class FakePortal implements PortalSource {
  list: ModEntry[] = [mod('alpha', 10), mod('beta', 5)];
  known = new Map<string, ModEntry>([
    ['alpha', mod('alpha', 10)],
    ['beta', mod('beta', 5)],
  ]);
  fail: PortalError | undefined;
  gate: Promise<void> | undefined;
  calls = { all: 0, names: [] as string[][], full: [] as string[] };

  async getAllMods(): Promise<ModEntry[]> {
    this.calls.all++;
    await this.gate;
    if (this.fail) throw this.fail;
    return this.list.slice();
  }

  async getModsByName(names: readonly string[]): Promise<Map<string, ModEntry>> {
    this.calls.names.push([...names]);
    await this.gate;
    if (this.fail) throw this.fail;
    const out = new Map<string, ModEntry>();
    for (const n of names) {
      const m = this.known.get(n);
      if (m) out.set(n, m);
    }
    return out;
  }

  async getFullMod(name: string): Promise<FullModEntry> {
    this.calls.full.push(name);
    await this.gate;
    if (this.fail) throw this.fail;
    const m = this.known.get(name);
    if (!m) throw new PortalError('not-found', `The mod "${name}" does not exist`, { status: 404 });
    return { ...m, description: `About ${name}`, deprecated: name === 'beta' ? true : undefined } as FullModEntry;
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(storage: CacheStorage = new MemoryCacheStorage(), clock = new FakeClock(), portal = new FakePortal()) {
  const logs: string[] = [];
  const cache = new PortalCache({ client: portal, storage, clock, log: (m) => logs.push(m), persistDelayMs: 10 });
  return { cache, portal, clock, storage, logs };
}

/** The details file the list file in `dir` names. */
function detailsFileOf(dir: string): string {
  return (JSON.parse(readFileSync(path.join(dir, LIST_FILE), 'utf8')) as { detailsFile: string }).detailsFile;
}

/** The list and details files in `dir`, decoded. */
function storedList(dir: string): { fetchedAt: number; mods: ModEntry[] } {
  return decodeModList(readFileSync(path.join(dir, LIST_FILE), 'utf8'), readFileSync(path.join(dir, detailsFileOf(dir))));
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the list is fetched once, then served fresh from memory', async () => {
  const { cache, portal } = setup();
  assert.equal(cache.listState.status, 'empty');
  assert.equal(cache.peekList(), undefined);
  const index = await cache.getList();
  assert.equal(index.size, 2);
  assert.equal(portal.calls.all, 1);
  assert.equal(cache.listState.status, 'ready');
  assert.equal(cache.listState.modCount, 2);
  assert.equal(await cache.getList(), index);
  assert.equal(portal.calls.all, 1);
  assert.equal(cache.peekList(), index);
});

test('concurrent first loads share one request, and state goes loading → ready with events', async () => {
  const { cache, portal } = setup();
  const gate = deferred();
  portal.gate = gate.promise;
  const seen: string[] = [];
  cache.onDidChange(() => seen.push(`${cache.listState.status}${cache.listState.refreshing ? '+refreshing' : ''}`));
  const a = cache.getList();
  const b = cache.getList();
  await waitFor(() => cache.listState.status === 'loading');
  assert.equal(cache.listState.refreshing, true);
  gate.resolve();
  const [ia, ib] = await Promise.all([a, b]);
  assert.equal(ia, ib);
  assert.equal(portal.calls.all, 1);
  assert.deepEqual(seen, ['loading+refreshing', 'ready']);
});

test('stale list: served at once, refreshed once in the background, then updated', async () => {
  const { cache, portal, clock } = setup();
  const first = await cache.getList();
  clock.advance(16 * MINUTE);
  portal.list = [mod('alpha', 10), mod('beta', 5), mod('gamma', 1)];
  const gate = deferred();
  portal.gate = gate.promise;
  const changed = new Promise<void>((resolve) => {
    const sub = cache.onDidChange(() => {
      if (cache.peekList() !== first) {
        sub.dispose();
        resolve();
      }
    });
  });
  assert.equal(await cache.getList(), first);
  assert.equal(await cache.getList(), first);
  assert.equal(cache.listState.refreshing, true);
  gate.resolve();
  await changed;
  assert.equal(portal.calls.all, 2);
  assert.equal(cache.peekList()?.size, 3);
  assert.equal(cache.listState.fetchedAt, clock.now());
  assert.equal(cache.listState.refreshing, false);
});

test('a failing refresh keeps the stale list and records the error, without unhandled rejections', async () => {
  const { cache, portal, clock, logs } = setup();
  const first = await cache.getList();
  const fetchedAt = cache.listState.fetchedAt;
  clock.advance(20 * MINUTE);
  portal.fail = new PortalError('http', 'The Mod Portal answered 503 (Service Unavailable) for /api/mods', { status: 503 });
  assert.equal(await cache.getList(), first);
  await cache.whenIdle();
  assert.equal(cache.listState.status, 'ready');
  assert.equal(cache.listState.error?.status, 503);
  assert.equal(cache.listState.fetchedAt, fetchedAt);
  assert.equal(cache.lastError?.kind, 'http');
  assert.ok(logs.some((l) => /refresh failed/.test(l)));
  assert.equal(cache.peekList(), first);
  // Recovery clears the error.
  portal.fail = undefined;
  await cache.getList({ forceRefresh: true });
  assert.equal(cache.listState.error, undefined);
});

test('with nothing held, a failing first load rejects and leaves an error state', async () => {
  const { cache, portal } = setup();
  portal.fail = new PortalError('network', 'Could not reach the Mod Portal');
  await assert.rejects(cache.getList(), (e: unknown) => (e as PortalError).kind === 'network');
  assert.equal(cache.listState.status, 'error');
  assert.equal(cache.listState.error?.kind, 'network');
});

test('a cold cache loads the list from disk without a request; atomic writes leave no temp files', async (t) => {
  const dir = tempDir(t);
  const clock = new FakeClock();
  const first = setup(new FileCacheStorage(dir), clock);
  await first.cache.getList();
  await first.cache.flush();
  assert.deepEqual(readdirSync(dir).sort(), [detailsFileOf(dir), INDEX_FILE, LIST_FILE].sort());
  const stored = storedList(dir);
  assert.equal(stored.fetchedAt, clock.now());
  assert.deepEqual(stored.mods, first.portal.list);

  clock.advance(5 * MINUTE);
  const second = setup(new FileCacheStorage(dir), clock);
  const list = await second.cache.getList();
  assert.equal(list.size, 2);
  assert.equal(second.portal.calls.all, 0);
  assert.equal(second.cache.listState.status, 'ready');
  assert.equal(second.cache.listState.fetchedAt, clock.now() - 5 * MINUTE);
});

/** A list entry as the portal's list gives it: the latest release only. */
function listed(name: string, downloads: number): ModEntry {
  const { releases, ...rest } = mod(name, downloads);
  return { ...rest, summary: `About ${name}`, latest_release: releases![0]! };
}

const counting = countingStorage;

test('the list held in memory gives summaries without reading; details() reads the details file once it is written', async (t) => {
  const dir = tempDir(t);
  const clock = new FakeClock();
  const { storage, calls } = counting(new FileCacheStorage(dir));
  const { cache, portal } = setup(storage, clock);
  portal.list = [listed('alpha', 10), listed('beta', 5)];
  const list = await cache.getList();
  // Before the write the bytes are in memory; after it, on the disk alone.
  assert.equal((await list.details('alpha'))?.summary, 'About alpha');
  await cache.flush();
  calls.clear();
  assert.deepEqual(list.get('beta'), { name: 'beta', title: 'BETA', downloads_count: 5, latest: { version: '1.0.0', factorio_version: '2.0', released: Date.parse('2025-01-01T00:00:00Z') } });
  assert.deepEqual([...calls], [], 'a summary reads nothing');
  const detailsFile = detailsFileOf(dir);
  const details = readFileSync(path.join(dir, detailsFile));
  rmSync(path.join(dir, detailsFile));
  assert.equal(await list.details('beta'), undefined, 'read from the disk, where it is gone: nothing, not stale bytes');
  assert.deepEqual([...calls], [['readRange', 1]]);
  assert.equal(list.get('beta')?.title, 'BETA');
  writeFileSync(path.join(dir, detailsFile), details);

  // A fresh cache reads the list file and no details until one is asked for.
  const second = setup(new FileCacheStorage(dir), clock);
  const again = await second.cache.getList();
  assert.equal(second.portal.calls.all, 0);
  assert.equal((await again.details('alpha'))?.owner, 'o');
  assert.equal((await again.details('alpha'))?.latest_release?.sha1, 'abc');
  assert.equal((await again.details('beta'))?.summary, 'About beta');
  assert.equal(await again.details('nobody'), undefined);
});

test('two windows on one cache folder: a newer list written by one is read whole by the other, never shown without its details', async (t) => {
  const dir = tempDir(t);
  const clock = new FakeClock();
  const a = setup(new FileCacheStorage(dir), clock);
  const b = setup(new FileCacheStorage(dir), clock);
  for (const w of [a, b]) w.portal.list = [listed('alpha', 10), listed('beta', 5)];
  await a.cache.getList();
  await a.cache.flush();
  const held = await b.cache.getList();
  assert.equal(b.portal.calls.all, 0, 'read from the disk');
  assert.equal((await held.details('beta'))?.summary, 'About beta');
  // Window A downloads a newer list: its files replace the ones window B reads from.
  a.portal.list = [{ ...listed('alpha', 10), summary: 'Alpha, newer' }, listed('beta', 5), listed('gamma', 1)];
  await a.cache.getList({ forceRefresh: true });
  await a.cache.flush();
  assert.equal(readdirSync(dir).filter((f) => f.startsWith('mod-details')).length, 1, 'the details file no list names is removed');
  const changes: CacheChange[] = [];
  b.cache.onDidChange((c) => changes.push(c));
  assert.equal(await held.details('alpha'), undefined, 'the old entries read nothing, not the other list');
  assert.equal((await held.details('beta'))?.summary, 'About beta', "a line read before is kept: it is this list's");
  assert.equal(b.cache.peekList(), undefined, 'and their list is let go');
  assert.ok(changes.some((c) => c.all));
  const again = await b.cache.getList();
  assert.equal(b.portal.calls.all, 0, 'read again from the disk, no request');
  assert.equal(again.size, 3);
  assert.equal((await again.details('alpha'))?.summary, 'Alpha, newer');
});

test('two windows on one cache folder: details are read with no header check per read', async (t) => {
  const dir = tempDir(t);
  const a = setup(new FileCacheStorage(dir));
  a.portal.list = [listed('alpha', 10), listed('beta', 5), listed('gamma', 1)];
  await a.cache.getList();
  await a.cache.flush();
  const { storage, calls } = counting(new FileCacheStorage(dir));
  const b = setup(storage);
  const list = await b.cache.getList();
  calls.clear();
  for (const name of ['alpha', 'beta', 'gamma']) assert.equal((await list.details(name))?.summary, `About ${name}`);
  assert.deepEqual([...calls], [['readRange', 3]], 'one read per mod, its line alone');
});

test('a list file whose details file is gone is fetched again, not shown without details', async (t) => {
  const dir = tempDir(t);
  const first = setup(new FileCacheStorage(dir));
  first.portal.list = [listed('alpha', 10)];
  await first.cache.getList();
  await first.cache.flush();
  rmSync(path.join(dir, detailsFileOf(dir)));
  const second = setup(new FileCacheStorage(dir));
  second.portal.list = [listed('alpha', 10)];
  const list = await second.cache.getList();
  assert.equal(second.portal.calls.all, 1);
  assert.ok(second.logs.some((l) => /does not match its details file/.test(l)));
  assert.equal((await list.details('alpha'))?.summary, 'About alpha');
});

test('a corrupt, truncated or wrong-version list file is discarded with a log line and fetched again', async (t) => {
  const good = encodeModList([mod('alpha')], 5).list;
  const damaged = [
    good.slice(0, good.length / 2),
    'not json',
    'null',
    '{"version":1,"fetchedAt":5,"mods":[]}',
    good.replace('"count":1', '"count":2'),
    good.replace('"name":"alpha"', '"name":[7]'),
    good.replace('"title":"ALPHA"', '"title":"A\\nB"'),
  ];
  for (const content of damaged) {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, LIST_FILE), content);
    const { cache, portal, logs } = setup(new FileCacheStorage(dir));
    const index = await cache.getList();
    assert.equal(index.size, 2, content);
    assert.equal(portal.calls.all, 1);
    assert.ok(logs.some((l) => /Discarding the cached mod list/.test(l)), content);
    await cache.flush();
    assert.equal(storedList(dir).mods.length, 2);
  }
});

test('fetchMods: one batched request for what is not fresh; found, missing', async () => {
  const { cache, portal } = setup();
  const records = await cache.fetchMods(['alpha', 'ghost', 'beta', 'alpha']);
  assert.deepEqual(portal.calls.names, [['alpha', 'ghost', 'beta']]);
  assert.equal(records.get('alpha')?.state, 'found');
  assert.equal(records.get('ghost')?.state, 'missing');
  const alpha = records.get('alpha');
  assert.ok(alpha?.state === 'found');
  assert.equal(alpha.mod.releases?.[0]?.version, '1.0.0');
  assert.equal(alpha.stale, false);
  // Fresh: no request at all; one new name: a request for it alone.
  await cache.fetchMods(['alpha', 'ghost', 'beta']);
  assert.equal(portal.calls.names.length, 1);
  await cache.fetchMods(['alpha', 'delta']);
  assert.deepEqual(portal.calls.names[1], ['delta']);
  assert.equal(cache.peekMods(['never-asked']).get('never-asked')?.state, 'unknown');
});

test('fetchMods: stale data is refetched; force refetches fresh data', async () => {
  const { cache, portal, clock } = setup();
  await cache.fetchMods(['alpha']);
  clock.advance(15 * MINUTE);
  const before = cache.peekMods(['alpha']).get('alpha');
  assert.ok(before?.state === 'found' && before.stale);
  portal.known.set('alpha', mod('alpha', 10, '2.0.0'));
  const records = await cache.fetchMods(['alpha']);
  const alpha = records.get('alpha');
  assert.ok(alpha?.state === 'found');
  assert.equal(alpha.mod.releases?.[0]?.version, '2.0.0');
  assert.equal(alpha.stale, false);
  await cache.fetchMods(['alpha'], { force: true });
  assert.equal(portal.calls.names.length, 3);
});

test('a failed fetch keeps stale data (never turned into missing) and unknown stays unknown with the error', async () => {
  const { cache, portal, clock } = setup();
  await cache.fetchMods(['alpha', 'ghost']);
  clock.advance(30 * MINUTE);
  portal.fail = new PortalError('timeout', 'The Mod Portal did not answer within 15 s');
  const records = await cache.fetchMods(['alpha', 'ghost', 'newcomer']);
  const alpha = records.get('alpha');
  assert.ok(alpha?.state === 'found');
  assert.equal(alpha.stale, true);
  assert.equal(alpha.error?.kind, 'timeout');
  assert.equal(records.get('ghost')?.state, 'missing');
  const newcomer = records.get('newcomer');
  assert.equal(newcomer?.state, 'unknown');
  assert.equal(newcomer?.error?.kind, 'timeout');
  assert.equal(cache.lastError?.kind, 'timeout');
  // A later success clears the error.
  portal.fail = undefined;
  const again = await cache.fetchMods(['newcomer']);
  assert.equal(again.get('newcomer')?.state, 'missing');
  assert.equal(again.get('newcomer')?.error, undefined);
});

test('concurrent fetches of the same names are coalesced; a caller may stop waiting', async () => {
  const { cache, portal } = setup();
  const gate = deferred();
  portal.gate = gate.promise;
  const a = cache.fetchMods(['alpha', 'beta']);
  const b = cache.fetchMods(['beta', 'alpha']);
  const controller = new AbortController();
  const c = cache.fetchMods(['alpha'], { signal: controller.signal });
  await waitFor(() => portal.calls.names.length > 0);
  controller.abort();
  await assert.rejects(c, (e: unknown) => (e as PortalError).kind === 'cancelled');
  gate.resolve();
  const [ra, rb] = await Promise.all([a, b]);
  assert.equal(portal.calls.names.length, 1);
  assert.equal(ra.get('beta')?.state, 'found');
  assert.equal(rb.get('alpha')?.state, 'found');
});

test('full info: found also refreshes the short record; 404 is missing; other failures are unknown', async () => {
  const { cache, portal } = setup();
  assert.equal(cache.peekFullMod('beta').state, 'unknown');
  const beta = await cache.fetchFullMod('beta');
  assert.ok(beta.state === 'found');
  assert.equal(beta.mod.deprecated, true);
  assert.equal(beta.mod.description, 'About beta');
  assert.equal(cache.peekMods(['beta']).get('beta')?.state, 'found');
  await cache.fetchFullMod('beta');
  assert.deepEqual(portal.calls.full, ['beta']);
  assert.equal(portal.calls.names.length, 0);

  const ghost = await cache.fetchFullMod('ghost');
  assert.equal(ghost.state, 'missing');
  assert.equal(cache.peekMods(['ghost']).get('ghost')?.state, 'missing');

  portal.fail = new PortalError('http', 'The Mod Portal answered 500', { status: 500 });
  const alpha = await cache.fetchFullMod('alpha');
  assert.equal(alpha.state, 'unknown');
  assert.equal(alpha.error?.status, 500);
});

test('concurrent full fetches of one mod make one request', async () => {
  const { cache, portal } = setup();
  const [a, b] = await Promise.all([cache.fetchFullMod('alpha'), cache.fetchFullMod('alpha')]);
  assert.equal(a.state, 'found');
  assert.equal(b.state, 'found');
  assert.deepEqual(portal.calls.full, ['alpha']);
});

test('per-mod data persists and a cold cache serves it fresh without requests', async (t) => {
  const dir = tempDir(t);
  const clock = new FakeClock();
  const first = setup(new FileCacheStorage(dir), clock);
  await first.cache.fetchMods(['alpha', 'ghost']);
  await first.cache.fetchFullMod('beta');
  await first.cache.flush();
  assert.deepEqual(readdirSync(dir).sort(), [FULL_FILE, MODS_FILE].sort());

  clock.advance(MINUTE);
  const second = setup(new FileCacheStorage(dir), clock);
  const records = await second.cache.fetchMods(['alpha', 'ghost', 'beta']);
  assert.equal(second.portal.calls.names.length, 0);
  assert.equal(records.get('alpha')?.state, 'found');
  assert.equal(records.get('ghost')?.state, 'missing');
  assert.equal(records.get('beta')?.state, 'found');
  const full = await second.cache.fetchFullMod('beta');
  assert.ok(full.state === 'found');
  assert.equal(full.mod.deprecated, true);
  assert.equal(second.portal.calls.full.length, 0);
});

test('corrupt per-mod files are discarded, not fatal', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, MODS_FILE), '{"version":1,"records":[{"name":"alpha","fetchedAt":1,"mod":{"na');
  writeFileSync(path.join(dir, FULL_FILE), '{"version":1,"records":[{"name":"x","fetchedAt":"soon"},{"name":"beta","fetchedAt":1,"mod":{"title":"no name"}}]}');
  const { cache, portal, logs } = setup(new FileCacheStorage(dir));
  const records = await cache.fetchMods(['alpha']);
  assert.equal(records.get('alpha')?.state, 'found');
  assert.equal(portal.calls.names.length, 1);
  assert.ok(logs.some((l) => l.includes(MODS_FILE)));
  assert.equal((await cache.fetchFullMod('beta')).state, 'found');
  assert.deepEqual(portal.calls.full, ['beta']);
});

test('invalidate marks everything stale: next accesses refetch', async () => {
  const { cache, portal } = setup();
  const first = await cache.getList();
  await cache.fetchMods(['alpha']);
  await cache.fetchFullMod('alpha');
  cache.invalidate();
  const record = cache.peekMods(['alpha']).get('alpha');
  assert.ok(record?.state === 'found' && record.stale);
  assert.ok(cache.peekFullMod('alpha').state === 'found');
  assert.equal(await cache.getList(), first);
  await cache.whenIdle();
  assert.equal(portal.calls.all, 2);
  assert.notEqual(cache.peekList(), first);
  await cache.fetchMods(['alpha']);
  assert.equal(portal.calls.names.length, 2);
  await cache.fetchFullMod('alpha');
  assert.equal(portal.calls.full.length, 2);
});

test('clear forgets everything, on disk too', async (t) => {
  const dir = tempDir(t);
  const { cache, portal } = setup(new FileCacheStorage(dir));
  await cache.getList();
  await cache.fetchMods(['alpha']);
  await cache.flush();
  assert.deepEqual(readdirSync(dir).sort(), [detailsFileOf(dir), INDEX_FILE, LIST_FILE, MODS_FILE].sort());
  await cache.clear();
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(cache.peekList(), undefined);
  assert.equal(cache.listState.status, 'empty');
  assert.equal(cache.peekMods(['alpha']).get('alpha')?.state, 'unknown');
  await cache.getList();
  assert.equal(portal.calls.all, 2);
});

test('a caller abort while the list loads rejects with cancelled; the load still completes for others', async () => {
  const { cache, portal } = setup();
  const gate = deferred();
  portal.gate = gate.promise;
  const controller = new AbortController();
  const aborted = cache.getList({ signal: controller.signal });
  const other = cache.getList();
  await waitFor(() => portal.calls.all === 1);
  controller.abort();
  await assert.rejects(aborted, (e: unknown) => (e as PortalError).kind === 'cancelled');
  gate.resolve();
  assert.equal((await other).size, 2);
});

test('onProgress reports the steps of a load', async () => {
  const { cache } = setup();
  const steps: string[] = [];
  await cache.getList({ onProgress: (m) => steps.push(m) });
  assert.deepEqual(steps, ['Reading the cached mod list', 'Downloading the mod list', 'Indexing the mod list']);
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('FileCacheStorage: missing reads, atomic overwrites, deletes, key checks', async (t) => {
  const dir = path.join(tempDir(t), 'nested', 'cache');
  const storage = new FileCacheStorage(dir);
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(await storage.read('absent.json'), undefined);
  await Promise.all(Array.from({ length: 20 }, (_, i) => storage.write('data.json', JSON.stringify({ i, pad: 'x'.repeat(10_000) }))));
  const final = JSON.parse((await storage.read('data.json'))!) as { i: number };
  assert.ok(final.i >= 0 && final.i < 20);
  assert.deepEqual(readdirSync(dir), ['data.json']);
  await storage.delete('data.json');
  await storage.delete('data.json');
  assert.deepEqual(readdirSync(dir), []);
  await assert.rejects(storage.write('../escape.json', 'x'), /Invalid cache key/);
  await assert.rejects(storage.read('a/b'), /Invalid cache key/);
  // The folder removed behind its back: the next write makes it again.
  rmSync(dir, { recursive: true, force: true });
  await storage.write('again.json', '{}');
  assert.equal(await storage.read('again.json'), '{}');
});

test('the saved index is used when it fits the list, and ignored (rebuilt) when it does not', async (t) => {
  const dir = tempDir(t);
  const clock = new FakeClock();
  const portal = new FakePortal();
  portal.list = [mod('gamma-lib', 3), mod('alpha', 10), mod('beta-lib', 5)];
  const first = setup(new FileCacheStorage(dir), clock, portal);
  await first.cache.getList();
  await first.cache.flush();
  const goodIndex = readFileSync(path.join(dir, INDEX_FILE));
  const expected = ['beta-lib', 'gamma-lib'];

  for (const damage of [
    (): void => undefined,
    (): void => writeFileSync(path.join(dir, INDEX_FILE), goodIndex.subarray(0, 100)),
    (): void => writeFileSync(path.join(dir, INDEX_FILE), Buffer.alloc(goodIndex.length, 0xff)),
    (): void => rmSync(path.join(dir, INDEX_FILE)),
  ]) {
    damage();
    const cold = setup(new FileCacheStorage(dir), clock);
    const index = await cold.cache.getList();
    assert.equal(cold.portal.calls.all, 0);
    assert.deepEqual(index.search('lib', 5).map((h) => h.mod.name), expected);
    assert.equal(index.get('alpha')?.downloads_count, 10);
    writeFileSync(path.join(dir, INDEX_FILE), goodIndex);
  }

  // An index saved for another fetch of the list is not used for this one.
  clock.advance(20 * MINUTE);
  portal.list = [mod('delta-lib', 50), ...portal.list];
  const second = setup(new FileCacheStorage(dir), clock, portal);
  await second.cache.getList({ forceRefresh: true });
  await second.cache.flush();
  writeFileSync(path.join(dir, INDEX_FILE), goodIndex);
  const cold = setup(new FileCacheStorage(dir), clock);
  const index = await cold.cache.getList();
  assert.deepEqual(index.search('lib', 5).map((h) => h.mod.name), ['delta-lib', 'beta-lib', 'gamma-lib']);
});

test('cancelling the list download aborts its request; with nothing held the state is empty, not an error', async () => {
  let seen: AbortSignal | undefined;
  const source: PortalSource = {
    getAllMods: (options) =>
      new Promise<ModEntry[]>((_, reject) => {
        seen = options?.signal;
        seen?.addEventListener('abort', () => reject(new PortalError('cancelled', 'cancelled', 'https://portal/api/mods')));
      }),
    getModsByName: async () => new Map(),
    getFullMod: async () => {
      throw new Error('not used');
    },
  };
  const cache = new PortalCache({ client: source, storage: new MemoryCacheStorage() });
  const loading = cache.getList();
  for (let i = 0; i < 100 && !seen; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(seen, 'the download started with a signal');
  assert.equal(cache.listState.status, 'loading');
  cache.cancelListDownload();
  await assert.rejects(loading, (e: unknown) => e instanceof PortalError && e.kind === 'cancelled');
  assert.equal(seen.aborted, true);
  assert.equal(cache.listState.status, 'empty');
  assert.equal(cache.listState.error, undefined);
  assert.equal(cache.lastError, undefined);
  cache.dispose();
});

// ---- what a change concerns ----

function recordChanges(cache: PortalCache): CacheChange[] {
  const seen: CacheChange[] = [];
  cache.onDidChange((change) => seen.push(change));
  return seen;
}

test('change events name the mods fetched; a list load, invalidate and clear concern everything', async () => {
  const { cache } = setup();
  const seen = recordChanges(cache);
  await cache.fetchMods(['alpha', 'ghost']);
  assert.deepEqual(seen, [{ all: false, mods: ['alpha', 'ghost'] }]);
  seen.length = 0;
  await cache.fetchFullMod('beta');
  assert.deepEqual(seen, [{ all: false, mods: ['beta'] }]);
  seen.length = 0;
  await cache.getList();
  // Loading starts (no mod changed), then the list arrives (everything may read differently).
  assert.deepEqual(seen, [{ all: false, mods: [] }, { all: true }]);
  seen.length = 0;
  cache.invalidate();
  assert.deepEqual(seen, [{ all: true }]);
  seen.length = 0;
  await cache.clear();
  assert.deepEqual(seen, [{ all: true }]);
});

test('a failed fetch names the mods it failed for', async () => {
  const { cache, portal } = setup();
  const seen = recordChanges(cache);
  portal.fail = new PortalError('timeout', 'no answer');
  await cache.fetchMods(['alpha']);
  await cache.fetchFullMod('beta');
  assert.deepEqual(seen, [{ all: false, mods: ['alpha'] }, { all: false, mods: ['beta'] }]);
});

test('changeConcerns: a mods change concerns only files naming one of them; all concerns every file', () => {
  const change: CacheChange = { all: false, mods: ['alpha', 'beta'] };
  assert.equal(changeConcerns(change, ['gamma', 'beta']), true);
  assert.equal(changeConcerns(change, ['gamma', 'delta']), false);
  assert.equal(changeConcerns(change, []), false);
  assert.equal(changeConcerns({ all: false, mods: [] }, ['alpha']), false);
  assert.equal(changeConcerns({ all: true }, []), true);
  assert.equal(changeConcerns({ all: true }, ['gamma']), true);
});

// ---- a failure is never "this mod does not exist" ----

test('a batch answer leaving out a mod found before keeps it found; a mod never found is missing', async () => {
  const { cache, portal } = setup();
  await cache.fetchMods(['alpha', 'beta']);
  portal.known.delete('alpha');
  const records = await cache.fetchMods(['alpha', 'beta', 'ghost'], { force: true });
  const alpha = records.get('alpha');
  assert.ok(alpha?.state === 'found', `alpha is ${alpha?.state}`);
  assert.equal(alpha.mod.releases?.[0]?.version, '1.0.0');
  assert.equal(alpha.error, undefined);
  assert.equal(records.get('ghost')?.state, 'missing');
});

test('a not-found on /full for a mod found before downgrades nothing: the failure is an error on the full record', async () => {
  const { cache, portal } = setup();
  await cache.fetchMods(['alpha']);
  portal.known.delete('alpha');
  const full = await cache.fetchFullMod('alpha');
  assert.equal(full.state, 'unknown');
  assert.equal(full.error?.kind, 'not-found');
  const short = cache.peekMods(['alpha']).get('alpha');
  assert.ok(short?.state === 'found', `alpha is ${short?.state}`);
  assert.equal(short.error, undefined);

  // A full record held stays too.
  portal.known.set('beta', mod('beta', 5));
  await cache.fetchFullMod('beta');
  portal.known.delete('beta');
  const again = await cache.fetchFullMod('beta', { force: true });
  assert.ok(again.state === 'found', `beta is ${again.state}`);
  assert.equal(again.error?.kind, 'not-found');
  assert.equal(cache.peekMods(['beta']).get('beta')?.state, 'found');
});

test('an answer without releases keeps the releases known before; without any, the record has none (releases unknown)', async () => {
  const { cache, portal } = setup();
  await cache.fetchMods(['alpha']);
  const { releases: _dropped, ...bare } = mod('alpha', 10);
  portal.known.set('alpha', bare);
  portal.known.set('fresh', { ...bare, name: 'fresh' });
  const records = await cache.fetchMods(['alpha', 'fresh'], { force: true });
  const alpha = records.get('alpha');
  assert.ok(alpha?.state === 'found');
  assert.equal(alpha.mod.releases?.[0]?.version, '1.0.0');
  const full = await cache.fetchFullMod('alpha');
  assert.ok(full.state === 'found');
  assert.equal(full.mod.releases?.[0]?.version, '1.0.0');
  const fresh = records.get('fresh');
  assert.ok(fresh?.state === 'found');
  assert.equal(fresh.mod.releases, undefined);
});

// ---- footprint ----

test('memory keeps a bounded number of full records, least recently used dropped first', async () => {
  const portal = new FakePortal();
  for (const name of ['c', 'd']) portal.known.set(name, mod(name));
  const cache = new PortalCache({ client: portal, storage: new MemoryCacheStorage(), clock: new FakeClock(), maxFullInMemory: 2 });
  await cache.fetchFullMod('alpha');
  await cache.fetchFullMod('beta');
  assert.equal(cache.peekFullMod('alpha').state, 'found'); // alpha is now the most recently used
  await cache.fetchFullMod('c');
  assert.equal(cache.peekFullMod('beta').state, 'unknown');
  assert.equal(cache.peekFullMod('alpha').state, 'found');
  assert.equal(cache.peekFullMod('c').state, 'found');
  await cache.fetchFullMod('d');
  assert.equal(cache.peekFullMod('alpha').state, 'unknown');
  // Dropped from memory is not forgotten by the short records.
  assert.equal(cache.peekMods(['beta']).get('beta')?.state, 'found');
});

/** A client that hangs until its request is aborted, as the real one does. */
class HangingPortal extends FakePortal {
  aborted: string[] = [];
  override async getFullMod(name: string, signal?: AbortSignal): Promise<FullModEntry> {
    this.calls.full.push(name);
    return new Promise<FullModEntry>((_resolve, reject) => {
      signal?.addEventListener('abort', () => {
        this.aborted.push(name);
        reject(new PortalError('cancelled', 'cancelled'));
      });
    });
  }
}

test('dispose writes pending records at once and aborts requests in flight', async () => {
  const storage = new MemoryCacheStorage();
  const portal = new HangingPortal();
  const cache = new PortalCache({ client: portal, storage, clock: new FakeClock(), persistDelayMs: 3_600_000 });
  await cache.fetchMods(['alpha']);
  assert.equal(storage.files.has(MODS_FILE), false, 'the write waits for its delay');
  const hanging = cache.fetchFullMod('beta');
  await waitFor(() => portal.calls.full.length === 1);
  await cache.dispose();
  assert.deepEqual(portal.aborted, ['beta']);
  assert.equal((await hanging).state, 'unknown');
  const written = JSON.parse(String(storage.files.get(MODS_FILE))) as { records: { name: string }[] };
  assert.deepEqual(written.records.map((r) => r.name), ['alpha']);
});

test('release drops the list and records once written; the next access reads them back without a request', async () => {
  const { cache, portal } = setup();
  assert.equal(cache.release(), 'none');
  const gate = deferred();
  portal.gate = gate.promise;
  const loading = cache.getList();
  assert.equal(cache.release(), 'none', 'nothing held while the download is under way');
  gate.resolve();
  await loading;
  await cache.fetchMods(['alpha', 'ghost']);
  assert.equal(cache.release(), 'busy', 'a record write is pending');
  await cache.flush();
  assert.equal(cache.release(), 'released');
  assert.equal(cache.peekList(), undefined);
  assert.equal(cache.peekMods(['alpha']).get('alpha')?.state, 'unknown');
  assert.equal(cache.listState.status, 'ready', 'the list is still there, one read away');
  const index = await cache.getList();
  assert.equal(index.get('alpha')?.title, 'ALPHA');
  const records = await cache.fetchMods(['alpha', 'ghost']);
  assert.equal(records.get('ghost')?.state, 'missing');
  assert.equal(portal.calls.all, 1);
  assert.equal(portal.calls.names.length, 1);
});

test('two windows: an unchanged list whose details file another window removed is not written back, and is read again', async (t) => {
  const dir = tempDir(t);
  const clock = new FakeClock();
  const a = setup(new FileCacheStorage(dir), clock);
  const b = setup(new FileCacheStorage(dir), clock);
  a.portal.list = [listed('alpha', 10)];
  await a.cache.getList();
  await a.cache.flush();
  // Window B holds the list from the disk and refreshes it conditionally: the portal says 304.
  const unchanged: PortalSource = Object.assign(b.portal, {
    getAllModsIfChanged: async () => ({ notModified: true as const }),
  });
  assert.equal(unchanged, b.portal);
  await b.cache.getList();
  a.portal.list = [listed('alpha', 10), listed('beta', 5)];
  await a.cache.getList({ forceRefresh: true });
  await a.cache.flush();
  const newer = readFileSync(path.join(dir, LIST_FILE), 'utf8');
  await b.cache.getList({ forceRefresh: true }).catch(() => undefined);
  await b.cache.flush();
  assert.equal(readFileSync(path.join(dir, LIST_FILE), 'utf8'), newer, 'the newer pair of files stays');
  assert.equal(b.cache.peekList(), undefined, 'the list whose details are gone is let go');
  assert.equal((await b.cache.getList()).size, 2, 'and the newer one read from the disk');
});

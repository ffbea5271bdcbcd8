import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ModSearch, SUMMARY_ROWS, type ModRow } from '../../../../src/features/commands/modSearch';
import { PortalCache, type PortalSource } from '../../../../src/portal/cache';
import { FileCacheStorage, MemoryCacheStorage } from '../../../../src/portal/storage';
import type { ModEntry } from '../../../../src/portal/types';
import { countingStorage, countingSyncReads } from '../../builders';

function listed(i: number): ModEntry {
  const name = `factorio-lib-${i}`;
  return {
    name,
    title: `Factorio Library ${i}`,
    owner: 'o',
    summary: `About ${name}`,
    downloads_count: 1000 - i,
    latest_release: { download_url: `/download/${name}/1`, file_name: `${name}_1.0.0.zip`, info_json: { factorio_version: '2.0' }, released_at: '2025-01-01', version: '1.0.0', sha1: 'ab' },
  };
}

const MODS = Array.from({ length: 60 }, (_, i) => listed(i));

function source(list: ModEntry[]): PortalSource {
  return {
    getAllMods: async () => list,
    getModsByName: async () => new Map(),
    getFullMod: () => Promise.reject(new Error('unused')),
  };
}

test('typing in Search Mods reads no file synchronously: rows from memory, the first summaries read asynchronously', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mod-search-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const warm = new PortalCache({ client: source(MODS), storage: new FileCacheStorage(dir) });
  await warm.getList();
  await warm.flush();
  // Another window: the list comes from the disk, read through a storage that counts.
  const { storage, calls } = countingStorage(new FileCacheStorage(dir));
  const list = await new PortalCache({ client: source([]), storage }).getList();
  calls.clear();

  const search = new ModSearch(list);
  const later: ModRow[][] = [];
  const perKeystroke: number[] = [];
  const sync = await countingSyncReads(async () => {
    const typed = 'factorio-l';
    for (let n = 1; n <= typed.length; n++) {
      const before = calls.get('readRange') ?? 0;
      const { rows, read } = search.search(typed.slice(0, n), (again) => later.push(again));
      assert.ok(rows.length > 0);
      await read;
      perKeystroke.push((calls.get('readRange') ?? 0) - before);
    }
  });
  assert.equal(sync, 0, 'no synchronous read');
  assert.deepEqual([...calls.keys()], ['readRange'], 'details lines alone are read, through the storage');
  assert.ok(perKeystroke.every((n) => n <= SUMMARY_ROWS), String(perKeystroke));
  assert.ok(perKeystroke.slice(1).some((n) => n === 0), 'summaries read once are remembered');
  const shown = later.at(-1)!;
  assert.equal(shown[0]!.summary, `About ${shown[0]!.mod.name}`);
  assert.equal(shown[SUMMARY_ROWS]?.summary, undefined, 'rows past the first are not read');

  // The same query again: everything is known, nothing is read.
  calls.clear();
  const again = search.search('factorio-l', () => assert.fail('nothing to read'));
  await again.read;
  assert.equal(calls.size, 0);
  assert.equal(again.rows[0]!.summary, `About ${again.rows[0]!.mod.name}`);
});

test('a summary read after the user typed on is not shown for the old query', async () => {
  const warm = new PortalCache({ client: source(MODS), storage: new MemoryCacheStorage() });
  const list = await warm.getList();
  const search = new ModSearch(list);
  const shown: string[] = [];
  const first = search.search('factorio-lib-1', () => shown.push('first'));
  const second = search.search('factorio-lib-2', () => shown.push('second'));
  await Promise.all([first.read, second.read]);
  assert.deepEqual(shown, ['second']);
});

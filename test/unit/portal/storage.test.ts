import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileCacheStorage, LAST_USED_FILE, MemoryCacheStorage, portalFolderNames, tidyPortalFolders, unusedPortalFolders } from '../../../src/portal/storage';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;

test('unusedPortalFolders: older than the limit, of the per-portal shape, not kept, and datable', () => {
  const folders = [
    { name: 'portal-0123456789ab', lastUsedAt: NOW - 31 * DAY },
    { name: 'explorer-0123456789ab', lastUsedAt: NOW - 31 * DAY },
    { name: 'portal-aaaaaaaaaaaa', lastUsedAt: NOW - 29 * DAY },
    { name: 'portal-bbbbbbbbbbbb', lastUsedAt: NOW - 90 * DAY },
    { name: 'portal-cccccccccccc', lastUsedAt: undefined },
    { name: 'downloads', lastUsedAt: NOW - 90 * DAY },
    { name: 'portal-not-a-hash', lastUsedAt: NOW - 90 * DAY },
  ];
  assert.deepEqual(unusedPortalFolders(folders, NOW, 30 * DAY, new Set(['portal-bbbbbbbbbbbb'])), [
    'portal-0123456789ab',
    'explorer-0123456789ab',
  ]);
});

test('portalFolderNames: one hash per URL, the same for the cache and the explorer', () => {
  const [cache, explorer] = portalFolderNames('https://mods.factorio.com');
  assert.match(cache!, /^portal-[0-9a-f]{12}$/);
  assert.equal(explorer, cache!.replace('portal-', 'explorer-'));
  assert.notDeepEqual(portalFolderNames('http://127.0.0.1:1234'), portalFolderNames('https://mods.factorio.com'));
});

function folder(root: string, name: string, ageDays: number | undefined, markAgeDays?: number): void {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'mod-list.json');
  writeFileSync(file, '{}');
  if (ageDays !== undefined) utimesSync(file, new Date(NOW - ageDays * DAY), new Date(NOW - ageDays * DAY));
  if (markAgeDays !== undefined) {
    writeFileSync(path.join(dir, LAST_USED_FILE), String(NOW - markAgeDays * DAY));
    utimesSync(path.join(dir, LAST_USED_FILE), new Date(NOW - markAgeDays * DAY), new Date(NOW - markAgeDays * DAY));
  }
}

test('tidyPortalFolders removes the folders of portals unused for 30 days and marks the current ones used', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'portal-storage-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const url = 'http://127.0.0.1:4000';
  const [currentCache, currentExplorer] = portalFolderNames(url);
  folder(root, currentCache!, 100); // in use now, however old its files
  folder(root, 'portal-111111111111', 45); // dated by its files
  folder(root, 'explorer-111111111111', 45);
  folder(root, 'portal-222222222222', 45, 2); // its mark says it was used two days ago
  folder(root, 'portal-333333333333', 10);
  folder(root, 'unrelated', 400);

  const removed = await tidyPortalFolders(root, { url, clock: { now: () => NOW } });
  assert.deepEqual(removed.sort(), ['explorer-111111111111', 'portal-111111111111']);
  for (const name of [currentCache!, 'portal-222222222222', 'portal-333333333333', 'unrelated']) {
    assert.ok(existsSync(path.join(root, name)), `${name} kept`);
  }
  assert.equal(readFileSync(path.join(root, currentCache!, LAST_USED_FILE), 'utf8'), String(NOW));
  assert.equal(readFileSync(path.join(root, currentExplorer!, LAST_USED_FILE), 'utf8'), String(NOW));

  // 31 days on, with another portal in use, the first portal's folders go too.
  const later = NOW + 31 * DAY;
  const again = await tidyPortalFolders(root, { url: 'https://mods.factorio.com', clock: { now: () => later } });
  assert.ok(again.includes(currentCache!) && again.includes(currentExplorer!), again.join(', '));
});

test('tidyPortalFolders never throws for a root that does not exist', async () => {
  const root = path.join(tmpdir(), `portal-storage-missing-${process.pid}`, 'nested');
  try {
    assert.deepEqual(await tidyPortalFolders(root, { url: 'https://mods.factorio.com', clock: { now: () => NOW } }), []);
  } finally {
    rmSync(path.dirname(root), { recursive: true, force: true });
  }
});

test('readRange reads a piece of a file, or nothing when it is gone or shorter; list names the files, not the temporary ones', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-storage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const storage of [new FileCacheStorage(dir), new MemoryCacheStorage()]) {
    await storage.writeBytes('data.bin', Buffer.from('0123456789'));
    await storage.write('list.json', '{}');
    assert.equal(Buffer.from((await storage.readRange('data.bin', 3, 4))!).toString(), '3456');
    assert.equal(await storage.readRange('data.bin', 8, 4), undefined, 'past the end');
    assert.equal(await storage.readRange('gone.bin', 0, 1), undefined);
    assert.deepEqual((await storage.list()).sort(), ['data.bin', 'list.json']);
    await storage.delete('data.bin');
    assert.equal(await storage.readRange('data.bin', 0, 1), undefined);
  }
  writeFileSync(path.join(dir, '.half.tmp'), 'x');
  assert.deepEqual(await new FileCacheStorage(dir).list(), ['list.json']);
});

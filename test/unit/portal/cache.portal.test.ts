// The cache against the local portal and its faults: whatever fails, and whatever the
// client makes of it, a mod the portal listed is never reported as one that does not exist.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { PortalCache } from '../../../src/portal/cache';
import { PortalClient } from '../../../src/portal/client';
import { MemoryCacheStorage } from '../../../src/portal/storage';
import { startPortalServer, type Faults, type PortalServer } from '../../portal-server/server';

let server: PortalServer;
let names: string[];

before(async () => {
  server = await startPortalServer({ mods: 20, seed: 9 });
  names = server.dataset.mods.slice(0, 3).map((m) => m.name);
});

after(async () => {
  await server.close();
});

beforeEach(() => server.setFaults(undefined));

function freshCache(): PortalCache {
  const client = new PortalClient({
    baseUrl: server.url,
    userAgent: 'cache-test',
    maxRetries: 0,
    sleep: async () => undefined,
  });
  return new PortalCache({ client, storage: new MemoryCacheStorage(), persistDelayMs: 10 });
}

const FAULTS: Array<[string, Faults]> = [
  ['a 404 HTML page on /full', { status: 404, match: '/full' }],
  ['a 404 HTML page on the namelist', { status: 404, match: 'namelist' }],
  ['a 404 HTML page on every request', { status: 404 }],
  ['a 500 on every request', { status: 500 }],
  ['a 200 HTML page instead of JSON', { html: true }],
  ['a truncated body', { truncate: true }],
];

for (const [what, faults] of FAULTS) {
  test(`${what}: mods found before stay found, in the short and the full record`, async () => {
    const cache = freshCache();
    await cache.fetchMods(names);
    await Promise.all(names.map((n) => cache.fetchFullMod(n)));
    for (const n of names) assert.equal(cache.peekFullMod(n).state, 'found');
    server.setFaults(faults);
    await cache.fetchMods(names, { force: true });
    await Promise.all(names.map((n) => cache.fetchFullMod(n, { force: true })));
    for (const n of names) {
      assert.equal(cache.peekMods([n]).get(n)?.state, 'found', `${n} (short record)`);
      assert.equal(cache.peekFullMod(n).state, 'found', `${n} (full record)`);
    }
    await cache.dispose();
  });

  test(`${what}: a mod the namelist found is never missing after its /full fails`, async () => {
    const cache = freshCache();
    await cache.fetchMods(names);
    server.setFaults(faults);
    await Promise.all(names.map((n) => cache.fetchFullMod(n)));
    for (const n of names) {
      assert.equal(cache.peekMods([n]).get(n)?.state, 'found', n);
      assert.notEqual(cache.peekFullMod(n).state, 'missing', n);
    }
    await cache.dispose();
  });
}

test('with a 404 on every request, a cold cache reports nothing as missing', async () => {
  const cache = freshCache();
  server.setFaults({ status: 404 });
  const records = await cache.fetchMods(names);
  for (const n of names) {
    assert.equal(records.get(n)?.state, 'unknown', n);
    assert.equal(records.get(n)?.error?.status, 404, n);
  }
  await cache.dispose();
});

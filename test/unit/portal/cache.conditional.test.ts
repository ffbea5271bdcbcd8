// Refreshes send the validators of the data held: an unchanged list or record costs a
// 304 and keeps what is held; a changed one is replaced.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { PortalCache } from '../../../src/portal/cache';
import { PortalClient } from '../../../src/portal/client';
import { MemoryCacheStorage } from '../../../src/portal/storage';
import { CASES } from '../../portal-server/dataset';
import { startPortalServer, type PortalServer } from '../../portal-server/server';

let server: PortalServer;
let answers: Array<{ url: string; status: number; bytes: number }>;

before(async () => {
  server = await startPortalServer({ mods: 60, seed: 8 });
});
after(() => server.close());
beforeEach(() => {
  answers = [];
});

/** The real fetch, recording each answer's status and body size. */
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const body = await response.arrayBuffer();
  answers.push({ url: String(input), status: response.status, bytes: body.byteLength });
  return new Response(response.status === 304 ? null : body, { status: response.status, headers: response.headers });
};

function cache(): PortalCache {
  const client = new PortalClient({ baseUrl: server.url, userAgent: 'factorio-mod-portal-tests/0.0.1', fetch: recordingFetch });
  return new PortalCache({ client, storage: new MemoryCacheStorage(), persistDelayMs: 0 });
}

test('the whole list: a forced refresh of an unchanged list is one 304, and the list stays', async () => {
  const c = cache();
  const first = await c.getList();
  const size = first.size;
  assert.deepEqual(answers.map((a) => a.status), [200]);
  assert.ok(answers[0]!.bytes > 10_000);
  const again = await c.getList({ forceRefresh: true });
  assert.deepEqual(answers.map((a) => a.status), [200, 304]);
  assert.equal(answers[1]!.bytes, 0);
  assert.equal(again.size, size);
  assert.equal(c.listState.status, 'ready');
  c.dispose();
});

test('a full record: unchanged gives 304 and keeps it; changed gives the new one', async () => {
  const c = cache();
  const first = await c.fetchFullMod(CASES.library);
  assert.equal(first.state, 'found');
  const kept = await c.fetchFullMod(CASES.library, { force: true });
  assert.equal(kept.state, 'found');
  assert.equal(kept.state === 'found' && kept.mod.name, CASES.library);
  assert.deepEqual(answers.map((a) => a.status), [200, 304]);

  const mod = server.dataset.mods.find((m) => m.name === CASES.library)!;
  const summary = mod.summary;
  mod.summary = 'A new summary';
  server.invalidate();
  try {
    const changed = await c.fetchFullMod(CASES.library, { force: true });
    assert.equal(changed.state === 'found' && changed.mod.summary, 'A new summary');
    assert.deepEqual(answers.map((a) => a.status), [200, 304, 200]);
  } finally {
    mod.summary = summary;
    server.invalidate();
    c.dispose();
  }
});

test("a dependency batch (namelist): unchanged gives 304 and keeps found and missing names; changed gives the new answer", async () => {
  const c = cache();
  const names = [CASES.library, 'no-such-mod-anywhere'];
  const first = await c.fetchMods(names);
  assert.equal(first.get(CASES.library)?.state, 'found');
  assert.equal(first.get('no-such-mod-anywhere')?.state, 'missing');
  const kept = await c.fetchMods(names, { force: true });
  assert.deepEqual(answers.map((a) => a.status), [200, 304]);
  assert.equal(answers[1]!.bytes, 0);
  assert.equal(kept.get(CASES.library)?.state, 'found');
  assert.equal(kept.get('no-such-mod-anywhere')?.state, 'missing', 'a 304 keeps a missing name missing');

  const mod = server.dataset.mods.find((m) => m.name === CASES.library)!;
  const summary = mod.summary;
  mod.summary = 'Another summary';
  server.invalidate();
  try {
    const changed = await c.fetchMods(names, { force: true });
    const record = changed.get(CASES.library);
    assert.equal(record?.state === 'found' && record.mod.summary, 'Another summary');
    assert.deepEqual(answers.map((a) => a.status), [200, 304, 200]);
  } finally {
    mod.summary = summary;
    server.invalidate();
    c.dispose();
  }
});

test('a batch with a name not held yet is asked in full, never conditionally', async () => {
  const c = cache();
  await c.fetchMods([CASES.library]);
  await c.fetchMods([CASES.library, 'another-unheld-name'], { force: true });
  assert.deepEqual(answers.map((a) => a.status), [200, 200]);
  c.dispose();
});

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  PortalClient,
  NAMELIST_MAX_CHARS,
  isBadCredentials,
  isDownloadForbidden,
  type DownloadBody,
  type PortalClientOptions,
  type PortalCredentials,
} from '../../../src/portal/client';
import { isModNotFoundAnswer } from '../../../src/portal/decode';
import type { Release } from '../../../src/portal/types';
import { isPortalError, type PortalError } from '../../../src/portal/errors';
import { startPortalServer, type Faults, type PortalServer } from '../../portal-server/server';
import { CASES } from '../../portal-server/dataset';

const USER_AGENT = 'factorio-mod-portal-tests/0.0.1';

let server: PortalServer;
let waits: number[];
let logs: string[];

function client(options: Partial<PortalClientOptions> = {}): PortalClient {
  return new PortalClient({
    baseUrl: server.url,
    userAgent: USER_AGENT,
    timeoutMs: 5000,
    maxRetries: 3,
    random: () => 0.5,
    // Backoff waits are recorded and skipped, so retry tests take no wall time.
    sleep: async (ms) => {
      waits.push(ms);
    },
    log: (m) => logs.push(m),
    ...options,
  });
}

function faults(f: Faults | undefined): void {
  server.setFaults(f);
}

async function failure(promise: Promise<unknown>): Promise<PortalError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isPortalError(e), `expected a PortalError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a failure');
}

const apiRequests = (): string[] => server.requests.map((r) => r.url).filter((u) => u.startsWith('/api/') || u.startsWith('/download/'));

before(async () => {
  server = await startPortalServer({ mods: 150, seed: 5 });
});

after(async () => {
  await server.close();
});

beforeEach(() => {
  faults(undefined);
  server.clearRequests();
  waits = [];
  logs = [];
});

describe('endpoints and parameters', () => {
  test('list: default page, User-Agent on every request', async () => {
    const page = await client().listMods();
    assert.equal(page.results.length, 25);
    assert.equal(page.pagination?.count, server.dataset.mods.length);
    assert.equal(page.pagination?.page, 1);
    assert.deepEqual(apiRequests(), ['/api/mods']);
    assert.ok(server.requests.every((r) => r.userAgent === USER_AGENT));
  });

  test('list: page, page_size, sort and order are sent and honoured', async () => {
    const page = await client().listMods({ page: 2, page_size: 5, sort: 'name', sort_order: 'asc' });
    const names = server.dataset.mods.map((m) => m.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(page.results.map((m) => m.name), names.slice(5, 10));
    assert.equal(page.pagination?.page, 2);
    assert.match(apiRequests()[0]!, /sort=name&sort_order=asc&page_size=5&page=2/);
  });

  test('list: hide_deprecated and version filters', async () => {
    const all = await client().listMods({ page_size: 'max', hide_deprecated: true });
    assert.ok(!all.results.some((m) => m.name === CASES.deprecated));
    assert.ok(all.results.some((m) => m.name === CASES.library));
    const legacy = await client().listMods({ page_size: 'max', version: '1.1' });
    assert.ok(legacy.results.some((m) => m.name === CASES.legacyOnly));
    assert.ok(!legacy.results.some((m) => m.name === CASES.spaceAge));
    assert.ok(legacy.results.every((m) => m.latest_release !== undefined));
    assert.ok(apiRequests().some((u) => u.includes('hide_deprecated=true')));
    assert.ok(apiRequests().some((u) => u.includes('version=1.1')));
  });

  test('listAllPages follows next links and keeps the filters', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of client().listAllPages({ page_size: 40, sort: 'updated_at' })) {
      pages++;
      for (const m of page.results) seen.push(m.name);
    }
    const total = server.dataset.mods.length;
    assert.equal(pages, Math.ceil(total / 40));
    assert.equal(new Set(seen).size, total);
    assert.equal(apiRequests().length, pages);
    assert.ok(apiRequests().every((u) => u.includes('page_size=40') && u.includes('sort=updated_at')));
  });

  test('listAllPages builds page URLs itself when links point elsewhere', async () => {
    // The server writes links with 127.0.0.1; a client configured with localhost must not follow them blindly.
    const other = client({ baseUrl: server.url.replace('127.0.0.1', 'localhost') });
    let count = 0;
    for await (const page of other.listAllPages({ page_size: 60 })) count += page.results.length;
    assert.equal(count, server.dataset.mods.length);
    assert.ok(apiRequests().slice(1).every((u) => /[?&]page=\d+/.test(u)));
  });

  test('getAllMods: one page_size=max request', async () => {
    const mods = await client().getAllMods();
    assert.equal(mods.length, server.dataset.mods.length);
    assert.deepEqual(apiRequests(), ['/api/mods?page_size=max']);
    const oldShape = mods.find((m) => m.name === CASES.oldShape);
    assert.equal(oldShape?.category, 'big-mods');
    assert.equal(mods.find((m) => m.name === CASES.noCategory)?.category, undefined);
  });

  test('getModsByName: batches of at most 50 names, absent names are simply missing', async () => {
    const real = server.dataset.mods.slice(0, 120).map((m) => m.name);
    const names = [...real, 'no-such-mod-1', 'no-such-mod-2', real[0]!];
    const found = await client().getModsByName(names);
    assert.equal(found.size, 120);
    assert.equal(found.has('no-such-mod-1'), false);
    const lib = found.get(real[0]!);
    assert.ok((lib?.releases?.length ?? 0) > 0);
    const requests = apiRequests();
    assert.equal(requests.length, 3);
    for (const url of requests) {
      const list = decodeURIComponent(new URL(url, 'http://x').searchParams.get('namelist') ?? '').split(',');
      assert.ok(list.length <= 50);
    }
  });

  test('getModsByName keeps URLs bounded for long names', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `a-rather-long-mod-name-that-goes-on-and-on-${i}-${'x'.repeat(40)}`);
    await client().getModsByName(names);
    const requests = apiRequests();
    assert.ok(requests.length >= 3, `expected several batches, got ${requests.length}`);
    for (const url of requests) assert.ok(url.length < NAMELIST_MAX_CHARS + 100, `URL of ${url.length} characters`);
  });

  test('getMod and getFullMod decode their shapes; 404 is not-found', async () => {
    const short = await client().getMod(CASES.library);
    assert.equal(short.name, CASES.library);
    assert.ok((short.releases?.length ?? 0) > 10);
    const full = await client().getFullMod(CASES.oldShape);
    assert.equal(full.category, 'big-mods');
    assert.deepEqual(full.tags, ['trains', 'transportation']);
    const deprecated = await client().getFullMod(CASES.deprecated);
    assert.equal(deprecated.deprecated, true);
    assert.ok(deprecated.releases?.every((r) => Array.isArray(r.info_json.dependencies)));
    const mixed = await client().getMod(CASES.mixedCase);
    assert.equal(mixed.name, 'Mixed_Case-Mod');

    const missing = await failure(client().getMod('no-such-mod'));
    assert.equal(missing.kind, 'not-found');
    assert.equal(missing.status, 404);
    assert.equal((await failure(client().getFullMod('no-such-mod'))).kind, 'not-found');
    assert.equal(apiRequests().filter((u) => u.includes('no-such-mod')).length, 2, 'a 404 is not retried');
  });

  test('a 404 on the list endpoint is an http error, not not-found', async () => {
    const wrong = client({ baseUrl: `${server.url}/not-the-portal/` });
    const error = await failure(wrong.listMods());
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 404);
  });
});

describe('sharing and limits', () => {
  test('identical concurrent requests are sent once', async () => {
    faults({ latencyMs: 100 });
    const c = client();
    const [a, b] = await Promise.all([c.getMod(CASES.library), c.getMod(CASES.library)]);
    assert.equal(a.name, b.name);
    assert.equal(apiRequests().length, 1);
    // Not cached: a later call is a new request.
    faults(undefined);
    await c.getMod(CASES.library);
    assert.equal(apiRequests().length, 2);
  });

  test('one caller giving up does not cancel the request for the other', async () => {
    faults({ latencyMs: 150 });
    const c = client();
    const controller = new AbortController();
    const first = c.getMod(CASES.spaceAge, controller.signal);
    const second = c.getMod(CASES.spaceAge);
    controller.abort();
    assert.equal((await failure(first)).kind, 'cancelled');
    assert.equal((await second).name, CASES.spaceAge);
    assert.equal(apiRequests().length, 1);
  });

  test('no more than `concurrency` requests in flight', async () => {
    const latency = 150;
    faults({ latencyMs: latency });
    const c = client({ concurrency: 2 });
    const names = server.dataset.mods.slice(20, 26).map((m) => m.name);
    await Promise.all(names.map((n) => c.getMod(n)));
    const arrivals = server.requests.map((r) => r.at).sort((a, b) => a - b);
    assert.equal(arrivals.length, 6);
    // Two at a time: the 3rd and 5th requests can only start after earlier ones finished.
    assert.ok(arrivals[2]! - arrivals[0]! >= latency * 0.9, `3rd request after ${arrivals[2]! - arrivals[0]!} ms`);
    assert.ok(arrivals[4]! - arrivals[0]! >= 2 * latency * 0.9, `5th request after ${arrivals[4]! - arrivals[0]!} ms`);
  });
});

describe('faults', () => {
  test('500 is retried with backoff, then fails as http after 1 + maxRetries requests', async () => {
    faults({ status: 500 });
    const error = await failure(client({ maxRetries: 2, baseDelayMs: 100 }).getMod(CASES.library));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 500);
    assert.match(error.message, /answered 500 \(Internal Server Error\) for \/api\/mods\/factorio-lib/);
    assert.equal(apiRequests().length, 3);
    // Full jitter with random() = 0.5: half of 100, then half of 200.
    assert.deepEqual(waits, [50, 100]);
  });

  test('503 that clears up: the call succeeds after the retries', async () => {
    faults({ status: 503, times: 2 });
    const mod = await client().getMod(CASES.library);
    assert.equal(mod.name, CASES.library);
    assert.equal(apiRequests().length, 3);
  });

  test('429 with Retry-After: the wait is at least what the portal asked', async () => {
    faults({ status: 429, retryAfterSeconds: 2, times: 1 });
    await client({ baseDelayMs: 10 }).getMod(CASES.library);
    assert.equal(apiRequests().length, 2);
    assert.deepEqual(waits, [2000]);
  });

  test('429 with a Retry-After beyond the cap fails at once, carrying the wait', async () => {
    faults({ status: 429, retryAfterSeconds: 120 });
    const error = await failure(client().listMods());
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 120_000);
    assert.equal(apiRequests().length, 1);
    assert.deepEqual(waits, []);
  });

  test('a real wait honours Retry-After when no sleep is injected', async () => {
    faults({ status: 503, retryAfterSeconds: 1, times: 1 });
    const c = new PortalClient({ baseUrl: server.url, userAgent: USER_AGENT, baseDelayMs: 1 });
    const started = Date.now();
    await c.getMod(CASES.library);
    assert.ok(Date.now() - started >= 950, `retried after ${Date.now() - started} ms`);
  });

  test('403 and other 4xx are not retried', async () => {
    faults({ status: 403 });
    const error = await failure(client().getMod(CASES.library));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 403);
    assert.equal(apiRequests().length, 1);
  });

  test('a hanging portal times out per attempt', async () => {
    faults({ hang: true });
    const error = await failure(client({ timeoutMs: 150, maxRetries: 1 }).getMod(CASES.library));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /did not answer within 150 ms/);
    assert.equal(apiRequests().length, 2);
  });

  test('getAllMods takes its own timeout', async () => {
    faults({ hang: true });
    const error = await failure(client({ maxRetries: 0 }).getAllMods({ timeoutMs: 100 }));
    assert.equal(error.kind, 'timeout');
  });

  test('a truncated body is malformed, retried once', async () => {
    faults({ truncate: true });
    const error = await failure(client().listMods());
    assert.equal(error.kind, 'malformed');
    assert.equal(apiRequests().length, 2);
  });

  test('an HTML page instead of JSON is malformed, retried once', async () => {
    faults({ html: true });
    const error = await failure(client().getMod(CASES.library));
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /web page/);
    assert.equal(apiRequests().length, 2);
  });

  test('a truncated body once, then a good one: success', async () => {
    faults({ truncate: true, times: 1 });
    const mods = await client().getAllMods();
    assert.equal(mods.length, server.dataset.mods.length);
  });

  test('the caller aborting gives cancelled, with no retry', async () => {
    faults({ latencyMs: 2000 });
    const controller = new AbortController();
    const pending = client().getMod(CASES.library, controller.signal);
    await waitFor(() => apiRequests().length === 1);
    controller.abort();
    const error = await failure(pending);
    assert.equal(error.kind, 'cancelled');
    assert.equal(apiRequests().length, 1);
  });

  test('an abort during the backoff wait gives cancelled', async () => {
    faults({ status: 503 });
    const controller = new AbortController();
    const c = new PortalClient({ baseUrl: server.url, userAgent: USER_AGENT, baseDelayMs: 60_000, random: () => 1 });
    const pending = c.getMod(CASES.library, controller.signal);
    await waitFor(() => apiRequests().length === 1);
    controller.abort();
    assert.equal((await failure(pending)).kind, 'cancelled');
    assert.equal(apiRequests().length, 1);
  });

  test('an already aborted signal sends nothing', async () => {
    const error = await failure(client().listMods({}, AbortSignal.abort()));
    assert.equal(error.kind, 'cancelled');
    assert.equal(apiRequests().length, 0);
  });

  test('no fault ever turns into not-found', async () => {
    const all: Faults[] = [{ status: 500 }, { status: 503 }, { status: 429 }, { status: 403 }, { html: true }, { truncate: true }, { hang: true }];
    for (const f of all) {
      faults(f);
      const error = await failure(client({ timeoutMs: 100, maxRetries: 1 }).getMod(CASES.library));
      assert.notEqual(error.kind, 'not-found', JSON.stringify(f));
    }
  });

  test('a refused connection is a network error', async () => {
    const closed = await startPortalServer({ mods: 0 });
    const url = closed.url;
    await closed.close();
    const error = await failure(new PortalClient({ baseUrl: url, userAgent: USER_AGENT, maxRetries: 1, sleep: async () => undefined }).listMods());
    assert.equal(error.kind, 'network');
    assert.match(error.message, /Could not reach the Mod Portal/);
  });
});

describe('downloads', () => {
  const releaseOf = (name: string) => {
    const mod = server.dataset.mods.find((m) => m.name === name)!;
    return mod.releases[mod.releases.length - 1]!;
  };
  const release = () => releaseOf(CASES.library);

  /** Keeps the bytes in memory: fine for the small zips of these tests. */
  async function collect(body: DownloadBody): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    for await (const chunk of body.chunks) parts.push(chunk);
    return Buffer.concat(parts);
  }
  const download = (c: PortalClient, r: Release, credentials: PortalCredentials) => c.download(r, credentials, collect);
  const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

  test('good credentials: a redirect to the signed URL on the download host, fetched without the credentials', async () => {
    const r = release();
    const bytes = await download(client(), r, server.credentials);
    assert.equal(sha1(bytes), r.sha1);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
    const [portal, host, ...rest] = server.requests;
    assert.equal(rest.length, 0);
    assert.equal(portal!.host, 'portal');
    assert.ok(portal!.url.startsWith(r.download_url));
    assert.equal(host!.host, 'download');
    assert.match(host!.url, /^\/files\/[0-9a-f]{2}\/[0-9a-f]{40}\?secure=[\w-]+,\d+$/);
    assert.equal(host!.credentials, false, 'the download host saw the username or token');
    for (const r of server.requests) assert.equal(r.userAgent, USER_AGENT);
  });

  test('a mod whose name starts with "login" downloads: only the Location path says "login page"', async () => {
    const r = releaseOf(CASES.login);
    assert.match(r.download_url, /\/login/);
    const bytes = await download(client(), r, server.credentials);
    assert.equal(sha1(bytes), r.sha1);
  });

  test('a wrong token: the redirect to /login means wrong credentials, no retry, and the token appears nowhere', async () => {
    const secret = 'very-secret-token-value';
    const error = await failure(download(client(), release(), { username: server.credentials.username, token: secret }));
    assert.equal(error.kind, 'http');
    assert.ok(isBadCredentials(error));
    assert.match(error.message, /username or token is wrong/);
    assert.deepEqual(server.requests.map((r) => r.host), ['portal'], 'the login page is not fetched');
    assert.doesNotMatch(error.message + error.url + String(error.stack) + logs.join('\n'), new RegExp(secret));
  });

  test('an account that may not download: 403, said so, not retried', async () => {
    const error = await failure(download(client(), release(), server.forbiddenCredentials));
    assert.ok(isDownloadForbidden(error));
    assert.ok(!isBadCredentials(error));
    assert.match(error.message, /may not download/);
    assert.equal(server.requests.length, 1);
  });

  test('an unknown release is not-found, not retried', async () => {
    const error = await failure(download(client(), { ...release(), download_url: '/download/no-such-mod/0123456789abcdef01234567' }, server.credentials));
    assert.equal(error.kind, 'not-found');
    assert.equal(server.requests.length, 1);
  });

  test('server errors while downloading are retried; messages and logs never hold the token', async () => {
    faults({ status: 500, match: '/download/' });
    const error = await failure(download(client({ maxRetries: 1 }), release(), server.credentials));
    assert.equal(error.kind, 'http');
    assert.equal(apiRequests().length, 2);
    const token = server.credentials.token;
    assert.ok(logs.length > 0);
    for (const text of [error.message, error.url, ...logs]) assert.ok(!text.includes(token), text);
    assert.match(error.url, /token=\*\*\*/);
  });

  test('an expired signed URL: the next attempt asks the portal for a fresh one', async () => {
    faults({ expiredDownload: true, times: 1 });
    const r = release();
    const bytes = await download(client(), r, server.credentials);
    assert.equal(sha1(bytes), r.sha1);
    assert.deepEqual(server.requests.map((q) => q.host), ['portal', 'download', 'portal', 'download']);
    assert.equal(waits.length, 1);
  });

  test('a download cut off mid-body is tried again from the start', async () => {
    faults({ truncate: true, times: 1 });
    const r = release();
    let receivers = 0;
    const bytes = await client().download(r, server.credentials, (body) => {
      receivers++;
      return collect(body);
    });
    assert.equal(sha1(bytes), r.sha1);
    assert.equal(receivers, 2);
  });

  test('a corrupted download is delivered; the sha1 check (the receiver’s) catches it', async () => {
    faults({ corruptDownload: true });
    const r = release();
    const bytes = await download(client(), r, server.credentials);
    assert.notEqual(sha1(bytes), r.sha1);
  });

  test('an error of the receiver ends the download unchanged, without retry', async () => {
    const boom = new Error('disk full');
    await assert.rejects(
      client().download(release(), server.credentials, () => Promise.reject(boom)),
      (e: unknown) => e === boom,
    );
    assert.equal(server.requests.length, 2);
  });

  test('downloadUrl joins base, path and credentials', () => {
    const url = client().downloadUrl(release(), { username: 'a b', token: 't&x' });
    assert.equal(url, `${server.url}${release().download_url}?username=a%20b&token=t%26x`);
  });

  test('the token is never put in a plain-http URL to another machine', () => {
    const remote = new PortalClient({ baseUrl: 'http://mods.example.invalid', userAgent: USER_AGENT });
    assert.throws(() => remote.downloadUrl(release(), server.credentials), /Refusing to send the Factorio token/);
  });
});

describe('a 404 means "no such mod" only when the portal says so', () => {
  test('an HTML 404 on /full is an http error', async () => {
    faults({ status: 404, match: '/full' });
    const error = await failure(client().getFullMod(CASES.library));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 404);
  });

  test('an HTML 404 on the list and on namelist is an http error', async () => {
    faults({ status: 404 });
    assert.equal((await failure(client().getAllMods())).kind, 'http');
    assert.equal((await failure(client().getModsByName([CASES.library]))).kind, 'http');
    assert.equal((await failure(client().getMod(CASES.library))).kind, 'http');
  });

  test('a wrong base path (the API not there) gives http errors, not not-found', async () => {
    const wrong = client({ baseUrl: `${server.url}/not-the-api` });
    assert.equal((await failure(wrong.getFullMod('no-such-mod'))).kind, 'http');
    assert.equal((await failure(wrong.getMod('no-such-mod'))).kind, 'http');
  });

  test('the portal’s own answer is not-found, in either shape', () => {
    assert.ok(isModNotFoundAnswer('application/json', '{"message": "Mod not found"}'));
    assert.ok(isModNotFoundAnswer(null, '{"detail": "Mod not found"}'));
    assert.ok(!isModNotFoundAnswer('text/html', '{"message": "Mod not found"}'));
    assert.ok(!isModNotFoundAnswer('application/json', '{"message": "Not found"}'));
    assert.ok(!isModNotFoundAnswer('application/json', '<!DOCTYPE html><title>404</title>'));
    assert.ok(!isModNotFoundAnswer('application/json', ''));
  });
});

describe('conditional requests', () => {
  test('the list: validators come back; sending them gives notModified, with an empty body', async () => {
    const first = await client().getAllModsIfChanged();
    assert.equal(first.notModified, false);
    if (first.notModified) return;
    assert.ok(first.value.length > 100);
    assert.match(first.validators.etag ?? '', /^".+"$/);
    assert.ok(first.validators.lastModified);
    const again = await client().getAllModsIfChanged({ validators: first.validators });
    assert.deepEqual(again, { notModified: true });
    const onlyDate = await client().getAllModsIfChanged({ validators: { lastModified: first.validators.lastModified! } });
    assert.deepEqual(onlyDate, { notModified: true });
  });

  test('changed data: the new value, with new validators', async () => {
    const first = await client().getFullModIfChanged(CASES.library);
    assert.equal(first.notModified, false);
    if (first.notModified) return;
    const mod = server.dataset.mods.find((m) => m.name === CASES.library)!;
    const summary = mod.summary;
    mod.summary = 'Changed just now';
    server.invalidate();
    try {
      const second = await client().getFullModIfChanged(CASES.library, { validators: first.validators });
      assert.equal(second.notModified, false);
      if (second.notModified) return;
      assert.equal(second.value.summary, 'Changed just now');
      assert.notEqual(second.validators.etag, first.validators.etag);
    } finally {
      mod.summary = summary;
      server.invalidate();
    }
  });

  test('a conditional and a plain request for the same URL are not merged', async () => {
    const first = await client().getFullModIfChanged(CASES.library);
    assert.equal(first.notModified, false);
    if (first.notModified) return;
    const c = client();
    const [conditional, plain] = await Promise.all([c.getFullModIfChanged(CASES.library, { validators: first.validators }), c.getFullMod(CASES.library)]);
    assert.deepEqual(conditional, { notModified: true });
    assert.equal(plain.name, CASES.library);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CURRENT_CATEGORIES, CURRENT_TAGS } from '../../../src/portal/types';
import {
  CASES,
  CASE_NAMES,
  SAMPLE_DATASET_PATH,
  generateDataset,
  loadDataset,
  saveDataset,
  type PortalDataset,
} from '../../portal-server/dataset';
import { startPortalServer, type PortalServer } from '../../portal-server/server';
import { readZip } from '../../portal-server/zip';

type Json = Record<string, unknown>;

interface ListBody {
  pagination: {
    count: number;
    page: number;
    page_count: number;
    page_size: number;
    links: { first: string | null; prev: string | null; next: string | null; last: string | null };
  } | null;
  results: Json[];
}

const sha1 = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex');

async function getJson<T = Json>(url: string): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

describe('generated dataset', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = JSON.stringify(generateDataset({ mods: 300, seed: 5 }));
    const b = JSON.stringify(generateDataset({ mods: 300, seed: 5 }));
    const c = JSON.stringify(generateDataset({ mods: 300, seed: 6 }));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('always holds the fixed cases, in addition to the generated mods', () => {
    const ds = generateDataset({ mods: 20, seed: 1 });
    assert.equal(ds.mods.length, 20 + CASE_NAMES.length);
    const names = new Set(ds.mods.map((m) => m.name));
    for (const name of CASE_NAMES) assert.ok(names.has(name), name);
    assert.equal(CASES.library, 'factorio-lib');
    assert.equal(CASES.mixedCase, 'Mixed_Case-Mod');
  });

  it('has realistic names, categories, tags, releases and dependencies', () => {
    const ds = generateDataset({ mods: 3000, seed: 11 });
    const lower = new Set<string>();
    for (const mod of ds.mods) {
      assert.match(mod.name, /^[A-Za-z0-9_-]{4,49}$/, mod.name);
      assert.ok(!lower.has(mod.name.toLowerCase()), `duplicate ${mod.name}`);
      lower.add(mod.name.toLowerCase());
      assert.ok(mod.releases.length >= 1);
      for (let i = 1; i < mod.releases.length; i++) {
        assert.ok(mod.releases[i].released_at > mod.releases[i - 1].released_at, `${mod.name} release dates`);
        assert.ok(compareVersions(mod.releases[i].version, mod.releases[i - 1].version) > 0, `${mod.name} versions`);
      }
      for (const r of mod.releases) {
        assert.match(r.sha1, /^[0-9a-f]{40}$/);
        assert.ok(Array.isArray(r.info_json.dependencies));
        // One case names another mod's zip on purpose, for the download refusal.
        assert.equal(r.file_name, mod.name === CASES.oddFileName ? `${CASES.library}_1.4.2.zip` : `${mod.name}_${r.version}.zip`);
        assert.ok(r.download_url.startsWith(`/download/${mod.name}/`));
      }
    }
    const categories = new Set(ds.mods.map((m) => m.category));
    for (const c of CURRENT_CATEGORIES) assert.ok(categories.has(c), c);
    const tags = new Set(ds.mods.flatMap((m) => m.tags ?? []));
    for (const t of CURRENT_TAGS) assert.ok(tags.has(t), t);
    const deprecated = ds.mods.filter((m) => m.deprecated).length / ds.mods.length;
    assert.ok(deprecated > 0.01 && deprecated < 0.06, `deprecated share ${deprecated}`);
    const deps = ds.mods.flatMap((m) => m.releases.flatMap((r) => r.info_json.dependencies ?? []));
    const libUsers = ds.mods.filter((m) => m.releases.some((r) => r.info_json.dependencies?.some((d) => d.includes(CASES.library))));
    assert.ok(libUsers.length > ds.mods.length / 10, 'many mods depend on the library');
    for (const prefix of ['? ', '(?) ', '~ ', '! ', '+ ']) assert.ok(deps.some((d) => d.startsWith(prefix)), prefix);
    const versions = new Set(ds.mods.flatMap((m) => m.releases.map((r) => r.info_json.factorio_version)));
    for (const v of ['0.13', '0.18', '1.1', '2.0', '2.1']) assert.ok(versions.has(v), v);
    const downloads = ds.mods.map((m) => m.downloads_count).sort((a, b) => a - b);
    assert.ok(downloads[downloads.length - 1] > 100 * downloads[Math.floor(downloads.length / 2)], 'heavy tail');
    assert.ok(ds.mods.some((m) => m.wire?.category === null) && ds.mods.some((m) => m.wire?.category === ''));
    assert.ok(ds.mods.some((m) => m.thumbnail === '/assets/.thumb.png') && ds.mods.some((m) => m.thumbnail === undefined));
  });

  it('saves and loads without changing anything', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portal-ds-'));
    try {
      const ds = generateDataset({ mods: 50, seed: 3 });
      const file = path.join(dir, 'ds.json');
      saveDataset(ds, file);
      assert.equal(JSON.stringify(loadDataset(file)), JSON.stringify(ds));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bundles a sample dataset with the cases', () => {
    const ds = loadDataset(SAMPLE_DATASET_PATH);
    assert.ok(ds.mods.length >= 400);
    const names = new Set(ds.mods.map((m) => m.name));
    for (const name of CASE_NAMES) assert.ok(names.has(name), name);
  });
});

describe('portal server API', () => {
  let server: PortalServer;
  let ds: PortalDataset;
  const total = (): number => ds.mods.length;

  before(async () => {
    ds = generateDataset({ mods: 200, seed: 42 });
    server = await startPortalServer({ dataset: ds });
  });
  after(() => server.close());

  it('listens on 127.0.0.1 and answers JSON with the portal cache header', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/mods`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.headers.get('cache-control'), 'max-age=900, public');
    const body = (await res.json()) as ListBody;
    assert.equal(body.results.length, 25);
    assert.equal(body.pagination?.page_size, 25);
    assert.equal(body.pagination?.count, total());
    assert.equal(body.pagination?.page_count, Math.ceil(total() / 25));
  });

  it('sorts by name descending by default', async () => {
    const { body } = await getJson<ListBody>(`${server.url}/api/mods?page_size=1000`);
    const names = body.results.map((r) => r.name as string);
    assert.deepEqual(names, ds.mods.map((m) => m.name).sort(byName).reverse());
  });

  for (const sort of ['name', 'created_at', 'updated_at'] as const) {
    for (const order of ['asc', 'desc'] as const) {
      it(`sorts by ${sort} ${order}`, async () => {
        const { body } = await getJson<ListBody>(`${server.url}/api/mods?page_size=1000&sort=${sort}&sort_order=${order}`);
        const got = body.results.map((r) => r.name as string);
        const expected = [...ds.mods]
          .sort((a, b) => {
            const x = a[sort] ?? '';
            const y = b[sort] ?? '';
            return x < y ? -1 : x > y ? 1 : byName(a.name, b.name);
          })
          .map((m) => m.name);
        assert.deepEqual(got, order === 'asc' ? expected : expected.reverse());
      });
    }
  }

  it('gives absolute pagination links that keep every filter', async () => {
    const first = await getJson<ListBody>(`${server.url}/api/mods?page_size=10&sort=updated_at&sort_order=asc&hide_deprecated=true`);
    const p = first.body.pagination!;
    assert.equal(p.page, 1);
    assert.equal(p.links.first, null);
    assert.equal(p.links.prev, null);
    assert.ok(p.links.next && p.links.last);
    for (const link of [p.links.next, p.links.last]) {
      const url = new URL(link);
      assert.equal(url.origin, server.url);
      assert.equal(url.searchParams.get('page_size'), '10');
      assert.equal(url.searchParams.get('sort'), 'updated_at');
      assert.equal(url.searchParams.get('sort_order'), 'asc');
      assert.equal(url.searchParams.get('hide_deprecated'), 'true');
    }
    const second = await getJson<ListBody>(p.links.next);
    assert.equal(second.body.pagination?.page, 2);
    assert.notEqual(second.body.results[0].name, first.body.results[0].name);
    assert.ok(second.body.pagination?.links.first && second.body.pagination.links.prev);
    const last = await getJson<ListBody>(p.links.last);
    assert.equal(last.body.pagination?.page, p.page_count);
    assert.equal(last.body.pagination?.links.next, null);
    assert.equal(last.body.pagination?.links.last, null);
    assert.equal(last.body.results.length, p.count - (p.page_count - 1) * 10);
  });

  it('answers a page past the end with no results', async () => {
    const { status, body } = await getJson<ListBody>(`${server.url}/api/mods?page=9999`);
    assert.equal(status, 200);
    assert.deepEqual(body.results, []);
    assert.equal(body.pagination?.page, 9999);
    assert.equal(body.pagination?.count, total());
    assert.equal(body.pagination?.links.next, null);
    assert.equal(body.pagination?.links.last, null);
    assert.ok(body.pagination?.links.first);
  });

  it('rejects malformed parameters with 400', async () => {
    for (const query of ['page=0', 'page=x', 'page_size=-1', 'sort=downloads', 'sort_order=up', 'version=latest']) {
      const res = await fetch(`${server.url}/api/mods?${query}`);
      assert.equal(res.status, 400, query);
      await res.body?.cancel();
    }
  });

  it('returns every mod with page_size=max, without pagination', async () => {
    const { body } = await getJson<ListBody>(`${server.url}/api/mods?page_size=max&sort=updated_at`);
    assert.equal(body.pagination, null);
    assert.equal(body.results.length, total());
    const entry = body.results.find((r) => r.name === CASES.library)!;
    const latest = entry.latest_release as Json;
    assert.equal(latest.version, '2.1.0');
    assert.deepEqual(Object.keys(latest.info_json as Json), ['factorio_version']);
  });

  it('leaves deprecated, tags and empty keys out of list entries', async () => {
    const { body } = await getJson<ListBody>(`${server.url}/api/mods?page_size=max`);
    for (const entry of body.results) {
      assert.ok(!('deprecated' in entry) && !('tags' in entry) && !('releases' in entry), String(entry.name));
      assert.ok('latest_release' in entry);
      const latest = entry.latest_release as Json;
      if ('feature_flags' in latest) assert.ok((latest.feature_flags as string[]).length > 0);
    }
    const noCat = body.results.find((r) => r.name === CASES.noCategory)!;
    assert.ok(!('category' in noCat) && !('score' in noCat) && !('summary' in noCat));
    assert.ok(!('thumbnail' in body.results.find((r) => r.name === CASES.oldShape)!));
  });

  it('filters by namelist, comma-separated or repeated', async () => {
    const names = [CASES.library, CASES.mixedCase, 'no-such-mod-anywhere'];
    const comma = await getJson<ListBody>(`${server.url}/api/mods?namelist=${names.join(',')}`);
    const repeated = await getJson<ListBody>(`${server.url}/api/mods?${names.map((n) => `namelist=${n}`).join('&')}`);
    for (const { body } of [comma, repeated]) {
      assert.equal(body.pagination, null);
      assert.deepEqual(body.results.map((r) => r.name).sort(), [CASES.library, CASES.mixedCase].sort());
      for (const entry of body.results) {
        assert.ok(Array.isArray(entry.releases) && !('latest_release' in entry) && !('thumbnail' in entry));
      }
    }
    const lib = comma.body.results.find((r) => r.name === CASES.library)!;
    assert.equal((lib.releases as Json[]).length, 21);
    assert.equal(lib.last_highlighted_at, '2025-01-15');
  });

  it('filters by Factorio version, leaving deprecated mods out', async () => {
    const { body } = await getJson<ListBody>(`${server.url}/api/mods?version=1.1&page_size=max`);
    const expected = ds.mods.filter((m) => !m.deprecated && m.releases.some((r) => r.info_json.factorio_version === '1.1'));
    assert.deepEqual(body.results.map((r) => r.name).sort(), expected.map((m) => m.name).sort());
    const names = body.results.map((r) => r.name);
    assert.ok(names.includes(CASES.legacyOnly));
    assert.ok(!names.includes(CASES.deprecated));
    assert.ok(!names.includes(CASES.spaceAge));
    const paged = await getJson<ListBody>(`${server.url}/api/mods?version=1.1`);
    assert.equal(paged.body.pagination?.count, expected.length);
    assert.ok(paged.body.pagination?.links.next?.includes('version=1.1'));
  });

  it('hides deprecated mods on request', async () => {
    const all = await getJson<ListBody>(`${server.url}/api/mods?page_size=max`);
    const hidden = await getJson<ListBody>(`${server.url}/api/mods?page_size=max&hide_deprecated=true`);
    const deprecated = ds.mods.filter((m) => m.deprecated).map((m) => m.name);
    assert.ok(deprecated.includes(CASES.deprecated));
    assert.equal(hidden.body.results.length, all.body.results.length - deprecated.length);
    assert.ok(!hidden.body.results.some((r) => deprecated.includes(r.name as string)));
  });

  it('treats a bare hide_deprecated as true', async () => {
    const bare = await getJson<ListBody>(`${server.url}/api/mods?hide_deprecated&page_size=max`);
    assert.ok(!bare.body.results.some((r) => r.name === CASES.deprecated));
    const off = await getJson<ListBody>(`${server.url}/api/mods?hide_deprecated=false&page_size=max`);
    assert.ok(off.body.results.some((r) => r.name === CASES.deprecated));
  });

  it('serves one mod, short and full', async () => {
    const short = await getJson(`${server.url}/api/mods/${CASES.deprecated}`);
    assert.equal(short.status, 200);
    assert.equal(short.headers.get('cache-control'), 'max-age=900, public');
    assert.ok(!('deprecated' in short.body) && !('changelog' in short.body) && !('tags' in short.body));
    for (const r of short.body.releases as Array<{ info_json: Json }>) assert.deepEqual(Object.keys(r.info_json), ['factorio_version']);

    const full = await getJson(`${server.url}/api/mods/${CASES.deprecated}/full`);
    assert.equal(full.body.deprecated, true);
    for (const r of full.body.releases as Array<{ info_json: Json }>) assert.ok(Array.isArray(r.info_json.dependencies));

    const lib = await getJson(`${server.url}/api/mods/${CASES.library}/full`);
    assert.ok(!('deprecated' in lib.body));
    assert.deepEqual(lib.body.tags, ['circuit-network', 'logistics']);
    assert.match(lib.body.changelog as string, /^-{99}\nVersion: 2\.1\.0\nDate: \d{4}-\d\d-\d\d\n {2}\w+:\n {4}- /);
    assert.ok((lib.body.changelog as string).includes('Version: 1.4.2\n'));
    assert.equal((lib.body.license as Json).id, 'default_mit');
    assert.ok(typeof lib.body.source_url === 'string' && typeof lib.body.created_at === 'string');
  });

  it('serves the odd shapes of the fixed cases', async () => {
    const old = await getJson(`${server.url}/api/mods/${CASES.oldShape}/full`);
    assert.equal((old.body.category as Json).name, 'big-mods');
    assert.ok(Array.isArray(old.body.tag) && !('tags' in old.body) && !('thumbnail' in old.body));
    const space = await getJson(`${server.url}/api/mods/${CASES.spaceAge}/full`);
    const release = (space.body.releases as Array<{ info_json: { dependencies: string[] }; feature_flags?: string[] }>)[0];
    assert.deepEqual(release.feature_flags, ['space-travel']);
    assert.ok(release.info_json.dependencies.includes('space-age'));
    assert.ok(release.info_json.dependencies.includes('? quality'));
    assert.ok(release.info_json.dependencies.includes('factorio-lib >= 1.2.0'));
    const huge = await getJson(`${server.url}/api/mods/${CASES.hugeVersions}`);
    assert.ok((huge.body.releases as Json[]).some((r) => r.version === '2.0.65535'));
    const rec = await getJson(`${server.url}/api/mods/${CASES.recommends}/full`);
    assert.ok((rec.body.releases as Array<{ info_json: { factorio_version: string; dependencies: string[] } }>).some(
      (r) => r.info_json.factorio_version === '2.1' && r.info_json.dependencies.includes('+ factorio-lib >= 2.0.0'),
    ));
    const md = await getJson(`${server.url}/api/mods/${CASES.markdown}/full`);
    assert.ok((md.body.description as string).includes('<script>alert(1)</script>'));
    assert.ok((md.body.description as string).includes('(command:workbench.action.quit)'));
  });

  it('percent-decodes names and answers 404 for unknown mods', async () => {
    const encoded = await getJson(`${server.url}/api/mods/Mixed%5FCase%2DMod/full`);
    assert.equal(encoded.status, 200);
    assert.equal(encoded.body.name, CASES.mixedCase);
    for (const suffix of ['', '/full']) {
      const missing = await getJson(`${server.url}/api/mods/no-such-mod${suffix}`);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { message: 'Mod not found' });
    }
    const res = await fetch(`${server.url}/nothing/here`);
    assert.equal(res.status, 404);
    await res.body?.cancel();
  });

  it('serves changed data after invalidate()', async () => {
    const own = await startPortalServer({ mods: 10, seed: 8 });
    try {
      const before = await getJson<ListBody>(`${own.url}/api/mods?page_size=max`);
      const mod = own.dataset.mods.find((m) => m.name === CASES.mixedCase)!;
      mod.downloads_count += 1000;
      own.invalidate();
      const after = await getJson<ListBody>(`${own.url}/api/mods?page_size=max`);
      const count = (body: ListBody): unknown => body.results.find((r) => r.name === CASES.mixedCase)!.downloads_count;
      assert.equal(count(after.body), (count(before.body) as number) + 1000);
    } finally {
      await own.close();
    }
  });

  it('logs requests with their User-Agent', async () => {
    server.clearRequests();
    await (await fetch(`${server.url}/api/mods?page_size=1`, { headers: { 'User-Agent': 'test-agent/1.0' } })).text();
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].url, '/api/mods?page_size=1');
    assert.equal(server.requests[0].userAgent, 'test-agent/1.0');
    assert.equal(server.requests[0].method, 'GET');
  });
});

describe('portal server downloads', () => {
  let server: PortalServer;
  const creds = { username: 'alice', token: 's3cret' };

  before(async () => {
    server = await startPortalServer({ mods: 30, seed: 9, credentials: creds });
  });
  after(() => server.close());

  async function libRelease(): Promise<{ download_url: string; sha1: string; version: string; file_name: string }> {
    const { body } = await getJson(`${server.url}/api/mods/${CASES.library}/full`);
    return (body.releases as Array<{ download_url: string; sha1: string; version: string; file_name: string }>).at(-1)!;
  }

  it('redirects to the login page without valid credentials', async () => {
    const release = await libRelease();
    for (const query of ['', '?username=alice&token=wrong', '?username=bob&token=s3cret']) {
      const res = await fetch(`${server.url}${release.download_url}${query}`, { redirect: 'manual' });
      assert.equal(res.status, 302, query);
      const location = new URL(res.headers.get('location')!);
      assert.equal(location.pathname, '/login');
      assert.equal(location.searchParams.get('next'), release.download_url);
      await res.body?.cancel();
    }
    const followed = await fetch(`${server.url}${release.download_url}`);
    assert.equal(followed.status, 200);
    assert.match(followed.headers.get('content-type') ?? '', /text\/html/);
    await followed.body?.cancel();
  });

  it('serves a zip whose sha1 is the listed one', async () => {
    const release = await libRelease();
    const res = await fetch(`${server.url}${release.download_url}?username=alice&token=s3cret`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    const zip = Buffer.from(await res.arrayBuffer());
    assert.equal(Number(res.headers.get('content-length')), zip.length);
    assert.equal(sha1(zip), release.sha1);
    const { body: list } = await getJson<ListBody>(`${server.url}/api/mods?namelist=${CASES.library}`);
    assert.equal((list.results[0].releases as Json[]).at(-1)!.sha1, release.sha1);
    const entries = readZip(zip);
    const folder = `${CASES.library}_${release.version}/`;
    assert.ok(entries.some((e) => e.name === folder));
    const info = JSON.parse(entries.find((e) => e.name === `${folder}info.json`)!.data.toString('utf8')) as Json;
    assert.equal(info.name, CASES.library);
    assert.equal(info.version, release.version);
    assert.equal(info.factorio_version, '2.1');
    assert.deepEqual(info.dependencies, ['base >= 2.1.0']);
    assert.equal(typeof info.title, 'string');
    assert.equal(typeof info.author, 'string');
  });

  it('serves a corrupted zip of the same length when asked to', async () => {
    const release = await libRelease();
    const url = `${server.url}${release.download_url}?username=alice&token=s3cret`;
    const good = Buffer.from(await (await fetch(url)).arrayBuffer());
    server.setFaults({ corruptDownload: true, times: 1 });
    // An API request does not use up a download-only fault.
    await (await fetch(`${server.url}/api/mods?page_size=1`)).text();
    const bad = Buffer.from(await (await fetch(url)).arrayBuffer());
    assert.equal(bad.length, good.length);
    assert.notEqual(sha1(bad), release.sha1);
    assert.throws(() => readZip(bad));
    const again = Buffer.from(await (await fetch(url)).arrayBuffer());
    assert.equal(sha1(again), release.sha1);
    server.setFaults(undefined);
  });
});

describe('portal server: downloads the real way', () => {
  let server: PortalServer;
  let clock = Date.parse('2026-11-01T00:00:00Z');

  before(async () => {
    server = await startPortalServer({ mods: 10, seed: 4, now: () => clock, signedUrlSeconds: 60 });
  });
  after(() => server.close());

  const releaseUrl = (): string => {
    const mod = server.dataset.mods.find((m) => m.name === CASES.library)!;
    return `${server.url}${mod.releases.at(-1)!.download_url}`;
  };
  const signedUrl = async (): Promise<string> => {
    const { username, token } = server.credentials;
    const res = await fetch(`${releaseUrl()}?username=${username}&token=${token}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    await res.body?.cancel();
    return res.headers.get('location')!;
  };

  it('valid credentials: a 302 to a signed URL on another port, which serves the zip without credentials', async () => {
    server.clearRequests();
    const location = await signedUrl();
    const target = new URL(location);
    assert.equal(`${target.protocol}//${target.host}`, server.downloadUrl);
    assert.notEqual(server.downloadUrl, server.url);
    assert.match(target.pathname, /^\/files\/[0-9a-f]{2}\/[0-9a-f]{40}$/);
    assert.match(target.searchParams.get('secure') ?? '', /^[\w-]+,\d+$/);
    const res = await fetch(location);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    await res.arrayBuffer();
    assert.deepEqual(server.requests.map((r) => [r.host, r.credentials]), [['portal', true], ['download', false]]);
  });

  it('the download host records credentials sent to it, and refuses a forged, altered or expired signature', async () => {
    const location = await signedUrl();
    server.clearRequests();
    const withToken = await fetch(`${location}&token=${server.credentials.token}`);
    await withToken.arrayBuffer();
    assert.equal(server.requests[0]!.credentials, true);
    const forged = location.replace(/secure=[\w-]+/, 'secure=AAAAAAAAAAAAAAAAAAAAAA');
    const altered = location.replace(/,(\d+)$/, (_m, n: string) => `,${Number(n) + 1}`);
    for (const url of [forged, altered, location.split('?')[0]!]) {
      const res = await fetch(url);
      assert.equal(res.status, 403, url);
      await res.body?.cancel();
    }
    clock += 61_000;
    const expired = await fetch(location);
    assert.equal(expired.status, 403);
    await expired.body?.cancel();
  });

  it('an account that may not download gets 403; an unknown release 404', async () => {
    const { username, token } = server.forbiddenCredentials;
    const res = await fetch(`${releaseUrl()}?username=${username}&token=${token}`, { redirect: 'manual' });
    assert.equal(res.status, 403);
    await res.body?.cancel();
    const missing = await fetch(`${server.url}/download/nope/0123?username=${server.credentials.username}&token=${server.credentials.token}`, { redirect: 'manual' });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  });
});

describe('portal server: conditional requests and HTML 404s', () => {
  let server: PortalServer;

  before(async () => {
    server = await startPortalServer({ mods: 10, seed: 4 });
  });
  after(() => server.close());

  for (const path of ['/api/mods?page_size=max', `/api/mods/${CASES.library}/full`, `/api/mods?namelist=${CASES.library}`]) {
    it(`${path}: ETag and Last-Modified; 304 for either validator`, async () => {
      const res = await fetch(`${server.url}${path}`);
      await res.arrayBuffer();
      const etag = res.headers.get('etag')!;
      const lastModified = res.headers.get('last-modified')!;
      assert.match(etag, /^"[0-9a-f]{40}"$/);
      assert.ok(!Number.isNaN(Date.parse(lastModified)));
      for (const headers of [{ 'If-None-Match': etag }, { 'If-Modified-Since': lastModified }] as Array<Record<string, string>>) {
        const again = await fetch(`${server.url}${path}`, { headers });
        assert.equal(again.status, 304, JSON.stringify(headers));
        assert.equal((await again.arrayBuffer()).byteLength, 0);
      }
      const stale = await fetch(`${server.url}${path}`, { headers: { 'If-None-Match': '"0000"' } });
      assert.equal(stale.status, 200);
      await stale.arrayBuffer();
    });
  }

  it('a 404 fault answers an HTML page on the list, namelist and /full', async () => {
    server.setFaults({ status: 404 });
    for (const path of ['/api/mods', `/api/mods?namelist=${CASES.library}`, `/api/mods/${CASES.library}/full`]) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), /<html>/);
    }
    server.setFaults(undefined);
  });
});

describe('portal server faults', () => {
  let server: PortalServer;

  before(async () => {
    server = await startPortalServer({ mods: 20, seed: 2 });
  });
  after(() => server.close());

  it('adds latency', async () => {
    server.setFaults({ latencyMs: 250 });
    const started = performance.now();
    const res = await fetch(`${server.url}/api/mods`);
    await res.json();
    assert.ok(performance.now() - started >= 240);
    server.setFaults(undefined);
  });

  for (const status of [500, 503, 429, 403] as const) {
    it(`answers ${status}, with Retry-After when asked`, async () => {
      server.setFaults({ status, retryAfterSeconds: 7 });
      const res = await fetch(`${server.url}/api/mods/${CASES.library}`);
      assert.equal(res.status, status);
      assert.equal(res.headers.get('retry-after'), '7');
      await res.text();
      server.setFaults({ status });
      const bare = await fetch(`${server.url}/api/mods/${CASES.library}`);
      assert.equal(bare.status, status);
      assert.equal(bare.headers.get('retry-after'), null);
      await bare.text();
      server.setFaults(undefined);
    });
  }

  it('truncates the body so it cannot be parsed', async () => {
    server.setFaults({ truncate: true });
    const res = await fetch(`${server.url}/api/mods?page_size=10`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    await assert.rejects(res.json());
    server.setFaults(undefined);
  });

  it('answers an HTML page instead of JSON', async () => {
    server.setFaults({ html: true });
    const res = await fetch(`${server.url}/api/mods`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const text = await res.text();
    assert.throws(() => JSON.parse(text));
    server.setFaults(undefined);
  });

  it('hangs until the client gives up', async () => {
    server.setFaults({ hang: true });
    await assert.rejects(fetch(`${server.url}/api/mods`, { signal: AbortSignal.timeout(300) }), (e: Error) => e.name === 'TimeoutError');
    server.setFaults(undefined);
  });

  it('applies faults `times` times, then behaves normally', async () => {
    server.setFaults({ status: 503, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${server.url}/api/mods/${CASES.library}`);
      statuses.push(res.status);
      await res.text();
    }
    assert.deepEqual(statuses, [503, 503, 200, 200]);
    server.setFaults(undefined);
  });

  it('applies faults only to matching requests, counting only those', async () => {
    server.setFaults({ status: 500, match: '/full', times: 1 });
    const plain = await fetch(`${server.url}/api/mods/${CASES.library}`);
    assert.equal(plain.status, 200);
    await plain.text();
    const full = await fetch(`${server.url}/api/mods/${CASES.library}/full`);
    assert.equal(full.status, 500);
    await full.text();
    const fullAgain = await fetch(`${server.url}/api/mods/${CASES.library}/full`);
    assert.equal(fullAgain.status, 200);
    await fullAgain.text();
    server.setFaults(undefined);
  });

  it('offers a control API that is neither faulted nor logged', async () => {
    server.clearRequests();
    const set = await fetch(`${server.url}/__control/faults`, { method: 'POST', body: JSON.stringify({ status: 429, retryAfterSeconds: 3 }) });
    assert.equal(set.status, 204);
    const limited = await fetch(`${server.url}/api/mods`, { headers: { 'User-Agent': 'ctl-test' } });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    await limited.text();
    const log = await getJson<Array<{ url: string; userAgent?: string; method: string; at: number }>>(`${server.url}/__control/requests`);
    assert.equal(log.status, 200);
    assert.equal(log.body.length, 1);
    assert.equal(log.body[0].url, '/api/mods');
    assert.equal(log.body[0].userAgent, 'ctl-test');
    const nullFields = await fetch(`${server.url}/__control/faults`, { method: 'POST', body: '{"status":null,"html":true,"times":1}' });
    assert.equal(nullFields.status, 204);
    const html = await fetch(`${server.url}/api/mods`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    await html.text();
    const cleared = await fetch(`${server.url}/__control/faults`, { method: 'POST', body: 'null' });
    assert.equal(cleared.status, 204);
    const ok = await fetch(`${server.url}/api/mods`);
    assert.equal(ok.status, 200);
    await ok.text();
    assert.equal((await fetch(`${server.url}/__control/clear-requests`, { method: 'POST' })).status, 204);
    assert.equal(server.requests.length, 0);
    for (const body of ['{nope', '[1]', '{"status":"500"}', '{"hangs":true}']) {
      const bad = await fetch(`${server.url}/__control/faults`, { method: 'POST', body });
      assert.equal(bad.status, 400, body);
      await bad.text();
    }
  });

  it('ends hanging requests on close', async () => {
    const own = await startPortalServer({ mods: 5, seed: 1, faults: { hang: true } });
    const pending = fetch(`${own.url}/api/mods`);
    const deadline = Date.now() + 5000;
    while (own.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.equal(own.requests.length, 1);
    await own.close();
    await assert.rejects(pending);
  });
});

describe('portal server at scale', () => {
  it('generates 50,000 mods and serves them all with page_size=max', async () => {
    const ds = generateDataset({ mods: 50_000, seed: 1 });
    assert.equal(ds.mods.length, 50_000 + CASE_NAMES.length);
    const server = await startPortalServer({ dataset: ds });
    try {
      const { body } = await getJson<ListBody>(`${server.url}/api/mods?page_size=max`);
      assert.equal(body.pagination, null);
      assert.equal(body.results.length, ds.mods.length);
      const again = await getJson<ListBody>(`${server.url}/api/mods?page_size=max`);
      assert.equal(again.body.results.length, ds.mods.length);
      const page = await getJson<ListBody>(`${server.url}/api/mods?page=2000&page_size=25&sort=created_at`);
      assert.equal(page.body.pagination?.count, ds.mods.length);
      assert.equal(page.body.results.length, 25);
    } finally {
      await server.close();
    }
  });
});

describe('portal CLI', () => {
  it('prints one line with its URL and stops cleanly on SIGTERM', async () => {
    const cli = path.join(__dirname, '..', '..', 'portal-server', 'cli.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--mods', '25', '--seed', '4'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const match = /^Local Mod Portal listening on (http:\/\/127\.0\.0\.1:\d+) \((\d+) mods\)$/.exec(line);
      assert.ok(match, line);
      assert.equal(Number(match[2]), 25 + CASE_NAMES.length);
      const { body } = await getJson(`${match[1]}/api/mods/${CASES.library}`);
      assert.equal(body.name, CASES.library);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

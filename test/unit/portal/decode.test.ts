import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeErrorMessage,
  decodeFullModEntry,
  decodeModEntry,
  decodeModListResponse,
  decodeRelease,
} from '../../../src/portal/decode';
import { PortalError, isPortalError, redactSecrets } from '../../../src/portal/errors';
import { fixtureJson } from '../builders';

const fixture = (name: string): unknown => fixtureJson('portal', name);

function assertMalformed(fn: () => unknown, mentions: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isPortalError(e), `expected a PortalError, got ${String(e)}`);
    assert.equal(e.kind, 'malformed');
    assert.match(e.message, mentions);
    return true;
  });
}

test('a 2025 list page with pagination links', () => {
  const list = decodeModListResponse(fixture('list_page_size2_sort_updated_at.json'));
  assert.equal(list.pagination?.count, 19925);
  assert.equal(list.pagination?.page_size, 2);
  assert.equal(list.pagination?.links.first, null);
  assert.equal(list.pagination?.links.next, 'https://mods.factorio.com/api/mods?page_size=2&page=2');
  const [mod] = list.results;
  assert.equal(mod?.name, 'FastRunning');
  assert.equal(mod?.category, 'tweaks');
  assert.equal(mod?.score, 0);
  assert.equal(mod?.latest_release?.version, '1.0.0');
  assert.equal(mod?.latest_release?.info_json.factorio_version, '0.13');
  assert.equal(mod?.releases, undefined);
});

test('a page past the end decodes to no results', () => {
  const list = decodeModListResponse(fixture('list_out_of_range_page.json'));
  assert.deepEqual(list.results, []);
  assert.equal(list.pagination?.links.next, null);
});

test('the 2022 list keeps old category values and tolerates missing keys', () => {
  const list = decodeModListResponse(fixture('api_mods_2022.json'));
  assert.equal(list.results.length, 25);
  const categories = new Set(list.results.map((m) => m.category));
  assert.ok(categories.has('general'));
  assert.ok(categories.has('non-game-changing'));
  for (const mod of list.results) {
    assert.equal(typeof mod.name, 'string');
    assert.equal(typeof mod.downloads_count, 'number');
  }
});

test('namelist, short and full entries', () => {
  const namelist = decodeModListResponse(fixture('namelist_flib.json'));
  assert.equal(namelist.pagination, null);
  assert.equal(namelist.results[0]?.releases?.[0]?.version, '0.1.0');
  assert.equal(namelist.results[0]?.releases?.[0]?.info_json.dependencies, undefined);

  const short = decodeModEntry(fixture('short_flib.json'));
  assert.equal(short.thumbnail, '/assets/0a42d642ea743a66354d74b7f1d2bc1d70e9449e.thumb.png');
  assert.equal(short.score, -141.9);

  const full = decodeFullModEntry(fixture('full_flib_truncated.json'));
  assert.equal(full.license?.id, 'default_mit');
  assert.deepEqual(full.tags, []);
  assert.deepEqual(full.images, []);
  assert.equal(full.github_path, 'factoriolib/flib');
  assert.deepEqual(full.releases?.[0]?.info_json.dependencies, ['base >= 0.18.19']);
  assert.equal(full.deprecated, undefined);

  const krastorio = decodeModEntry(fixture('short_krastorio2_2022.json'));
  assert.equal(krastorio.category, 'big-mods');
  assert.ok((krastorio.releases?.length ?? 0) > 5);
});

test('release with feature flags; releases without a version are dropped', () => {
  const release = decodeRelease(fixture('release_with_feature_flags.json'));
  assert.deepEqual(release?.feature_flags, ['space-travel']);
  assert.deepEqual(release?.info_json.dependencies, ['base', 'space-age', '? quality']);
  assert.equal(decodeRelease({ download_url: '/download/x/1' }), undefined);
  assert.equal(decodeRelease('1.0.0'), undefined);
  const mod = decodeModEntry({
    name: 'm',
    releases: [{ version: '1.0.0' }, { sha1: 'no version' }, null, { version: '' }, { version: '2.0.0', feature_flags: [] }],
  });
  assert.deepEqual(mod.releases?.map((r) => r.version), ['1.0.0', '2.0.0']);
  assert.equal(mod.releases?.[1]?.feature_flags, undefined);
  assert.equal(mod.releases?.[0]?.info_json.factorio_version, '');
});

test('category: string, Tag object, null, "" or absent', () => {
  assert.equal(decodeModEntry({ name: 'a', category: 'content' }).category, 'content');
  assert.equal(decodeModEntry({ name: 'a', category: { id: 3, name: 'general', title: 'General' } }).category, 'general');
  assert.equal(decodeModEntry({ name: 'a', category: null }).category, undefined);
  assert.equal(decodeModEntry({ name: 'a', category: '' }).category, undefined);
  assert.equal(decodeModEntry({ name: 'a' }).category, undefined);
  assert.equal(decodeModEntry({ name: 'a', category: 'no-category' }).category, 'no-category');
  assert.equal(decodeModEntry({ name: 'a', category: 'some-future-value' }).category, 'some-future-value');
});

test('tags: plain strings, Tag objects, and the old `tag` key', () => {
  assert.deepEqual(decodeFullModEntry({ name: 'a', tags: ['planets', 'combat'] }).tags, ['planets', 'combat']);
  assert.deepEqual(decodeFullModEntry({ name: 'a', tags: [{ id: 1, name: 'trains' }, 'logistics'] }).tags, ['trains', 'logistics']);
  assert.deepEqual(
    decodeFullModEntry({ name: 'a', tag: [{ id: 4, name: 'helper-mods', title: 'Helper' }, { name: 'oil' }] }).tags,
    ['helper-mods', 'oil'],
  );
  assert.deepEqual(decodeFullModEntry({ name: 'a', tags: ['x'], tag: [{ name: 'x' }, { name: 'y' }] }).tags, ['x', 'y']);
  assert.equal(decodeFullModEntry({ name: 'a' }).tags, undefined);
  assert.deepEqual(decodeFullModEntry({ name: 'a', tags: [null, '', 5] }).tags, ['5']);
});

test('missing keys get neutral values; numbers as strings and strings as numbers are converted', () => {
  const mod = decodeModEntry({ name: 'bare' });
  assert.deepEqual(mod, { name: 'bare', title: 'bare', owner: '', summary: '', downloads_count: 0 });
  const odd = decodeModEntry({
    name: 'odd',
    title: 42,
    downloads_count: '1234',
    score: '-3.5',
    latest_release: { version: 2, info_json: { factorio_version: 1.1 } },
  });
  assert.equal(odd.title, '42');
  assert.equal(odd.downloads_count, 1234);
  assert.equal(odd.score, -3.5);
  assert.equal(odd.latest_release?.version, '2');
  assert.equal(odd.latest_release?.info_json.factorio_version, '1.1');
  assert.equal(decodeModEntry({ name: 'n', downloads_count: 'lots' }).downloads_count, 0);
});

test('full entry: deprecated flag, license, images, unknown shapes ignored', () => {
  const full = decodeFullModEntry({
    name: 'old',
    deprecated: true,
    license: { id: 'custom_abc', title: 'Mine', extra: 1 },
    images: [{ id: 'i', url: 'https://x/y.png' }, 'junk'],
    homepage: 'not really a url',
    changelog: null,
  });
  assert.equal(full.deprecated, true);
  assert.deepEqual(full.license, { id: 'custom_abc', title: 'Mine' });
  assert.deepEqual(full.images, [{ id: 'i', url: 'https://x/y.png' }]);
  assert.equal(full.homepage, 'not really a url');
  assert.equal(full.changelog, undefined);
  assert.equal(decodeFullModEntry({ name: 'a', deprecated: false }).deprecated, undefined);
});

test('pagination of odd shape is tolerated', () => {
  const list = decodeModListResponse({ pagination: { page: '2', links: null }, results: [] });
  assert.equal(list.pagination?.page, 2);
  assert.deepEqual(list.pagination?.links, { first: null, prev: null, next: null, last: null });
  assert.equal(decodeModListResponse({ results: [] }).pagination, null);
});

test('bodies of the wrong shape are malformed errors naming the problem', () => {
  assertMalformed(() => decodeModListResponse(null), /mod list object, got null/);
  assertMalformed(() => decodeModListResponse('<html>'), /got a string/);
  assertMalformed(() => decodeModListResponse([1, 2]), /got an array/);
  assertMalformed(() => decodeModListResponse({ pagination: null }), /no `results`/);
  assertMalformed(() => decodeModListResponse({ results: { a: 1 } }), /`results` is an object, not an array/);
  assertMalformed(() => decodeModListResponse({ results: [{ name: 'ok' }, { title: 'no name' }] }), /results\[1\] has no `name`/);
  assertMalformed(() => decodeModListResponse({ results: [{ name: 'ok' }, 7] }), /results\[1\] is a number/);
  assertMalformed(() => decodeModEntry({ name: '' }), /has no `name`/);
  assertMalformed(() => decodeFullModEntry([]), /is an array, not a mod object/);
  assertMalformed(() => decodeModListResponse(null, '/api/mods?page=3'), /\/api\/mods\?page=3/);
});

test('portal error bodies: `message` today, `detail` in older documentation', () => {
  assert.equal(decodeErrorMessage(fixture('error_404.json')), 'Mod not found');
  assert.equal(decodeErrorMessage({ detail: 'Not found.' }), 'Not found.');
  assert.equal(decodeErrorMessage('x'), undefined);
});

test('PortalError never holds a token', () => {
  const e = new PortalError('network', 'failed for /download/x?username=u&token=s3cret', {
    url: 'https://mods.factorio.com/download/x?username=u&token=s3cret&x=1',
  });
  assert.doesNotMatch(e.message, /s3cret/);
  assert.doesNotMatch(e.url, /s3cret/);
  assert.match(e.url, /token=\*\*\*&x=1/);
  assert.equal(redactSecrets('a?token=abc'), 'a?token=***');
  assert.equal(redactSecrets('{"service-username": "me", "service-token": "abc123"}'), '{"service-username": "me", "service-token": "***"}');
  assert.equal(new PortalError('http', 'm', 'https://h/p?token=zz').url, 'https://h/p?token=***');
});

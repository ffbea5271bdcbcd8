import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModListResponse } from '../../../src/portal/decode';
import { decodeModList, decodeModListCompact, encodeModList } from '../../../src/portal/listFile';
import type { ModEntry } from '../../../src/portal/types';
import { fixtureJson } from '../builders';

const fixture = (name: string): unknown => fixtureJson('portal', name);

function roundTrip(mods: ModEntry[]): ModEntry[] {
  const text = encodeModList(mods, 1234);
  const back = decodeModList(text);
  assert.equal(back.fetchedAt, 1234);
  // The entries the cache holds read the same, field by field, and encode to the same file.
  const compact = decodeModListCompact(text);
  assert.equal(compact.fetchedAt, 1234);
  const plain = (list: readonly ModEntry[]): unknown => JSON.parse(JSON.stringify(list));
  assert.deepEqual(plain(compact.mods), plain(back.mods));
  compact.mods.forEach((mod, i) => {
    const expected = back.mods[i]!;
    for (const key of ['name', 'title', 'owner', 'summary', 'downloads_count', 'category', 'score', 'thumbnail', 'last_highlighted_at'] as const) {
      assert.deepEqual(mod[key], expected[key], `${expected.name}.${key}`);
    }
    assert.deepEqual(mod.latest_release, expected.latest_release);
  });
  assert.equal(encodeModList(compact.mods, 1234), text);
  return back.mods;
}

test('real list pages survive the round trip exactly', () => {
  for (const file of ['api_mods_2022.json', 'list_page_size2_sort_updated_at.json']) {
    const mods = decodeModListResponse(fixture(file)).results;
    assert.deepEqual(roundTrip(mods), mods);
  }
});

test('every optional shape survives: no release, odd URLs and file names, flags, dependencies', () => {
  const mods: ModEntry[] = [
    { name: 'bare', title: 'Bare', owner: '', summary: '', downloads_count: 0 },
    {
      name: 'full',
      title: 'Full',
      owner: 'o',
      summary: 's',
      downloads_count: 5,
      category: 'content',
      score: -1.5,
      thumbnail: '/assets/.thumb.png',
      last_highlighted_at: '2024-01-02',
      latest_release: {
        download_url: '/download/full/abc',
        file_name: 'full_1.0.0.zip',
        info_json: { factorio_version: '2.0', dependencies: ['base >= 2.0'] },
        released_at: '2025-01-01T00:00:00.000000Z',
        version: '1.0.0',
        sha1: 'ff',
        feature_flags: ['space-travel'],
      },
    },
    {
      name: 'odd',
      title: 'Odd',
      owner: 'o',
      summary: 's',
      downloads_count: 1,
      category: 'content',
      latest_release: {
        download_url: '/elsewhere/odd.zip',
        file_name: 'renamed.zip',
        info_json: { factorio_version: '1.1' },
        released_at: '',
        version: '0.0.1',
        sha1: '',
      },
    },
    {
      name: 'with-releases',
      title: 'R',
      owner: 'o',
      summary: 's',
      downloads_count: 1,
      releases: [
        { download_url: '/download/r/1', file_name: 'r_1.0.0.zip', info_json: { factorio_version: '2.0' }, released_at: 'x', version: '1.0.0', sha1: 'a' },
      ],
    },
  ];
  assert.deepEqual(roundTrip(mods), mods);
});

test('line breaks and empty strings are kept apart from the joins', () => {
  const base = { owner: '', downloads_count: 1 };
  const mods: ModEntry[] = [
    { ...base, name: 'a', title: 'A', summary: 'two\nlines\r\n', thumbnail: '' },
    { ...base, name: 'b', title: '', summary: '', last_highlighted_at: '2020-01-01' },
    { ...base, name: 'c', title: 'C', summary: 'x' },
  ];
  assert.deepEqual(roundTrip(mods), mods);
  assert.deepEqual(roundTrip([]), []);
  const one: ModEntry[] = [{ ...base, name: 'solo', title: '', summary: '' }];
  assert.deepEqual(roundTrip(one), one);
});

test('the columns are far smaller than entry objects', () => {
  const mods = decodeModListResponse(fixture('api_mods_2022.json')).results;
  assert.ok(encodeModList(mods, 1).length < JSON.stringify({ version: 1, fetchedAt: 1, mods }).length * 0.75);
});

test('damaged files are rejected with a reason, by both decoders', () => {
  const good = encodeModList(
    [
      { name: 'a', title: 'A', owner: '', summary: '', downloads_count: 2 },
      { name: 'b', title: 'B', owner: 'o', summary: 's', downloads_count: 1 },
    ],
    1,
  );
  for (const decode of [decodeModList, decodeModListCompact]) {
    assert.throws(() => decode('[]'), /format version/);
    assert.throws(() => decode(good.replace('"version":2', '"version":1')), /format version 1/);
    assert.throws(() => decode(good.replace('"count":2', '"count":3')), /(does not hold 3 values|count of values)/);
    assert.throws(() => decode(good.replace('"downloads":[2,1]', '"downloads":["x",1]')), /entry 0 has the wrong shape/);
    assert.throws(() => decode(good.replace('"sha1":"\\n"', '"sha1":"\\n\\n"')), /(does not hold 2 values|count of values)/);
    assert.throws(() => decode(good.slice(0, 40)), SyntaxError);
    assert.throws(() => decode(good.replace('"extra":{}', '"extra":{"0":{"name":"a"}}')), /extra entry 0 has the wrong shape/);
    assert.throws(() => decode(good.replace('"extra":{}', '"extra":{"5":{"name":"a","title":"A","downloads_count":1}}')), /extra entry 5/);
  }
});

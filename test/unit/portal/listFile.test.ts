import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModListResponse } from '../../../src/portal/decode';
import { decodeModList, decodeModListCompact, encodeModList, latestReleaseTime, memoryReader, type DetailsReader } from '../../../src/portal/modList/listFile';
import { ModIndex } from '../../../src/portal/modList/search';
import type { ModEntry } from '../../../src/portal/types';
import { fixtureJson } from '../builders';

const fixture = (name: string): unknown => fixtureJson('portal', name);

function roundTrip(mods: ModEntry[]): ModEntry[] {
  const encoded = encodeModList(mods, 1234);
  const back = decodeModList(encoded.list, encoded.details!);
  assert.equal(back.fetchedAt, 1234);
  // The entries the cache holds read the same, field by field.
  const compact = decodeModListCompact(encoded.list, memoryReader(encoded.details!));
  assert.equal(compact.fetchedAt, 1234);
  const held = compact.table.all();
  const plain = (list: readonly ModEntry[]): unknown => JSON.parse(JSON.stringify(list));
  assert.deepEqual(plain(held), plain(back.mods));
  held.forEach((mod, i) => {
    const expected = back.mods[i]!;
    for (const key of ['name', 'title', 'owner', 'summary', 'downloads_count', 'category', 'score', 'thumbnail', 'last_highlighted_at'] as const) {
      assert.deepEqual(mod[key], expected[key], `${expected.name}.${key}`);
    }
    assert.deepEqual(mod.latest_release, expected.latest_release);
  });
  // Encoding the held entries again gives the same list; the details file stays valid
  // unless some entry is held whole (it did not fit the columns).
  const again = encodeModList(held, 1234);
  if (again.details === undefined) assert.equal(again.list, encoded.list);
  else assert.deepEqual(decodeModList(again.list, again.details).mods, back.mods);
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

test('the list file is small: what is not searched is in the details file', () => {
  const mods = decodeModListResponse(fixture('api_mods_2022.json')).results;
  const { list, details } = encodeModList(mods, 1);
  assert.ok(list.length < JSON.stringify({ version: 1, fetchedAt: 1, mods }).length * 0.5);
  assert.ok(details!.length > list.length);
  // Entries held as they were read: writing them again leaves the details file alone.
  const compact = decodeModListCompact(list, memoryReader(details!));
  const again = encodeModList(compact.table.all(), 2);
  assert.equal(again.details, undefined);
  assert.deepEqual(decodeModList(again.list, details!).mods, decodeModList(list, details!).mods);
});

/** A reader over `bytes` that counts its reads. */
function counting(bytes: Uint8Array): { reader: DetailsReader; reads: () => number } {
  let reads = 0;
  const inner = memoryReader(bytes);
  return { reader: (position, length) => (reads++, inner(position, length)), reads: () => reads };
}

const TWO: ModEntry[] = [
  { name: 'a', title: 'A', owner: 'ann', summary: 'first', downloads_count: 2 },
  {
    name: 'b',
    title: 'B',
    owner: 'bob',
    summary: 'second',
    downloads_count: 1,
    latest_release: { download_url: '/download/b/x1', file_name: 'b_1.0.0.zip', info_json: { factorio_version: '2.0' }, released_at: '2024-05-01', version: '1.0.0', sha1: 'ff' },
  },
];

test('details are read one mod at a time, when asked for, and the last few are kept', () => {
  const { list, details } = encodeModList(TWO, 1);
  const { reader, reads } = counting(details!);
  const [a, b] = decodeModListCompact(list, reader).table.all();
  assert.equal(reads(), 0, 'decoding reads no details');
  // What search, diagnostics and the sorts read is held.
  assert.equal(b!.name, 'b');
  assert.equal(b!.downloads_count, 1);
  assert.equal(reads(), 0);
  assert.equal(b!.summary, 'second');
  assert.equal(reads(), 2, 'the header, checked each time, and the line');
  assert.equal(b!.owner, 'bob');
  assert.equal(b!.latest_release?.sha1, 'ff');
  assert.equal(reads(), 2, 'the line is kept');
  assert.equal(a!.summary, 'first');
  assert.equal(reads(), 4);
});

test('the latest release time of a held entry is read without its details', () => {
  const { list, details } = encodeModList(TWO, 1);
  const { reader, reads } = counting(details!);
  const mods = decodeModListCompact(list, reader).table.all();
  assert.deepEqual(mods.map(latestReleaseTime), [NaN, Date.parse('2024-05-01')]);
  assert.equal(reads(), 0);
  assert.equal(latestReleaseTime(TWO[1]!), Date.parse('2024-05-01'));
});

test('details of another list, or none, read as nothing: names, titles and versions stay', () => {
  const { list, details } = encodeModList(TWO, 1);
  const other = encodeModList(TWO, 1).details!;
  const gone: DetailsReader = () => undefined;
  const cut: DetailsReader = memoryReader(details!.subarray(0, details!.length - 10));
  for (const reader of [memoryReader(other), gone, cut]) {
    const b = decodeModListCompact(list, reader).table.entry(1);
    assert.equal(b.title, 'B');
    assert.equal(b.summary, '');
    assert.equal(b.owner, '');
    assert.equal(b.latest_release?.version, '1.0.0');
    assert.equal(b.latest_release?.sha1, '');
    assert.equal(latestReleaseTime(b), Date.parse('2024-05-01'));
  }
  // A line of another mod (the files swapped under the same header) is not taken either.
  const swapped = Buffer.from(Buffer.from(details!).toString('utf8').replace('["b","bob"', '["c","bob"'));
  assert.equal(decodeModListCompact(list, memoryReader(swapped)).table.entry(1).summary, '');
});

test('damaged files are rejected with a reason, by both decoders', () => {
  const { list: good, details } = encodeModList(TWO, 1);
  const decoders = [(text: string) => decodeModList(text, details!), (text: string) => decodeModListCompact(text, memoryReader(details!))];
  for (const decode of decoders) {
    assert.throws(() => decode('[]'), /format version/);
    assert.throws(() => decode(good.replace('"version":3', '"version":2')), /format version 2/);
    assert.throws(() => decode(good.replace('"count":2', '"count":3')), /(does not hold 3 values|count of values)/);
    assert.throws(() => decode(good.replace('"downloads":[2,1]', '"downloads":["x",1]')), /entry 0 has the wrong shape/);
    assert.throws(() => decode(good.replace('"factorio":"\\n2.0"', '"factorio":"\\n\\n2.0"')), /(does not hold 2 values|count of values)/);
    assert.throws(() => decode(good.replace(/"released":\[null,\d+\]/, '"released":[null]')), /column released does not hold 2 values/);
    assert.throws(() => decode(good.replace(/"detailBytes":\[\d+,/, '"detailBytes":[0,')), /entry 0 has the wrong shape/);
    assert.throws(() => decode(good.replace(/"detailBytes":\[\d+,/, '"detailBytes":[90000000,')), /entry 0 has the wrong shape/);
    assert.throws(() => decode(good.replace(/,"detailsHeader":"(?:[^"\\]|\\.)*"/, '')), /missing fields/);
    assert.throws(() => decode(good.slice(0, 40)), SyntaxError);
    assert.throws(() => decode(good.replace('"extra":{}', '"extra":{"0":{"name":"a"}}')), /extra entry 0 has the wrong shape/);
    assert.throws(() => decode(good.replace('"extra":{}', '"extra":{"5":{"name":"a","title":"A","downloads_count":1}}')), /extra entry 5/);
  }
});

test('an index over the held table finds what an index over the entries finds, and makes entries only for results', () => {
  const entries = decodeModListResponse(fixture('api_mods_2022.json')).results;
  const direct = new ModIndex(entries);
  const { list, details } = encodeModList(direct.all(), 1);
  const { table } = decodeModListCompact(list, memoryReader(details!));
  let made = 0;
  const counted = Object.assign(Object.create(table) as typeof table, { entry: (i: number) => (made++, table.entry(i)) });
  const held = new ModIndex(counted);
  assert.equal(made, 0, 'building the index makes no entry');
  const names = (index: ModIndex, q: string): string[] => index.search(q, 10).map((h) => h.mod.name);
  for (const q of ['', 'a', 'lib', 'Ore', 'zz']) assert.deepEqual(names(held, q), names(direct, q), q);
  assert.ok(made <= 50);
  const name = entries[3]!.name;
  assert.deepEqual(JSON.parse(JSON.stringify(held.get(name))), JSON.parse(JSON.stringify(direct.get(name))));
  assert.equal(held.size, direct.size);
});

test('an unchanged list with entries held whole is written again without reading any details', () => {
  const whole: ModEntry = { name: 'c', title: 'C', owner: 'cy', summary: 'third', downloads_count: 0, releases: [] };
  const { list, details } = encodeModList([...TWO, whole], 1);
  const { reader, reads } = counting(details!);
  const { table } = decodeModListCompact(list, reader);
  const again = encodeModList(table.all(), 2);
  assert.equal(again.details, undefined, 'the details file stays');
  assert.equal(reads(), 0);
  assert.deepEqual(decodeModList(again.list, details!).mods, decodeModList(list, details!).mods);
  // Another entry in place of the one held whole: everything is written afresh.
  const changed = table.all();
  changed[2] = { ...whole };
  assert.notEqual(encodeModList(changed, 2).details, undefined);
});

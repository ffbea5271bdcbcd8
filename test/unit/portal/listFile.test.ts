import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModListResponse } from '../../../src/portal/decode';
import { buildColumns, decodeListFile, decodeModList, encodeListFile, encodeModList } from '../../../src/portal/modList/listFile';
import { ModList, memoryRange, modListOf, type ReadRange } from '../../../src/portal/modList/modList';
import { ModIndex } from '../../../src/portal/modList/search';
import type { ModEntry } from '../../../src/portal/types';
import { fixtureJson } from '../builders';

const fixture = (name: string): unknown => fixtureJson('portal', name);

/**
 * Encoded, decoded, and read through a ModList: the same entries each way, given back in
 * the order of `mods` (the files hold them most downloaded first).
 */
async function roundTrip(mods: ModEntry[]): Promise<ModEntry[]> {
  const encoded = encodeModList(mods, 1234);
  const back = decodeModList(encoded.list, encoded.details);
  assert.equal(back.fetchedAt, 1234);
  // The list as memory holds it, built from the entries, reads the same.
  const built = modListOf(mods);
  const read = new ModList(decodeListFile(encoded.list).columns, memoryRange(encoded.details));
  for (const list of [built, read]) {
    const details = await Promise.all(mods.map((m) => list.details(m.name)));
    assert.deepEqual(details, mods.map((m) => back.mods.find((b) => b.name === m.name)));
  }
  assert.deepEqual(back.mods.map((m) => m.downloads_count), mods.map((m) => m.downloads_count).sort((a, b) => b - a));
  return mods.map((m) => back.mods.find((b) => b.name === m.name)!);
}

test('real list pages survive the round trip exactly', async () => {
  for (const file of ['api_mods_2022.json', 'list_page_size2_sort_updated_at.json']) {
    const mods = decodeModListResponse(fixture(file)).results;
    assert.deepEqual(await roundTrip(mods), mods);
  }
});

test('every optional shape survives: no release, odd URLs and file names, flags, dependencies', async () => {
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
  assert.deepEqual(await roundTrip(mods), mods);
});

test('line breaks and empty strings are kept apart from the joins', async () => {
  const base = { owner: '', downloads_count: 1 };
  const mods: ModEntry[] = [
    { ...base, name: 'a', title: 'A', summary: 'two\nlines\r\n', thumbnail: '' },
    { ...base, name: 'b', title: '', summary: '', last_highlighted_at: '2020-01-01' },
    { ...base, name: 'c', title: 'C', summary: 'x' },
  ];
  assert.deepEqual(await roundTrip(mods), mods);
  assert.deepEqual(await roundTrip([]), []);
  const one: ModEntry[] = [{ ...base, name: 'solo', title: '', summary: '' }];
  assert.deepEqual(await roundTrip(one), one);
});

test('the list file is small: what is not searched is in the details file', () => {
  const mods = decodeModListResponse(fixture('api_mods_2022.json')).results;
  const { list, details } = encodeModList(mods, 1);
  assert.ok(list.length < JSON.stringify({ version: 1, fetchedAt: 1, mods }).length * 0.5);
  assert.ok(details.length > list.length);
});

test('an unchanged list is written again from its columns: the same list file, the same details file named', () => {
  const mods = decodeModListResponse(fixture('api_mods_2022.json')).results;
  const { columns } = buildColumns(mods);
  const first = encodeListFile(columns, 1);
  const read = decodeListFile(first).columns;
  assert.equal(encodeListFile(read, 1), first);
  assert.equal(read.detailsFile, columns.detailsFile);
  assert.match(columns.detailsFile, /^mod-details-[0-9a-f]{16}\.jsonl$/);
  assert.notEqual(buildColumns(mods).columns.detailsFile, columns.detailsFile, 'each new list has its own details file');
});

/** A reader over `bytes` that counts its reads. */
function counting(bytes: Uint8Array): { read: ReadRange; reads: () => number } {
  let reads = 0;
  const inner = memoryRange(bytes);
  return { read: (file, position, length) => (reads++, inner(file, position, length)), reads: () => reads };
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

function listOf(mods: readonly ModEntry[], read?: (bytes: Uint8Array) => ReadRange): { list: ModList; details: Uint8Array; text: string } {
  const { list: text, details } = encodeModList(mods, 1);
  return { list: new ModList(decodeListFile(text).columns, (read ?? memoryRange)(details)), details, text };
}

test('summaries are held; details are read one mod at a time, when asked for, and the last few are kept', async () => {
  const { list: text, details } = encodeModList(TWO, 1);
  const { read, reads } = counting(details);
  const list = new ModList(decodeListFile(text).columns, read);
  assert.equal(reads(), 0, 'decoding reads no details');
  // What search, diagnostics and the sorts read is held.
  assert.deepEqual(list.get('b'), { name: 'b', title: 'B', downloads_count: 1, latest: { version: '1.0.0', factorio_version: '2.0', released: Date.parse('2024-05-01') } });
  assert.deepEqual(list.get('a'), { name: 'a', title: 'A', downloads_count: 2 });
  assert.deepEqual(list.search('b', 5).map((h) => h.mod.name), ['b']);
  assert.deepEqual(list.top('updated', 2).map((m) => m.name), ['b', 'a']);
  assert.equal(reads(), 0);
  assert.equal((await list.details('b'))?.summary, 'second');
  assert.equal(reads(), 1, 'the line alone: no header check');
  assert.equal((await list.details('b'))?.owner, 'bob');
  assert.equal((await list.details('b'))?.latest_release?.sha1, 'ff');
  assert.equal(reads(), 1, 'the line is kept');
  assert.equal((await list.details('a'))?.summary, 'first');
  assert.equal(reads(), 2);
  assert.equal(await list.details('nobody'), undefined);
  assert.equal(reads(), 2);
});

test('details gone, cut short or of another mod read as nothing; a file gone is reported once', async () => {
  const gone = listOf(TWO, () => async () => undefined);
  let reported = 0;
  gone.list.onDetailsGone = () => reported++;
  assert.equal(await gone.list.details('b'), undefined);
  assert.equal(await gone.list.details('a'), undefined);
  assert.equal(reported, 1);
  assert.equal(gone.list.get('b')?.title, 'B');
  const cut = listOf(TWO, (bytes) => memoryRange(bytes.subarray(0, bytes.length - 10)));
  assert.equal(await cut.list.details('b'), undefined);
  const { list: text, details } = encodeModList(TWO, 1);
  // A line of another mod (the file changed under the same name) is not taken either.
  const swapped = Buffer.from(Buffer.from(details).toString('utf8').replace('["b","bob"', '["c","bob"'));
  assert.equal(await new ModList(decodeListFile(text).columns, memoryRange(swapped)).details('b'), undefined);
  const failing = listOf(TWO, () => () => Promise.reject(new Error('EIO')));
  assert.equal(await failing.list.details('b'), undefined, 'a failed read is nothing, not a throw');
});

test('damaged files are rejected with a reason', () => {
  const { list: good, details } = encodeModList(TWO, 1);
  const decode = (text: string) => decodeModList(text, details);
  assert.throws(() => decode('[]'), /format version/);
  assert.throws(() => decode(good.replace('"version":4', '"version":3')), /format version 3/);
  assert.throws(() => decode(good.replace('"count":2', '"count":3')), /(does not hold 3 values|count of values)/);
  assert.throws(() => decode(good.replace('"downloads":[2,1]', '"downloads":["x",1]')), /entry 0 has the wrong shape/);
  assert.throws(() => decode(good.replace('"downloads":[2,1]', '"downloads":[1,2]')), /not most downloaded first/);
  assert.throws(() => decode(good.replace('"factorio":"\\n2.0"', '"factorio":"\\n\\n2.0"')), /(does not hold 2 values|count of values)/);
  assert.throws(() => decode(good.replace(/"released":\[null,\d+\]/, '"released":[null]')), /column released does not hold 2 values/);
  assert.throws(() => decode(good.replace(/"detailBytes":\[\d+,/, '"detailBytes":[0,')), /entry 0 has the wrong shape/);
  assert.throws(() => decode(good.replace(/"detailBytes":\[\d+,/, '"detailBytes":[90000000,')), /entry 0 has the wrong shape/);
  assert.throws(() => decode(good.replace(/"detailsFile":"[^"]*"/, '"detailsFile":"../elsewhere"')), /no details file named/);
  assert.throws(() => decode(good.slice(0, 40)), SyntaxError);
  assert.throws(() => decode(good.replace('"extra":{}', '"extra":{"0":{"name":"a"}}')), /extra entry 0 has the wrong shape/);
  assert.throws(() => decode(good.replace('"extra":{}', '"extra":{"5":{"name":"a","title":"A","downloads_count":1}}')), /extra entry 5/);
});

test('the list finds what an index over the entries finds, and makes summaries only for results', () => {
  const entries = decodeModListResponse(fixture('api_mods_2022.json')).results;
  const direct = new ModIndex(entries);
  const list = modListOf(entries);
  const names = (index: { search: ModIndex['search'] }, q: string): string[] => index.search(q, 10).map((h) => h.mod.name);
  for (const q of ['', 'a', 'lib', 'Ore', 'zz']) assert.deepEqual(names(list, q), names(direct, q), q);
  const name = entries[3]!.name;
  assert.equal(list.get(name)?.title, direct.get(name)?.title);
  assert.equal(list.size, direct.size);
  assert.deepEqual(list.closest(name.slice(1), 3).map((m) => m.name), direct.closest(name.slice(1), 3).map((m) => m.name));
});

test('an entry held whole (all its releases) is given whole by details() and sorted by its newest release', async () => {
  const whole: ModEntry = {
    name: 'c',
    title: 'C',
    owner: 'cy',
    summary: 'third',
    downloads_count: 0,
    releases: [{ download_url: '/download/c/1', file_name: 'c_1.0.0.zip', info_json: { factorio_version: '2.0' }, released_at: '2030-01-01', version: '1.0.0', sha1: 'a' }],
  };
  const { list } = listOf([...TWO, whole]);
  assert.deepEqual(await list.details('c'), whole);
  assert.deepEqual(list.top('updated', 3).map((m) => m.name), ['c', 'b', 'a']);
});

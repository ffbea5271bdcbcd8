import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModIndex, lowerKeepingLength } from '../../../src/portal/modList/search';
import { MatchKind, popularity, rankAll } from '../../../src/portal/modList/searchMatch';
import type { ModEntry } from '../../../src/portal/types';
import type { ModSummary } from '../../../src/portal/modList/summary';
import { modEntry } from '../builders';

const mod = (name: string, title: string, downloads: number): ModEntry => modEntry(name, { title, owner: 'someone', downloads_count: downloads });

const names = (hits: { mod: { name: string } }[]): string[] => hits.map((h) => h.mod.name);

/** mulberry32: small, seeded, good enough for test data. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('exact beats prefix beats word start beats substring on equal downloads; subsequences fill a short list', () => {
  const index = new ModIndex([
    mod('xrailx', 'Unrelated', 100), // substring
    mod('rail-signals', 'Signals', 100), // prefix
    mod('big-rail', 'Big', 100), // word start
    mod('rail', 'The Rail', 1), // exact, fewest downloads
    mod('rxaxixlmod', 'Spread', 100), // subsequence only
    mod('nothing', 'Nope', 5000),
  ]);
  assert.deepEqual(names(index.search('rail', 10)), ['rail', 'rail-signals', 'big-rail', 'xrailx', 'rxaxixlmod']);
  // A full list has no room for subsequences.
  assert.deepEqual(names(index.search('rail', 4)), ['rail', 'rail-signals', 'big-rail', 'xrailx']);
});

test('the score is the match weight plus popularity', () => {
  const index = new ModIndex([mod('belt-a', 'A', 999)]);
  const [hit] = index.search('belt', 1);
  assert.ok(hit);
  assert.ok(Math.abs(hit.score - (3 + 0.25 + popularity(999))) < 1e-9, String(hit.score));
});

test('downloads break ties on the same match, then the order of the list', () => {
  const index = new ModIndex([mod('belt-a', 'A', 10), mod('belt-b', 'B', 300), mod('belt-c', 'C', 20), mod('belt-d', 'D', 300)]);
  assert.deepEqual(names(index.search('belt', 10)), ['belt-b', 'belt-d', 'belt-c', 'belt-a']);
});

test('abbreviations, missing separators, words in any order and typos find the mod', () => {
  const index = new ModIndex([
    mod('LogisticTrainNetwork', 'LTN - Logistic Train Network', 1_300_000),
    mod('ltn-helper', 'Helper', 800),
    mod('Krastorio2', 'Krastorio 2', 736_127),
    mod('k2-tweaks', 'Tweaks', 500),
    mod('space-exploration', 'Space Exploration', 1_000_000),
    mod('SeaBlock', 'SeaBlock', 200_000),
    mod('EditorExtensions', 'Editor Extensions', 500_000),
    mod('factoryplanner', 'Factory Planner', 1_800_000),
    mod('Bottleneck', 'Bottleneck', 1_500_000),
  ]);
  const first = (q: string): string | undefined => index.search(q, 5)[0]?.mod.name;
  assert.equal(first('ltn'), 'LogisticTrainNetwork');
  assert.equal(first('K2'), 'Krastorio2');
  assert.equal(first('se'), 'space-exploration');
  assert.equal(first('EE'), 'EditorExtensions');
  for (const q of ['spaceex', 'space ex', 'space_ex']) assert.equal(first(q), 'space-exploration', q);
  assert.equal(first('planner factory'), 'factoryplanner');
  assert.equal(first('bottlenek'), 'Bottleneck');
  assert.equal(first('factoryplaner'), 'factoryplanner');
});

test('matching ignores case and reports ranges in the original text', () => {
  const index = new ModIndex([mod('Mixed_Case-Mod', 'My Mixed CASE Mod', 5)]);
  const [hit] = index.search('CASE', 5);
  assert.ok(hit);
  assert.deepEqual(hit.nameMatches, [[6, 10]]);
  assert.equal(hit.mod.name.slice(6, 10), 'Case');
  assert.deepEqual(hit.titleMatches, [[9, 13]]);
  const [spaced] = new ModIndex([mod('space-exploration', 'Space Exploration', 1)]).search('space ex', 1);
  assert.deepEqual(spaced!.nameMatches, [[0, 5], [6, 8]]);
  const [initials] = new ModIndex([mod('LogisticTrainNetwork', 'x', 1)]).search('ltn', 1);
  assert.deepEqual(initials!.nameMatches, [[0, 1], [8, 9], [13, 14]]);
});

test('title-only matches and no-match', () => {
  const index = new ModIndex([mod('k2', 'Krastorio 2', 10), mod('other', 'Other', 20)]);
  const hits = index.search('krast', 5);
  assert.deepEqual(names(hits), ['k2']);
  assert.deepEqual(hits[0]!.nameMatches, []);
  assert.deepEqual(hits[0]!.titleMatches, [[0, 5]]);
  assert.deepEqual(index.search('zzzz', 5), []);
});

test('limit is respected, also when the lists stop early', () => {
  const mods: ModEntry[] = [];
  for (let i = 0; i < 500; i++) mods.push(mod(`alpha-${i}`, `Alpha ${i}`, i));
  mods.push(mod('xalpha', 'X', 1_000_000));
  const index = new ModIndex(mods);
  const hits = index.search('alpha', 7);
  assert.equal(hits.length, 7);
  // A substring with far more downloads than every prefix match comes first.
  assert.deepEqual(names(hits), ['xalpha', 'alpha-499', 'alpha-498', 'alpha-497', 'alpha-496', 'alpha-495', 'alpha-494']);
  assert.deepEqual(index.search('alpha', 0), []);
});

test('an exact name with no downloads is first even when prefix matches fill the limit', () => {
  const mods: ModEntry[] = [];
  for (let i = 0; i < 300; i++) mods.push(mod(`lib${i}`, 'L', 100_000 + i));
  mods.push(mod('lib', 'The lib', 0));
  mods.push(mod('Squeak Through', 'Squeak Through', 0));
  const index = new ModIndex(mods);
  assert.equal(index.search('lib', 3)[0]!.mod.name, 'lib');
  assert.equal(index.search('LIB', 3)[0]!.mod.name, 'lib');
  assert.equal(index.search('squeak-through', 3)[0]!.mod.name, 'Squeak Through');
});

test('empty or blank query gives the most downloaded mods', () => {
  const index = new ModIndex([mod('a-mod', 'A', 5), mod('b-mod', 'B', 50), mod('c-mod', 'C', 20)]);
  assert.deepEqual(names(index.search('', 2)), ['b-mod', 'c-mod']);
  assert.deepEqual(names(index.search('   ', 5)), ['b-mod', 'c-mod', 'a-mod']);
});

test('the index ranks exactly as the full scan (rankAll) on random data', () => {
  const rand = seeded(7);
  const syllables = ['ra', 'il', 'lo', 'gi', 'tr', 'ain', 'net', 'wo', 'rk', 'sp', 'ace', 'ex', 'be', 'lt', 'k', '2', 'se', 'a'];
  const seps = ['', '', '', '-', '_', ' '];
  const word = (): string => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
  const cap = (w: string): string => (rand() < 0.3 ? w[0]!.toUpperCase() + w.slice(1) : w);
  const text = (): string => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => cap(word())).join(seps[Math.floor(rand() * seps.length)]!);
  const mods: ModEntry[] = [];
  const seen = new Set<string>();
  while (mods.length < 2000) {
    const name = text();
    if (seen.has(name)) continue;
    seen.add(name);
    mods.push(mod(name, text(), Math.floor(10 ** (rand() * 6))));
  }
  const index = new ModIndex(mods);
  const all = index.all();
  const fields = (m: ModSummary): { name: string; title: string; downloads: number } => ({ name: m.name, title: m.title, downloads: m.downloads_count });
  const kinds = new Set<number>();
  for (let k = 0; k < 400; k++) {
    const pick = all[Math.floor(rand() * all.length)]!;
    const source = rand() < 0.5 ? pick.name : pick.title;
    const start = Math.floor(rand() * source.length);
    let q = rand() < 0.3 ? word() : source.slice(start, start + 1 + Math.floor(rand() * 8));
    if (rand() < 0.2 && q.length > 4) q = q.slice(0, 2) + q.slice(3); // a letter missing
    // Punctuation alone is a blank query (the most downloaded mods), which rankAll leaves out.
    if (!/[a-z0-9]/i.test(q)) continue;
    for (const limit of [1, 5, 20]) {
      const expected = rankAll(all, fields, q, limit);
      for (const e of expected) kinds.add(e.match.kind);
      assert.deepEqual(names(index.search(q, limit)), expected.map((e) => e.item.name), `query "${q}" limit ${limit}`);
    }
  }
  // The random queries exercise every kind of match.
  for (const kind of [MatchKind.exact, MatchKind.prefix, MatchKind.initials, MatchKind.words, MatchKind.substring, MatchKind.typo, MatchKind.subsequence]) {
    assert.ok(kinds.has(kind), `kind ${kind} exercised`);
  }
});

test('get is exact, findByNameInsensitive ignores case, all() lists every mod by downloads', () => {
  const index = new ModIndex([mod('Mixed_Case-Mod', 'M', 1), mod('other', 'O', 9)]);
  assert.equal(index.size, 2);
  assert.equal(index.get('Mixed_Case-Mod')?.name, 'Mixed_Case-Mod');
  assert.equal(index.get('mixed_case-mod'), undefined);
  assert.equal(index.findByNameInsensitive('MIXED_CASE-MOD')?.name, 'Mixed_Case-Mod');
  assert.equal(index.findByNameInsensitive('nope'), undefined);
  assert.deepEqual(index.all().map((m) => m.name), ['other', 'Mixed_Case-Mod']);
});

test('closest offers near names, nearest first unless far more downloaded', () => {
  const index = new ModIndex([
    mod('factorio-lib', 'Lib', 100),
    mod('factorio-lab', 'Lab', 5000),
    mod('factorio_lib', 'Lib 2', 1),
    mod('flib', 'Factorio Library', 1_000_000),
    mod('completely-different', 'X', 10),
  ]);
  assert.deepEqual(
    index.closest('factorio-lib', 3).map((m) => m.name),
    // factorio-lab is one edit away but 5,000 times as downloaded as factorio_lib.
    ['factorio-lib', 'factorio-lab', 'factorio_lib'],
  );
  assert.deepEqual(index.closest('factorio-lbi', 2).map((m) => m.name), ['factorio-lib', 'factorio-lab']);
  assert.deepEqual(index.closest('Factorio-Lib', 1).map((m) => m.name), ['factorio-lib']);
  assert.deepEqual(index.closest('zzzzzzzz', 3), []);
  // One more edit costs what a typo costs in search: a name 1,000 times as downloaded comes first.
  const popular = new ModIndex([mod('rail-tools', 'x', 100), mod('rail-tool', 'x', 200_000)]);
  assert.deepEqual(popular.closest('rail-tools', 2).map((m) => m.name), ['rail-tool', 'rail-tools']);
  assert.deepEqual(index.closest('', 3), []);
});

test('lowerKeepingLength keeps indices of characters whose lower case is longer', () => {
  const text = 'İstanbul Mod';
  const lower = lowerKeepingLength(text);
  assert.equal(lower.length, text.length);
  assert.equal(lower.slice(9), 'mod');
  const index = new ModIndex([mod('istanbul', text, 1)]);
  const hit = index.search('mod', 1)[0]!;
  assert.equal(text.slice(hit.titleMatches[0]![0], hit.titleMatches[0]![1]), 'Mod');
});

test('closest agrees with a brute-force edit distance on random names', () => {
  const rand = seeded(99);
  const letters = 'abcdeklmnorst-_ 12';
  const word = (n: number): string => Array.from({ length: n }, () => letters[Math.floor(rand() * letters.length)]).join('');
  const names = new Set<string>();
  while (names.size < 3000) names.add(word(2 + Math.floor(rand() * 12)));
  const mods = [...names].map((n, i) => mod(n, `T ${i}`, Math.floor(rand() * 100)));
  const index = new ModIndex(mods);
  const loose = (s: string): string => s.toLowerCase().replace(/[ _]/g, '-');
  // Optimal string alignment distance, written plainly.
  const osa = (a: string, b: string): number => {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
    return d[a.length]![b.length]!;
  };
  const byDownloads = index.all();
  for (let k = 0; k < 60; k++) {
    const base = byDownloads[Math.floor(rand() * byDownloads.length)]!.name;
    // A typo or two: replace, drop, swap, or turn a dash into a space.
    let target = base.split('');
    for (let e = 0; e < 1 + (k % 2); e++) {
      const at = Math.floor(rand() * target.length);
      const op = Math.floor(rand() * 4);
      if (op === 0) target[at] = letters[Math.floor(rand() * letters.length)]!;
      else if (op === 1 && target.length > 2) target.splice(at, 1);
      else if (op === 2 && at + 1 < target.length) [target[at], target[at + 1]] = [target[at + 1]!, target[at]!];
      else target = target.map((c) => (c === '-' ? ' ' : c));
    }
    const query = target.join('').trim();
    if (query === '') continue;
    const max = query.length <= 4 ? 1 : query.length <= 9 ? 2 : 3;
    const expected = byDownloads
      .map((m, rank) => ({ m, rank, d: osa(loose(query), loose(m.name)) }))
      .filter((x) => x.d <= max)
      .sort((a, b) => popularity(b.m.downloads_count) - 2.5 * b.d - (popularity(a.m.downloads_count) - 2.5 * a.d) || a.rank - b.rank)
      .slice(0, 5)
      .map((x) => x.m.name);
    assert.deepEqual(index.closest(query, 5).map((m) => m.name), expected, `closest to "${query}"`);
  }
});


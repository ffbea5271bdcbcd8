import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MatchTier, ModIndex, lowerKeepingLength } from '../../../src/portal/modList/search';
import type { ModEntry } from '../../../src/portal/types';
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

test('exact beats prefix beats word start beats substring beats subsequence', () => {
  const index = new ModIndex([
    mod('xrailx', 'Unrelated', 900), // substring
    mod('rail-signals', 'Signals', 50), // prefix
    mod('big-rail', 'Big', 800), // word start
    mod('rail', 'The Rail', 1), // exact, fewest downloads
    mod('r-a-i-l-mod', 'Spread', 1000), // subsequence only
    mod('nothing', 'Nope', 5000),
  ]);
  const hits = index.search('rail', 10);
  assert.deepEqual(names(hits), ['rail', 'rail-signals', 'big-rail', 'xrailx', 'r-a-i-l-mod']);
  assert.equal(hits[0]!.score, MatchTier.exactName);
  assert.equal(hits[1]!.score, MatchTier.prefixName);
  assert.equal(hits[2]!.score, MatchTier.wordStartName);
  assert.equal(hits[3]!.score, MatchTier.substringName);
  assert.equal(hits[4]!.score, MatchTier.subsequenceName);
});

test('downloads break ties within one quality, then the order of the list', () => {
  const index = new ModIndex([
    mod('belt-a', 'A', 10),
    mod('belt-b', 'B', 300),
    mod('belt-c', 'C', 20),
    mod('belt-d', 'D', 300),
  ]);
  assert.deepEqual(names(index.search('belt', 10)), ['belt-b', 'belt-d', 'belt-c', 'belt-a']);
});

test('a name match beats a title match of the same quality, and quality beats field', () => {
  const index = new ModIndex([
    mod('something', 'Trains Extended', 10_000), // title prefix
    mod('trains-plus', 'Plus', 1), // name prefix
    mod('tra-x', 'Big Trains', 50_000), // title word start
    mod('Trains', 'Whatever', 2), // exact name, case-insensitive
    mod('tr-world', 'Trains', 3), // exact title
  ]);
  const hits = index.search('trains', 10);
  assert.deepEqual(names(hits), ['Trains', 'tr-world', 'trains-plus', 'something', 'tra-x']);
  assert.deepEqual(
    hits.map((h) => h.score),
    [MatchTier.exactName, MatchTier.exactTitle, MatchTier.prefixName, MatchTier.prefixTitle, MatchTier.wordStartTitle],
  );
});

test('matching ignores case and reports ranges in the original text', () => {
  const index = new ModIndex([mod('Mixed_Case-Mod', 'My Mixed CASE Mod', 5)]);
  const [hit] = index.search('CASE', 5);
  assert.ok(hit);
  assert.equal(hit.score, MatchTier.wordStartName);
  assert.deepEqual(hit.nameMatches, [[6, 10]]);
  assert.equal(hit.mod.name.slice(6, 10), 'Case');
  assert.deepEqual(hit.titleMatches, [[9, 13]]);
});

test('word starts include camelCase and letter/digit steps; the word-start occurrence is the one highlighted', () => {
  const index = new ModIndex([
    mod('RailLogistics', 'x', 1),
    mod('Krastorio2', 'y', 1),
    mod('dialogs', 'z', 100),
  ]);
  const hits = index.search('log', 10);
  assert.deepEqual(names(hits), ['RailLogistics', 'dialogs']);
  assert.equal(hits[0]!.score, MatchTier.wordStartName);
  assert.equal(hits[1]!.score, MatchTier.substringName);
  assert.equal(index.search('2', 5)[0]!.score, MatchTier.wordStartName);
  const twice = new ModIndex([mod('blogger-log', 't', 1)]);
  assert.deepEqual(twice.search('log', 1)[0]!.nameMatches, [[8, 11]]);
});

test('subsequence matches give merged ranges', () => {
  const index = new ModIndex([mod('factorio-lib', 'Factorio Library', 1)]);
  const [hit] = index.search('flib', 1);
  assert.ok(hit);
  assert.equal(hit.score, MatchTier.subsequenceName);
  assert.deepEqual(hit.nameMatches, [[0, 1], [9, 12]]);
  assert.deepEqual(hit.titleMatches, [[0, 1], [9, 12]]);
});

test('title-only matches and no-match', () => {
  const index = new ModIndex([mod('k2', 'Krastorio 2', 10), mod('other', 'Other', 20)]);
  const hits = index.search('krast', 5);
  assert.deepEqual(names(hits), ['k2']);
  assert.equal(hits[0]!.score, MatchTier.prefixTitle);
  assert.deepEqual(hits[0]!.nameMatches, []);
  assert.deepEqual(hits[0]!.titleMatches, [[0, 5]]);
  assert.deepEqual(index.search('zzzz', 5), []);
});

test('limit is respected, also when the scan stops early', () => {
  const mods: ModEntry[] = [];
  for (let i = 0; i < 500; i++) mods.push(mod(`alpha-${i}`, `Alpha ${i}`, i));
  mods.push(mod('xalpha', 'X', 1_000_000));
  const index = new ModIndex(mods);
  const hits = index.search('alpha', 7);
  assert.equal(hits.length, 7);
  assert.deepEqual(names(hits), ['alpha-499', 'alpha-498', 'alpha-497', 'alpha-496', 'alpha-495', 'alpha-494', 'alpha-493']);
  assert.deepEqual(index.search('alpha', 0), []);
  // The popular substring match still comes after every prefix match.
  assert.equal(index.search('alpha', 501)[500]!.mod.name, 'xalpha');
});

test('an exact match with few downloads is found even when prefix matches fill the limit', () => {
  const mods: ModEntry[] = [];
  for (let i = 0; i < 300; i++) mods.push(mod(`lib${i}`, 'L', 1000 + i));
  mods.push(mod('lib', 'The lib', 0));
  const index = new ModIndex(mods);
  assert.equal(index.search('lib', 3)[0]!.mod.name, 'lib');
  assert.equal(index.search('LIB', 3)[0]!.score, MatchTier.exactName);
});

test('empty or blank query gives the most downloaded mods', () => {
  const index = new ModIndex([mod('a-mod', 'A', 5), mod('b-mod', 'B', 50), mod('c-mod', 'C', 20)]);
  assert.deepEqual(names(index.search('', 2)), ['b-mod', 'c-mod']);
  assert.deepEqual(names(index.search('   ', 5)), ['b-mod', 'c-mod', 'a-mod']);
  assert.equal(index.search('', 1)[0]!.score, 0);
});

test('search agrees with a straightforward reference on random data', () => {
  const rand = seeded(7);
  const letters = 'abcdeilmnorst-_';
  const word = (n: number): string => Array.from({ length: n }, () => letters[Math.floor(rand() * letters.length)]).join('');
  const mods: ModEntry[] = [];
  for (let i = 0; i < 2000; i++) mods.push(mod(`${word(3 + Math.floor(rand() * 8))}${i}`, `${word(4)} ${word(5)}`, Math.floor(rand() * 1000)));
  const index = new ModIndex(mods);
  const reference = (q: string, limit: number): string[] => {
    const tierOf = (text: string, isName: boolean): number => {
      const lower = text.toLowerCase();
      const i = lower.indexOf(q);
      const base = isName ? 0 : -1;
      if (lower === q) return 10 + base;
      if (i === 0) return 8 + base;
      if (i > 0) {
        for (let j = i; j >= 0; j = lower.indexOf(q, j + 1)) if (!/[a-z0-9]/i.test(text[j - 1]!) || (/\d/.test(text[j - 1]!) !== /\d/.test(text[j]!))) return 6 + base;
        return 4 + base;
      }
      let k = 0;
      for (const ch of lower) if (ch === q[k]) k++;
      return k === q.length ? 2 + base : 0;
    };
    return mods
      .map((m) => ({ m, t: Math.max(tierOf(m.name, true), tierOf(m.title, false)) }))
      .filter((x) => x.t > 0)
      .sort((a, b) => b.t - a.t || b.m.downloads_count - a.m.downloads_count)
      .slice(0, limit)
      .map((x) => x.m.name);
  };
  for (const q of ['a', 'e', 'st', 'ml', 'ion', 'r-', 'de_', 'amo', 'tsrn', 'aeiou', 'o m', 'zz', '1', '12']) {
    for (const limit of [1, 5, 40]) {
      assert.deepEqual(names(index.search(q, limit)), reference(q, limit), `query "${q}" limit ${limit}`);
    }
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

test('closest offers near names, nearest first, then by downloads', () => {
  const index = new ModIndex([
    mod('factorio-lib', 'Lib', 100),
    mod('factorio-lab', 'Lab', 5000),
    mod('factorio_lib', 'Lib 2', 1),
    mod('flib', 'Factorio Library', 1_000_000),
    mod('completely-different', 'X', 10),
  ]);
  assert.deepEqual(
    index.closest('factorio-lib', 3).map((m) => m.name),
    ['factorio-lib', 'factorio_lib', 'factorio-lab'],
  );
  assert.deepEqual(index.closest('factorio-lbi', 2).map((m) => m.name), ['factorio-lib', 'factorio_lib']);
  assert.deepEqual(index.closest('Factorio-Lib', 1).map((m) => m.name), ['factorio-lib']);
  assert.deepEqual(index.closest('zzzzzzzz', 3), []);
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
      .sort((a, b) => a.d - b.d || a.rank - b.rank)
      .slice(0, 5)
      .map((x) => x.m.name);
    assert.deepEqual(index.closest(query, 5).map((m) => m.name), expected, `closest to "${query}"`);
  }
});

test('a query with a space finds old names with spaces and titles', () => {
  const index = new ModIndex([mod('Old Name Mod', 'Whatever', 1), mod('new-name', 'Name Mod Plus', 50)]);
  const hits = index.search('name mod', 5);
  assert.deepEqual(names(hits), ['new-name', 'Old Name Mod']);
  assert.deepEqual(
    hits.map((h) => h.score),
    [MatchTier.prefixTitle, MatchTier.wordStartName],
  );
  assert.deepEqual(hits[1]!.nameMatches, [[4, 12]]);
});

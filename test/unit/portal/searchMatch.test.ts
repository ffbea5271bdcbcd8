import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MatchKind,
  highlightRanges,
  matchField,
  prepareQuery,
  rankAll,
  withinOneEditOfStart,
} from '../../../src/portal/modList/searchMatch';

const kind = (text: string, query: string): MatchKind => matchField(text, prepareQuery(query)).kind;

type Mod = [name: string, title: string, downloads: number];
const rank = (mods: Mod[], query: string, limit = 10): string[] =>
  rankAll(mods, ([name, title, downloads]) => ({ name, title, downloads }), query, limit).map((r) => r.item[0]);

// ---- kinds of match ----

test('exact: the whole name, whatever the case and separators', () => {
  assert.equal(kind('space-exploration', 'space-exploration'), MatchKind.exact);
  assert.equal(kind('space-exploration', 'Space Exploration'), MatchKind.exact);
  assert.equal(kind('Squeak Through', 'squeakthrough'), MatchKind.exact);
  assert.equal(kind('Krastorio2', 'krastorio 2'), MatchKind.exact);
});

test('prefix: separators are equal, and absent separators too', () => {
  for (const q of ['spaceex', 'space ex', 'space_ex', 'space-ex', 'SPACE EX']) assert.equal(kind('space-exploration', q), MatchKind.prefix, q);
  assert.equal(kind('EditorExtensions', 'editor ext'), MatchKind.prefix);
  assert.equal(kind('RateCalculator', 'rate calc'), MatchKind.prefix);
});

test('initials: camelCase humps, digits, dashes, underscores and spaces start words', () => {
  assert.equal(kind('LogisticTrainNetwork', 'ltn'), MatchKind.initials);
  assert.equal(kind('LogisticTrainNetwork', 'LTN'), MatchKind.initials);
  assert.equal(kind('Krastorio2', 'k2'), MatchKind.initials);
  assert.equal(kind('space-exploration', 'se'), MatchKind.initials);
  assert.equal(kind('EditorExtensions', 'EE'), MatchKind.initials);
  assert.equal(kind('IndustrialRevolution3', 'ir3'), MatchKind.initials);
  assert.equal(kind('Factory Planner', 'fp'), MatchKind.initials);
  assert.equal(kind('alien_biomes_mod', 'abm'), MatchKind.initials);
  // The start of the initials is a weaker match of its own.
  assert.equal(kind('space-exploration-graphics', 'se'), MatchKind.initialsPrefix);
  // One letter is never an abbreviation: it is a prefix or nothing.
  assert.equal(kind('EditorExtensions', 'x'), MatchKind.substring);
});

test('words: every query word starts a different word, in any order', () => {
  assert.equal(kind('Factory Planner', 'planner factory'), MatchKind.words);
  assert.equal(kind('LTN - Logistic Train Network', 'train network logistic'), MatchKind.words);
  assert.equal(kind('QuickItemSearch', 'search quick'), MatchKind.words);
  assert.equal(kind('Factory Planner', 'plan'), MatchKind.words);
  // The same word cannot serve two query words.
  assert.equal(kind('Factory Planner', 'planner planner'), MatchKind.none);
  assert.equal(kind('Factory Planner', 'planner zebra'), MatchKind.none);
});

test('substring: anywhere, also across separators', () => {
  assert.equal(kind('xrailx', 'rail'), MatchKind.substring);
  assert.equal(kind('big-rail-yard', 'il-ya'), MatchKind.substring);
  assert.equal(kind('bigrailyard', 'il ya'), MatchKind.substring);
});

test('typo: one wrong, missing, extra or swapped letter, for 4 letters or more', () => {
  assert.equal(kind('Bottleneck', 'bottlenek'), MatchKind.typo); // missing
  assert.equal(kind('Krastorio2', 'krastrio'), MatchKind.typo); // missing, mid-name
  assert.equal(kind('LogisticTrainNetwork', 'logistics train network'), MatchKind.typo); // extra
  assert.equal(kind('even-distribution', 'even distrubution'), MatchKind.typo); // wrong
  assert.equal(kind('helmod', 'helmdo'), MatchKind.typo); // swapped
  assert.equal(kind('Nanobots', 'nanobtos'), MatchKind.typo); // swapped
  // Two edits are not one.
  assert.equal(kind('Bottleneck', 'botlenxk'), MatchKind.none);
  // Short queries get no tolerance: one edit of three letters is a third of them.
  assert.equal(kind('helmod', 'hlm'), MatchKind.subsequence);
  assert.equal(kind('abc-mod', 'abx'), MatchKind.none);
  // The first two letters must be right.
  assert.equal(kind('Bottleneck', 'vottleneck'), MatchKind.none);
  assert.equal(kind('Bottleneck', 'bpttleneck'), MatchKind.none);
});

test('withinOneEditOfStart is a bounded prefix edit distance', () => {
  assert.equal(withinOneEditOfStart('factorissimo2', 'factorisimo'), true);
  assert.equal(withinOneEditOfStart('factorissimo2', 'factorissimmo'), true);
  assert.equal(withinOneEditOfStart('factorissimo2', 'factorsimo'), false);
  assert.equal(withinOneEditOfStart('ab', 'abcd'), false);
  assert.equal(withinOneEditOfStart('Squeak Through', 'squeaktrough'), true);
});

test('subsequence: letters in order, as a last resort', () => {
  assert.equal(kind('rxaxixlmod', 'rail'), MatchKind.subsequence);
  assert.equal(kind('nothing', 'rail'), MatchKind.none);
});

test('highlight ranges fit the original text for each kind', () => {
  const ranges = (text: string, q: string): string[] => highlightRanges(text, prepareQuery(q)).map(([s, e]) => text.slice(s, e));
  assert.deepEqual(ranges('space-exploration', 'space ex'), ['space', 'ex']);
  assert.deepEqual(ranges('LogisticTrainNetwork', 'ltn'), ['L', 'T', 'N']);
  assert.deepEqual(ranges('Factory Planner', 'planner fac'), ['Fac', 'Planner']);
  assert.deepEqual(ranges('xrailx', 'rail'), ['rail']);
  assert.deepEqual(ranges('rxaxixl', 'rail'), ['r', 'a', 'i', 'l']);
});

// ---- ranking rules: each test fails when its rule is taken out ----

test('rule: an exact name is first, whatever the downloads', () => {
  assert.deepEqual(rank([['rail-signals', 'Rail Signals', 9_000_000], ['rail', 'Rail', 0]], 'rail')[0], 'rail');
  assert.deepEqual(rank([['space-exploration-graphics', 'x', 9_000_000], ['space-exploration', 'x', 1]], 'space exploration')[0], 'space-exploration');
});

test('rule: among exact names, the one typed with the same separators and case first', () => {
  const mods: Mod[] = [['foo_bar', 'x', 100], ['foo-bar', 'x', 100], ['Foo-Bar', 'x', 100]];
  assert.deepEqual(rank(mods, 'Foo-Bar'), ['Foo-Bar', 'foo-bar', 'foo_bar']);
});

test('rule: downloads weigh in: a popular mod by its abbreviation beats an obscure mod starting so', () => {
  const mods: Mod[] = [['ltn-helper', 'LTN Helper', 800], ['LogisticTrainNetwork', 'LTN - Logistic Train Network', 1_300_000]];
  assert.deepEqual(rank(mods, 'ltn')[0], 'LogisticTrainNetwork');
  const k2: Mod[] = [['k2-tweaks', 'Tweaks', 500], ['Krastorio2', 'Krastorio 2', 736_127]];
  assert.deepEqual(rank(k2, 'k2')[0], 'Krastorio2');
});

test('rule: on the same match, more downloads first, then the order given', () => {
  assert.deepEqual(rank([['rail-a', 'x', 10], ['rail-b', 'x', 1000], ['rail-c', 'x', 10]], 'rail'), ['rail-b', 'rail-a', 'rail-c']);
});

test('rule: a name match beats the same match in the title', () => {
  assert.deepEqual(rank([['other', 'Rail Things', 100], ['rail-things', 'Other', 100]], 'rail'), ['rail-things', 'other']);
});

test('rule: whole initials beat a short prefix that stops inside a word', () => {
  assert.deepEqual(rank([['SeaBlock', 'SeaBlock', 100], ['space-exploration', 'Space Exploration', 100]], 'se'), ['space-exploration', 'SeaBlock']);
});

test('rule: words covering the whole title beat words covering part of it', () => {
  const mods: Mod[] = [['stdlib', 'Factorio Standard Library', 100], ['flib', 'Factorio Library', 100]];
  assert.deepEqual(rank(mods, 'library factorio'), ['flib', 'stdlib']);
});

test('rule: kinds in order on equal downloads: prefix, words, initials start, substring, typo, subsequence', () => {
  const mods: Mod[] = [
    ['m-subsequence', 'pxlxaxnxext', 100],
    ['m-typo', 'Plamet Rocks', 100],
    ['m-substring', 'Xplanetx', 100],
    ['m-initials-start', 'Pretty Large Awesome Neat Extra Tall Rocks', 100],
    ['m-words', 'Big Planet', 100],
    ['m-prefix', 'Planetary', 100],
  ];
  assert.deepEqual(rank(mods, 'planet'), ['m-prefix', 'm-words', 'm-initials-start', 'm-substring', 'm-typo', 'm-subsequence']);
});

test('rule: a typo ranks below the correctly typed match unless far more popular', () => {
  assert.deepEqual(rank([['bottlenek-fix', 'x', 100], ['Bottleneck', 'x', 100]], 'bottlenek'), ['bottlenek-fix', 'Bottleneck']);
  assert.deepEqual(rank([['bottleneck-fix', 'x', 100], ['bottlenekc', 'x', 100]], 'bottleneck'), ['bottleneck-fix', 'bottlenekc']);
  // A hundred times the downloads make up for one letter.
  assert.deepEqual(rank([['Bottlenek-lite', 'x', 100], ['Bottleneck', 'x', 1_000_000]], 'bottlenek'), ['Bottleneck', 'Bottlenek-lite']);
});

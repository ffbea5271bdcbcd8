// Finding the best-scored mods (searchMatch.ts) without scoring all of them. Mods are
// kept most downloaded first, and a score is a match weight plus popularity, so in any
// list of candidates (in rank order) the score a later mod can reach only falls: each
// candidate list is read until even its best possible match could not enter the top
// `limit` (a threshold stop). Each list is there for the kinds of match it can hold:
// - a name or title that starts with the query's first two letters: exact, prefix, typo
//   (the first two letters must be right);
// - a name or title whose first two initials are the query's first two letters;
// - a word start inside a name or title with the rarest query word's first letters: the
//   other word matches;
// - every character pair of the query: substrings;
// - every mod, last, for subsequences, when the list is still short.
// A character mask turns away most candidates before any text is read.

import { PostingKind, type Postings, leadingKey, pairKey } from './postings';
import {
  COVERAGE_BONUS,
  KIND_WEIGHT,
  MatchKind,
  NAME_BONUS,
  holdsEveryWord,
  includesLower,
  isFoldedSubsequence,
  matchScratch,
  mayMatchAtStart,
  mayMatchInitials,
  TYPO_MIN_LENGTH,
  scoreMod,
  type Query,
} from './searchMatch';
import * as text from './searchText';

const charClass = text.charClass;
const maskOf = text.maskOf;
const popcount = text.popcount;

/** What the search reads of an index, by rank (most downloaded first). */
export interface Searchable {
  readonly size: number;
  readonly names: readonly string[];
  readonly titles: readonly string[];
  readonly downloads: ArrayLike<number>;
  readonly postings: Postings;
  /** Character masks of the name, and of name and title together. */
  readonly nameMasks: Int32Array;
  readonly textMasks: Int32Array;
  /** Ranks whose name is the folded query (case and separators aside), ascending. */
  exactNames(folded: string): readonly number[];
  /**
   * One byte per mod, all zero between searches: which mods a search has looked at.
   * Kept by the index, since a fresh array per keystroke keeps the collector busy.
   */
  readonly seen: Uint8Array;
}

export interface Scored {
  rank: number;
  score: number;
}

/** The best `limit` so far, best first; on equal scores the lower rank first. */
class Best {
  readonly items: Scored[] = [];
  constructor(readonly limit: number) {}

  get full(): boolean {
    return this.items.length >= this.limit;
  }

  /** The score to beat once full. */
  get floor(): number {
    return this.full ? this.items[this.items.length - 1]!.score : -Infinity;
  }

  private cachedFloor = NaN;
  private cachedCeiling = NaN;
  private cachedDownloads = -1;

  /**
   * Below how many downloads a mod cannot enter even with a match worth `ceiling`
   * (-1 while not full): compared with downloads, so the lists need no logarithm per mod.
   */
  downloadsFloor(ceiling: number): number {
    if (!this.full) return -1;
    const floor = this.floor;
    if (floor !== this.cachedFloor || ceiling !== this.cachedCeiling) {
      this.cachedFloor = floor;
      this.cachedCeiling = ceiling;
      // popularity(d) = log10(d + 1) for d > 0: ceiling + popularity(d) < floor ⇔ d < 10^(floor − ceiling) − 1.
      this.cachedDownloads = Math.pow(10, floor - ceiling) - 1;
    }
    return this.cachedDownloads;
  }

  /**
   * The last rank (of `downloads`, most first) that can still enter with a match worth
   * `ceiling`: lists in rank order need not be read past it. The floor only rises, so
   * this holds for the rest of the search.
   */
  lastRank(downloads: ArrayLike<number>, ceiling: number): number {
    const least = this.downloadsFloor(ceiling);
    let lo = 0;
    let hi = downloads.length;
    // The first rank below `least`.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (downloads[mid]! < least) hi = mid;
      else lo = mid + 1;
    }
    return lo - 1;
  }

  add(rank: number, score: number): void {
    const items = this.items;
    if (this.full) {
      const last = items[items.length - 1]!;
      if (score < last.score || (score === last.score && rank > last.rank)) return;
    }
    let at = items.length;
    while (at > 0 && (items[at - 1]!.score < score || (items[at - 1]!.score === score && items[at - 1]!.rank > rank))) at--;
    items.splice(at, 0, { rank, score });
    if (items.length > this.limit) items.pop();
  }
}

/**
 * The most a match of these kinds can add to a mod's popularity. Each list only needs
 * the ceiling of the kinds it is read for: a mod's other matches come from other lists,
 * each read as far as its own ceiling demands.
 */
/** A name that starts with the query (or one edit from it); an exact name comes from exactNames. */
const NAME_START_MAX = KIND_WEIGHT[MatchKind.prefix] + NAME_BONUS;
/** A title that starts with the query; a title equal to it counts as a strong prefix (matchWeight). */
const TITLE_START_MAX = KIND_WEIGHT[MatchKind.prefix] + COVERAGE_BONUS;
const NAME_INITIALS_MAX = KIND_WEIGHT[MatchKind.initials] + NAME_BONUS;
const TITLE_INITIALS_MAX = KIND_WEIGHT[MatchKind.initials];
const WORDS_MAX = KIND_WEIGHT[MatchKind.words] + NAME_BONUS + COVERAGE_BONUS;
/**
 * One query word matched as a word starts a later word of the field (at its first word
 * it is a prefix), so it covers at most half of the field's words.
 */
const ONE_WORD_NAME_MAX = KIND_WEIGHT[MatchKind.words] + NAME_BONUS + COVERAGE_BONUS / 2;
const ONE_WORD_TITLE_MAX = KIND_WEIGHT[MatchKind.words] + COVERAGE_BONUS / 2;
const SUBSTRING_MAX = KIND_WEIGHT[MatchKind.substring] + NAME_BONUS;
const SUBSEQUENCE_MAX = KIND_WEIGHT[MatchKind.subsequence] + NAME_BONUS;

export function collectBest(source: Searchable, query: Query, limit: number): Scored[] {
  const folded = query.folded;
  const best = new Best(limit);
  if (folded === '' || limit <= 0 || source.size === 0) return best.items;
  const seen = source.seen;
  const touched: number[] = [];
  try {
    collect(source, query, best, seen, touched);
  } finally {
    for (const r of touched) seen[r] = 0;
  }
  return best.items;
}

function collect(source: Searchable, query: Query, best: Best, seen: Uint8Array, touched: number[]): void {
  const folded = query.folded;
  const { names, titles, downloads, postings, textMasks, nameMasks } = source;
  const scratch = matchScratch();
  const qMask = maskOf(folded);
  // A typo may bring one character the mod does not have; nothing else may.
  const missing = folded.length >= TYPO_MIN_LENGTH ? 1 : 0;

  // Subsequences wait for the last stage (they only fill a short list).
  let subsequences = false;
  const consider = (r: number): void => {
    if ((seen[r]! & SEEN) !== 0) return;
    if (popcount(qMask & ~textMasks[r]!) > missing) return;
    const m = scoreMod(names[r]!, titles[r]!, downloads[r]!, query, scratch);
    if (m && m.kind === MatchKind.subsequence && !subsequences) return;
    if (seen[r] === 0) touched.push(r);
    seen[r]! |= SEEN;
    if (m) best.add(r, m.score);
  };
  /**
   * Reads a list in rank order until no later mod can make the top `limit`, scoring the
   * mods that pass `maybe` (the kinds the list is there for; the mod's other matches
   * come from the other lists).
   */
  const read = (kind: PostingKind, key: number, ceiling: number, maybe: (r: number) => boolean, tolerance = 0): void => {
    postings.each(kind, key, (r) => {
      if (downloads[r]! < best.downloadsFloor(ceiling)) return true;
      if ((seen[r]! & SEEN) === 0 && fits(textMasks[r]!, tolerance) && maybe(r)) consider(r);
      return false;
    });
  };
  // The name's own mask turns away most mods of a name list before its text is read.
  // Only a typo (read from the lists of first letters) may bring a character the mod lacks.
  const fits = (mask: number, tolerance: number): boolean => (tolerance === 0 ? (qMask & ~mask) === 0 : popcount(qMask & ~mask) <= tolerance);
  const nameHas = (r: number, tolerance = 0): boolean => fits(nameMasks[r]!, tolerance);
  const nameStarts = (r: number): boolean => nameHas(r, missing) && mayMatchAtStart(names[r]!, query, scratch);
  const titleStarts = (r: number): boolean => mayMatchAtStart(titles[r]!, query, scratch);
  const nameInitials = (r: number): boolean => nameHas(r) && mayMatchInitials(names[r]!, query, scratch);
  const titleInitials = (r: number): boolean => mayMatchInitials(titles[r]!, query, scratch);
  const holdsWords = (r: number): boolean => (nameHas(r) && holdsEveryWord(names[r]!, query)) || holdsEveryWord(titles[r]!, query);

  for (const r of source.exactNames(folded)) consider(r);

  // Prefixes and typos keep the first two letters; initials have lists of their own.
  const startKey = leadingKey(folded);
  read(PostingKind.nameStart, startKey, NAME_START_MAX, nameStarts, missing);
  read(PostingKind.titleStart, startKey, TITLE_START_MAX, titleStarts, missing);
  if (folded.length >= 2) {
    read(PostingKind.nameInitials, startKey, NAME_INITIALS_MAX, nameInitials);
    read(PostingKind.titleInitials, startKey, TITLE_INITIALS_MAX, titleInitials);
  }

  // Word matches. One word: it starts a later word of the field (at the start it is a
  // prefix, read above). Several: each starts some word, so a match is in the lists of
  // every word; their intersection is far smaller than any one.
  if (query.words.length === 1) {
    const wordKey = leadingKey(query.words[0]!);
    read(PostingKind.nameWord, wordKey, ONE_WORD_NAME_MAX, holdsWords);
    read(PostingKind.titleWord, wordKey, ONE_WORD_TITLE_MAX, holdsWords);
  } else {
    readRanks(wordCandidates(postings, query.words, seen, touched, best.lastRank(downloads, WORDS_MAX)), source, best, WORDS_MAX, (r) => {
      if (fits(textMasks[r]!, 0) && holdsWords(r)) consider(r);
    });
  }

  if (folded.length === 1) {
    readAll(source, best, SUBSTRING_MAX, (r) => (textMasks[r]! & qMask) !== 0, consider);
    return;
  }
  // The pair lists are read for substrings alone: most of their mods hold the pairs
  // apart, and a substring test is far cheaper than scoring them.
  const holding = (needle: string) => (r: number): void => {
    if ((nameHas(r) && includesLower(names[r]!, needle)) || includesLower(titles[r]!, needle)) consider(r);
  };
  readRanks(pairCandidates(postings, folded, best.lastRank(downloads, SUBSTRING_MAX)), source, best, SUBSTRING_MAX, holding(folded));
  if (query.lower !== folded && query.lower.length > 1) readRanks(pairCandidates(postings, query.lower, best.lastRank(downloads, SUBSTRING_MAX)), source, best, SUBSTRING_MAX, holding(query.lower));

  if (best.full) return;
  // Subsequences only fill a list the other kinds leave short (as rankAll defines). Most
  // mods hold the letters of a common word somewhere: the plain test comes first.
  subsequences = true;
  scanSubsequences(source, folded, qMask, best, consider);
}

/**
 * Every mod not yet scored, in rank order, whose letters hold the query's in order. A
 * function of its own, with its bounds hoisted: it may run over all 50,000 mods.
 */
function scanSubsequences(source: Searchable, folded: string, qMask: number, best: Best, consider: (r: number) => void): void {
  const { names, titles, downloads, textMasks, nameMasks, seen } = source;
  const n = source.size;
  for (let r = 0; r < n; r++) {
    if ((textMasks[r]! & qMask) !== qMask || (seen[r]! & SEEN) !== 0) continue;
    if (best.full && downloads[r]! < best.downloadsFloor(SUBSEQUENCE_MAX)) break;
    // A name that lacks one of the letters is not read.
    const inName = (nameMasks[r]! & qMask) === qMask && isFoldedSubsequence(names[r]!, folded);
    if (inName || isFoldedSubsequence(titles[r]!, folded)) consider(r);
  }
}

function readRanks(ranks: Int32Array, source: Searchable, best: Best, ceiling: number, consider: (r: number) => void): void {
  const downloads = source.downloads;
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i]!;
    if (downloads[r]! < best.downloadsFloor(ceiling)) return;
    consider(r);
  }
}

function readAll(source: Searchable, best: Best, ceiling: number, maybe: (r: number) => boolean, consider: (r: number) => void): void {
  const downloads = source.downloads;
  const n = source.size;
  for (let r = 0; r < n; r++) {
    if (downloads[r]! < best.downloadsFloor(ceiling)) return;
    if (maybe(r)) consider(r);
  }
}

/** In `seen`: the mod has been scored. The other bits mark the query words whose word-start lists hold it. */
const SEEN = 1;
const WORD_KINDS = [PostingKind.nameStart, PostingKind.titleStart, PostingKind.nameWord, PostingKind.titleWord];

/**
 * Mods in the word-start lists of every query word (up to seven: the bits of `seen`
 * left), in rank order. Marks made here are undone with the rest (`touched`).
 */
function wordCandidates(postings: Postings, words: readonly string[], seen: Uint8Array, touched: number[], last: number): Int32Array {
  const distinct = [...new Set(words)].slice(0, 7);
  let all = 0;
  let first = true;
  const found: number[] = [];
  distinct.forEach((w, i) => {
    const bit = 2 << i;
    all |= bit;
    const key = leadingKey(w);
    for (const kind of WORD_KINDS) {
      postings.each(kind, key, (r) => {
        if (r > last) return true;
        const marks = seen[r]!;
        if (first) {
          if (marks === 0) touched.push(r);
          if ((marks & bit) === 0) found.push(r);
        } else if ((marks & 2) === 0) {
          // Not in the first word's lists: no match, and left unmarked (nothing to undo).
          return false;
        }
        seen[r] = marks | bit;
        return false;
      });
    }
    first = false;
  });
  const out: number[] = [];
  for (const r of found) if ((seen[r]! & all) === all) out.push(r);
  return Int32Array.from(out).sort();
}

/** The distinct character pairs of a text, as keys of the pair lists. */
export function pairKeysOf(text: string): Set<number> {
  const keys = new Set<number>();
  let prev = charClass(text.charCodeAt(0));
  for (let i = 1; i < text.length; i++) {
    const cur = charClass(text.charCodeAt(i));
    keys.add(pairKey(prev, cur));
    prev = cur;
  }
  return keys;
}

/**
 * Mods up to rank `last` holding every one of the text's rarest three character pairs
 * (anywhere), in rank order: the intersection is usually far smaller than any one list.
 */
export function pairCandidates(postings: Postings, q: string, last: number): Int32Array {
  const keys = pairKeysOf(q);
  const lists = [...keys].sort((a, b) => postings.size(PostingKind.anyPair, a) - postings.size(PostingKind.anyPair, b));
  let result = postings.ranks(PostingKind.anyPair, lists[0]!, last);
  for (const key of lists.slice(1, 3)) {
    if (result.length === 0) break;
    result = intersect(postings, result, key);
  }
  return result;
}

/** The ranks of `small` (ascending) that the pair list `key` holds too: one pass through the list. */
function intersect(postings: Postings, small: Int32Array, key: number): Int32Array {
  const out = new Int32Array(small.length);
  let count = 0;
  let i = 0;
  postings.each(PostingKind.anyPair, key, (r) => {
    while (i < small.length && small[i]! < r) i++;
    if (i >= small.length) return true;
    if (small[i] === r) out[count++] = r;
    return false;
  });
  return out.subarray(0, count);
}

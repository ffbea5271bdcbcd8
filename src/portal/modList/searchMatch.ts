// How a query matches one mod, and what that match is worth. Pure and index-free: the
// index (search.ts) only decides which mods are worth asking about.
//
// People type mods the way they talk about them: `ltn` for LogisticTrainNetwork, `k2`
// for Krastorio2, `space ex` or `spaceex` for space-exploration, `planner factory`, and
// with a letter wrong. So a query matches a name or a title in one of these ways, best
// first (MatchKind):
// - exact: the whole name, ignoring case and separators;
// - prefix: the start of the name or title, ignoring case and separators;
// - initials: the first letters of its words (camelCase humps, digits, dashes,
//   underscores and spaces all start a word), whole or their start;
// - words: every word of the query starts a different word of the name or title, in any
//   order;
// - substring: anywhere in the name or title (as typed, or without its separators);
// - typo: one edit (a wrong, missing, extra or swapped letter) away from the start of the
//   name or title, for queries of 4 letters or more that get the first two letters right;
// - subsequence: the query's letters in order, anywhere; only offered when the other
//   kinds leave the list short.

/** Match kinds, best last. */
export const MatchKind = {
  none: 0,
  subsequence: 1,
  typo: 2,
  substring: 3,
  initialsPrefix: 4,
  words: 5,
  prefix: 6,
  initials: 7,
  exact: 8,
} as const;
export type MatchKind = (typeof MatchKind)[keyof typeof MatchKind];

/**
 * What each kind of match is worth, in the unit of popularity: one point is a tenfold
 * difference in downloads (popularity is log10 of downloads, see `popularity`). So a
 * weight gap of 2 between two kinds means the weaker match needs a hundred times the
 * downloads to come first. The values come from what people mean on the real names of
 * test/fixtures/search (the bench section `search-quality` measures them):
 * - prefix and whole initials are worth the same: `se` is as much space-exploration
 *   (initials) as SeaBlock (prefix), and downloads decide, as a person would;
 * - a word match (`planner factory`) is one step below: any-order words are weaker
 *   evidence than the start of the name;
 * - initials that only start (`ltnm` of LtnManager… or `se` of
 *   space-exploration-graphics) are half a step below words;
 * - a substring is two steps below a prefix: `ore` inside `core-mining` means little;
 * - a typo is below every exact kind, so a correctly typed match with a tenth of the
 *   downloads still wins, but a popular mod beats an obscure near-miss prefix;
 * - a subsequence is only there when nothing else is: four steps below a prefix.
 * A name match is worth a quarter step more than the same match in the title (a name is
 * what goes in info.json). An exact name is always first (EXACT_NAME dwarfs popularity).
 */
export const KIND_WEIGHT: Readonly<Record<MatchKind, number>> = {
  [MatchKind.none]: -Infinity,
  [MatchKind.subsequence]: -1,
  [MatchKind.typo]: 0.5,
  [MatchKind.substring]: 1,
  [MatchKind.initialsPrefix]: 1.5,
  [MatchKind.words]: 2,
  [MatchKind.prefix]: 3,
  [MatchKind.initials]: 3,
  [MatchKind.exact]: 1000,
};
export const NAME_BONUS = 0.25;
/**
 * Queries shorter than this are mostly abbreviations: their whole initials (`se` of
 * space-exploration) are far rarer among names than their first letters, so a prefix
 * that ends inside a word (`se` of SeaBlock) is worth half a step less.
 */
export const SHORT_QUERY = 4;
export const SHORT_PREFIX_PENALTY = 0.5;
/**
 * For word matches, up to this much more when the query's words cover all of the
 * field's words: `library factorio` is all of "Factorio Library" but only part of
 * "Factorio Standard Library".
 */
export const COVERAGE_BONUS = 0.5;
/** On top of an exact match, for the same separators and then the same case as typed: `Foo` before `foo` when `Foo` is typed. */
export const CASE_BONUS = 1;

/** Popularity on a log scale: 0 for no downloads, 6 for a million. */
export function popularity(downloads: number): number {
  return downloads > 0 ? Math.log10(downloads + 1) : 0;
}

/** A query, taken apart once per search. */
export interface Query {
  /** As typed, trimmed. */
  text: string;
  /** Lower case, as typed (trimmed). */
  lower: string;
  /** Lower case letters and digits only: separators and punctuation dropped. */
  folded: string;
  /** The query's words, lower case, letters and digits only. */
  words: string[];
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
/** Letters and digits, and anything beyond ASCII (accented letters, CJK): never a separator. */
export function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || isUpper(code) || isDigit(code) || code > 127;
}
function lowerCode(code: number): number {
  return isUpper(code) ? code + 32 : code;
}

/** Whether a word starts at `i` of `text` (original case): after a separator, at a lower→Upper step, where letters and digits meet. */
function wordStartAt(text: string, i: number): boolean {
  const cur = text.charCodeAt(i);
  if (!isWordChar(cur)) return false;
  if (i === 0) return true;
  const prev = text.charCodeAt(i - 1);
  if (!isWordChar(prev)) return true;
  if (isUpper(cur) && !isUpper(prev)) return true;
  return isDigit(prev) !== isDigit(cur);
}

const NOT_WORD = /[^a-z0-9\u0080-\uffff]+/g;
const ASCII_UPPER = /[A-Z]/;

/** Lower case letters and digits only: how names are compared when case and separators do not count. */
export function foldText(raw: string): string {
  // Lower case ASCII only, as lowerCode: a name's non-ASCII letters are compared as they are.
  const lower = ASCII_UPPER.test(raw) ? raw.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32)) : raw;
  return lower.replace(NOT_WORD, '');
}

export function prepareQuery(raw: string): Query {
  const text = raw.trim();
  const lower = text.toLowerCase();
  let folded = '';
  const words: string[] = [];
  let word = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isWordChar(code)) continue;
    if (wordStartAt(text, i) && word !== '') {
      words.push(word);
      word = '';
    }
    const c = String.fromCharCode(lowerCode(code));
    folded += c;
    word += c;
  }
  if (word !== '') words.push(word);
  return { text, lower, folded, words };
}

/**
 * How far `folded` runs along `text` from `from` with separators skipped and case
 * ignored: the index in `text` just past the last matched character, or -1.
 */
function foldedPrefixEnd(text: string, from: number, folded: string): number {
  let i = from;
  for (let j = 0; j < folded.length; j++) {
    while (i < text.length && !isWordChar(text.charCodeAt(i))) i++;
    if (i >= text.length || lowerCode(text.charCodeAt(i)) !== folded.charCodeAt(j)) return -1;
    i++;
  }
  return i;
}

/** Whether `text` holds nothing but `folded` (separators and case aside). */
function foldedEquals(text: string, folded: string): boolean {
  const end = foldedPrefixEnd(text, 0, folded);
  if (end < 0) return false;
  for (let i = end; i < text.length; i++) if (isWordChar(text.charCodeAt(i))) return false;
  return true;
}

/** The field's first letter or digit, lower case; -1 when it has none. */
function firstLetter(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isWordChar(code)) return lowerCode(code);
  }
  return -1;
}

/** Where the field's words start, into `starts`; how many (at most its length). */
function wordStarts(text: string, starts: Int32Array): number {
  let n = 0;
  for (let i = 0; i < text.length && n < starts.length; i++) if (wordStartAt(text, i)) starts[n++] = i;
  return n;
}

/** 2 when `folded` is all of the field's initials, 1 when it starts them, else 0. */
function initialsMatch(text: string, folded: string, starts: Int32Array, count: number): number {
  if (folded.length < 2 || folded.length > count) return 0;
  for (let j = 0; j < folded.length; j++) if (lowerCode(text.charCodeAt(starts[j]!)) !== folded.charCodeAt(j)) return 0;
  return folded.length === count ? 2 : 1;
}

/**
 * Whether every query word starts a different word of the field (in any order); the
 * share of the field's words covered, or -1. Words are few: a greedy pass in query
 * order is enough in practice.
 */
function wordsMatch(text: string, words: readonly string[], starts: Int32Array, count: number): number {
  if (count === 0 || count > 31 || words.length > count) return -1;
  let used = 0;
  for (const w of words) {
    const first = w.charCodeAt(0);
    let found = false;
    for (let k = 0; k < count; k++) {
      if ((used & (1 << k)) !== 0 || lowerCode(text.charCodeAt(starts[k]!)) !== first) continue;
      if (foldedPrefixEnd(text, starts[k]!, w) >= 0) {
        used |= 1 << k;
        found = true;
        break;
      }
    }
    if (!found) return -1;
  }
  return words.length / count;
}

/** Whether `needle` (lower case) occurs in `text`, ASCII case aside, without making a lower-case copy. */
export function includesLower(text: string, needle: string): boolean {
  const last = text.length - needle.length;
  const first = needle.charCodeAt(0);
  for (let i = 0; i <= last; i++) {
    if (lowerCode(text.charCodeAt(i)) !== first) continue;
    let j = 1;
    while (j < needle.length && lowerCode(text.charCodeAt(i + j)) === needle.charCodeAt(j)) j++;
    if (j === needle.length) return true;
  }
  return false;
}

/** Whether the query's letters occur in `text` in order. */
export function isFoldedSubsequence(text: string, folded: string): boolean {
  const m = folded.length;
  if (m === 0) return true;
  // The letter looked for, in both cases, kept at hand: this runs over every mod when
  // the other kinds of match leave the list short.
  let j = 0;
  let want = folded.charCodeAt(0);
  let wantUpper = want >= 97 && want <= 122 ? want - 32 : want;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== want && code !== wantUpper) continue;
    if (++j === m) return true;
    want = folded.charCodeAt(j);
    wantUpper = want >= 97 && want <= 122 ? want - 32 : want;
  }
  return false;
}

/** Queries shorter than this get no typo tolerance: one edit of `ab` is half of it. */
export const TYPO_MIN_LENGTH = 4;

/**
 * Whether `folded` is at most one edit (substitution, insertion, deletion, or a swap of
 * neighbours) from some start of `text` (separators and case aside), its first two
 * letters right: a slip there is rare and makes another word, and it keeps the
 * candidates to one short list. Up to the first difference both agree; after it, one of the four edits must
 * make the rest of the query agree with the text. Linear in the query's length.
 */
export function withinOneEditOfStart(text: string, folded: string, scratch: Int32Array = new Int32Array(66)): boolean {
  const m = folded.length;
  if (m + 1 > scratch.length) return false;
  let n = 0;
  for (let i = 0; i < text.length && n <= m; i++) {
    const code = text.charCodeAt(i);
    if (isWordChar(code)) scratch[n++] = lowerCode(code);
  }
  if (n < 2 || scratch[0] !== folded.charCodeAt(0) || scratch[1] !== folded.charCodeAt(1)) return false;
  let i = 0;
  while (i < m && i < n && scratch[i] === folded.charCodeAt(i)) i++;
  if (i === m) return true;
  if (agrees(folded, i + 1, scratch, n, i + 1) || agrees(folded, i + 1, scratch, n, i) || agrees(folded, i, scratch, n, i + 1)) return true;
  return i + 1 < m && i + 1 < n && folded.charCodeAt(i) === scratch[i + 1] && folded.charCodeAt(i + 1) === scratch[i] && agrees(folded, i + 2, scratch, n, i + 2);
}

/** Whether the query from `qi` on agrees with the text's letters from `ti` on (the text may go on). */
function agrees(folded: string, qi: number, chars: Int32Array, n: number, ti: number): boolean {
  const m = folded.length;
  if (m - qi > n - ti) return false;
  for (let k = 0; qi + k < m; k++) if (folded.charCodeAt(qi + k) !== chars[ti + k]) return false;
  return true;
}

export interface FieldMatch {
  kind: MatchKind;
  /** For word matches: the share of the field's words the query covers (0..1); -1 for a short prefix ending inside a word. */
  coverage: number;
}

const NO_MATCH: FieldMatch = { kind: MatchKind.none, coverage: 0 };

/** Whether the field can match from its start (exact, prefix, typo): a cheap test for the lists of first letters. */
export function mayMatchAtStart(text: string, query: Query, scratch: MatchScratch): boolean {
  const folded = query.folded;
  if (foldedPrefixEnd(text, 0, folded) >= 0) return true;
  return folded.length >= TYPO_MIN_LENGTH && withinOneEditOfStart(text, folded, scratch.letters);
}

/** Whether the query is the field's initials or their start: a cheap test for the lists of initials. */
export function mayMatchInitials(text: string, query: Query, scratch: MatchScratch): boolean {
  const count = wordStarts(text, scratch.starts);
  return initialsMatch(text, query.folded, scratch.starts, count) > 0;
}

/** Whether the field holds every query word (a cheap test before a word match). */
export function holdsEveryWord(text: string, query: Query): boolean {
  for (const w of query.words) if (!includesLower(text, w)) return false;
  return true;
}

/** Scratch space for matchField: one per search, so scoring allocates nothing. */
export interface MatchScratch {
  letters: Int32Array;
  starts: Int32Array;
}

export function matchScratch(): MatchScratch {
  return { letters: new Int32Array(66), starts: new Int32Array(32) };
}

/** The best way `query` matches one name or title (original text, any case). */
export function matchField(text: string, query: Query, scratch: MatchScratch = matchScratch()): FieldMatch {
  const folded = query.folded;
  if (folded === '' || text === '') return NO_MATCH;
  if (foldedEquals(text, folded)) return { kind: MatchKind.exact, coverage: 1 };
  const prefixEnd = foldedPrefixEnd(text, 0, folded);
  if (prefixEnd >= 0) {
    // A short query that stops inside a word (`se` of SeaBlock) says little: many names
    // start so; that is what SHORT_PREFIX_PENALTY weighs.
    const partial = folded.length < SHORT_QUERY && prefixEnd < text.length && !wordStartAt(text, prefixEnd) && isWordChar(text.charCodeAt(prefixEnd));
    return { kind: MatchKind.prefix, coverage: partial ? -1 : 0 };
  }
  // Word starts are only worth finding when the first letter, or every word, is there.
  const firstRight = firstLetter(text) === folded.charCodeAt(0);
  let allWords = true;
  for (const w of query.words) if (!includesLower(text, w)) allWords = false;
  const starts = scratch.starts;
  const count = firstRight || allWords ? wordStarts(text, starts) : 0;
  const initials = firstRight ? initialsMatch(text, folded, starts, count) : 0;
  if (initials === 2) return { kind: MatchKind.initials, coverage: 0 };
  // One word typed at the start is a prefix (above); a word elsewhere, or several, is a word match.
  const coverage = allWords ? wordsMatch(text, query.words, starts, count) : -1;
  if (coverage >= 0) return { kind: MatchKind.words, coverage };
  if (initials === 1) return { kind: MatchKind.initialsPrefix, coverage: 0 };
  if ((allWords && query.words.length === 1) || includesLower(text, query.lower) || (query.lower !== folded && includesLower(text, folded))) {
    return { kind: MatchKind.substring, coverage: 0 };
  }
  if (firstRight && folded.length >= TYPO_MIN_LENGTH && withinOneEditOfStart(text, folded, scratch.letters)) return { kind: MatchKind.typo, coverage: 0 };
  if (folded.length >= 2 && isFoldedSubsequence(text, folded)) return { kind: MatchKind.subsequence, coverage: 0 };
  return NO_MATCH;
}

export interface ModMatch {
  score: number;
  kind: MatchKind;
  inName: boolean;
}

/** The weight of a match, without popularity. */
export function matchWeight(m: FieldMatch, inName: boolean): number {
  if (m.kind === MatchKind.none) return -Infinity;
  if (m.kind === MatchKind.exact && !inName) {
    // An exact title is a strong prefix, not the exact name that must come first.
    return KIND_WEIGHT[MatchKind.prefix] + COVERAGE_BONUS;
  }
  const extra = m.kind === MatchKind.words ? COVERAGE_BONUS * m.coverage : m.kind === MatchKind.prefix && m.coverage < 0 ? -SHORT_PREFIX_PENALTY : 0;
  return KIND_WEIGHT[m.kind] + (inName ? NAME_BONUS : 0) + extra;
}

/** The score of a mod: its best match (name or title) plus its popularity; undefined when nothing matches. */
export function scoreMod(name: string, title: string, downloads: number, query: Query, scratch: MatchScratch = matchScratch()): ModMatch | undefined {
  const byName = matchField(name, query, scratch);
  let weight = matchWeight(byName, true);
  let kind = byName.kind;
  let inName = true;
  if (byName.kind !== MatchKind.exact) {
    const byTitle = matchField(title, query, scratch);
    const titleWeight = matchWeight(byTitle, false);
    if (titleWeight > weight) {
      weight = titleWeight;
      kind = byTitle.kind === MatchKind.exact ? MatchKind.prefix : byTitle.kind;
      inName = false;
    }
  } else {
    // Among exact names, the one typed with the same separators, then the same case, first.
    if (name.toLowerCase() === query.lower) weight += CASE_BONUS / 2;
    if (name === query.text) weight += CASE_BONUS / 2;
  }
  if (kind === MatchKind.none) return undefined;
  return { score: weight + popularity(downloads), kind, inName };
}

/** A [start, end) range of UTF-16 code units in the original name or title. */
export type MatchRange = [start: number, end: number];

/** What to highlight in a field for a query: the matched start, initials, word starts, substring or letters. */
export function highlightRanges(text: string, query: Query, scratch: MatchScratch = matchScratch()): MatchRange[] {
  const folded = query.folded;
  if (folded === '') return [];
  const m = matchField(text, query, scratch);
  const ranges: MatchRange[] = [];
  switch (m.kind) {
    case MatchKind.exact:
    case MatchKind.prefix:
    case MatchKind.typo: {
      const end = foldedPrefixEnd(text, 0, folded);
      for (let i = 0; i < end; i++) if (isWordChar(text.charCodeAt(i))) pushRange(ranges, i, i + 1);
      break;
    }
    case MatchKind.initials:
    case MatchKind.initialsPrefix: {
      let j = 0;
      for (let i = 0; i < text.length && j < folded.length; i++) {
        if (!wordStartAt(text, i)) continue;
        pushRange(ranges, i, i + 1);
        j++;
      }
      break;
    }
    case MatchKind.words: {
      const found: MatchRange[] = [];
      let used = 0;
      for (const w of query.words) {
        const count = wordStarts(text, scratch.starts);
        for (let k = 0; k < count; k++) {
          const at = scratch.starts[k]!;
          const end = (used & (1 << k)) === 0 ? foldedPrefixEnd(text, at, w) : -1;
          if (end >= 0) {
            used |= 1 << k;
            found.push([at, end]);
            break;
          }
        }
      }
      found.sort((a, b) => a[0] - b[0]);
      for (const [from, to] of found) pushRange(ranges, from, to);
      break;
    }
    case MatchKind.substring: {
      const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const at = lower.indexOf(query.lower);
      const foldedAt = lower.indexOf(folded);
      if (at >= 0) pushRange(ranges, at, at + query.lower.length);
      else if (foldedAt >= 0) pushRange(ranges, foldedAt, foldedAt + folded.length);
      break;
    }
    case MatchKind.subsequence: {
      let j = 0;
      for (let i = 0; i < text.length && j < folded.length; i++) {
        if (lowerCode(text.charCodeAt(i)) !== folded.charCodeAt(j)) continue;
        pushRange(ranges, i, i + 1);
        j++;
      }
      break;
    }
    default:
      break;
  }
  return ranges;
}

/** Adds a range, merged with the last when they touch. */
function pushRange(ranges: MatchRange[], start: number, end: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last[1] === start) last[1] = end;
  else ranges.push([start, end]);
}

export interface Ranked<T> {
  item: T;
  match: ModMatch;
}

/**
 * The ranking by definition: every entry scored, best first, ties in the given order.
 * The index must give the same answer faster; tests and the bench compare the two.
 */
export function rankAll<T>(items: readonly T[], fields: (item: T) => { name: string; title: string; downloads: number }, raw: string, limit: number): Ranked<T>[] {
  const query = prepareQuery(raw);
  const out: Ranked<T>[] = [];
  if (query.folded === '') return out;
  const scratch = matchScratch();
  for (const item of items) {
    const f = fields(item);
    const match = scoreMod(f.name, f.title, f.downloads, query, scratch);
    if (match) out.push({ item, match });
  }
  // Array.prototype.sort is stable: equal scores keep the given order.
  out.sort((a, b) => b.match.score - a.match.score);
  // Subsequences only fill a list the other kinds leave short.
  const others = out.filter((r) => r.match.kind !== MatchKind.subsequence);
  return (others.length >= limit ? others : out).slice(0, limit);
}

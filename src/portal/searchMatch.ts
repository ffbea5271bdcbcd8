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
// - substring: anywhere in the name or title;
// - typo: one edit (a wrong, missing, extra or swapped letter) away from the start of the
//   name or title, for queries of 4 letters or more that get the first letter right;
// - subsequence: the query's letters in order, anywhere.

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
/** The most any match short of exact can be worth; the index stops looking once popularity cannot make up the rest. */
export const MAX_INEXACT_WEIGHT = KIND_WEIGHT[MatchKind.prefix] + NAME_BONUS + COVERAGE_BONUS;

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

/** 2 when `folded` is all of the field's initials, 1 when it starts them, else 0. */
function initialsMatch(text: string, folded: string): number {
  if (folded.length < 2) return 0;
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    if (!wordStartAt(text, i)) continue;
    if (j === folded.length) return 1;
    if (lowerCode(text.charCodeAt(i)) !== folded.charCodeAt(j)) return 0;
    j++;
  }
  return j === folded.length ? 2 : 0;
}

/**
 * Whether every query word starts a different word of the field (in any order); the
 * share of the field's words covered, or -1. Words are few: a greedy pass in query
 * order is enough in practice.
 */
function wordsMatch(text: string, words: readonly string[]): number {
  const starts: number[] = [];
  for (let i = 0; i < text.length; i++) if (wordStartAt(text, i)) starts.push(i);
  if (starts.length === 0 || starts.length > 32) return -1;
  let used = 0;
  for (const w of words) {
    let found = false;
    for (let k = 0; k < starts.length; k++) {
      if (used & (1 << k)) continue;
      if (foldedPrefixEnd(text, starts[k]!, w) >= 0) {
        used |= 1 << k;
        found = true;
        break;
      }
    }
    if (!found) return -1;
  }
  return words.length / starts.length;
}

function foldedIncludes(text: string, folded: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (isWordChar(text.charCodeAt(i)) && foldedPrefixEnd(text, i, folded) >= 0) return true;
  }
  return false;
}

function isFoldedSubsequence(text: string, folded: string): boolean {
  let j = 0;
  for (let i = 0; i < text.length && j < folded.length; i++) {
    if (lowerCode(text.charCodeAt(i)) === folded.charCodeAt(j)) j++;
  }
  return j === folded.length;
}

/** Queries shorter than this get no typo tolerance: one edit of `ab` is half of it. */
export const TYPO_MIN_LENGTH = 4;

/**
 * Whether `folded` is at most one edit (substitution, insertion, deletion, or a swap of
 * neighbours) from some start of `text` (separators and case aside), its first letter
 * right. Three rows of a bounded Damerau–Levenshtein table, each row as wide as the
 * query: linear in the query's length.
 */
export function withinOneEditOfStart(text: string, folded: string, scratch: Int32Array = new Int32Array(3 * 66)): boolean {
  const m = folded.length;
  if (m + 1 > 66) return false;
  // The field's letters, separators dropped, up to the longest start that can matter.
  const chars: number[] = [];
  for (let i = 0; i < text.length && chars.length < m + 1; i++) {
    const code = text.charCodeAt(i);
    if (isWordChar(code)) chars.push(lowerCode(code));
  }
  if (chars.length === 0 || chars[0] !== folded.charCodeAt(0)) return false;
  if (chars.length < m - 1) return false;
  const width = m + 1;
  // Row i holds the distances of the field's first i letters to each prefix of the query.
  let before = 0;
  let prev = width;
  let cur = 2 * width;
  for (let j = 0; j <= m; j++) scratch[prev + j] = j;
  let best = m; // distance of the empty start to the whole query
  for (let i = 1; i <= chars.length; i++) {
    scratch[cur] = i;
    let rowMin = i;
    const c = chars[i - 1]!;
    for (let j = 1; j <= m; j++) {
      const q = folded.charCodeAt(j - 1);
      let v = Math.min(scratch[prev + j]! + 1, scratch[cur + j - 1]! + 1, scratch[prev + j - 1]! + (c === q ? 0 : 1));
      if (i > 1 && j > 1 && c === folded.charCodeAt(j - 2) && chars[i - 2] === q) v = Math.min(v, scratch[before + j - 2]! + 1);
      scratch[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (scratch[cur + m]! < best) best = scratch[cur + m]!;
    if (rowMin > 1) break;
    const spare = before;
    before = prev;
    prev = cur;
    cur = spare;
  }
  return best <= 1;
}

export interface FieldMatch {
  kind: MatchKind;
  /** For word matches: the share of the field's words the query covers (0..1); -1 for a short prefix ending inside a word. */
  coverage: number;
}

const NO_MATCH: FieldMatch = { kind: MatchKind.none, coverage: 0 };

/** The best way `query` matches one name or title (original text, any case). */
export function matchField(text: string, query: Query, scratch?: Int32Array): FieldMatch {
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
  const initials = initialsMatch(text, folded);
  if (initials === 2) return { kind: MatchKind.initials, coverage: 0 };
  // One word typed at the start is a prefix (above); a word elsewhere, or several, is a word match.
  const coverage = wordsMatch(text, query.words);
  if (coverage >= 0) return { kind: MatchKind.words, coverage };
  if (initials === 1) return { kind: MatchKind.initialsPrefix, coverage: 0 };
  if (text.toLowerCase().includes(query.lower) || foldedIncludes(text, folded)) return { kind: MatchKind.substring, coverage: 0 };
  if (folded.length >= TYPO_MIN_LENGTH && withinOneEditOfStart(text, folded, scratch)) return { kind: MatchKind.typo, coverage: 0 };
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
export function scoreMod(name: string, title: string, downloads: number, query: Query, scratch?: Int32Array): ModMatch | undefined {
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
export function highlightRanges(text: string, query: Query): MatchRange[] {
  const folded = query.folded;
  if (folded === '') return [];
  const m = matchField(text, query);
  const ranges: MatchRange[] = [];
  const push = (start: number, end: number): void => {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === start) last[1] = end;
    else ranges.push([start, end]);
  };
  const spanOf = (from: number, end: number): void => {
    for (let i = from; i < end; i++) if (isWordChar(text.charCodeAt(i))) push(i, i + 1);
  };
  switch (m.kind) {
    case MatchKind.exact:
    case MatchKind.prefix:
    case MatchKind.typo: {
      const end = foldedPrefixEnd(text, 0, folded);
      if (end >= 0) spanOf(0, end);
      break;
    }
    case MatchKind.initials:
    case MatchKind.initialsPrefix: {
      let j = 0;
      for (let i = 0; i < text.length && j < folded.length; i++) if (wordStartAt(text, i)) (push(i, i + 1), j++);
      break;
    }
    case MatchKind.words: {
      const found: MatchRange[] = [];
      const taken = new Set<number>();
      for (const w of query.words) {
        for (let i = 0; i < text.length; i++) {
          if (taken.has(i) || !wordStartAt(text, i)) continue;
          const end = foldedPrefixEnd(text, i, w);
          if (end >= 0) {
            taken.add(i);
            found.push([i, end]);
            break;
          }
        }
      }
      found.sort((a, b) => a[0] - b[0]);
      for (const [s, e] of found) push(s, e);
      break;
    }
    case MatchKind.substring: {
      const at = text.toLowerCase().indexOf(query.lower);
      if (at >= 0) push(at, at + query.lower.length);
      else {
        for (let i = 0; i < text.length; i++) {
          const end = isWordChar(text.charCodeAt(i)) ? foldedPrefixEnd(text, i, folded) : -1;
          if (end >= 0) {
            spanOf(i, end);
            break;
          }
        }
      }
      break;
    }
    case MatchKind.subsequence: {
      let j = 0;
      for (let i = 0; i < text.length && j < folded.length; i++) {
        if (lowerCode(text.charCodeAt(i)) === folded.charCodeAt(j)) (push(i, i + 1), j++);
      }
      break;
    }
    default:
      break;
  }
  return ranges;
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
  const scratch = new Int32Array(3 * 66);
  for (const item of items) {
    const f = fields(item);
    const match = scoreMod(f.name, f.title, f.downloads, query, scratch);
    if (match) out.push({ item, match });
  }
  // Array.prototype.sort is stable: equal scores keep the given order.
  out.sort((a, b) => b.match.score - a.match.score);
  return out.slice(0, limit);
}

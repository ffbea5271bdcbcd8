// Name search over the whole mod list (the portal has no text search). It runs on every
// keystroke of a completion, over 50,000 mods, so the index trades a little memory for
// never scanning every mod:
// - mods are kept sorted by downloads, so within one match quality the first hits found
//   are the best ones and a scan can stop as soon as enough strong hits are in hand;
// - exact matches come from maps; every other substring match is looked for only among
//   the mods holding the query's rarest character pair (a posting list per pair);
// - fuzzy (subsequence) matches are looked for only among mods whose character-class
//   mask covers the query's, and only when stronger matches do not fill the limit.

import type { ModEntry } from './types';

/** A [start, end) range of UTF-16 code units in the original name or title. */
export type MatchRange = [start: number, end: number];

export interface SearchHit {
  mod: ModEntry;
  /** Higher is better: match quality and field (see MatchTier). */
  score: number;
  nameMatches: MatchRange[];
  titleMatches: MatchRange[];
}

/** Match qualities, best last; on the same quality a name match beats a title match. */
export const MatchTier = {
  subsequenceTitle: 1,
  subsequenceName: 2,
  substringTitle: 3,
  substringName: 4,
  wordStartTitle: 5,
  wordStartName: 6,
  prefixTitle: 7,
  prefixName: 8,
  exactTitle: 9,
  exactName: 10,
} as const;

const TIER_COUNT = 11;
/** Tier of a substring quality (0 none, 1 inside, 2 word start, 3 prefix, 4 exact) by field. */
const NAME_TIER = [0, MatchTier.substringName, MatchTier.wordStartName, MatchTier.prefixName, MatchTier.exactName];
const TITLE_TIER = [0, MatchTier.substringTitle, MatchTier.wordStartTitle, MatchTier.prefixTitle, MatchTier.exactTitle];

// Character classes for the pair index and the masks. Merging classes only makes the
// index a looser prefilter; every candidate is verified against the real text.
const CLASS_SEPARATOR = 36;
const CLASS_OTHER = 37;
const CLASSES = 38;

function charClass(code: number): number {
  if (code >= 97 && code <= 122) return code - 97;
  if (code >= 48 && code <= 57) return 26 + code - 48;
  if (code === 32 || code === 45 || code === 95) return CLASS_SEPARATOR;
  return CLASS_OTHER;
}

/** One bit per letter, one for any digit, one for separators, one for anything else. */
function maskBit(code: number): number {
  if (code >= 97 && code <= 122) return 1 << (code - 97);
  if (code >= 48 && code <= 57) return 1 << 26;
  if (code === 32 || code === 45 || code === 95) return 1 << 27;
  return 1 << 28;
}

function maskOf(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= maskBit(text.charCodeAt(i));
  return mask;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Lower case that keeps every index in place, so match ranges fit the original text. */
export function lowerKeepingLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const unit of text) {
    const l = unit.toLowerCase();
    out += l.length === unit.length ? l : unit;
  }
  return out;
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

function isLowerOrDigit(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

function isAlnum(code: number): boolean {
  return isLowerOrDigit(code) || isUpper(code) || code > 127;
}

/** A word starts after a non-alphanumeric, at a lower→Upper step, or where letters and digits meet. */
function isWordStart(original: string, i: number): boolean {
  if (i === 0) return true;
  const prev = original.charCodeAt(i - 1);
  const cur = original.charCodeAt(i);
  if (!isAlnum(prev)) return true;
  if (isUpper(cur) && !isUpper(prev)) return true;
  const prevDigit = prev >= 48 && prev <= 57;
  const curDigit = cur >= 48 && cur <= 57;
  return prevDigit !== curDigit && isAlnum(cur);
}

/** The best substring quality of `q` in one field: 4 exact, 3 prefix, 2 word start, 1 inside, 0 none. */
function substringQuality(lower: string, original: string, q: string): number {
  let i = lower.indexOf(q);
  if (i < 0) return 0;
  if (i === 0) return lower.length === q.length ? 4 : 3;
  for (; i >= 0; i = lower.indexOf(q, i + 1)) {
    if (isWordStart(original, i)) return 2;
  }
  return 1;
}

function isSubsequence(lower: string, q: string): boolean {
  let j = 0;
  for (let i = 0; i < lower.length && j < q.length; i++) {
    if (lower.charCodeAt(i) === q.charCodeAt(j)) j++;
  }
  return j === q.length;
}

function substringRanges(lower: string, original: string, q: string): MatchRange[] {
  const first = lower.indexOf(q);
  if (first < 0) return [];
  for (let i = first; i >= 0; i = lower.indexOf(q, i + 1)) {
    if (isWordStart(original, i)) return [[i, i + q.length]];
  }
  return [[first, first + q.length]];
}

function subsequenceRanges(lower: string, q: string): MatchRange[] {
  const ranges: MatchRange[] = [];
  let j = 0;
  for (let i = 0; i < lower.length && j < q.length; i++) {
    if (lower.charCodeAt(i) !== q.charCodeAt(j)) continue;
    j++;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === i) last[1] = i + 1;
    else ranges.push([i, i + 1]);
  }
  return j === q.length ? ranges : [];
}

function matchRanges(lower: string, original: string, q: string): MatchRange[] {
  const ranges = substringRanges(lower, original, q);
  return ranges.length > 0 ? ranges : subsequenceRanges(lower, q);
}

/**
 * Edit distance where swapping two neighbours counts as one edit (the commonest typo),
 * or `max + 1` as soon as it must exceed `max`. `rows` holds three rows of scratch space.
 */
function boundedDistance(a: string, b: string, max: number, rows: Int32Array): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  let before = 0; // row i-2
  let prev = width; // row i-1
  let cur = 2 * width; // row i
  for (let j = 0; j <= b.length; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[cur] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      let value = Math.min(rows[prev + j]! + 1, rows[cur + j - 1]! + 1, rows[prev + j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        value = Math.min(value, rows[before + j - 2]! + 1);
      }
      rows[cur + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    const spare = before;
    before = prev;
    prev = cur;
    cur = spare;
  }
  return rows[prev + b.length]!;
}

/** Names compared for "did you mean": case and the choice of separator do not count. */
function looseName(name: string): string {
  return name.toLowerCase().replace(/[\s_]/g, '-');
}

export class ModIndex {
  /** Sorted by downloads, most first; ties by name. A mod's position is its rank. */
  private readonly mods: readonly ModEntry[];
  private readonly lowerNames: string[];
  private readonly lowerTitles: string[];
  private readonly byName = new Map<string, ModEntry>();
  /** Lower-cased name → ranks, ascending (several only if names differ just in case). */
  private readonly byLowerName = new Map<string, number[]>();
  /** Lower-cased title → ranks, ascending. */
  private readonly byLowerTitle = new Map<string, number[]>();
  /** Character-class masks of name and of name + title, by rank. */
  private readonly nameMasks: Int32Array;
  private readonly textMasks: Int32Array;
  /** Posting lists (ranks, ascending) per character-class pair, packed: pairStart[p]..pairStart[p+1]. */
  private readonly pairStart: Int32Array;
  private readonly pairRanks: Int32Array;
  /** Same, per single character class, for one-character queries. */
  private readonly charStart: Int32Array;
  private readonly charRanks: Int32Array;

  constructor(entries: readonly ModEntry[]) {
    const mods = entries.slice();
    mods.sort((a, b) => b.downloads_count - a.downloads_count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.mods = mods;
    const n = mods.length;
    this.lowerNames = new Array<string>(n);
    this.lowerTitles = new Array<string>(n);
    this.nameMasks = new Int32Array(n);
    this.textMasks = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const mod = mods[r]!;
      const name = lowerKeepingLength(mod.name);
      const title = lowerKeepingLength(mod.title);
      this.lowerNames[r] = name;
      this.lowerTitles[r] = title;
      if (!this.byName.has(mod.name)) this.byName.set(mod.name, mod);
      appendTo(this.byLowerName, name, r);
      appendTo(this.byLowerTitle, title, r);
      const nameMask = maskOf(name);
      this.nameMasks[r] = nameMask;
      this.textMasks[r] = nameMask | maskOf(title);
    }
    [this.pairStart, this.pairRanks] = this.buildPostings(CLASSES * CLASSES, (text, emit) => {
      let prev = text.length > 0 ? charClass(text.charCodeAt(0)) : 0;
      for (let i = 1; i < text.length; i++) {
        const cur = charClass(text.charCodeAt(i));
        emit(prev * CLASSES + cur);
        prev = cur;
      }
    });
    [this.charStart, this.charRanks] = this.buildPostings(CLASSES, (text, emit) => {
      for (let i = 0; i < text.length; i++) emit(charClass(text.charCodeAt(i)));
    });
  }

  get size(): number {
    return this.mods.length;
  }

  /** Exact (case-sensitive) lookup, as the game and the portal compare names. */
  get(name: string): ModEntry | undefined {
    return this.byName.get(name);
  }

  /** For "did you mean": the mod whose name differs only in case (the most downloaded if several). */
  findByNameInsensitive(name: string): ModEntry | undefined {
    const ranks = this.byLowerName.get(lowerKeepingLength(name));
    return ranks === undefined ? undefined : this.mods[ranks[0]!];
  }

  /** Every mod, most downloaded first. */
  all(): readonly ModEntry[] {
    return this.mods;
  }

  /**
   * Mods whose name or title matches `query` (case-insensitive prefix, substring or
   * subsequence), best first: by MatchTier, then downloads. An empty query gives the most
   * downloaded mods.
   */
  search(query: string, limit: number): SearchHit[] {
    if (limit <= 0 || this.mods.length === 0) return [];
    const q = lowerKeepingLength(query.trim());
    if (q === '') {
      return this.mods.slice(0, limit).map((mod) => ({ mod, score: 0, nameMatches: [], titleMatches: [] }));
    }
    const tiers: number[][] = [];
    for (let t = 0; t < TIER_COUNT; t++) tiers.push([]);
    const taken = new Set<number>();
    const take = (rank: number, tier: number): void => {
      taken.add(rank);
      tiers[tier]!.push(rank);
    };

    // Exact matches can sit at any rank, so they come from the maps before any early stop.
    for (const r of this.byLowerName.get(q) ?? []) {
      if (tiers[MatchTier.exactName]!.length < limit) take(r, MatchTier.exactName);
    }
    for (const r of this.byLowerTitle.get(q) ?? []) {
      if (!taken.has(r) && tiers[MatchTier.exactTitle]!.length < limit) take(r, MatchTier.exactTitle);
    }

    this.scanSubstrings(q, limit, tiers, taken, take);
    let found = 0;
    for (const list of tiers) found += list.length;
    // For one character a subsequence is a substring: nothing more to find.
    if (found < limit && q.length > 1) this.scanSubsequences(q, limit - found, taken, take);

    const hits: SearchHit[] = [];
    for (let t = TIER_COUNT - 1; t >= 1 && hits.length < limit; t--) {
      for (const r of tiers[t]!) {
        if (hits.length >= limit) break;
        const mod = this.mods[r]!;
        hits.push({
          mod,
          score: t,
          nameMatches: matchRanges(this.lowerNames[r]!, mod.name, q),
          titleMatches: matchRanges(this.lowerTitles[r]!, mod.title, q),
        });
      }
    }
    return hits;
  }

  /**
   * Up to `limit` mods whose names are closest to `name` (edit distance, ignoring case and
   * the choice of separator), nearest first, then most downloaded. Nothing farther than a
   * third of the name's length (at least 2) is offered.
   */
  closest(name: string, limit: number): ModEntry[] {
    const target = looseName(name.trim());
    if (target === '' || limit <= 0) return [];
    const max = Math.max(2, Math.floor(target.length / 3));
    const targetMask = maskOf(target);
    const found: { rank: number; distance: number }[] = [];
    let rows = new Int32Array(3 * 64);
    for (let r = 0; r < this.mods.length; r++) {
      const candidate = this.lowerNames[r]!;
      if (Math.abs(candidate.length - target.length) > max) continue;
      // Each character class present on one side only costs at least one edit.
      const mask = this.nameMasks[r]!;
      if (popcount(mask & ~targetMask) > max || popcount(targetMask & ~mask) > max) continue;
      const loose = candidate.includes('_') || candidate.includes(' ') ? looseName(candidate) : candidate;
      if (3 * (loose.length + 1) > rows.length) rows = new Int32Array(3 * (loose.length + 1));
      const distance = boundedDistance(target, loose, max, rows);
      if (distance <= max) found.push({ rank: r, distance });
    }
    found.sort((a, b) => a.distance - b.distance || a.rank - b.rank);
    return found.slice(0, limit).map((f) => this.mods[f.rank]!);
  }

  private buildPostings(
    keys: number,
    forEachKey: (text: string, emit: (key: number) => void) => void,
  ): [Int32Array, Int32Array] {
    const n = this.mods.length;
    const counts = new Int32Array(keys + 1);
    const lastRank = new Int32Array(keys).fill(-1);
    let rank = 0;
    const count = (key: number): void => {
      if (lastRank[key] === rank) return;
      lastRank[key] = rank;
      counts[key + 1]!++;
    };
    for (rank = 0; rank < n; rank++) {
      forEachKey(this.lowerNames[rank]!, count);
      forEachKey(this.lowerTitles[rank]!, count);
    }
    for (let k = 0; k < keys; k++) counts[k + 1]! += counts[k]!;
    const start = counts;
    const ranks = new Int32Array(start[keys]!);
    const fill = start.slice(0, keys);
    lastRank.fill(-1);
    const place = (key: number): void => {
      if (lastRank[key] === rank) return;
      lastRank[key] = rank;
      ranks[fill[key]!++] = rank;
    };
    for (rank = 0; rank < n; rank++) {
      forEachKey(this.lowerNames[rank]!, place);
      forEachKey(this.lowerTitles[rank]!, place);
    }
    return [start, ranks];
  }

  /** The shortest posting list that must hold every mod containing `q`. */
  private candidatesFor(q: string): { ranks: Int32Array; from: number; to: number } {
    if (q.length === 1) {
      const c = charClass(q.charCodeAt(0));
      return { ranks: this.charRanks, from: this.charStart[c]!, to: this.charStart[c + 1]! };
    }
    let best = -1;
    let bestSize = Infinity;
    let prev = charClass(q.charCodeAt(0));
    for (let i = 1; i < q.length; i++) {
      const cur = charClass(q.charCodeAt(i));
      const pair = prev * CLASSES + cur;
      const size = this.pairStart[pair + 1]! - this.pairStart[pair]!;
      if (size < bestSize) {
        bestSize = size;
        best = pair;
      }
      prev = cur;
    }
    return { ranks: this.pairRanks, from: this.pairStart[best]!, to: this.pairStart[best + 1]! };
  }

  private scanSubstrings(
    q: string,
    limit: number,
    tiers: number[][],
    taken: Set<number>,
    take: (rank: number, tier: number) => void,
  ): void {
    const { ranks, from, to } = this.candidatesFor(q);
    const exact = tiers[MatchTier.exactName]!.length + tiers[MatchTier.exactTitle]!.length;
    const prefixName = tiers[MatchTier.prefixName]!;
    const checkTaken = taken.size > 0;
    for (let i = from; i < to; i++) {
      const r = ranks[i]!;
      if (checkTaken && taken.has(r)) continue;
      const mod = this.mods[r]!;
      const inName = substringQuality(this.lowerNames[r]!, mod.name, q);
      // A name prefix outranks every title match but an exact one, and those came from the map.
      const inTitle = inName >= 3 ? 0 : substringQuality(this.lowerTitles[r]!, mod.title, q);
      if (inName === 0 && inTitle === 0) continue;
      const tier = Math.max(NAME_TIER[inName]!, TITLE_TIER[inTitle]!);
      if (tiers[tier]!.length < limit) take(r, tier);
      // Later ranks have fewer downloads: once exact and name-prefix hits fill the limit,
      // nothing after them can rank higher.
      if (exact + prefixName.length >= limit) return;
    }
  }

  private scanSubsequences(q: string, wanted: number, taken: Set<number>, take: (rank: number, tier: number) => void): void {
    const qMask = maskOf(q);
    const inNames: number[] = [];
    const inTitles: number[] = [];
    let foundName = 0;
    let foundTitle = 0;
    // Name subsequences outrank title ones, so both are gathered (each up to `wanted`) in one pass.
    for (let r = 0; r < this.mods.length; r++) {
      if ((this.textMasks[r]! & qMask) !== qMask || taken.has(r)) continue;
      if (foundName < wanted && (this.nameMasks[r]! & qMask) === qMask && isSubsequence(this.lowerNames[r]!, q)) {
        inNames.push(r);
        foundName++;
      } else if (foundTitle < wanted && isSubsequence(this.lowerTitles[r]!, q)) {
        inTitles.push(r);
        foundTitle++;
      }
      if (foundName >= wanted) break;
    }
    for (const r of inNames) take(r, MatchTier.subsequenceName);
    for (const r of inTitles) take(r, MatchTier.subsequenceTitle);
  }
}

function appendTo(map: Map<string, number[]>, key: string, rank: number): void {
  const list = map.get(key);
  if (list) list.push(rank);
  else map.set(key, [rank]);
}

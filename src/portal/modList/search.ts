// Name search over the whole mod list (the portal has no text search). It runs on every
// keystroke of a completion, over 50,000 mods, so it never scans them all when it can
// avoid it:
// - mods are kept sorted by downloads, so in any candidate list the first matches of one
//   quality are the best ones, and a list is left as soon as enough are in hand;
// - each match quality has its own candidates: exact ones come from hash tables, prefix
//   and word-start ones from posting lists keyed by the first character pair at that
//   position, plain substrings from the list of the query's rarest pair; a quality is
//   only looked at when the better ones did not fill the limit;
// - fuzzy (subsequence) matches come last, among mods whose character mask covers the
//   query's.

import {
  PostingKind,
  Postings,
  TextTable,
  buildCharIndex,
  isSortedByDownloads,
  leadingKey,
  pairKey,
  sortByDownloads,
} from './postings';
import * as text from './searchText';
import type { MatchRange } from './searchText';
import type { ModSummary } from './summary';

// Local bindings: in a per-file build (tests, the bench) every use of an imported name
// goes through a getter, which the candidate loops would pay on every mod.
const allowedEdits = text.allowedEdits;
const boundedDistance = text.boundedDistance;
const charClass = text.charClass;
const hasInnerWordStart = text.hasInnerWordStart;
const isSubsequence = text.isSubsequence;
const lowerKeepingLength = text.lowerKeepingLength;
const maskBit = text.maskBit;
const maskOf = text.maskOf;
const matchRanges = text.matchRanges;
const popcount = text.popcount;
const foldSpace = text.foldSpace;

export { lowerKeepingLength, type MatchRange } from './searchText';

export interface SearchHit {
  mod: ModSummary;
  /** Higher is better: the MatchTier of the best match. */
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

/** Hits of one search, by tier; a mod is taken once, by its best tier. */
class Collected {
  readonly tiers: number[][] = [];
  readonly taken = new Set<number>();
  total = 0;

  constructor(readonly limit: number) {
    for (let t = 0; t < TIER_COUNT; t++) this.tiers.push([]);
  }

  get full(): boolean {
    return this.total >= this.limit;
  }

  take(rank: number, tier: number): void {
    this.taken.add(rank);
    this.tiers[tier]!.push(rank);
    this.total++;
  }
}

/** The computed part of an index, to save with the list and skip rebuilding it. */
export interface IndexSnapshot {
  postingStart: Int32Array;
  postingCounts: Int32Array;
  postingBytes: Uint8Array;
  nameMasks: Int32Array;
  textMasks: Int32Array;
}

/**
 * The mods an index is built over, by position: what search reads of each, and the whole
 * entry when a result is handed out. The mod list held in memory is one (see modList.ts):
 * it keeps these columns and makes a summary only when one is asked for.
 */
export interface ModTable {
  readonly size: number;
  readonly names: readonly string[];
  readonly titles: readonly string[];
  readonly downloads: ArrayLike<number>;
  entry(position: number): ModSummary;
  /** Every entry, in order. */
  all(): readonly ModSummary[];
}

/** A table over entries at hand. */
function tableOf(entries: readonly ModSummary[]): ModTable {
  return {
    size: entries.length,
    names: entries.map((m) => m.name),
    titles: entries.map((m) => m.title),
    downloads: entries.map((m) => m.downloads_count),
    entry: (position) => entries[position]!,
    all: () => entries,
  };
}

export class ModIndex {
  /** Sorted by downloads, most first. A mod's position is its rank. */
  private readonly table: ModTable;
  private readonly names: readonly string[];
  private readonly titles: readonly string[];
  private readonly lowerNames: string[];
  private readonly lowerTitles: string[];
  /** Lower-cased names and titles, hashed: exact and case-insensitive lookups. */
  private readonly nameTable: TextTable;
  private readonly titleTable: TextTable;
  /** Character-class masks of name and of name + title, by rank. */
  private readonly nameMasks: Int32Array;
  private readonly textMasks: Int32Array;
  private readonly postings: Postings;

  /**
   * `source`: entries, or a table of them. `snapshot`, from `snapshot()` of an index over
   * the same mods given in its `all()` order (or read back by decodeIndexSnapshot), spares
   * the slowest part of the build; it is ignored when its size or the order cannot fit.
   */
  constructor(source: readonly ModSummary[] | ModTable, snapshot?: IndexSnapshot) {
    let table: ModTable = Array.isArray(source) ? tableOf(source) : (source as ModTable);
    const sorted = isSortedByDownloads(table.downloads);
    // Most downloaded first; equal downloads keep their order.
    if (!sorted) table = tableOf(sortByDownloads(table.all()));
    // A snapshot read from disk was checked whole there (decodeIndexSnapshot).
    const usable = snapshot !== undefined && sorted && snapshot.nameMasks.length === table.size && snapshot.textMasks.length === table.size;
    this.table = table;
    this.names = table.names;
    this.titles = table.titles;
    const n = table.size;
    this.lowerNames = new Array<string>(n);
    this.lowerTitles = new Array<string>(n);
    for (let r = 0; r < n; r++) {
      this.lowerNames[r] = lowerKeepingLength(this.names[r]!);
      this.lowerTitles[r] = lowerKeepingLength(this.titles[r]!);
    }
    this.nameTable = new TextTable(this.lowerNames);
    this.titleTable = new TextTable(this.lowerTitles);
    if (usable) {
      this.postings = new Postings(snapshot.postingStart, snapshot.postingCounts, snapshot.postingBytes);
      this.nameMasks = snapshot.nameMasks;
      this.textMasks = snapshot.textMasks;
    } else {
      ({ postings: this.postings, nameMasks: this.nameMasks, textMasks: this.textMasks } = buildCharIndex(
        this.names,
        this.titles,
        this.lowerNames,
        this.lowerTitles,
      ));
    }
  }

  snapshot(): IndexSnapshot {
    return {
      postingStart: this.postings.start,
      postingCounts: this.postings.counts,
      postingBytes: this.postings.bytes,
      nameMasks: this.nameMasks,
      textMasks: this.textMasks,
    };
  }

  get size(): number {
    return this.table.size;
  }

  /** Exact (case-sensitive) lookup, as the game and the portal compare names. */
  get(name: string): ModSummary | undefined {
    const r = this.position(name);
    return r === undefined ? undefined : this.table.entry(r);
  }

  /** The rank of the mod named exactly `name`. */
  position(name: string): number | undefined {
    for (const r of this.nameTable.find(lowerKeepingLength(name))) {
      if (this.names[r] === name) return r;
    }
    return undefined;
  }

  /** For "did you mean": the mod whose name differs only in case (the most downloaded if several). */
  findByNameInsensitive(name: string): ModSummary | undefined {
    const [r] = this.nameTable.find(lowerKeepingLength(name));
    return r === undefined ? undefined : this.table.entry(r);
  }

  /** Every mod, most downloaded first. */
  all(): readonly ModSummary[] {
    return this.table.all();
  }

  /**
   * Mods whose name or title matches `query` (case-insensitive exact, prefix, word start,
   * substring or subsequence), best first: by MatchTier, then downloads, then the order
   * of the list the index was built from. An empty query gives the most downloaded mods.
   */
  search(query: string, limit: number): SearchHit[] {
    if (limit <= 0 || this.size === 0) return [];
    const q = lowerKeepingLength(query.trim());
    if (q === '') {
      const top: SearchHit[] = [];
      for (let r = 0; r < Math.min(limit, this.size); r++) top.push({ mod: this.table.entry(r), score: 0, nameMatches: [], titleMatches: [] });
      return top;
    }
    const hits = new Collected(limit);
    this.collectExact(q, hits);
    this.collectPositional(q, hits);
    if (!hits.full) this.collectSubstrings(q, hits);
    // For one character a subsequence is a substring: nothing more to find.
    if (!hits.full && q.length > 1) this.collectSubsequences(q, hits);

    const out: SearchHit[] = [];
    for (let t = TIER_COUNT - 1; t >= 1 && out.length < limit; t--) {
      for (const r of hits.tiers[t]!) {
        if (out.length >= limit) break;
        out.push({
          mod: this.table.entry(r),
          score: t,
          nameMatches: matchRanges(this.lowerNames[r]!, this.names[r]!, q),
          titleMatches: matchRanges(this.lowerTitles[r]!, this.titles[r]!, q),
        });
      }
    }
    return out;
  }

  /**
   * Up to `limit` mods whose names are closest to `name` (edit distance counting a swap
   * of neighbours as one edit, ignoring case and the choice of separator), nearest first,
   * then most downloaded. At most 1 edit for names up to 4 characters, 2 up to 9, else 3.
   */
  closest(name: string, limit: number): ModSummary[] {
    const target = lowerKeepingLength(name.trim());
    if (target === '' || limit <= 0) return [];
    const max = allowedEdits(target.length);
    const targetMask = foldSpace(maskOf(target));
    const found: { rank: number; distance: number }[] = [];
    let rows = new Int32Array(3 * 64);
    const shared = this.sharedPairCounts(target);
    // One edit removes at most three of the target's distinct character pairs (a swap of
    // neighbours touches three), so a close name shares all but 3 * max of them.
    const needShared = shared === undefined ? 0 : shared.pairs - 3 * max;
    for (let r = 0; r < this.size; r++) {
      if (needShared > 0 && shared!.counts[r]! < needShared) continue;
      const candidate = this.lowerNames[r]!;
      if (Math.abs(candidate.length - target.length) > max) continue;
      // Each character class present on one side only costs at least one edit.
      const mask = foldSpace(this.nameMasks[r]!);
      if (popcount(mask & ~targetMask) > max || popcount(targetMask & ~mask) > max) continue;
      if (3 * (candidate.length + 1) > rows.length) rows = new Int32Array(3 * (candidate.length + 1));
      const distance = boundedDistance(target, candidate, max, rows);
      if (distance <= max) found.push({ rank: r, distance });
    }
    found.sort((a, b) => a.distance - b.distance || a.rank - b.rank);
    return found.slice(0, limit).map((f) => this.table.entry(f.rank));
  }

  // ---- the stages of a search, best matches first ----

  private collectExact(q: string, hits: Collected): void {
    for (const r of this.nameTable.find(q)) {
      if (!hits.full) hits.take(r, MatchTier.exactName);
    }
    for (const r of this.titleTable.find(q)) {
      if (!hits.full && !hits.taken.has(r)) hits.take(r, MatchTier.exactTitle);
    }
  }

  /** Prefix and word-start matches, each tier from the posting list of its position. */
  private collectPositional(q: string, hits: Collected): void {
    const key = leadingKey(q);
    const qMask = maskOf(q);
    const names = this.lowerNames;
    const titles = this.lowerTitles;
    // The masks turn most candidates away before any string is looked at.
    const nameMasks = this.nameMasks;
    const textMasks = this.textMasks;
    const inName = (r: number): boolean => (nameMasks[r]! & qMask) === qMask;
    const inText = (r: number): boolean => (textMasks[r]! & qMask) === qMask;
    this.collectFrom(PostingKind.nameStart, key, MatchTier.prefixName, hits, (r) => inName(r) && names[r]!.startsWith(q));
    this.collectFrom(PostingKind.titleStart, key, MatchTier.prefixTitle, hits, (r) => inText(r) && titles[r]!.startsWith(q));
    this.collectFrom(
      PostingKind.nameWord,
      key,
      MatchTier.wordStartName,
      hits,
      (r) => inName(r) && hasInnerWordStart(names[r]!, this.names[r]!, q),
    );
    this.collectFrom(
      PostingKind.titleWord,
      key,
      MatchTier.wordStartTitle,
      hits,
      (r) => inText(r) && hasInnerWordStart(titles[r]!, this.titles[r]!, q),
    );
  }

  private collectFrom(kind: PostingKind, key: number, tier: number, hits: Collected, matches: (rank: number) => boolean): void {
    if (hits.full) return;
    this.postings.each(kind, key, (r) => {
      if (!hits.taken.has(r) && matches(r)) hits.take(r, tier);
      return hits.full;
    });
  }

  /**
   * Plain substrings. Every better match has been taken by now (a stage is only left
   * unfinished when the limit is reached), so what is left is a name or a title match.
   */
  private collectSubstrings(q: string, hits: Collected): void {
    const need = hits.limit - hits.total;
    const qMask = maskOf(q);
    const nameMasks = this.nameMasks;
    const inNames: number[] = [];
    const inTitles: number[] = [];
    const consider = (r: number): boolean => {
      if (hits.taken.has(r)) return false;
      if ((nameMasks[r]! & qMask) === qMask && this.lowerNames[r]!.includes(q)) inNames.push(r);
      else if (inTitles.length < need && this.lowerTitles[r]!.includes(q)) inTitles.push(r);
      // Later ranks have fewer downloads: once name matches fill the need, nothing can beat them.
      return inNames.length >= need;
    };
    if (q.length === 1) {
      const bit = maskBit(q.charCodeAt(0));
      const masks = this.textMasks;
      for (let r = 0; r < this.size; r++) {
        if ((masks[r]! & bit) !== 0 && consider(r)) break;
      }
    } else {
      const candidates = this.pairCandidates(q);
      for (let i = 0; i < candidates.length; i++) if (consider(candidates[i]!)) break;
    }
    for (const r of inNames) hits.take(r, MatchTier.substringName);
    for (const r of inTitles) if (!hits.full) hits.take(r, MatchTier.substringTitle);
  }

  private collectSubsequences(q: string, hits: Collected): void {
    const need = hits.limit - hits.total;
    const qMask = maskOf(q);
    const inNames: number[] = [];
    const inTitles: number[] = [];
    for (let r = 0; r < this.size; r++) {
      if ((this.textMasks[r]! & qMask) !== qMask || hits.taken.has(r)) continue;
      if ((this.nameMasks[r]! & qMask) === qMask && isSubsequence(this.lowerNames[r]!, q)) {
        inNames.push(r);
        if (inNames.length >= need) break;
      } else if (inTitles.length < need && isSubsequence(this.lowerTitles[r]!, q)) {
        inTitles.push(r);
      }
    }
    for (const r of inNames) hits.take(r, MatchTier.subsequenceName);
    for (const r of inTitles) if (!hits.full) hits.take(r, MatchTier.subsequenceTitle);
  }

  /**
   * Mods holding every one of the query's rarest three character pairs (anywhere), in
   * rank order: the intersection is usually far smaller than any one list.
   */
  private pairCandidates(q: string): Int32Array {
    const keys = new Set<number>();
    let prev = charClass(q.charCodeAt(0));
    for (let i = 1; i < q.length; i++) {
      const cur = charClass(q.charCodeAt(i));
      keys.add(pairKey(prev, cur));
      prev = cur;
    }
    const lists = [...keys].sort((a, b) => this.postings.size(PostingKind.anyPair, a) - this.postings.size(PostingKind.anyPair, b));
    let result = this.postings.ranks(PostingKind.anyPair, lists[0]!);
    for (const key of lists.slice(1, 3)) {
      if (result.length === 0) break;
      result = this.intersect(result, key);
    }
    return result;
  }

  /** For each rank, how many of the text's distinct character pairs its name or title holds. */
  private sharedPairCounts(text: string): { counts: Uint8Array; pairs: number } | undefined {
    if (text.length < 2) return undefined;
    const seen = new Set<number>();
    let prev = charClass(text.charCodeAt(0));
    for (let i = 1; i < text.length; i++) {
      const cur = charClass(text.charCodeAt(i));
      seen.add(pairKey(prev, cur));
      prev = cur;
    }
    if (seen.size > 255) return undefined;
    const counts = new Uint8Array(this.size);
    for (const key of seen) {
      this.postings.each(PostingKind.anyPair, key, (r) => {
        counts[r]!++;
      });
    }
    return { counts, pairs: seen.size };
  }

  /** The ranks of `small` (ascending) that the pair list `key` holds too: one pass through the list. */
  private intersect(small: Int32Array, key: number): Int32Array {
    const out = new Int32Array(small.length);
    let count = 0;
    let i = 0;
    this.postings.each(PostingKind.anyPair, key, (r) => {
      while (i < small.length && small[i]! < r) i++;
      if (i >= small.length) return true;
      if (small[i] === r) out[count++] = r;
      return false;
    });
    return out.subarray(0, count);
  }
}

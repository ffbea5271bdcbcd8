// Name search over the whole mod list (the portal has no text search). It runs on every
// keystroke of a completion, over 50,000 mods. How a query matches a mod and what the
// match is worth is searchMatch.ts; which mods are worth asking about is
// searchCollect.ts; this file holds the index they read: mods sorted by downloads, a
// table of names (case and separators aside), and posting lists of first letters, word
// starts and character pairs (postings.ts).

import { PostingKind, Postings, TextTable, buildCharIndex, isSortedByDownloads, sortByDownloads } from './postings';
import { collectBest, pairKeysOf, type Searchable } from './searchCollect';
import { KIND_WEIGHT, MatchKind, foldText, highlightRanges, matchScratch, popularity, prepareQuery } from './searchMatch';
import * as text from './searchText';
import type { MatchRange } from './searchText';
import type { ModSummary } from './summary';

// Local bindings: in a per-file build (tests, the bench) every use of an imported name
// goes through a getter, which the candidate loops would pay on every mod.
const allowedEdits = text.allowedEdits;
const boundedDistance = text.boundedDistance;
const lowerKeepingLength = text.lowerKeepingLength;
const maskOf = text.maskOf;
const popcount = text.popcount;
const foldSpace = text.foldSpace;

export { lowerKeepingLength, type MatchRange } from './searchText';

export interface SearchHit {
  mod: ModSummary;
  /** Higher is better: match weight plus popularity (searchMatch.ts, scoreMod). */
  score: number;
  nameMatches: MatchRange[];
  titleMatches: MatchRange[];
}

/**
 * For "did you mean", what one edit costs against popularity: what a typo costs against
 * a prefix in search, so both lists order near-misses alike.
 */
const EDIT_WEIGHT = KIND_WEIGHT[MatchKind.prefix] - KIND_WEIGHT[MatchKind.typo];

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

export class ModIndex implements Searchable {
  /** Sorted by downloads, most first. A mod's position is its rank. */
  private readonly table: ModTable;
  readonly names: readonly string[];
  readonly titles: readonly string[];
  readonly downloads: ArrayLike<number>;
  /** Names by their folded form (lower case letters and digits): exact lookups in any case, with any separators. */
  private readonly nameTable: TextTable;
  /** Character-class masks of name and of name + title, by rank. */
  readonly nameMasks: Int32Array;
  readonly textMasks: Int32Array;
  readonly postings: Postings;
  readonly seen: Uint8Array;

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
    this.downloads = table.downloads;
    this.nameTable = new TextTable(this.names, foldText);
    this.seen = new Uint8Array(table.size);
    if (usable) {
      this.postings = new Postings(snapshot.postingStart, snapshot.postingCounts, snapshot.postingBytes);
      this.nameMasks = snapshot.nameMasks;
      this.textMasks = snapshot.textMasks;
    } else {
      // Lower-cased texts are only needed while building: search reads the originals.
      const n = table.size;
      const lowerNames = new Array<string>(n);
      const lowerTitles = new Array<string>(n);
      for (let r = 0; r < n; r++) {
        lowerNames[r] = lowerKeepingLength(this.names[r]!);
        lowerTitles[r] = lowerKeepingLength(this.titles[r]!);
      }
      ({ postings: this.postings, nameMasks: this.nameMasks, textMasks: this.textMasks } = buildCharIndex(this.names, this.titles, lowerNames, lowerTitles));
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
    for (const r of this.nameTable.find(foldText(name))) {
      if (this.names[r] === name) return r;
    }
    return undefined;
  }

  /** For "did you mean": the mod whose name differs only in case (the most downloaded if several). */
  findByNameInsensitive(name: string): ModSummary | undefined {
    const lower = lowerKeepingLength(name);
    const r = this.nameTable.find(foldText(name)).find((rank) => lowerKeepingLength(this.names[rank]!) === lower);
    return r === undefined ? undefined : this.table.entry(r);
  }

  /** Every mod, most downloaded first. */
  all(): readonly ModSummary[] {
    return this.table.all();
  }

  /** Ranks whose name is `folded` (case and separators aside), for searchCollect. */
  exactNames(folded: string): readonly number[] {
    return this.nameTable.find(folded);
  }

  /**
   * Mods whose name or title matches `query`, best first: by score (searchMatch.ts: how
   * it matched, weighed with downloads), then the order of the list the index was built
   * from. An exact name is always first. An empty query gives the most downloaded mods.
   */
  search(query: string, limit: number): SearchHit[] {
    if (limit <= 0 || this.size === 0) return [];
    const q = prepareQuery(query);
    if (q.folded === '') {
      const top: SearchHit[] = [];
      for (let r = 0; r < Math.min(limit, this.size); r++) top.push({ mod: this.table.entry(r), score: popularity(this.downloads[r]!), nameMatches: [], titleMatches: [] });
      return top;
    }
    const scratch = matchScratch();
    return collectBest(this, q, limit).map(({ rank, score }) => ({
      mod: this.table.entry(rank),
      score,
      nameMatches: highlightRanges(this.names[rank]!, q, scratch),
      titleMatches: highlightRanges(this.titles[rank]!, q, scratch),
    }));
  }

  /**
   * Up to `limit` mods whose names are closest to `name` (edit distance counting a swap
   * of neighbours as one edit, ignoring case and the choice of separator), ranked as
   * search ranks a typo: nearest first unless a farther name is far more downloaded
   * (EDIT_WEIGHT). At most 1 edit for names up to 4 characters, 2 up to 9, else 3.
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
      if (Math.abs(this.names[r]!.length - target.length) > max) continue;
      // Each character class present on one side only costs at least one edit.
      const mask = foldSpace(this.nameMasks[r]!);
      if (popcount(mask & ~targetMask) > max || popcount(targetMask & ~mask) > max) continue;
      const candidate = lowerKeepingLength(this.names[r]!);
      if (3 * (candidate.length + 1) > rows.length) rows = new Int32Array(3 * (candidate.length + 1));
      const distance = boundedDistance(target, candidate, max, rows);
      if (distance <= max) found.push({ rank: r, distance });
    }
    // Nearer first, unless a farther name is far more popular: each edit costs EDIT_WEIGHT.
    const worth = (f: { rank: number; distance: number }): number => popularity(this.downloads[f.rank]!) - EDIT_WEIGHT * f.distance;
    found.sort((a, b) => worth(b) - worth(a) || a.rank - b.rank);
    return found.slice(0, limit).map((f) => this.table.entry(f.rank));
  }

  /** For each rank, how many of the text's distinct character pairs its name or title holds. */
  private sharedPairCounts(text: string): { counts: Uint8Array; pairs: number } | undefined {
    if (text.length < 2) return undefined;
    const seen = pairKeysOf(text);
    if (seen.size > 255) return undefined;
    const counts = new Uint8Array(this.size);
    for (const key of seen) {
      this.postings.each(PostingKind.anyPair, key, (r) => {
        counts[r]!++;
      });
    }
    return { counts, pairs: seen.size };
  }
}

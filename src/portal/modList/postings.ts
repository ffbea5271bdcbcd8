// The lookup structures behind ModIndex, in typed arrays: they build in a few tens of
// milliseconds at 50,000 mods and hold no per-entry objects for the collector to walk.

import * as text from './searchText';

// Local bindings: in a per-file build (tests, the bench) every use of an imported name
// goes through a getter, which the hot loops below would pay millions of times.
const CLASSES = text.CLASSES;
const charClass = text.charClass;
const maskBit = text.maskBit;
const startsWord = text.startsWord;

/** Which position of a name or title a posting list is about. */
export const PostingKind = {
  /** The first character (or pair) of the name. */
  nameStart: 0,
  titleStart: 1,
  /** The first character (or pair) of a later word of the name. */
  nameWord: 2,
  titleWord: 3,
  /** A character pair anywhere in name or title. */
  anyPair: 4,
} as const;
export type PostingKind = (typeof PostingKind)[keyof typeof PostingKind];

const KINDS = 5;
/** Per kind: one key per character class, then one per class pair. */
const KEYS_PER_KIND = CLASSES + CLASSES * CLASSES;
/** Number of posting lists; part of the saved index's identity. */
export const SLOTS = KINDS * KEYS_PER_KIND;

export function unigramKey(cls: number): number {
  return cls;
}

export function pairKey(first: number, second: number): number {
  return CLASSES + first * CLASSES + second;
}

/** The key of the first character (one-character text) or first pair of `text`. */
export function leadingKey(text: string): number {
  const first = charClass(text.charCodeAt(0));
  return text.length === 1 ? unigramKey(first) : pairKey(first, charClass(text.charCodeAt(1)));
}

/**
 * Ranks (ascending: most downloaded first) per kind and key. Each list is stored as the
 * gaps between its ranks, 7 bits a byte (most gaps fit one byte): a quarter of the memory
 * of 32-bit ranks, read in order as cheaply.
 */
export class Postings {
  constructor(
    /** Where each list starts in `bytes`; the last is the end of the last list. */
    readonly start: Int32Array,
    /** How many ranks each list holds. */
    readonly counts: Int32Array,
    readonly bytes: Uint8Array,
  ) {}

  /** Ranks grouped by slot (`start` indexes `ranks`), packed. */
  static pack(start: Int32Array, ranks: Int32Array): Postings {
    const counts = new Int32Array(SLOTS);
    let size = 0;
    for (let s = 0; s < SLOTS; s++) {
      counts[s] = start[s + 1]! - start[s]!;
      let prev = -1;
      for (let i = start[s]!; i < start[s + 1]!; i++) {
        size += varintSize(ranks[i]! - prev);
        prev = ranks[i]!;
      }
    }
    const bytes = new Uint8Array(size);
    const byteStart = new Int32Array(SLOTS + 1);
    let at = 0;
    for (let s = 0; s < SLOTS; s++) {
      byteStart[s] = at;
      let prev = -1;
      for (let i = start[s]!; i < start[s + 1]!; i++) {
        let gap = ranks[i]! - prev;
        prev = ranks[i]!;
        while (gap >= 0x80) {
          bytes[at++] = (gap & 0x7f) | 0x80;
          gap >>>= 7;
        }
        bytes[at++] = gap;
      }
    }
    byteStart[SLOTS] = at;
    return new Postings(byteStart, counts, bytes);
  }

  /**
   * Whether arrays (read back from a file) have the shape this build of the code makes:
   * every list in bounds, its ranks ascending below `ranks`, as many as it says.
   */
  static fits(start: Int32Array, counts: Int32Array, bytes: Uint8Array, ranks: number): boolean {
    if (start.length !== SLOTS + 1 || counts.length !== SLOTS || start[0] !== 0 || start[SLOTS] !== bytes.length) return false;
    for (let s = 0; s < SLOTS; s++) {
      const end = start[s + 1]!;
      if (end < start[s]!) return false;
      let rank = -1;
      let n = 0;
      let at = start[s]!;
      while (at < end) {
        let b = bytes[at++]!;
        let gap = b & 0x7f;
        for (let shift = 7; b & 0x80; shift += 7) {
          if (at >= end || shift > 28) return false;
          b = bytes[at++]!;
          gap |= (b & 0x7f) << shift;
        }
        rank += gap;
        if (gap <= 0 || rank >= ranks) return false;
        n++;
      }
      if (n !== counts[s]) return false;
    }
    return true;
  }

  from(kind: PostingKind, key: number): number {
    return this.start[kind * KEYS_PER_KIND + key]!;
  }

  to(kind: PostingKind, key: number): number {
    return this.start[kind * KEYS_PER_KIND + key + 1]!;
  }

  size(kind: PostingKind, key: number): number {
    return this.counts[kind * KEYS_PER_KIND + key]!;
  }

  /**
   * Calls `visit` with the list's ranks in order until it returns true. The decoding is
   * inlined here, once, rather than in every loop that reads a list.
   */
  each(kind: PostingKind, key: number, visit: (rank: number) => boolean | void): void {
    const bytes = this.bytes;
    const end = this.to(kind, key);
    let at = this.from(kind, key);
    let rank = -1;
    while (at < end) {
      let b = bytes[at++]!;
      let gap = b & 0x7f;
      for (let shift = 7; b & 0x80; shift += 7) {
        b = bytes[at++]!;
        gap |= (b & 0x7f) << shift;
      }
      rank += gap;
      if (visit(rank) === true) return;
    }
  }

  /** The whole list, unpacked. */
  ranks(kind: PostingKind, key: number): Int32Array {
    const out = new Int32Array(this.size(kind, key));
    let i = 0;
    this.each(kind, key, (rank) => {
      out[i++] = rank;
    });
    return out;
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value >>>= 7;
    size++;
  }
  return size;
}

export interface CharIndex {
  postings: Postings;
  /** Character-class masks of the name, and of name and title together, by rank. */
  nameMasks: Int32Array;
  textMasks: Int32Array;
}


/**
 * Reads every name and title once: the slots each rank belongs to go to a scratch
 * buffer (each slot once per rank) while the lists are counted, then a second pass over
 * that buffer alone places the ranks.
 */
export function buildCharIndex(names: readonly string[], titles: readonly string[], lowerNames: readonly string[], lowerTitles: readonly string[]): CharIndex {
  const n = names.length;
  const nameMasks = new Int32Array(n);
  const textMasks = new Int32Array(n);
  const rankEnd = new Int32Array(n);
  const state: ScanState = {
    start: new Int32Array(SLOTS + 1),
    lastRank: new Int32Array(SLOTS).fill(-1),
    buffer: new Int32Array(1 << 20),
    used: 0,
  };
  const nameStart = PostingKind.nameStart * KEYS_PER_KIND;
  const nameWord = PostingKind.nameWord * KEYS_PER_KIND;
  const titleStart = PostingKind.titleStart * KEYS_PER_KIND;
  const titleWord = PostingKind.titleWord * KEYS_PER_KIND;
  for (let r = 0; r < n; r++) {
    const name = lowerNames[r]!;
    const title = lowerTitles[r]!;
    // Room for the most a rank can add: three slots per character.
    const room = state.used + 3 * (name.length + title.length) + 6;
    if (room > state.buffer.length) {
      const grown = new Int32Array(Math.max(state.buffer.length * 2, room));
      grown.set(state.buffer.subarray(0, state.used));
      state.buffer = grown;
    }
    const nameMask = scanField(name, names[r]!, nameStart, nameWord, r, state);
    nameMasks[r] = nameMask;
    textMasks[r] = nameMask | scanField(title, titles[r]!, titleStart, titleWord, r, state);
    rankEnd[r] = state.used;
  }
  const { start, buffer } = state;
  for (let s = 0; s < SLOTS; s++) start[s + 1]! += start[s]!;
  const fill = start.slice(0, SLOTS);
  const ranks = new Int32Array(start[SLOTS]!);
  let i = 0;
  for (let r = 0; r < n; r++) {
    const end = rankEnd[r]!;
    for (; i < end; i++) ranks[fill[buffer[i]!]!++] = r;
  }
  return { postings: Postings.pack(start, ranks), nameMasks, textMasks };
}

interface ScanState {
  /** Counts per slot (shifted by one, turned into starts later). */
  start: Int32Array;
  /** The last rank added to each slot, so a rank is added once. */
  lastRank: Int32Array;
  /** The slots of every rank, in rank order. */
  buffer: Int32Array;
  used: number;
}

/**
 * The slots of one name or title: its first character and pair, those of later words,
 * and every pair. Returns the field's character mask. A function of its own, called per
 * field, so the engine optimises it early instead of midway through one long loop.
 */
function scanField(lower: string, original: string, startBase: number, wordBase: number, r: number, state: ScanState): number {
  const { start, lastRank, buffer } = state;
  let used = state.used;
  const anyBase = PostingKind.anyPair * KEYS_PER_KIND + CLASSES;
  const length = lower.length;
  let mask = 0;
  let code = length > 0 ? lower.charCodeAt(0) : 0;
  let cls = charClass(code);
  let originalPrev = 0;
  for (let i = 0; i < length; i++) {
    mask |= maskBit(code);
    const nextCode = i + 1 < length ? lower.charCodeAt(i + 1) : -1;
    const next = nextCode >= 0 ? charClass(nextCode) : -1;
    const originalCode = original.charCodeAt(i);
    const base = i === 0 ? startBase : startsWord(originalPrev, originalCode) ? wordBase : -1;
    if (base >= 0) {
      let slot = base + cls;
      if (lastRank[slot] !== r) {
        lastRank[slot] = r;
        start[slot + 1]!++;
        buffer[used++] = slot;
      }
      if (next >= 0) {
        slot = base + CLASSES + cls * CLASSES + next;
        if (lastRank[slot] !== r) {
          lastRank[slot] = r;
          start[slot + 1]!++;
          buffer[used++] = slot;
        }
      }
    }
    if (next >= 0) {
      const slot = anyBase + cls * CLASSES + next;
      if (lastRank[slot] !== r) {
        lastRank[slot] = r;
        start[slot + 1]!++;
        buffer[used++] = slot;
      }
    }
    originalPrev = originalCode;
    code = nextCode;
    cls = next;
  }
  state.used = used;
  return mask;
}

/** Whether downloads are already most first (as `sortByDownloads` leaves entries). */
export function isSortedByDownloads(downloads: ArrayLike<number>): boolean {
  for (let i = 1; i < downloads.length; i++) {
    if (downloads[i]! > downloads[i - 1]!) return false;
  }
  return true;
}

/**
 * Most downloaded first; equal downloads keep the input order. Sorting packed numbers
 * instead of calling a comparator keeps this in the low milliseconds at 50,000 mods.
 */
export function sortByDownloads<T extends { readonly downloads_count: number }>(entries: readonly T[]): T[] {
  const n = entries.length;
  let max = 0;
  for (const mod of entries) if (mod.downloads_count > max) max = mod.downloads_count;
  const safe = Number.isSafeInteger(max) && max * (n + 1) + n < Number.MAX_SAFE_INTEGER;
  if (!safe) return entries.slice().sort((a, b) => b.downloads_count - a.downloads_count);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = entries[i]!.downloads_count;
    keys[i] = (max - (d > 0 ? Math.floor(d) : 0)) * n + i;
  }
  keys.sort();
  const out = new Array<T>(n);
  for (let r = 0; r < n; r++) out[r] = entries[keys[r]! % n]!;
  return out;
}

/**
 * An open-addressing hash set of texts by rank: far cheaper to build than a Map of
 * 50,000 strings, and a lookup is a hash and a comparison or two.
 */
export class TextTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly texts: readonly string[]) {
    let size = 16;
    while (size < texts.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let r = 0; r < texts.length; r++) {
      let slot = hashText(texts[r]!) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = r + 1;
    }
  }

  /** Ranks whose text equals `text`, ascending (probing meets them in insertion order). */
  find(text: string): number[] {
    const out: number[] = [];
    for (let slot = hashText(text) & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      const r = this.slots[slot]! - 1;
      if (this.texts[r] === text) out.push(r);
    }
    return out;
  }
}

/** FNV-1a over UTF-16 code units. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

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
  /** The first two initials (first letters of words) of the name, or of the title. */
  nameInitials: 5,
  titleInitials: 6,
} as const;
export type PostingKind = (typeof PostingKind)[keyof typeof PostingKind];

const KINDS = 7;
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

/** The key of the first character (one-character text) or first pair of `text` (letters and digits only: folded text). */
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

  /** The list unpacked, up to rank `last` (the whole list by default). */
  ranks(kind: PostingKind, key: number, last = Infinity): Int32Array {
    const out = new Int32Array(this.size(kind, key));
    let i = 0;
    this.each(kind, key, (rank) => {
      if (rank > last) return true;
      out[i++] = rank;
      return false;
    });
    return out.subarray(0, i);
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
  const nameInitials = PostingKind.nameInitials * KEYS_PER_KIND;
  const titleInitials = PostingKind.titleInitials * KEYS_PER_KIND;
  for (let r = 0; r < n; r++) {
    const name = lowerNames[r]!;
    const title = lowerTitles[r]!;
    // Room for the most a rank can add: three slots per character, an initials pair per field.
    const room = state.used + 3 * (name.length + title.length) + 8;
    if (room > state.buffer.length) {
      const grown = new Int32Array(Math.max(state.buffer.length * 2, room));
      grown.set(state.buffer.subarray(0, state.used));
      state.buffer = grown;
    }
    const nameMask = scanField(name, names[r]!, nameStart, nameWord, nameInitials, r, state);
    nameMasks[r] = nameMask;
    textMasks[r] = nameMask | scanField(title, titles[r]!, titleStart, titleWord, titleInitials, r, state);
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
 * its first two initials, and every pair. Start and word pairs are of letters and digits
 * only (a separator is skipped: `a-b` starts with the pair `ab`), as queries are
 * compared with separators folded away; the first start is the first letter or digit.
 * Returns the field's character mask. A function of its own, called per field, so the
 * engine optimises it early instead of midway through one long loop.
 */
function scanField(lower: string, original: string, startBase: number, wordBase: number, initialsBase: number, r: number, state: ScanState): number {
  const anyBase = PostingKind.anyPair * KEYS_PER_KIND + CLASSES;
  const length = lower.length;
  let mask = 0;
  let started = false;
  let firstInitial = -1;
  let initials = 0;
  for (let i = 0; i < length; i++) {
    const code = lower.charCodeAt(i);
    mask |= maskBit(code);
    const cls = charClass(code);
    const nextCode = i + 1 < length ? lower.charCodeAt(i + 1) : -1;
    if (nextCode >= 0) addSlot(state, anyBase + cls * CLASSES + charClass(nextCode), r);
    if (!isWordCode(original.charCodeAt(i))) continue;
    const base = !started ? startBase : startsWord(original.charCodeAt(i - 1), original.charCodeAt(i)) ? wordBase : -1;
    started = true;
    if (base < 0) continue;
    addSlot(state, base + cls, r);
    let j = i + 1;
    while (j < length && !isWordCode(original.charCodeAt(j))) j++;
    if (j < length) addSlot(state, base + CLASSES + cls * CLASSES + charClass(lower.charCodeAt(j)), r);
    if (initials === 0) firstInitial = cls;
    else if (initials === 1) addSlot(state, initialsBase + CLASSES + firstInitial * CLASSES + cls, r);
    initials++;
  }
  return mask;
}

/** Adds rank `r` to a slot's count and the scratch buffer, once per rank. */
function addSlot(state: ScanState, slot: number, r: number): void {
  if (state.lastRank[slot] === r) return;
  state.lastRank[slot] = r;
  state.start[slot + 1]!++;
  state.buffer[state.used++] = slot;
}

/** Letters, digits and anything beyond ASCII: what a word is made of (as in searchMatch.ts). */
function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code > 127;
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

  /** `key`: what is compared (a folded form of the text, say); the texts themselves by default. */
  constructor(
    private readonly texts: readonly string[],
    private readonly key: (text: string) => string = (text) => text,
  ) {
    let size = 16;
    while (size < texts.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let r = 0; r < texts.length; r++) {
      let slot = hashText(key(texts[r]!)) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = r + 1;
    }
  }

  /** Ranks whose text's key equals `key`, ascending (probing meets them in insertion order). */
  find(key: string): number[] {
    const out: number[] = [];
    for (let slot = hashText(key) & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      const r = this.slots[slot]! - 1;
      if (this.key(this.texts[r]!) === key) out.push(r);
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

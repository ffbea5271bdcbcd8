// Text primitives of the name search: character classes and masks (the prefilters),
// case folding that keeps indices, word starts, match ranges, and the bounded edit
// distance behind "did you mean".

/** A [start, end) range of UTF-16 code units in the original name or title. */
export type MatchRange = [start: number, end: number];

// Character classes for the pair index and the masks. Merging classes only makes the
// index a looser prefilter; every candidate is verified against the real text.
const CLASS_SEPARATOR = 36;
const CLASS_OTHER = 37;
export const CLASSES = 38;

export function charClass(code: number): number {
  if (code >= 97 && code <= 122) return code - 97;
  if (code >= 48 && code <= 57) return 26 + code - 48;
  if (code === 32 || code === 45 || code === 95) return CLASS_SEPARATOR;
  return CLASS_OTHER;
}

/** One bit per letter, one for any digit, one for dash or underscore, one for space, one for anything else. */
export function maskBit(code: number): number {
  if (code >= 97 && code <= 122) return 1 << (code - 97);
  if (code >= 48 && code <= 57) return 1 << 26;
  if (code === 45 || code === 95) return 1 << 27;
  // Spaces get a bit of their own: titles have them, names almost never.
  if (code === 32) return SPACE_BIT;
  return 1 << 28;
}

const SPACE_BIT = 1 << 29;
const DASH_BIT = 1 << 27;

/** A mask in which a space counts as a dash, for comparisons that treat them alike. */
export function foldSpace(mask: number): number {
  return mask & SPACE_BIT ? (mask & ~SPACE_BIT) | DASH_BIT : mask;
}

export function maskOf(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= maskBit(text.charCodeAt(i));
  return mask;
}

export function popcount(x: number): number {
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
export function isWordStart(original: string, i: number): boolean {
  return i === 0 || startsWord(original.charCodeAt(i - 1), original.charCodeAt(i));
}

/** Whether a word starts at a character `cur` that follows `prev` (original case). */
export function startsWord(prev: number, cur: number): boolean {
  if (!isAlnum(prev)) return true;
  if (isUpper(cur) && !isUpper(prev)) return true;
  const prevDigit = prev >= 48 && prev <= 57;
  const curDigit = cur >= 48 && cur <= 57;
  return prevDigit !== curDigit && isAlnum(cur);
}

export function isSubsequence(lower: string, q: string): boolean {
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

export function matchRanges(lower: string, original: string, q: string): MatchRange[] {
  const ranges = substringRanges(lower, original, q);
  return ranges.length > 0 ? ranges : subsequenceRanges(lower, q);
}

/**
 * Edit distance where swapping two neighbours counts as one edit (the commonest typo),
 * or `max + 1` as soon as it must exceed `max`. `rows` holds three rows of scratch space.
 */
export function boundedDistance(a: string, b: string, max: number, rows: Int32Array): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  let before = 0; // row i-2
  let prev = width; // row i-1
  let cur = 2 * width; // row i
  for (let j = 0; j <= b.length; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[cur] = i;
    let rowMin = i;
    const ca = looseCode(a.charCodeAt(i - 1));
    for (let j = 1; j <= b.length; j++) {
      const cb = looseCode(b.charCodeAt(j - 1));
      let value = Math.min(rows[prev + j]! + 1, rows[cur + j - 1]! + 1, rows[prev + j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === looseCode(b.charCodeAt(j - 2)) && looseCode(a.charCodeAt(i - 2)) === cb) {
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

/** For "did you mean", space and underscore count as the dash. */
function looseCode(code: number): number {
  return code === 95 || code === 32 ? 45 : code;
}

/** Edits allowed for "did you mean": short names need near-exact matches to be useful. */
export function allowedEdits(length: number): number {
  return length <= 4 ? 1 : length <= 9 ? 2 : 3;
}


/** Whether `q` occurs in `lower` at a word start other than the very beginning. */
export function hasInnerWordStart(lower: string, original: string, q: string): boolean {
  for (let i = lower.indexOf(q, 1); i >= 0; i = lower.indexOf(q, i + 1)) {
    if (isWordStart(original, i)) return true;
  }
  return false;
}

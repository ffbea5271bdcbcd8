// The search index's computed arrays, saved next to the list so a cold start reads them
// instead of rebuilding them. Raw 32-bit integers behind a small header; anything that
// does not match (another list, another layout, another byte order) is refused and the
// index is simply rebuilt.

import { Postings, SLOTS } from './postings';
import type { IndexSnapshot } from './search';

const MAGIC = 0x46_4d_50_49; // "FMPI"
/** Bump when the meaning of the saved arrays changes. */
const INDEX_FORMAT_VERSION = 3;
/** Magic, version, slots, mods, fetchedAt (two), the lengths of the four int arrays and of the bytes. */
const HEADER_INTS = 11;

const TWO_32 = 2 ** 32;

export function encodeIndexSnapshot(snapshot: IndexSnapshot, fetchedAt: number): Uint8Array {
  const parts = [snapshot.postingStart, snapshot.postingCounts, snapshot.nameMasks, snapshot.textMasks];
  const intCount = HEADER_INTS + parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(intCount * 4 + snapshot.postingBytes.length);
  const ints = new Int32Array(out.buffer, 0, intCount);
  ints.set([
    MAGIC,
    INDEX_FORMAT_VERSION,
    SLOTS,
    snapshot.nameMasks.length,
    Math.floor(fetchedAt / TWO_32),
    fetchedAt % TWO_32 | 0,
    ...parts.map((p) => p.length),
    snapshot.postingBytes.length,
  ]);
  let at = HEADER_INTS;
  for (const part of parts) {
    ints.set(part, at);
    at += part.length;
  }
  out.set(snapshot.postingBytes, intCount * 4);
  return out;
}

/**
 * The snapshot saved for the list fetched at `fetchedAt` holding `count` mods, if that is
 * what `bytes` hold. The posting lists are checked whole (in bounds, ranks below `count`),
 * or a search could read past them.
 */
export function decodeIndexSnapshot(bytes: Uint8Array, fetchedAt: number, count: number): IndexSnapshot | undefined {
  if (bytes.byteLength < HEADER_INTS * 4) return undefined;
  // Int32Array views need 4-byte alignment; a file read into a pooled buffer may lack it.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const header = new Int32Array(aligned.buffer, aligned.byteOffset, HEADER_INTS);
  const [magic, version, slots, mods, high, low, ...lengths] = header;
  if (magic !== MAGIC || version !== INDEX_FORMAT_VERSION || slots !== SLOTS || mods !== count) return undefined;
  if (high! * TWO_32 + (low! >>> 0) !== fetchedAt) return undefined;
  const byteCount = lengths.pop()!;
  const intCount = lengths.reduce((sum, l) => sum + l, HEADER_INTS);
  if (lengths.some((l) => l < 0) || byteCount < 0 || intCount * 4 + byteCount !== aligned.byteLength) return undefined;
  const ints = new Int32Array(aligned.buffer, aligned.byteOffset, intCount);
  const parts: Int32Array[] = [];
  let at = HEADER_INTS;
  for (const length of lengths) {
    parts.push(ints.subarray(at, at + length));
    at += length;
  }
  const [postingStart, postingCounts, nameMasks, textMasks] = parts as [Int32Array, Int32Array, Int32Array, Int32Array];
  const postingBytes = aligned.subarray(intCount * 4);
  if (nameMasks.length !== count || textMasks.length !== count) return undefined;
  if (!Postings.fits(postingStart, postingCounts, postingBytes, count)) return undefined;
  return { postingStart, postingCounts, postingBytes, nameMasks, textMasks };
}

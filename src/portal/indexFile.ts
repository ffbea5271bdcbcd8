// The search index's computed arrays, saved next to the list so a cold start reads them
// instead of rebuilding them. Raw 32-bit integers behind a small header; anything that
// does not match (another list, another layout, another byte order) is refused and the
// index is simply rebuilt.

import { SLOTS } from './postings';
import type { IndexSnapshot } from './search';

const MAGIC = 0x46_4d_50_49; // "FMPI"
/** Bump when the meaning of the saved arrays changes. */
const INDEX_FORMAT_VERSION = 1;
const HEADER_INTS = 10;

const TWO_32 = 2 ** 32;

export function encodeIndexSnapshot(snapshot: IndexSnapshot, fetchedAt: number): Uint8Array {
  const parts = [snapshot.postingStart, snapshot.postingRanks, snapshot.nameMasks, snapshot.textMasks];
  const total = HEADER_INTS + parts.reduce((sum, p) => sum + p.length, 0);
  const ints = new Int32Array(total);
  ints.set([
    MAGIC,
    INDEX_FORMAT_VERSION,
    SLOTS,
    snapshot.nameMasks.length,
    Math.floor(fetchedAt / TWO_32),
    fetchedAt % TWO_32 | 0,
    ...parts.map((p) => p.length),
  ]);
  let at = HEADER_INTS;
  for (const part of parts) {
    ints.set(part, at);
    at += part.length;
  }
  return new Uint8Array(ints.buffer);
}

/** The snapshot saved for the list fetched at `fetchedAt` holding `count` mods, if that is what `bytes` hold. */
export function decodeIndexSnapshot(bytes: Uint8Array, fetchedAt: number, count: number): IndexSnapshot | undefined {
  if (bytes.byteLength < HEADER_INTS * 4 || bytes.byteLength % 4 !== 0) return undefined;
  // Int32Array views need 4-byte alignment; a file read into a pooled buffer may lack it.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const ints = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  const [magic, version, slots, mods, high, low, ...lengths] = ints.subarray(0, HEADER_INTS);
  if (magic !== MAGIC || version !== INDEX_FORMAT_VERSION || slots !== SLOTS || mods !== count) return undefined;
  if (high! * TWO_32 + (low! >>> 0) !== fetchedAt) return undefined;
  if (lengths.reduce((sum, l) => sum + l, HEADER_INTS) !== ints.length) return undefined;
  const parts: Int32Array[] = [];
  let at = HEADER_INTS;
  for (const length of lengths) {
    parts.push(ints.subarray(at, at + length));
    at += length;
  }
  const [postingStart, postingRanks, nameMasks, textMasks] = parts as [Int32Array, Int32Array, Int32Array, Int32Array];
  // Lists must be in bounds and every rank point into the list, or a search could read past them.
  if (postingStart[0] !== 0 || postingStart[postingStart.length - 1] !== postingRanks.length) return undefined;
  for (let i = 1; i < postingStart.length; i++) if (postingStart[i]! < postingStart[i - 1]!) return undefined;
  for (let i = 0; i < postingRanks.length; i++) {
    const rank = postingRanks[i]!;
    if (rank < 0 || rank >= count) return undefined;
  }
  return { postingStart, postingRanks, nameMasks, textMasks };
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIndexSnapshot, encodeIndexSnapshot } from '../../../src/portal/modList/indexFile';
import { Postings } from '../../../src/portal/modList/postings';
import { ModIndex } from '../../../src/portal/modList/search';
import type { ModEntry } from '../../../src/portal/types';

function mods(count: number): ModEntry[] {
  const words = ['rail', 'belt', 'lib', 'Train', 'power', 'solar', 'Quality', 'space'];
  return Array.from({ length: count }, (_, i) => ({
    name: `${words[i % 8]}-${words[(i * 3) % 8]}_${i}`,
    title: `${words[(i * 5) % 8]} ${words[(i + 1) % 8]} ${i}`,
    owner: 'o',
    summary: '',
    downloads_count: (i * 7919) % 1000,
  }));
}

const summary = (index: ModIndex, q: string): string[] => index.search(q, 20).map((h) => `${h.mod.name}:${h.score}`);

test('an index restored from its snapshot answers exactly like a rebuilt one', () => {
  const built = new ModIndex(mods(500));
  const bytes = encodeIndexSnapshot(built.snapshot(), 1_700_000_000_123);
  const snapshot = decodeIndexSnapshot(bytes, 1_700_000_000_123, 500);
  assert.ok(snapshot);
  const restored = new ModIndex(built.all(), snapshot);
  for (const q of ['r', 'rail', 'train', 'lib_1', 'sola', 'qspc', 'pwr', 'zz', 'belt-', 'space 1']) {
    assert.deepEqual(summary(restored, q), summary(built, q), q);
  }
  assert.deepEqual(restored.closest('rail-belt_9', 3), built.closest('rail-belt_9', 3));
  assert.equal(restored.get(built.all()[7]!.name), built.all()[7]);
});

test('a snapshot is refused for another fetch, another size, or damaged bytes', () => {
  const built = new ModIndex(mods(50));
  const bytes = encodeIndexSnapshot(built.snapshot(), 42);
  assert.ok(decodeIndexSnapshot(bytes, 42, 50));
  assert.equal(decodeIndexSnapshot(bytes, 43, 50), undefined);
  assert.equal(decodeIndexSnapshot(bytes, 42, 51), undefined);
  assert.equal(decodeIndexSnapshot(bytes.subarray(0, bytes.length - 4), 42, 50), undefined);
  assert.equal(decodeIndexSnapshot(new Uint8Array(7), 42, 50), undefined);
  // Lists that run past their end, or hold a rank beyond the list, do not fit: the index is rebuilt.
  const fits = (b: Uint8Array): boolean => {
    const s = decodeIndexSnapshot(b, 42, 50);
    return s !== undefined && Postings.fits(s.postingStart, s.postingCounts, s.postingBytes, 50);
  };
  assert.ok(fits(bytes));
  const runsOver = bytes.slice();
  runsOver[runsOver.length - 1] = 0xff;
  assert.equal(fits(runsOver), false);
  const beyond = bytes.slice();
  beyond[beyond.length - 1] = 0x7f;
  assert.equal(fits(beyond), false);
  const restored = new ModIndex(built.all(), decodeIndexSnapshot(beyond, 42, 50));
  assert.deepEqual(summary(restored, 'rail'), summary(built, 'rail'));
  // Misaligned bytes (as from a pooled buffer) are still read.
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  assert.ok(decodeIndexSnapshot(shifted.subarray(1), 42, 50));
});

test('a snapshot that cannot fit the entries is ignored: the index is rebuilt', () => {
  const list = mods(60);
  const built = new ModIndex(list);
  const snapshot = built.snapshot();
  // Entries in another order than all(): the snapshot's ranks would point at the wrong mods.
  const unsorted = [...built.all()].reverse();
  const index = new ModIndex(unsorted, snapshot);
  assert.deepEqual(summary(index, 'rail'), summary(built, 'rail'));
  const shorter = new ModIndex(built.all().slice(1), snapshot);
  assert.equal(shorter.size, 59);
  assert.deepEqual(summary(shorter, 'belt'), summary(new ModIndex(built.all().slice(1)), 'belt'));
});

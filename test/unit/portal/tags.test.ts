import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FullRecord } from '../../../src/portal/cache';
import { PortalError } from '../../../src/portal/errors';
import { MemoryCacheStorage } from '../../../src/portal/storage';
import { TAGS_FILE, TagIndex, type TagIndexOptions, type Timers } from '../../../src/portal/tags';
import type { FullModEntry } from '../../../src/portal/types';
import { fullModEntry } from '../builders';

const DAY = 86_400_000;

/** A clock and timers that move only when told to. */
class FakeTime implements Timers {
  t = 1_700_000_000_000;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves to the next due timer and runs it; false when none is pending. */
  next(): boolean {
    let best: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of this.pending) if (!best || entry[1].at < best[1].at) best = entry;
    if (!best) return false;
    this.pending.delete(best[0]);
    this.t = Math.max(this.t, best[1].at);
    best[1].fn();
    return true;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Runs timers until `done` holds (or fails when nothing is left to run). */
async function runUntil(time: FakeTime, done: () => boolean, maxSteps = 10_000): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    await settle();
    if (done()) return;
    if (!time.next()) {
      await settle();
      if (done()) return;
      assert.fail('no timer left and the condition does not hold');
    }
  }
  assert.fail('too many steps');
}

const mod = (name: string, tags: string[], deprecated = false): FullModEntry => fullModEntry(name, { tags, ...(deprecated ? { deprecated: true } : {}) });

class FakeSource {
  readonly requests: Array<{ name: string; at: number }> = [];
  readonly cached = new Map<string, FullRecord>();
  /** Names that fail this many more times. */
  readonly failing = new Map<string, number>();

  constructor(
    private readonly time: FakeTime,
    private readonly portal: Map<string, FullModEntry>,
  ) {}

  peekFullMod(name: string): FullRecord {
    return this.cached.get(name) ?? { state: 'unknown' };
  }

  async fetchFullMod(name: string): Promise<FullRecord> {
    this.requests.push({ name, at: this.time.now() });
    const left = this.failing.get(name) ?? 0;
    if (left > 0) {
      this.failing.set(name, left - 1);
      return { state: 'unknown', error: new PortalError('http', 'The Mod Portal answered 503') };
    }
    const found = this.portal.get(name);
    const now = this.time.now();
    return found ? { state: 'found', mod: found, fetchedAt: now, stale: false } : { state: 'missing', fetchedAt: now, stale: false };
  }
}

function setup(count: number, options: Partial<TagIndexOptions> = {}) {
  const time = new FakeTime();
  const portal = new Map<string, FullModEntry>();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `mod-${i}`;
    names.push(name);
    portal.set(name, mod(name, i % 2 === 0 ? ['trains', 'logistics'] : ['combat'], i === 3));
  }
  const source = new FakeSource(time, portal);
  const storage = options.storage ?? new MemoryCacheStorage();
  const make = (extra: Partial<TagIndexOptions> = {}): TagIndex =>
    new TagIndex({ source, storage, clock: time, timers: time, ...options, ...extra });
  return { time, portal, names, source, storage, index: make(), make };
}

describe('TagIndex', () => {
  test('checks the most downloaded mods up to the cap, at most two requests a second', async () => {
    const { time, names, source, index } = setup(10, { cap: 5 });
    let done = false;
    void index.setTargets(names).then(() => (done = true));
    await runUntil(time, () => done);
    assert.deepEqual(source.requests.map((r) => r.name), names.slice(0, 5));
    for (let i = 1; i < source.requests.length; i++) {
      const gap = source.requests[i]!.at - source.requests[i - 1]!.at;
      assert.ok(gap >= 500, `requests ${i - 1} and ${i} are ${gap} ms apart`);
    }
    assert.deepEqual(index.coverage(), { checked: 5, target: 5, filling: false, paused: false });
    assert.deepEqual(index.tags(), [
      { tag: 'logistics', count: 3 },
      { tag: 'trains', count: 3 },
      { tag: 'combat', count: 2 },
    ]);
    assert.deepEqual(index.modsWithTag('combat').sort(), ['mod-1', 'mod-3']);
    assert.equal(index.deprecated('mod-3'), true);
    assert.equal(index.deprecated('mod-2'), false);
    assert.equal(index.deprecated('mod-9'), undefined);
  });

  test('full records the cache holds cost no request; stale ones are fetched', async () => {
    const { time, names, source, index, portal } = setup(4);
    source.cached.set('mod-0', { state: 'found', mod: portal.get('mod-0')!, fetchedAt: time.now() - 1000, stale: false });
    source.cached.set('mod-1', { state: 'missing', fetchedAt: time.now() - 1000, stale: false });
    source.cached.set('mod-2', { state: 'found', mod: portal.get('mod-2')!, fetchedAt: time.now() - 2 * DAY, stale: true });
    let done = false;
    void index.setTargets(names).then(() => (done = true));
    await runUntil(time, () => done);
    assert.deepEqual(source.requests.map((r) => r.name), ['mod-2', 'mod-3']);
    assert.equal(index.coverage().checked, 4);
    assert.ok(!index.modsWithTag('combat').includes('mod-1'), 'a missing mod carries no tag');
  });

  test('checks expire after a day and are made again', async () => {
    const { time, names, source, index } = setup(3);
    let done = false;
    void index.setTargets(names).then(() => (done = true));
    await runUntil(time, () => done);
    assert.equal(index.coverage().checked, 3);
    time.t += DAY + 1;
    assert.equal(index.coverage().checked, 0);
    assert.deepEqual(index.tags(), []);
    done = false;
    void index.setTargets(names).then(() => (done = true));
    await runUntil(time, () => done);
    assert.equal(source.requests.length, 6);
    assert.equal(index.coverage().checked, 3);
  });

  test('what was learnt is kept on disk for a day', async () => {
    const first = setup(3);
    let done = false;
    void first.index.setTargets(first.names).then(() => (done = true));
    await runUntil(first.time, () => done);
    await first.index.flush();
    assert.ok(first.storage instanceof MemoryCacheStorage && first.storage.files.has(TAGS_FILE));

    const again = first.make();
    done = false;
    void again.setTargets(first.names).then(() => (done = true));
    await runUntil(first.time, () => done);
    assert.equal(first.source.requests.length, 3, 'no request after a restart within the day');
    assert.equal(again.coverage().checked, 3);
    assert.deepEqual(again.modsWithTag('combat'), ['mod-1']);

    first.time.t += DAY;
    const later = first.make();
    await later.load();
    assert.deepEqual(later.tags(), [], 'entries older than a day are not loaded');
  });

  test('a tags file on disk is decoded as a portal answer is: odd entries and odd tags do not get in', async () => {
    const storage = new MemoryCacheStorage();
    const { time, make } = setup(1, { storage });
    const now = time.now();
    await storage.write(
      TAGS_FILE,
      JSON.stringify({
        version: 1,
        entries: [
          { name: 'good', tags: ['trains', { name: 'combat' }, '', 'trains', null], checkedAt: now },
          { name: '', tags: ['trains'], checkedAt: now },
          { name: 'no-tags', tags: 'trains', checkedAt: now },
          { name: 'bad-time', tags: ['trains'], checkedAt: '1' },
        ],
      }),
    );
    const index = make();
    await index.load();
    assert.deepEqual(index.tagsOf('good'), ['trains', 'combat']);
    for (const name of ['', 'no-tags', 'bad-time']) assert.equal(index.tagsOf(name), undefined, name);
  });

  test('a failing portal is asked less often, not more', async () => {
    const { time, names, source, index } = setup(2, { failureDelayMs: 30_000 });
    source.failing.set('mod-0', 2);
    let done = false;
    void index.setTargets(names).then(() => (done = true));
    await runUntil(time, () => done);
    assert.deepEqual(source.requests.map((r) => r.name), ['mod-0', 'mod-0', 'mod-0', 'mod-1']);
    const gaps = source.requests.slice(1).map((r, i) => r.at - source.requests[i]!.at);
    assert.ok(gaps[0]! >= 30_000 && gaps[1]! >= 60_000, `gaps ${gaps.join(', ')}`);
    assert.equal(index.coverage().checked, 2);
  });

  test('waits while the portal is in back-off', async () => {
    let allowed = false;
    const { time, names, source, index } = setup(2, { mayRequest: () => allowed, failureDelayMs: 10_000 });
    let done = false;
    void index.setTargets(names).then(() => (done = true));
    for (let i = 0; i < 5; i++) {
      await settle();
      time.next();
    }
    assert.equal(source.requests.length, 0);
    allowed = true;
    await runUntil(time, () => done);
    assert.equal(source.requests.length, 2);
  });

  test('stop ends the checks at once; a cap of 0 makes none', async () => {
    const { time, names, source, index } = setup(10);
    let done = false;
    void index.setTargets(names).then(() => (done = true));
    await settle();
    time.next();
    await settle();
    index.stop();
    await runUntil(time, () => done);
    const made = source.requests.length;
    assert.ok(made >= 1 && made < 10, `made ${made}`);
    assert.equal(index.coverage().filling, false);

    const off = setup(10, { cap: 0 });
    await off.index.setTargets(off.names);
    assert.equal(off.source.requests.length, 0);
    assert.deepEqual(off.index.coverage(), { checked: 0, target: 0, filling: false, paused: false });
  });

  test('full entries seen elsewhere count too', () => {
    const { index } = setup(0);
    index.noteFullMod(mod('elsewhere', ['planets']));
    assert.deepEqual(index.modsWithTag('planets'), ['elsewhere']);
    assert.deepEqual(index.tagsOf('elsewhere'), ['planets']);
  });

  test('tells listeners as membership grows', async () => {
    const { time, names, index } = setup(3);
    let events = 0;
    index.onDidChange(() => events++);
    let done = false;
    void index.setTargets(names).then(() => (done = true));
    await runUntil(time, () => done);
    assert.ok(events >= 3, `${events} events`);
  });

  test('paused checks send no request, and resume with the next unchecked mod', async () => {
    const { time, names, source, index } = setup(6);
    let done = false;
    void index.setTargets(names).then(() => (done = true));
    await runUntil(time, () => source.requests.length === 2);
    index.pause();
    assert.equal(index.coverage().paused, true);
    // Every timer runs out, and still no request: the fill waits for resume.
    while (time.next()) await settle();
    await settle();
    assert.equal(done, false);
    assert.equal(source.requests.length, 2);
    assert.equal(index.coverage().filling, true);
    index.resume();
    await runUntil(time, () => done);
    assert.deepEqual(source.requests.map((r) => r.name), names, 'each mod once, in order');
    assert.deepEqual(index.coverage(), { checked: 6, target: 6, filling: false, paused: false });
  });

  test('created paused, nothing is requested until resume; stop ends a paused fill', async () => {
    const { time, names, source, make } = setup(3);
    const index = make({ paused: true });
    let done = false;
    void index.setTargets(names).then(() => (done = true));
    while (time.next()) await settle();
    await settle();
    assert.equal(source.requests.length, 0);
    index.stop();
    await settle();
    assert.equal(done, true);
    assert.equal(source.requests.length, 0);
    index.resume();
    let finished = false;
    void index.setTargets(names).then(() => (finished = true));
    await runUntil(time, () => finished);
    assert.equal(source.requests.length, 3);
  });
});

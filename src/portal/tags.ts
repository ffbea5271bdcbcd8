// Which mods carry which tag. The portal sends tags only on `/full`, one request per
// mod, so membership is built from full records: those already cached cost nothing, and
// the most downloaded mods are checked in the background, one request at a time and at
// most `1000 / minIntervalMs` a second, up to a cap. What was learnt is kept on disk for
// a day, so a restart does not start over. Coverage says how much of the portal the
// membership reflects, since a tag's mod list is only as complete as the checks so far.

import type { Clock, FullRecord } from './cache';
import { normaliseTags } from './decode';
import { Emitter, type Subscription } from './emitter';
import type { CacheStorage } from './storage';
import type { FullModEntry } from './types';
import { messageOf } from '../util/errors';

export interface TagSource {
  peekFullMod(name: string): FullRecord;
  fetchFullMod(name: string, options?: { signal?: AbortSignal }): Promise<FullRecord>;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // Background work must not keep a process alive (tests, the bench).
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface TagIndexOptions {
  source: TagSource;
  storage: CacheStorage;
  clock?: Clock;
  timers?: Timers;
  /** How many of the most downloaded mods are checked. Default 500; 0 turns the background checks off. */
  cap?: number;
  /** Least time between the starts of two requests. Default 500 (2 a second). */
  minIntervalMs?: number;
  /** How long a check stays valid. Default one day. */
  maxAgeMs?: number;
  /** Pause after a failed request, doubled on each further failure up to 32 times. Default 30 s. */
  failureDelayMs?: number;
  /** Lets the status's back-off stop requests while the portal is down. */
  mayRequest?: () => boolean;
  /** Starts paused (see `pause`): the view showing the tags is hidden. */
  paused?: boolean;
  /** Writes to disk wait this long so a burst makes one write. Default 5000. */
  persistDelayMs?: number;
  log?: (message: string) => void;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface TagCoverage {
  /** Target mods (the most downloaded, up to the cap) checked within `maxAgeMs`. */
  checked: number;
  /** How many target mods there are. */
  target: number;
  /** Whether background checks are under way (perhaps paused). */
  filling: boolean;
  /** Whether background checks wait for `resume`. */
  paused: boolean;
}

interface Entry {
  tags: string[];
  deprecated: boolean;
  /** The portal says the mod does not exist (any more). */
  missing: boolean;
  checkedAt: number;
}

export const TAGS_FILE = 'tags.json';
const FORMAT_VERSION = 1;

export class TagIndex {
  private readonly source: TagSource;
  private readonly storage: CacheStorage;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private cap: number;
  private readonly minIntervalMs: number;
  private readonly maxAgeMs: number;
  private readonly failureDelayMs: number;
  private readonly mayRequest: () => boolean;
  private readonly persistDelayMs: number;
  private readonly log: (message: string) => void;
  private readonly emitter: Emitter;
  readonly onDidChange: (listener: () => void) => Subscription;

  private readonly entries = new Map<string, Entry>();
  private targets: string[] = [];
  private loading: Promise<void> | undefined;
  private filling: Promise<void> | undefined;
  /** Bumped by setTargets and stop: a fill of an older generation ends. */
  private generation = 0;
  private lastRequestAt: number | undefined;
  private failures = 0;
  private readonly lifetime = new AbortController();
  private readonly sleeping = new Set<{ handle: unknown; wake: () => void }>();
  private paused: boolean;
  private readonly pauseWaiters = new Set<() => void>();
  private persistHandle: unknown;
  private dirty = false;
  private writes: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(options: TagIndexOptions) {
    this.source = options.source;
    this.storage = options.storage;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.timers = options.timers ?? systemTimers;
    this.cap = Math.max(0, Math.floor(options.cap ?? 500));
    this.minIntervalMs = options.minIntervalMs ?? 500;
    this.maxAgeMs = options.maxAgeMs ?? 86_400_000;
    this.failureDelayMs = options.failureDelayMs ?? 30_000;
    this.mayRequest = options.mayRequest ?? (() => true);
    this.persistDelayMs = options.persistDelayMs ?? 5000;
    this.paused = options.paused === true;
    this.log = options.log ?? (() => undefined);
    this.emitter = new Emitter((e) => this.log(`A tag index listener failed: ${String(e)}`));
    this.onDidChange = this.emitter.event;
  }

  // ---- queries ----

  /** Every tag seen on a checked mod, with how many checked mods carry it, most first. */
  tags(): TagCount[] {
    const counts = new Map<string, number>();
    for (const entry of this.freshEntries()) {
      for (const tag of entry.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1));
  }

  /** Names of checked mods carrying `tag`, in no particular order. */
  modsWithTag(tag: string): string[] {
    const out: string[] = [];
    const now = this.clock.now();
    for (const [name, entry] of this.entries) {
      if (this.isFresh(entry, now) && !entry.missing && entry.tags.includes(tag)) out.push(name);
    }
    return out;
  }

  /** Tags of a checked mod, or undefined when it has not been checked within a day. */
  tagsOf(name: string): readonly string[] | undefined {
    const entry = this.entries.get(name);
    return entry && this.isFresh(entry, this.clock.now()) && !entry.missing ? entry.tags : undefined;
  }

  /** Deprecation as the last check saw it; undefined when unchecked. */
  deprecated(name: string): boolean | undefined {
    const entry = this.entries.get(name);
    return entry && !entry.missing ? entry.deprecated : undefined;
  }

  coverage(): TagCoverage {
    const now = this.clock.now();
    let checked = 0;
    for (const name of this.targets) {
      const entry = this.entries.get(name);
      if (entry && this.isFresh(entry, now)) checked++;
    }
    return { checked, target: this.targets.length, filling: this.filling !== undefined, paused: this.paused };
  }

  // ---- feeding ----

  /** Reads what earlier sessions learnt. Safe to call more than once. */
  load(): Promise<void> {
    this.loading ??= this.read();
    return this.loading;
  }

  /** Records a full entry fetched elsewhere (details, hover), so it counts at no cost. */
  noteFullMod(mod: FullModEntry, fetchedAt: number = this.clock.now()): void {
    if (this.disposed) return;
    this.entries.set(mod.name, { tags: [...(mod.tags ?? [])], deprecated: mod.deprecated === true, missing: false, checkedAt: fetchedAt });
    this.schedulePersist();
    this.emitter.fire();
  }

  /** Changes how many mods are checked in the background (takes effect on the next setTargets). */
  setCap(cap: number): void {
    this.cap = Math.max(0, Math.floor(cap));
  }

  get limit(): number {
    return this.cap;
  }

  /**
   * The mods to check, most downloaded first (only the first `cap` are kept), and starts
   * checking those not checked within a day. Resolves when that fill ends.
   */
  setTargets(names: readonly string[]): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.targets = names.slice(0, this.cap);
    const generation = ++this.generation;
    const previous = this.filling ?? Promise.resolve();
    const run: Promise<void> = previous
      .then(() => this.load())
      .then(() => this.fill(generation))
      .catch((e: unknown) => this.log(`Tag checks stopped: ${messageOf(e)}`))
      .finally(() => {
        if (this.filling === run) {
          this.filling = undefined;
          this.emitter.fire();
        }
      });
    this.filling = run;
    this.wakeAll();
    this.emitter.fire();
    return run;
  }

  /**
   * Holds background checks before their next request (no one looks at the tags now);
   * `resume` goes on with the next unchecked mod. A request under way still completes.
   */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.emitter.fire();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.releasePauseWaiters();
    this.emitter.fire();
  }

  /** Stops background checks; what was learnt stays. */
  stop(): void {
    this.generation++;
    this.wakeAll();
  }

  /** Writes pending changes now. */
  async flush(): Promise<void> {
    if (this.persistHandle !== undefined) this.timers.clearTimeout(this.persistHandle);
    this.persistHandle = undefined;
    if (this.dirty) this.write();
    await this.writes;
  }

  dispose(): void {
    this.stop();
    this.disposed = true;
    this.lifetime.abort();
    void this.flush();
  }

  // ---- internals ----

  private isFresh(entry: Entry, now: number): boolean {
    const age = now - entry.checkedAt;
    return age >= 0 && age < this.maxAgeMs;
  }

  private *freshEntries(): Generator<Entry> {
    const now = this.clock.now();
    for (const entry of this.entries.values()) if (!entry.missing && this.isFresh(entry, now)) yield entry;
  }

  private async fill(generation: number): Promise<void> {
    const current = (): boolean => generation === this.generation && !this.disposed;
    for (let i = 0; i < this.targets.length && current(); i++) {
      const name = this.targets[i]!;
      const held = this.entries.get(name);
      if (held && this.isFresh(held, this.clock.now())) continue;

      // Full records the cache already holds cost nothing.
      if (this.takeFromCache(name)) continue;

      while (current() && !this.mayRequest()) await this.sleep(this.failureDelayMs);
      if (!current()) return;
      if (this.lastRequestAt !== undefined) {
        const wait = this.lastRequestAt + this.minIntervalMs - this.clock.now();
        if (wait > 0) await this.sleep(wait);
        if (!current()) return;
      }
      if (this.paused) {
        while (current() && this.paused) await this.untilResumed();
        if (!current()) return;
        // Checked elsewhere (details, hover) meanwhile: costs nothing now.
        if (this.takeFromCache(name)) continue;
      }
      this.lastRequestAt = this.clock.now();
      const record = await this.source.fetchFullMod(name, { signal: this.lifetime.signal });
      if (!current()) return;
      if (record.state === 'found') {
        this.record(name, { tags: [...(record.mod.tags ?? [])], deprecated: record.mod.deprecated === true, missing: false, checkedAt: record.fetchedAt });
      } else if (record.state === 'missing') {
        this.record(name, { tags: [], deprecated: false, missing: true, checkedAt: record.fetchedAt });
      }
      if (record.error !== undefined) {
        // Pause; the portal is not asked faster when it struggles. Without data, the mod is tried again.
        this.failures++;
        const delay = this.failureDelayMs * 2 ** Math.min(5, this.failures - 1);
        this.log(`Tag check of ${name} failed (${record.error.message}); pausing ${Math.round(delay / 1000)} s`);
        await this.sleep(delay);
        if (record.state === 'unknown') i--;
        continue;
      }
      this.failures = 0;
    }
  }

  private takeFromCache(name: string): boolean {
    const record = this.source.peekFullMod(name);
    const now = this.clock.now();
    if (record.state === 'unknown' || now - record.fetchedAt >= this.maxAgeMs || now < record.fetchedAt) return false;
    if (record.state === 'found') {
      this.record(name, { tags: [...(record.mod.tags ?? [])], deprecated: record.mod.deprecated === true, missing: false, checkedAt: record.fetchedAt });
    } else {
      this.record(name, { tags: [], deprecated: false, missing: true, checkedAt: record.fetchedAt });
    }
    return true;
  }

  private record(name: string, entry: Entry): void {
    this.entries.set(name, entry);
    this.schedulePersist();
    this.emitter.fire();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = { handle: undefined as unknown, wake: () => undefined as void };
      const done = (): void => {
        if (!this.sleeping.delete(sleeper)) return;
        this.timers.clearTimeout(sleeper.handle);
        resolve();
      };
      sleeper.wake = done;
      this.sleeping.add(sleeper);
      sleeper.handle = this.timers.setTimeout(done, ms);
    });
  }

  private untilResumed(): Promise<void> {
    return new Promise((resolve) => this.pauseWaiters.add(resolve));
  }

  private releasePauseWaiters(): void {
    const waiters = [...this.pauseWaiters];
    this.pauseWaiters.clear();
    for (const resolve of waiters) resolve();
  }

  /** Ends every sleep and pause at once, so a stopped or replaced fill notices without waiting. */
  private wakeAll(): void {
    for (const sleeper of [...this.sleeping]) sleeper.wake();
    this.releasePauseWaiters();
  }

  private async read(): Promise<void> {
    let text: string | undefined;
    try {
      text = await this.storage.read(TAGS_FILE);
    } catch (e) {
      this.log(`Could not read ${TAGS_FILE}: ${String(e)}`);
      return;
    }
    if (text === undefined) return;
    try {
      const data = JSON.parse(text) as { version?: unknown; entries?: unknown };
      if (data.version !== FORMAT_VERSION || !Array.isArray(data.entries)) throw new Error('unknown format');
      const now = this.clock.now();
      let loaded = 0;
      for (const raw of data.entries as unknown[]) {
        const e = raw as { name?: unknown; tags?: unknown; deprecated?: unknown; missing?: unknown; checkedAt?: unknown };
        // The file is on disk, where anything can change it: its tags get the portal answer's own decoding.
        const tags = Array.isArray(e.tags) ? normaliseTags(e.tags, undefined) : undefined;
        if (typeof e.name !== 'string' || e.name === '' || typeof e.checkedAt !== 'number' || !Number.isFinite(e.checkedAt) || tags === undefined) continue;
        const entry: Entry = {
          tags,
          deprecated: e.deprecated === true,
          missing: e.missing === true,
          checkedAt: e.checkedAt,
        };
        if (!this.isFresh(entry, now)) continue;
        const held = this.entries.get(e.name);
        if (held && held.checkedAt >= entry.checkedAt) continue;
        this.entries.set(e.name, entry);
        loaded++;
      }
      if (loaded > 0) this.emitter.fire();
    } catch (e) {
      this.log(`Discarding ${TAGS_FILE} (${messageOf(e)})`);
      await this.storage.delete(TAGS_FILE).catch(() => undefined);
    }
  }

  private schedulePersist(): void {
    this.dirty = true;
    if (this.persistHandle !== undefined || this.disposed) return;
    this.persistHandle = this.timers.setTimeout(() => {
      this.persistHandle = undefined;
      this.write();
    }, this.persistDelayMs);
  }

  private write(): void {
    this.dirty = false;
    const now = this.clock.now();
    const entries = [...this.entries]
      .filter(([, e]) => this.isFresh(e, now))
      .map(([name, e]) => ({ name, tags: e.tags, deprecated: e.deprecated || undefined, missing: e.missing || undefined, checkedAt: e.checkedAt }));
    const text = JSON.stringify({ version: FORMAT_VERSION, entries });
    this.writes = this.writes
      .then(() => this.storage.write(TAGS_FILE, text))
      .catch((e: unknown) => this.log(`Could not write ${TAGS_FILE}: ${messageOf(e)}`));
  }
}

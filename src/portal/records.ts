// Per-mod records: the short namelist entry and the full record of each mod asked for,
// with their validators for conditional refreshes, the full records' LRU, and their files
// (written a moment after a change, so a burst makes one write).

import { messageOf } from '../util/errors';
import { namelistBatches, type PortalClient, type Validators } from './client';
import { decodeFullModEntry, decodeModEntry } from './decode';
import { PortalError, toPortalError } from './errors';
import type { CacheStorage } from './storage';
import type { FullModEntry, ModEntry } from './types';
import type { WriteQueue } from './writeQueue';
import { unlessAborted } from './abort';

export const MODS_FILE = 'mods.json';
export const FULL_FILE = 'full-mods.json';
const FORMAT_VERSION = 1;
/** Namelist batches whose validators are kept at most (this session only). */
const MAX_BATCH_VALIDATORS = 500;

export type ModRecord =
  | { state: 'found'; mod: ModEntry; fetchedAt: number; stale: boolean; error?: PortalError }
  /** The portal answered that the mod does not exist. */
  | { state: 'missing'; fetchedAt: number; stale: boolean; error?: PortalError }
  /** Never fetched, or every fetch failed. */
  | { state: 'unknown'; error?: PortalError };

export type FullRecord =
  | { state: 'found'; mod: FullModEntry; fetchedAt: number; stale: boolean; error?: PortalError }
  | { state: 'missing'; fetchedAt: number; stale: boolean; error?: PortalError }
  | { state: 'unknown'; error?: PortalError };

export interface FetchOptions {
  signal?: AbortSignal;
  /** Fetch even when fresh data is held. */
  force?: boolean;
}

/** What the records need from the client (a PortalClient, or a fake in tests). */
export type RecordSource = Pick<PortalClient, 'getModsByName' | 'getFullMod'> & Partial<Pick<PortalClient, 'getFullModIfChanged' | 'getModBatchIfChanged'>>;

export interface RecordStoreOptions {
  client: RecordSource;
  storage: CacheStorage;
  writes: WriteQueue;
  now: () => number;
  freshMs: number;
  log: (message: string) => void;
  persistDelayMs: number;
  maxStoredMods: number;
  maxStoredFullMods: number;
  maxFullInMemory: number;
  /** Records of these mods changed, or their fetch failed; `undefined`: any may have. */
  changed: (names: readonly string[] | undefined) => void;
  failed: (error: PortalError) => void;
  lifetime: AbortSignal;
}

type Held<T> = { mod: T | undefined; fetchedAt: number; generation: number };

interface StoredRecord {
  name: string;
  fetchedAt: number;
  mod?: unknown;
}

/**
 * `mod`, with the releases known before when the answer has none: an entry without
 * `releases` says nothing about them, and must not erase what a fuller answer said.
 */
function withKnownReleases<T extends ModEntry>(mod: T, before: ModEntry | undefined): T {
  if (mod.releases !== undefined || before?.releases === undefined) return mod;
  return { ...mod, releases: before.releases };
}

/** The namelist-shaped part of a full entry, so mods.json stays small. */
function shortEntry(full: FullModEntry): ModEntry {
  const entry: ModEntry = {
    name: full.name,
    title: full.title,
    owner: full.owner,
    summary: full.summary,
    downloads_count: full.downloads_count,
  };
  if (full.category !== undefined) entry.category = full.category;
  if (full.score !== undefined) entry.score = full.score;
  if (full.releases !== undefined) entry.releases = full.releases;
  if (full.thumbnail !== undefined) entry.thumbnail = full.thumbnail;
  if (full.last_highlighted_at !== undefined) entry.last_highlighted_at = full.last_highlighted_at;
  return entry;
}

export class RecordStore {
  private readonly client: RecordSource;
  private readonly storage: CacheStorage;
  private readonly log: (message: string) => void;
  private readonly maxFullInMemory: number;
  private readonly fullValidators = new Map<string, Validators>();
  /** Per namelist batch (its names, in order), for conditional refreshes of the dependencies' records. */
  private readonly batchValidators = new Map<string, Validators>();
  private readonly mods = new Map<string, Held<ModEntry>>();
  private readonly full = new Map<string, Held<FullModEntry>>();
  private readonly modErrors = new Map<string, PortalError>();
  private readonly fullErrors = new Map<string, PortalError>();
  private readonly modFetches = new Map<string, Promise<void>>();
  private readonly fullFetches = new Map<string, Promise<void>>();
  private recordsLoad: Promise<void> | undefined;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly dirty = { mods: false, full: false };
  private generation = 0;
  /** Bumped by clear(): answers to requests sent before it are dropped. */
  private epoch = 0;
  private disposed = false;

  constructor(private readonly o: RecordStoreOptions) {
    this.client = o.client;
    this.storage = o.storage;
    this.log = o.log;
    this.maxFullInMemory = Math.max(1, o.maxFullInMemory);
  }

  /** What is held for these names, without any request. */
  peekMods(names: readonly string[]): Map<string, ModRecord> {
    const out = new Map<string, ModRecord>();
    for (const name of names) out.set(name, this.record(this.mods.get(name), this.modErrors.get(name)));
    return out;
  }

  peekFullMod(name: string): FullRecord {
    const held = this.full.get(name);
    if (held !== undefined) {
      // Moved to the end: the map's order is least recently used first.
      this.full.delete(name);
      this.full.set(name, held);
    }
    return this.record(held, this.fullErrors.get(name));
  }

  /**
   * Fetches, in one batched namelist request, the names not held fresh. A failure keeps
   * what was held (then stale) and puts the error on the records and in `lastError`.
   */
  async fetchMods(names: readonly string[], options: FetchOptions = {}): Promise<Map<string, ModRecord>> {
    const wanted = [...new Set(names)].filter((n) => n !== '');
    await unlessAborted(this.loadRecords(), options.signal);
    const waits: Promise<void>[] = [];
    const toFetch: string[] = [];
    for (const name of wanted) {
      const pending = this.modFetches.get(name);
      if (pending !== undefined) {
        waits.push(pending);
        continue;
      }
      const held = this.mods.get(name);
      if (!options.force && held !== undefined && this.isFresh(held)) continue;
      toFetch.push(name);
    }
    if (toFetch.length > 0) {
      const batch: Promise<void> = this.fetchModBatch(toFetch).finally(() => {
        for (const name of toFetch) if (this.modFetches.get(name) === batch) this.modFetches.delete(name);
      });
      for (const name of toFetch) this.modFetches.set(name, batch);
      waits.push(batch);
    }
    await unlessAborted(Promise.all(waits), options.signal);
    return this.peekMods(wanted);
  }

  /** Never rejects: failures become record errors. */
  private async fetchModBatch(names: string[]): Promise<void> {
    const epoch = this.epoch;
    const changed = new Set(names);
    try {
      const found = await this.requestMods(names);
      if (epoch !== this.epoch) return;
      const now = this.o.now();
      let kept = 0;
      for (const name of names) {
        const held = this.mods.get(name)?.mod;
        const mod = found.get(name);
        if (mod === undefined && held !== undefined) {
          // A batch answer that leaves out a mod found before is more likely partial (a
          // mirror behind, a page cut short) than a deletion: what was found stays.
          kept++;
          this.mods.set(name, { mod: held, fetchedAt: now, generation: this.generation });
        } else {
          this.mods.set(name, { mod: mod && withKnownReleases(mod, held), fetchedAt: now, generation: this.generation });
        }
        this.modErrors.delete(name);
      }
      if (kept > 0) this.log(`The portal's answer left out ${kept} mod(s) found before; kept as they were`);
      // The portal may answer with another spelling; keep that too, under its own name.
      for (const [name, mod] of found) {
        if (changed.has(name)) continue;
        changed.add(name);
        this.mods.set(name, { mod: withKnownReleases(mod, this.mods.get(name)?.mod), fetchedAt: now, generation: this.generation });
      }
      this.schedulePersist('mods');
    } catch (e) {
      if (epoch !== this.epoch) return;
      const error = toPortalError(e);
      this.o.failed(error);
      for (const name of names) this.modErrors.set(name, error);
      this.log(`Fetching ${names.length} mod(s) failed: ${error.message}`);
    } finally {
      if (epoch === this.epoch) this.o.changed([...changed]);
    }
  }

  /** Full info of one mod (description, changelog, deprecation, dependencies of releases). */
  async fetchFullMod(name: string, options: FetchOptions = {}): Promise<FullRecord> {
    await unlessAborted(this.loadRecords(), options.signal);
    let pending = this.fullFetches.get(name);
    if (pending === undefined) {
      const held = this.full.get(name);
      if (!options.force && held !== undefined && this.isFresh(held)) return this.peekFullMod(name);
      const fetch: Promise<void> = this.fetchFullOne(name).finally(() => {
        if (this.fullFetches.get(name) === fetch) this.fullFetches.delete(name);
      });
      this.fullFetches.set(name, fetch);
      pending = fetch;
    }
    await unlessAborted(pending, options.signal);
    return this.peekFullMod(name);
  }

  /** Never rejects. */
  private async fetchFullOne(name: string): Promise<void> {
    const epoch = this.epoch;
    try {
      const fetched = await this.requestFullMod(name);
      if (epoch !== this.epoch) return;
      const now = this.o.now();
      const held = this.full.get(name)?.mod;
      const answer = fetched ?? held;
      if (answer === undefined) throw new PortalError('malformed', `The Mod Portal answered 304 for ${name}, which is not held`);
      const mod = withKnownReleases(answer, held ?? this.mods.get(name)?.mod);
      this.setFull(name, { mod, fetchedAt: now, generation: this.generation });
      this.fullErrors.delete(name);
      // The full entry carries every release too, so the short record is refreshed for free.
      this.mods.set(name, { mod: shortEntry(mod), fetchedAt: now, generation: this.generation });
      this.modErrors.delete(name);
      this.schedulePersist('full');
      this.schedulePersist('mods');
    } catch (e) {
      if (epoch !== this.epoch) return;
      const error = toPortalError(e);
      if (error.kind === 'not-found' && !this.everFound(name)) {
        const now = this.o.now();
        this.setFull(name, { mod: undefined, fetchedAt: now, generation: this.generation });
        this.mods.set(name, { mod: undefined, fetchedAt: now, generation: this.generation });
        this.fullErrors.delete(name);
        this.modErrors.delete(name);
        this.schedulePersist('full');
        this.schedulePersist('mods');
      } else {
        // A mod found before is never turned into a missing one by a later answer: a 404
        // for it says more about the path asked (a proxy, a mirror) than about the mod.
        this.o.failed(error);
        this.setFullError(name, error);
        this.log(`Fetching ${name} failed: ${error.message}`);
      }
    } finally {
      if (epoch === this.epoch) this.o.changed([name]);
    }
  }

  private everFound(name: string): boolean {
    return this.mods.get(name)?.mod !== undefined || this.full.get(name)?.mod !== undefined;
  }

  /** Full records are large (descriptions, changelogs): memory keeps the most recently used. */
  private setFull(name: string, held: Held<FullModEntry>): void {
    this.full.delete(name);
    this.full.set(name, held);
    this.trimFull();
  }

  private setFullError(name: string, error: PortalError): void {
    this.fullErrors.delete(name);
    this.fullErrors.set(name, error);
    this.trimFull();
  }

  private trimFull(): void {
    for (const map of [this.full, this.fullErrors]) {
      while (map.size > this.maxFullInMemory) {
        const oldest = map.keys().next().value as string;
        map.delete(oldest);
      }
    }
  }

  private record<T>(held: Held<T> | undefined, error: PortalError | undefined):
    | { state: 'found'; mod: T; fetchedAt: number; stale: boolean; error?: PortalError }
    | { state: 'missing'; fetchedAt: number; stale: boolean; error?: PortalError }
    | { state: 'unknown'; error?: PortalError } {
    if (held === undefined) return error ? { state: 'unknown', error } : { state: 'unknown' };
    const stale = !this.isFresh(held);
    const base = { fetchedAt: held.fetchedAt, stale, ...(error ? { error } : {}) };
    return held.mod === undefined ? { state: 'missing', ...base } : { state: 'found', mod: held.mod, ...base };
  }

  private isFresh(held: { fetchedAt: number; generation: number }): boolean {
    const age = this.o.now() - held.fetchedAt;
    return held.generation === this.generation && age >= 0 && age < this.o.freshMs;
  }

  /**
   * Mods by name, batch by batch. A batch whose every name is held (found or missing) is
   * asked conditionally; when the portal says it is unchanged, what is held answers.
   */
  private async requestMods(names: readonly string[]): Promise<Map<string, ModEntry>> {
    const signal = this.o.lifetime;
    const ask = this.client.getModBatchIfChanged?.bind(this.client);
    if (ask === undefined) return this.client.getModsByName(names, { signal });
    const found = new Map<string, ModEntry>();
    await Promise.all(
      namelistBatches(names).map(async (batch) => {
        const key = batch.join(',');
        const validators = batch.every((n) => this.mods.has(n)) ? this.batchValidators.get(key) : undefined;
        const answer = await ask(batch, { signal, ...(validators ? { validators } : {}) });
        if (answer.notModified) {
          for (const name of batch) {
            const mod = this.mods.get(name)?.mod;
            if (mod !== undefined) found.set(name, mod);
          }
          return;
        }
        // Bounded: batches are per file and per edit; an old key is only a missed 304.
        if (this.batchValidators.size >= MAX_BATCH_VALIDATORS) this.batchValidators.clear();
        this.batchValidators.set(key, answer.validators);
        for (const mod of answer.value) found.set(mod.name, mod);
      }),
    );
    return found;
  }

  /** The full record, or undefined when the portal says the one held is still current. */
  private async requestFullMod(name: string): Promise<FullModEntry | undefined> {
    if (this.client.getFullModIfChanged === undefined) return this.client.getFullMod(name, this.o.lifetime);
    const validators = this.full.get(name)?.mod !== undefined ? this.fullValidators.get(name) : undefined;
    const answer = await this.client.getFullModIfChanged(name, { signal: this.o.lifetime, ...(validators ? { validators } : {}) });
    if (answer.notModified) return undefined;
    this.fullValidators.set(name, answer.validators);
    return answer.value;
  }

  // ---- maintenance ----

  /** Whether nothing is fetched or waiting to be written: the records may be let go. */
  get settled(): boolean {
    return this.modFetches.size === 0 && this.fullFetches.size === 0 && this.persistTimer === undefined && !this.dirty.mods && !this.dirty.full;
  }

  /** Fetches under way, for whenIdle. */
  pending(): Promise<unknown>[] {
    const out: Promise<unknown>[] = [...this.modFetches.values(), ...this.fullFetches.values()];
    if (this.recordsLoad) out.push(this.recordsLoad);
    return out;
  }

  get fetching(): boolean {
    return this.modFetches.size > 0 || this.fullFetches.size > 0;
  }

  invalidate(): void {
    this.generation++;
  }

  /** Lets the records go; the next access reads them back from disk. */
  release(): void {
    this.recordsLoad = undefined;
    this.mods.clear();
    this.full.clear();
  }

  /** Forgets every record; their files are deleted through the write queue. */
  clear(): void {
    this.epoch++;
    this.recordsLoad = Promise.resolve();
    this.mods.clear();
    this.full.clear();
    this.modErrors.clear();
    this.fullErrors.clear();
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.dirty.mods = false;
    this.dirty.full = false;
    for (const key of [MODS_FILE, FULL_FILE]) this.o.writes.enqueue(() => this.storage.delete(key), `delete ${key}`);
  }

  /** Queues the pending writes now rather than after the usual delay. */
  writeNow(): void {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.writeDirtyRecords();
  }

  /** From now on changes are written at once: no timer would fire after disposal. */
  dispose(): void {
    this.disposed = true;
  }

  private loadRecords(): Promise<void> {
    this.recordsLoad ??= Promise.all([
      this.readRecords(MODS_FILE, this.mods, (v) => decodeModEntry(v)),
      this.readRecords(FULL_FILE, this.full, (v) => decodeFullModEntry(v)),
    ]).then(() => undefined);
    return this.recordsLoad;
  }

  private async readRecords<T extends ModEntry>(key: string, into: Map<string, Held<T>>, decode: (v: unknown) => T): Promise<void> {
    const epoch = this.epoch;
    let text: string | undefined;
    try {
      text = await this.storage.read(key);
    } catch (e) {
      this.log(`Could not read ${key}: ${String(e)}`);
      return;
    }
    if (text === undefined) return;
    let records: StoredRecord[];
    try {
      const data = JSON.parse(text) as { version?: unknown; records?: unknown };
      if (data.version !== FORMAT_VERSION || !Array.isArray(data.records)) throw new Error('unknown format');
      records = data.records as StoredRecord[];
    } catch (e) {
      this.log(`Discarding ${key} (${messageOf(e)})`);
      await this.storage.delete(key).catch(() => undefined);
      return;
    }
    if (epoch !== this.epoch) return;
    let loaded = 0;
    for (const r of records) {
      if (typeof r !== 'object' || r === null || typeof r.name !== 'string' || typeof r.fetchedAt !== 'number') continue;
      let mod: T | undefined;
      try {
        mod = r.mod === undefined ? undefined : decode(r.mod);
      } catch {
        continue;
      }
      const held = into.get(r.name);
      if (held !== undefined && held.fetchedAt >= r.fetchedAt) continue;
      into.set(r.name, { mod, fetchedAt: r.fetchedAt, generation: this.generation });
      loaded++;
    }
    if (into === (this.full as Map<string, Held<ModEntry>>)) this.trimFull();
    if (loaded > 0) this.o.changed(undefined);
  }

  private schedulePersist(kind: 'mods' | 'full'): void {
    this.dirty[kind] = true;
    if (this.disposed) {
      this.writeDirtyRecords();
      return;
    }
    if (this.persistTimer !== undefined) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      this.writeDirtyRecords();
    }, this.o.persistDelayMs);
    // A pending write must not keep a process (a test, the bench) alive.
    (this.persistTimer as { unref?: () => void }).unref?.();
  }

  private writeDirtyRecords(): void {
    if (this.dirty.mods) {
      this.dirty.mods = false;
      this.enqueueWrite(MODS_FILE, () => this.serialiseRecords(this.mods, this.o.maxStoredMods));
    }
    if (this.dirty.full) {
      this.dirty.full = false;
      this.enqueueWrite(FULL_FILE, () => this.serialiseRecords(this.full, this.o.maxStoredFullMods));
    }
  }

  private serialiseRecords<T>(from: Map<string, Held<T>>, max: number): string {
    let entries = [...from.entries()];
    if (entries.length > max) entries = entries.sort((a, b) => b[1].fetchedAt - a[1].fetchedAt).slice(0, max);
    const records: StoredRecord[] = entries.map(([name, held]) =>
      held.mod === undefined ? { name, fetchedAt: held.fetchedAt } : { name, fetchedAt: held.fetchedAt, mod: held.mod },
    );
    return JSON.stringify({ version: FORMAT_VERSION, records });
  }


  /** Writes run one after another, so an older snapshot never lands after a newer one. */
  private enqueueWrite(key: string, data: () => string): void {
    this.o.writes.enqueue(() => this.storage.write(key, data()), `write ${key}`);
  }
}

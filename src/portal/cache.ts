// Portal data kept in memory and on disk, so the editor answers at once and the portal
// sees few requests. Its `Cache-Control: max-age=900` says data younger than 15 minutes
// need not be fetched again; older data is still served at once while it is refreshed.
// Failures never throw out of background work: they become state (`listState`,
// `lastError`, a record's `error`), and data already held stays in use.
//
// Three parts, one lifecycle each: the mod list (ModListStore), the per-mod records
// (RecordStore), and the queue their writes go through (WriteQueue). This class joins
// them: one change event, one last error, one invalidate, clear and dispose.

import { Emitter, type Subscription } from './emitter';
import type { PortalError } from './errors';
import { ModListStore, type GetListOptions, type ListState, type ModList } from './modList';
import { RecordStore, type FetchOptions, type FullRecord, type ModRecord } from './records';
import type { CacheStorage } from './storage';
import type { PortalClient } from './client';
import { WriteQueue } from './writeQueue';

export { FULL_FILE, MODS_FILE, type FetchOptions, type FullRecord, type ModRecord } from './records';
export { INDEX_FILE, LIST_FILE, type GetListOptions, type ListState } from './modList';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * What a change of the cache concerns, so listeners redo only the work that depends on it.
 * `all`: the mod list was (re)loaded, marked stale or cleared, so anything may read
 * differently. Otherwise `mods` names the mods whose records changed or whose fetch failed
 * (empty when only the list's loading state changed).
 */
export type CacheChange = { readonly all: true } | { readonly all: false; readonly mods: readonly string[] };

const ALL: CacheChange = { all: true };
const NOTHING: CacheChange = { all: false, mods: [] };

/** Whether a change may alter what is known about any of `names`. */
export function changeConcerns(change: CacheChange, names: Iterable<string>): boolean {
  if (change.all) return true;
  if (change.mods.length === 0) return false;
  const changed = new Set(change.mods);
  for (const name of names) if (changed.has(name)) return true;
  return false;
}

/**
 * What the cache needs from the client (a PortalClient, or a fake in tests). With the
 * conditional methods, refreshes send the validators of the data held and a 304 costs
 * a few hundred bytes instead of the whole answer.
 */
export type PortalSource = Pick<PortalClient, 'getAllMods' | 'getModsByName' | 'getFullMod'> &
  Partial<Pick<PortalClient, 'getAllModsIfChanged' | 'getFullModIfChanged' | 'getModBatchIfChanged'>>;

export interface PortalCacheOptions {
  client: PortalSource;
  storage: CacheStorage;
  clock?: Clock;
  /** Per-mod data younger than this is served without a request. Default 15 min. */
  freshMs?: number;
  /** Same for the full list. Default 15 min. */
  listFreshMs?: number;
  log?: (message: string) => void;
  /** Per-mod data is written this long after a change, so a burst makes one write. Default 1000. */
  persistDelayMs?: number;
  /** Bounds on what is written to disk (most recent kept). Defaults 5000 and 300. */
  maxStoredMods?: number;
  maxStoredFullMods?: number;
  /** How many full records memory keeps (least recently used dropped first). Default 300. */
  maxFullInMemory?: number;
}

export class PortalCache {
  private readonly log: (message: string) => void;
  private readonly emitter: Emitter<CacheChange>;
  private readonly lifetime = new AbortController();
  private readonly writes: WriteQueue;
  private readonly list: ModListStore;
  private readonly records: RecordStore;
  private error: PortalError | undefined;
  private disposed = false;

  readonly onDidChange: (listener: (change: CacheChange) => void) => Subscription;

  constructor(options: PortalCacheOptions) {
    const clock = options.clock ?? systemClock;
    const now = (): number => clock.now();
    const client = options.client;
    this.log = options.log ?? (() => undefined);
    this.emitter = new Emitter<CacheChange>((e) => this.log(`A portal cache listener failed: ${String(e)}`));
    this.onDidChange = this.emitter.event;
    this.writes = new WriteQueue(this.log);
    const failed = (error: PortalError): void => {
      this.error = error;
    };
    this.list = new ModListStore({
      fetch: async ({ signal, validators }) => {
        if (client.getAllModsIfChanged === undefined) return { notModified: false, value: await client.getAllMods({ signal }) };
        return client.getAllModsIfChanged({ signal, ...(validators ? { validators } : {}) });
      },
      storage: options.storage,
      writes: this.writes,
      now,
      freshMs: options.listFreshMs ?? 15 * 60_000,
      log: this.log,
      changed: (all) => this.emitter.fire(all ? ALL : NOTHING),
      failed,
      lifetime: this.lifetime.signal,
    });
    this.records = new RecordStore({
      client,
      storage: options.storage,
      writes: this.writes,
      now,
      freshMs: options.freshMs ?? 15 * 60_000,
      log: this.log,
      persistDelayMs: options.persistDelayMs ?? 1000,
      maxStoredMods: options.maxStoredMods ?? 5000,
      maxStoredFullMods: options.maxStoredFullMods ?? 300,
      maxFullInMemory: options.maxFullInMemory ?? 300,
      changed: (names) => this.emitter.fire(names === undefined ? ALL : { all: false, mods: [...new Set(names)] }),
      failed,
      lifetime: this.lifetime.signal,
    });
  }

  // ---- the full list ----

  get listState(): ListState {
    return this.list.state;
  }

  /** The most recent failure of any request the cache made. */
  get lastError(): PortalError | undefined {
    return this.error;
  }

  /** The mod list held in memory, fresh or not. */
  peekList(): ModList | undefined {
    return this.list.peek();
  }

  /**
   * The full mod list: from memory, else disk, else the portal. Stale data is returned at
   * once and refreshed in the background.
   */
  getList(options: GetListOptions = {}): Promise<ModList> {
    return this.list.get(options);
  }

  /**
   * Stops the mod list download under way, if any (the user cancelled it). Data held
   * before stays; with none, the state goes back to empty rather than to an error.
   */
  cancelListDownload(): void {
    this.list.cancelDownload();
  }

  // ---- per-mod data ----

  /** What is held for these names, without any request. */
  peekMods(names: readonly string[]): Map<string, ModRecord> {
    return this.records.peekMods(names);
  }

  peekFullMod(name: string): FullRecord {
    return this.records.peekFullMod(name);
  }

  /**
   * Fetches, in one batched namelist request, the names not held fresh. A failure keeps
   * what was held (then stale) and puts the error on the records and in `lastError`.
   */
  fetchMods(names: readonly string[], options: FetchOptions = {}): Promise<Map<string, ModRecord>> {
    return this.records.fetchMods(names, options);
  }

  /** Full info of one mod (description, changelog, deprecation, dependencies of releases). */
  fetchFullMod(name: string, options: FetchOptions = {}): Promise<FullRecord> {
    return this.records.fetchFullMod(name, options);
  }

  // ---- maintenance ----

  /**
   * Drops the mod list and per-mod records from memory when they are safely on disk and
   * nothing is under way; the next access reads them back. 'busy' when it could not now.
   */
  release(): 'released' | 'busy' | 'none' {
    if (this.list.peek() === undefined || this.disposed) return 'none';
    if (!this.list.settled || !this.records.settled) return 'busy';
    this.list.release();
    this.records.release();
    // The state stays as it was: the list is still there, one read away.
    this.log('Mod list released from memory; it is read back from disk when needed');
    return 'released';
  }

  /** Marks everything stale: the next access fetches again (the Refresh command). */
  invalidate(): void {
    this.list.invalidate();
    this.records.invalidate();
    this.emitter.fire(ALL);
  }

  /** Forgets everything, on disk too. */
  async clear(): Promise<void> {
    this.list.clear();
    this.records.clear();
    this.error = undefined;
    this.emitter.fire(ALL);
    await this.writes.idle();
  }

  /** Writes pending changes now and waits for every write to finish. */
  async flush(): Promise<void> {
    this.records.writeNow();
    await this.writes.idle();
  }

  /** Resolves once no refresh, fetch or write is under way (for tests and shutdown). */
  async whenIdle(): Promise<void> {
    // Work finishing may start more (a disk load ends in a background refresh), hence the loop.
    for (;;) {
      await Promise.allSettled([...this.records.pending(), ...this.list.pending()]);
      if (!this.records.fetching && !this.list.refreshing) break;
    }
    await this.flush();
  }

  /**
   * Stops requests in flight (the list download too) and writes what is pending now
   * rather than after the usual delay; resolves when written. For a portal URL change and
   * deactivation, where a timer would fire too late or not at all.
   */
  dispose(): Promise<void> {
    this.disposed = true;
    this.records.dispose();
    this.lifetime.abort();
    return this.flush();
  }
}


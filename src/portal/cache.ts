// Portal data kept in memory and on disk, so the editor answers at once and the portal
// sees few requests. Its `Cache-Control: max-age=900` says data younger than 15 minutes
// need not be fetched again; older data is still served at once while it is refreshed.
// Failures never throw out of background work: they become state (`listState`,
// `lastError`, a record's `error`), and data already held stays in use.

import { decodeFullModEntry, decodeModEntry } from './decode';
import { Emitter, type Subscription } from './emitter';
import { PortalError, toPortalError } from './errors';
import { decodeIndexSnapshot, encodeIndexSnapshot } from './indexFile';
import { decodeModListCompact, encodeModList, memoryReader, type DetailsReader, type EncodedList, type ListDetails, type ListTable } from './listFile';
import { ModIndex } from './search';
import type { CacheStorage } from './storage';
import { namelistBatches, type PortalClient, type Validators } from './client';
import type { FullModEntry, ModEntry } from './types';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

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

/**
 * What a change of the cache concerns, so listeners redo only the work that depends on it.
 * `all`: the mod list was (re)loaded, marked stale or cleared, so anything may read
 * differently. Otherwise `mods` names the mods whose records changed or whose fetch failed
 * (empty when only the list's loading state changed).
 */
export type CacheChange = { readonly all: true } | { readonly all: false; readonly mods: readonly string[] };

const ALL: CacheChange = { all: true };
const NOTHING: CacheChange = { all: false, mods: [] };

function modsChanged(names: Iterable<string>): CacheChange {
  return { all: false, mods: [...new Set(names)] };
}

/** Whether a change may alter what is known about any of `names`. */
export function changeConcerns(change: CacheChange, names: Iterable<string>): boolean {
  if (change.all) return true;
  if (change.mods.length === 0) return false;
  const changed = new Set(change.mods);
  for (const name of names) if (changed.has(name)) return true;
  return false;
}

export interface ListState {
  status: 'empty' | 'loading' | 'ready' | 'error';
  fetchedAt?: number;
  refreshing: boolean;
  error?: PortalError;
  modCount?: number;
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

export interface GetIndexOptions {
  signal?: AbortSignal;
  /** Fetch from the portal even when memory or disk hold fresh data. */
  forceRefresh?: boolean;
  /** Short descriptions of what is happening, for a progress notification. */
  onProgress?: (message: string) => void;
}

export interface FetchOptions {
  signal?: AbortSignal;
  /** Fetch even when fresh data is held. */
  force?: boolean;
}

export const LIST_FILE = 'mod-list.json';
/** The search index's arrays for the list in LIST_FILE (optional: rebuilt when absent or stale). */
export const INDEX_FILE = 'mod-index.bin';
/** What LIST_FILE leaves out of each mod (summary, owner, release file), read one mod at a time. */
export const DETAILS_FILE = 'mod-details.jsonl';
export const MODS_FILE = 'mods.json';
export const FULL_FILE = 'full-mods.json';
const FORMAT_VERSION = 1;

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

function cancelled(): PortalError {
  return new PortalError('cancelled', 'The request to the Mod Portal was cancelled');
}

/** Waits for `promise`, or rejects with 'cancelled' when `signal` aborts first. */
function unlessAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
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

/**
 * The index over the list as it is held in memory (see decodeModListCompact): the entries
 * decoded from the portal's answer are let go once encoded for the disk, and the arrays
 * already computed for them are reused, the order being the same.
 */
/** Namelist batches whose validators are kept at most (this session only). */
const MAX_BATCH_VALIDATORS = 500;

function compactIndex(built: ModIndex, fetchedAt: number): { index: ModIndex; encoded: EncodedList; details: ListDetails } {
  const encoded = encodeModList(built.all(), fetchedAt);
  const { table } = decodeModListCompact(encoded.list, memoryReader(encoded.details!));
  return { index: new ModIndex(table, built.snapshot()), encoded, details: table.details };
}

export class PortalCache {
  private readonly client: PortalSource;
  private readonly storage: CacheStorage;
  private readonly clock: Clock;
  private readonly freshMs: number;
  private readonly listFreshMs: number;
  private readonly log: (message: string) => void;
  private readonly persistDelayMs: number;
  private readonly maxStoredMods: number;
  private readonly maxStoredFullMods: number;
  private readonly maxFullInMemory: number;
  private readonly emitter: Emitter<CacheChange>;
  private readonly lifetime = new AbortController();
  /** Aborts the list download under way. */
  private listDownload: AbortController | undefined;

  /** Bumped by invalidate(): anything held from an older generation is stale. */
  private generation = 0;
  /** Bumped by clear(): answers to requests sent before it are dropped. */
  private epoch = 0;

  /** `details`: where the entries read what the list file leaves out (absent for entries held whole). */
  private list: { index: ModIndex; fetchedAt: number; generation: number; details?: ListDetails } | undefined;
  /** ETag / Last-Modified of the list and full records held, for conditional refreshes (this session only). */
  private listValidators: Validators | undefined;
  private readonly fullValidators = new Map<string, Validators>();
  /** Per namelist batch (its names, in order), for conditional refreshes of the dependencies' records. */
  private readonly batchValidators = new Map<string, Validators>();
  /** `fetchedAt` of the list last written to or read from disk. */
  private listWritten: number | undefined;
  private state: ListState = { status: 'empty', refreshing: false };
  private listLoad: Promise<void> | undefined;
  private listRefresh: Promise<ModIndex> | undefined;

  private readonly mods = new Map<string, Held<ModEntry>>();
  private readonly full = new Map<string, Held<FullModEntry>>();
  private readonly modErrors = new Map<string, PortalError>();
  private readonly fullErrors = new Map<string, PortalError>();
  private readonly modFetches = new Map<string, Promise<void>>();
  private readonly fullFetches = new Map<string, Promise<void>>();
  private recordsLoad: Promise<void> | undefined;
  private error: PortalError | undefined;

  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly dirty = { mods: false, full: false };
  private writes: Promise<void> = Promise.resolve();
  private disposed = false;

  readonly onDidChange: (listener: (change: CacheChange) => void) => Subscription;

  constructor(options: PortalCacheOptions) {
    this.client = options.client;
    this.storage = options.storage;
    this.clock = options.clock ?? systemClock;
    this.freshMs = options.freshMs ?? 15 * 60_000;
    this.listFreshMs = options.listFreshMs ?? 15 * 60_000;
    this.log = options.log ?? (() => undefined);
    this.persistDelayMs = options.persistDelayMs ?? 1000;
    this.maxStoredMods = options.maxStoredMods ?? 5000;
    this.maxStoredFullMods = options.maxStoredFullMods ?? 300;
    this.maxFullInMemory = Math.max(1, options.maxFullInMemory ?? 300);
    this.emitter = new Emitter<CacheChange>((e) => this.log(`A portal cache listener failed: ${String(e)}`));
    this.onDidChange = this.emitter.event;
  }

  // ---- the full list ----

  get listState(): ListState {
    return this.state;
  }

  /** The most recent failure of any request the cache made. */
  get lastError(): PortalError | undefined {
    return this.error;
  }

  /** The index held in memory, fresh or not. */
  peekIndex(): ModIndex | undefined {
    return this.list?.index;
  }

  /**
   * The full mod list as a search index: from memory, else disk, else the portal. Stale
   * data is returned at once and refreshed in the background.
   */
  async getIndex(options: GetIndexOptions = {}): Promise<ModIndex> {
    const { signal, onProgress } = options;
    if (!options.forceRefresh) {
      if (this.list === undefined) {
        onProgress?.('Reading the cached mod list');
        await unlessAborted(this.loadList(), signal);
      }
      if (this.list !== undefined) {
        if (!this.isFresh(this.list, this.listFreshMs)) this.refreshListInBackground();
        return this.list.index;
      }
    }
    onProgress?.('Downloading the mod list');
    return unlessAborted(this.refreshList(onProgress), signal);
  }

  /**
   * Stops the mod list download under way, if any (the user cancelled it). Data held
   * before stays; with none, the state goes back to empty rather than to an error.
   */
  cancelListDownload(): void {
    this.listDownload?.abort();
  }

  private refreshListInBackground(): void {
    if (this.listRefresh !== undefined) return;
    // The failure is already in listState and the log.
    this.refreshList().catch(() => undefined);
  }

  /** One refresh at a time; callers arriving meanwhile share it. */
  private refreshList(onProgress?: (message: string) => void): Promise<ModIndex> {
    if (this.listRefresh !== undefined) return this.listRefresh;
    const epoch = this.epoch;
    const download = new AbortController();
    const stop = () => download.abort();
    this.lifetime.signal.addEventListener('abort', stop, { once: true });
    this.listDownload = download;
    const run = async (): Promise<ModIndex> => {
      let change = NOTHING;
      try {
        const mods = await this.requestAllMods(download.signal);
        const held = this.list;
        if (mods === undefined && held !== undefined) {
          if (epoch !== this.epoch) return held.index;
          const fetchedAt = this.clock.now();
          this.list = { ...held, fetchedAt };
          this.state = { status: 'ready', fetchedAt, refreshing: false, modCount: held.index.size };
          this.log('Mod list: unchanged since the last download');
          // Another window may have written a newer list since: then the disk keeps its pair of files.
          if (held.details === undefined || held.details.verify()) {
            this.persistList(held.index, encodeModList(held.index.all(), fetchedAt), undefined, fetchedAt);
          }
          return held.index;
        }
        onProgress?.('Indexing the mod list');
        const fetchedAt = this.clock.now();
        const index = compactIndex(new ModIndex(mods ?? []), fetchedAt);
        if (epoch !== this.epoch) return index.index;
        this.list = { index: index.index, fetchedAt, generation: this.generation, details: index.details };
        this.watchDetails(index.index, index.details);
        this.state = { status: 'ready', fetchedAt, refreshing: false, modCount: index.index.size };
        change = ALL;
        this.log(`Mod list: ${index.index.size} mods fetched`);
        this.persistList(index.index, index.encoded, index.details, fetchedAt);
        return index.index;
      } catch (e) {
        const error = toPortalError(e);
        if (epoch === this.epoch) {
          const held = this.list;
          if (error.kind === 'cancelled') {
            this.state = held
              ? { status: 'ready', fetchedAt: held.fetchedAt, refreshing: false, modCount: held.index.size }
              : { status: 'empty', refreshing: false };
            this.log('Mod list download cancelled');
          } else {
            this.error = error;
            this.state = held
              ? { status: 'ready', fetchedAt: held.fetchedAt, refreshing: false, error, modCount: held.index.size }
              : { status: 'error', refreshing: false, error };
            this.log(`Mod list refresh failed: ${error.message}`);
          }
        }
        throw error;
      } finally {
        this.lifetime.signal.removeEventListener('abort', stop);
        if (this.listDownload === download) this.listDownload = undefined;
        this.listRefresh = undefined;
        this.emitter.fire(change);
      }
    };
    const refresh = run();
    this.listRefresh = refresh;
    this.state = { ...this.state, status: this.list ? 'ready' : 'loading', refreshing: true };
    this.emitter.fire(NOTHING);
    return refresh;
  }

  /** The whole list, or undefined when the portal says the one held is still current. */
  private async requestAllMods(signal: AbortSignal): Promise<ModEntry[] | undefined> {
    if (this.client.getAllModsIfChanged === undefined) return this.client.getAllMods({ signal });
    const validators = this.list !== undefined ? this.listValidators : undefined;
    const answer = await this.client.getAllModsIfChanged({ signal, ...(validators ? { validators } : {}) });
    if (answer.notModified) return undefined;
    this.listValidators = answer.validators;
    return answer.value;
  }

  /**
   * Mods by name, batch by batch. A batch whose every name is held (found or missing) is
   * asked conditionally; when the portal says it is unchanged, what is held answers.
   */
  private async requestMods(names: readonly string[]): Promise<Map<string, ModEntry>> {
    const signal = this.lifetime.signal;
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
    if (this.client.getFullModIfChanged === undefined) return this.client.getFullMod(name, this.lifetime.signal);
    const validators = this.full.get(name)?.mod !== undefined ? this.fullValidators.get(name) : undefined;
    const answer = await this.client.getFullModIfChanged(name, { signal: this.lifetime.signal, ...(validators ? { validators } : {}) });
    if (answer.notModified) return undefined;
    this.fullValidators.set(name, answer.validators);
    return answer.value;
  }

  private loadList(): Promise<void> {
    this.listLoad ??= this.readList();
    return this.listLoad;
  }

  private async readList(): Promise<void> {
    const epoch = this.epoch;
    let text: string | undefined;
    let indexBytes: Uint8Array | undefined;
    try {
      [text, indexBytes] = await Promise.all([
        this.storage.read(LIST_FILE),
        this.storage.readBytes?.(INDEX_FILE).catch(() => undefined),
      ]);
    } catch (e) {
      this.log(`Could not read the cached mod list: ${String(e)}`);
      return;
    }
    if (text === undefined) return;
    let table: ListTable;
    let fetchedAt: number;
    try {
      ({ table, fetchedAt } = decodeModListCompact(text, this.detailsOnDisk()));
    } catch (e) {
      this.log(`Discarding the cached mod list (${e instanceof Error ? e.message : String(e)}); it will be fetched again`);
      await this.storage.delete(LIST_FILE).catch(() => undefined);
      return;
    }
    // Its details file was replaced by another window (which writes its list file next) or
    // removed: the list is fetched again rather than shown without its details.
    if (this.storage.readRangeSync && !table.details.verify()) {
      this.log('The cached mod list does not match its details file; it will be fetched again');
      return;
    }
    // A refresh may have landed while the file was read.
    if (epoch !== this.epoch || (this.list !== undefined && this.list.fetchedAt >= fetchedAt)) return;
    let index: ModIndex;
    try {
      const snapshot = indexBytes && decodeIndexSnapshot(indexBytes, fetchedAt, table.size);
      index = new ModIndex(table, snapshot);
    } catch (e) {
      this.log(`Discarding the cached mod list (${e instanceof Error ? e.message : String(e)}); it will be fetched again`);
      return;
    }
    this.list = { index, fetchedAt, generation: this.generation, details: table.details };
    this.watchDetails(index, table.details);
    this.listWritten = fetchedAt;
    this.state = { ...this.state, status: 'ready', fetchedAt, modCount: index.size };
    this.emitter.fire(ALL);
  }

  /**
   * When another window replaces the details file, this window's entries can no longer
   * read theirs: the list is let go, and read again (the other window's, whole) when next needed.
   */
  private watchDetails(index: ModIndex, details: ListDetails): void {
    details.onMismatch = () => {
      if (this.list?.index !== index) return;
      this.log('The cached mod list was replaced on disk (another window?); it is read again when needed');
      this.list = undefined;
      this.listLoad = undefined;
      this.emitter.fire(ALL);
    };
  }

  /** Reads the details file where it is stored. */
  private detailsOnDisk(): DetailsReader {
    const storage = this.storage;
    return (position, length) => storage.readRangeSync?.(DETAILS_FILE, position, length);
  }

  /**
   * `encoded`: the list in the index's order, so the saved index arrays fit it when read
   * back. The details file goes first (the list file names it); once it is written,
   * `details` reads it from the disk and lets the bytes in memory go.
   */
  private persistList(index: ModIndex, encoded: EncodedList, details: ListDetails | undefined, fetchedAt: number): void {
    const bytes = encoded.details;
    const writeDetails = this.storage.writeBytes?.bind(this.storage);
    if (bytes !== undefined && writeDetails) {
      this.enqueueRaw(async () => {
        await writeDetails(DETAILS_FILE, bytes);
        if (this.storage.readRangeSync) details?.moveTo(this.detailsOnDisk());
      }, `write ${DETAILS_FILE}`);
    }
    this.enqueueRaw(async () => {
      await this.storage.write(LIST_FILE, encoded.list);
      this.listWritten = fetchedAt;
    }, `write ${LIST_FILE}`);
    const writeBytes = this.storage.writeBytes?.bind(this.storage);
    if (writeBytes) {
      this.enqueueRaw(() => writeBytes(INDEX_FILE, encodeIndexSnapshot(index.snapshot(), fetchedAt)), `write ${INDEX_FILE}`);
    }
  }

  // ---- per-mod data ----

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
      if (!options.force && held !== undefined && this.isFresh(held, this.freshMs)) continue;
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
      const now = this.clock.now();
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
      this.error = error;
      for (const name of names) this.modErrors.set(name, error);
      this.log(`Fetching ${names.length} mod(s) failed: ${error.message}`);
    } finally {
      if (epoch === this.epoch) this.emitter.fire(modsChanged(changed));
    }
  }

  /** Full info of one mod (description, changelog, deprecation, dependencies of releases). */
  async fetchFullMod(name: string, options: FetchOptions = {}): Promise<FullRecord> {
    await unlessAborted(this.loadRecords(), options.signal);
    let pending = this.fullFetches.get(name);
    if (pending === undefined) {
      const held = this.full.get(name);
      if (!options.force && held !== undefined && this.isFresh(held, this.freshMs)) return this.peekFullMod(name);
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
      const now = this.clock.now();
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
        const now = this.clock.now();
        this.setFull(name, { mod: undefined, fetchedAt: now, generation: this.generation });
        this.mods.set(name, { mod: undefined, fetchedAt: now, generation: this.generation });
        this.fullErrors.delete(name);
        this.modErrors.delete(name);
        this.schedulePersist('full');
        this.schedulePersist('mods');
      } else {
        // A mod found before is never turned into a missing one by a later answer: a 404
        // for it says more about the path asked (a proxy, a mirror) than about the mod.
        this.error = error;
        this.setFullError(name, error);
        this.log(`Fetching ${name} failed: ${error.message}`);
      }
    } finally {
      if (epoch === this.epoch) this.emitter.fire(modsChanged([name]));
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
    const stale = !this.isFresh(held, this.freshMs);
    const base = { fetchedAt: held.fetchedAt, stale, ...(error ? { error } : {}) };
    return held.mod === undefined ? { state: 'missing', ...base } : { state: 'found', mod: held.mod, ...base };
  }

  private isFresh(held: { fetchedAt: number; generation: number }, freshMs: number): boolean {
    const age = this.clock.now() - held.fetchedAt;
    return held.generation === this.generation && age >= 0 && age < freshMs;
  }

  // ---- maintenance ----

  /**
   * Drops the mod list and per-mod records from memory when they are safely on disk and
   * nothing is under way; the next access reads them back. 'busy' when it could not now.
   */
  release(): 'released' | 'busy' | 'none' {
    if (this.list === undefined || this.disposed) return 'none';
    const busy =
      this.listRefresh !== undefined ||
      this.modFetches.size > 0 ||
      this.fullFetches.size > 0 ||
      this.persistTimer !== undefined ||
      this.dirty.mods ||
      this.dirty.full ||
      this.listWritten !== this.list?.fetchedAt;
    if (busy) return 'busy';
    this.list = undefined;
    this.listLoad = undefined;
    this.recordsLoad = undefined;
    this.mods.clear();
    this.full.clear();
    // The state stays as it was: the list is still there, one read away.
    this.log('Mod list released from memory; it is read back from disk when needed');
    return 'released';
  }

  /** Marks everything stale: the next access fetches again (the Refresh command). */
  invalidate(): void {
    this.generation++;
    this.emitter.fire(ALL);
  }

  /** Forgets everything, on disk too. */
  async clear(): Promise<void> {
    this.epoch++;
    this.list = undefined;
    this.listLoad = Promise.resolve();
    this.recordsLoad = Promise.resolve();
    this.mods.clear();
    this.full.clear();
    this.modErrors.clear();
    this.fullErrors.clear();
    this.error = undefined;
    this.state = { status: 'empty', refreshing: this.listRefresh !== undefined };
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.dirty.mods = false;
    this.dirty.full = false;
    for (const key of [LIST_FILE, DETAILS_FILE, INDEX_FILE, MODS_FILE, FULL_FILE]) this.enqueueRaw(() => this.storage.delete(key), `delete ${key}`);
    this.emitter.fire(ALL);
    await this.writes;
  }

  /** Writes pending changes now and waits for every write to finish. */
  async flush(): Promise<void> {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.writeDirtyRecords();
    await this.writes;
  }

  /** Resolves once no refresh, fetch or write is under way (for tests and shutdown). */
  async whenIdle(): Promise<void> {
    // Work finishing may start more (a disk load ends in a background refresh), hence the loop.
    for (;;) {
      const pending: Promise<unknown>[] = [...this.modFetches.values(), ...this.fullFetches.values()];
      if (this.listRefresh) pending.push(this.listRefresh);
      if (this.listLoad) pending.push(this.listLoad);
      if (this.recordsLoad) pending.push(this.recordsLoad);
      await Promise.allSettled(pending);
      if (this.modFetches.size === 0 && this.fullFetches.size === 0 && this.listRefresh === undefined) break;
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
    this.lifetime.abort();
    return this.flush();
  }

  // ---- persistence of per-mod data ----

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
      this.log(`Discarding ${key} (${e instanceof Error ? e.message : String(e)})`);
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
    if (loaded > 0) this.emitter.fire(ALL);
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
    }, this.persistDelayMs);
    // A pending write must not keep a process (a test, the bench) alive.
    (this.persistTimer as { unref?: () => void }).unref?.();
  }

  private writeDirtyRecords(): void {
    if (this.dirty.mods) {
      this.dirty.mods = false;
      this.enqueueWrite(MODS_FILE, () => this.serialiseRecords(this.mods, this.maxStoredMods));
    }
    if (this.dirty.full) {
      this.dirty.full = false;
      this.enqueueWrite(FULL_FILE, () => this.serialiseRecords(this.full, this.maxStoredFullMods));
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
    this.enqueueRaw(() => this.storage.write(key, data()), `write ${key}`);
  }

  private enqueueRaw(operation: () => Promise<void>, what: string): void {
    this.writes = this.writes.then(operation).catch((e: unknown) => {
      this.log(`Portal cache could not ${what}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}

// The mod list's lifecycle: read from disk, downloaded (conditionally when one is held),
// written back, let go when idle. Failures never throw out of background work: they
// become state (`state`, the error reported), and a list already held stays in use.

import { messageOf } from '../../util/errors';
import type { Validators } from '../client';
import { unlessAborted } from '../abort';
import { PortalError, toPortalError } from '../errors';
import type { CacheStorage } from '../storage';
import type { ModEntry } from '../types';
import type { WriteQueue } from '../writeQueue';
import { decodeIndexSnapshot, encodeIndexSnapshot } from './indexFile';
import { buildColumns, decodeListFile, encodeListFile, isDetailsFile, type ListColumns } from './listFile';
import { ModList, listColumns, listSnapshot, memoryRange, type ReadRange } from './modList';

export const LIST_FILE = 'mod-list.json';
/** The search index's arrays for the list in LIST_FILE (optional: rebuilt when absent or stale). */
export const INDEX_FILE = 'mod-index.bin';

export interface ListState {
  status: 'empty' | 'loading' | 'ready' | 'error';
  fetchedAt?: number;
  refreshing: boolean;
  error?: PortalError;
  modCount?: number;
}

/** The whole list, or `notModified` when the portal says the one held (by its validators) is current. */
export type FetchList = (options: { signal: AbortSignal; validators?: Validators }) => Promise<{ notModified: true } | { notModified: false; value: ModEntry[]; validators?: Validators }>;

export interface ListStoreOptions {
  fetch: FetchList;
  storage: CacheStorage;
  writes: WriteQueue;
  now: () => number;
  /** A list younger than this is served without a request. */
  freshMs: number;
  log: (message: string) => void;
  /** The list was (re)loaded or let go (`all`), or only its state changed. */
  changed: (all: boolean) => void;
  failed: (error: PortalError) => void;
  /** Aborts when the cache is disposed: downloads stop. */
  lifetime: AbortSignal;
}

export interface GetListOptions {
  signal?: AbortSignal;
  /** Fetch from the portal even when memory or disk hold fresh data. */
  forceRefresh?: boolean;
  /** Short descriptions of what is happening, for a progress notification. */
  onProgress?: (message: string) => void;
}

interface Held {
  list: ModList;
  fetchedAt: number;
  generation: number;
}

export class ModListStore {
  private held: Held | undefined;
  /** ETag / Last-Modified of the list held, for conditional refreshes (this session only). */
  private validators: Validators | undefined;
  /** `fetchedAt` of the list last written to or read from disk. */
  private written: number | undefined;
  private current: ListState = { status: 'empty', refreshing: false };
  private load: Promise<void> | undefined;
  private refresh: Promise<ModList> | undefined;
  private download: AbortController | undefined;
  private generation = 0;
  /** Bumped by clear(): answers to requests sent before it are dropped. */
  private epoch = 0;

  constructor(private readonly o: ListStoreOptions) {}

  get state(): ListState {
    return this.current;
  }

  /** The list held in memory, fresh or not. */
  peek(): ModList | undefined {
    return this.held?.list;
  }

  /** Whether nothing is under way and the list held is on disk: it may be let go. */
  get settled(): boolean {
    return this.refresh === undefined && (this.held === undefined || this.written === this.held.fetchedAt);
  }

  /** The list: from memory, else disk, else the portal. Stale data is returned at once and refreshed in the background. */
  async get(options: GetListOptions = {}): Promise<ModList> {
    const { signal, onProgress } = options;
    if (!options.forceRefresh) {
      if (this.held === undefined) {
        onProgress?.('Reading the cached mod list');
        await unlessAborted(this.loadOnce(), signal);
      }
      if (this.held !== undefined) {
        if (!this.isFresh(this.held)) this.refreshInBackground();
        return this.held.list;
      }
    }
    onProgress?.('Downloading the mod list');
    return unlessAborted(this.refreshOnce(onProgress), signal);
  }

  /** Stops the download under way, if any. Data held before stays; with none, the state goes back to empty. */
  cancelDownload(): void {
    this.download?.abort();
  }

  /** Work under way, for whenIdle. */
  pending(): Promise<unknown>[] {
    const out: Promise<unknown>[] = [];
    if (this.refresh) out.push(this.refresh);
    if (this.load) out.push(this.load);
    return out;
  }

  get refreshing(): boolean {
    return this.refresh !== undefined;
  }

  invalidate(): void {
    this.generation++;
  }

  /** Lets the list go; the next access reads it back from disk. */
  release(): void {
    this.held = undefined;
    this.load = undefined;
  }

  /** Forgets the list; its files are deleted through the write queue. */
  clear(): void {
    this.epoch++;
    this.held = undefined;
    this.load = Promise.resolve();
    this.current = { status: 'empty', refreshing: this.refresh !== undefined };
    const storage = this.o.storage;
    for (const key of [LIST_FILE, INDEX_FILE]) this.o.writes.enqueue(() => storage.delete(key), `delete ${key}`);
    this.o.writes.enqueue(() => this.removeDetailsFiles(undefined), 'delete the details files');
  }

  private isFresh(held: Held): boolean {
    const age = this.o.now() - held.fetchedAt;
    return held.generation === this.generation && age >= 0 && age < this.o.freshMs;
  }

  private refreshInBackground(): void {
    if (this.refresh !== undefined) return;
    // The failure is already in the state and the log.
    this.refreshOnce().catch(() => undefined);
  }

  /** One refresh at a time; callers arriving meanwhile share it. */
  private refreshOnce(onProgress?: (message: string) => void): Promise<ModList> {
    if (this.refresh !== undefined) return this.refresh;
    const epoch = this.epoch;
    const download = new AbortController();
    const stop = (): void => download.abort();
    this.o.lifetime.addEventListener('abort', stop, { once: true });
    this.download = download;
    const run = async (): Promise<ModList> => {
      let all = false;
      try {
        const before = this.held;
        const answer = await this.o.fetch({ signal: download.signal, ...(before && this.validators ? { validators: this.validators } : {}) });
        const held = this.held;
        if (answer.notModified && held !== undefined) {
          if (epoch !== this.epoch) return held.list;
          const fetchedAt = this.o.now();
          this.held = { ...held, fetchedAt };
          this.current = { status: 'ready', fetchedAt, refreshing: false, modCount: held.list.size };
          this.o.log('Mod list: unchanged since the last download');
          this.persistUnchanged(held.list, fetchedAt);
          return held.list;
        }
        if (answer.notModified) throw new PortalError('malformed', 'The Mod Portal answered 304 for a mod list that is not held');
        this.validators = answer.validators;
        onProgress?.('Indexing the mod list');
        const fetchedAt = this.o.now();
        const { columns, details } = buildColumns(answer.value);
        const list = new ModList(columns, memoryRange(details));
        if (epoch !== this.epoch) return list;
        this.hold({ list, fetchedAt, generation: this.generation });
        this.current = { status: 'ready', fetchedAt, refreshing: false, modCount: list.size };
        all = true;
        this.o.log(`Mod list: ${list.size} mods fetched`);
        this.persistNew(list, columns, details, fetchedAt);
        return list;
      } catch (e) {
        const error = toPortalError(e);
        if (epoch === this.epoch) {
          const held = this.held;
          if (error.kind === 'cancelled') {
            this.current = held ? { status: 'ready', fetchedAt: held.fetchedAt, refreshing: false, modCount: held.list.size } : { status: 'empty', refreshing: false };
            this.o.log('Mod list download cancelled');
          } else {
            this.o.failed(error);
            this.current = held
              ? { status: 'ready', fetchedAt: held.fetchedAt, refreshing: false, error, modCount: held.list.size }
              : { status: 'error', refreshing: false, error };
            this.o.log(`Mod list refresh failed: ${error.message}`);
          }
        }
        throw error;
      } finally {
        this.o.lifetime.removeEventListener('abort', stop);
        if (this.download === download) this.download = undefined;
        this.refresh = undefined;
        this.o.changed(all);
      }
    };
    const refresh = run();
    this.refresh = refresh;
    this.current = { ...this.current, status: this.held ? 'ready' : 'loading', refreshing: true };
    this.o.changed(false);
    return refresh;
  }

  private loadOnce(): Promise<void> {
    this.load ??= this.readFromDisk();
    return this.load;
  }

  private async readFromDisk(): Promise<void> {
    const epoch = this.epoch;
    const storage = this.o.storage;
    let text: string | undefined;
    let indexBytes: Uint8Array | undefined;
    try {
      [text, indexBytes] = await Promise.all([storage.read(LIST_FILE), storage.readBytes?.(INDEX_FILE).catch(() => undefined)]);
    } catch (e) {
      this.o.log(`Could not read the cached mod list: ${String(e)}`);
      return;
    }
    if (text === undefined) return;
    let columns: ListColumns;
    let fetchedAt: number;
    try {
      ({ columns, fetchedAt } = decodeListFile(text));
    } catch (e) {
      this.o.log(`Discarding the cached mod list (${messageOf(e)}); it will be fetched again`);
      await storage.delete(LIST_FILE).catch(() => undefined);
      return;
    }
    // Checked once here, not on every read: a details file is never rewritten, only removed.
    if (!(await this.detailsPresent(columns))) {
      this.o.log('The cached mod list does not match its details file; it will be fetched again');
      return;
    }
    // A refresh may have landed while the files were read.
    if (epoch !== this.epoch || (this.held !== undefined && this.held.fetchedAt >= fetchedAt)) return;
    let list: ModList;
    try {
      const snapshot = indexBytes && decodeIndexSnapshot(indexBytes, fetchedAt, columns.names.length);
      list = new ModList(columns, this.diskRange(), snapshot);
    } catch (e) {
      this.o.log(`Discarding the cached mod list (${messageOf(e)}); it will be fetched again`);
      return;
    }
    this.hold({ list, fetchedAt, generation: this.generation });
    this.written = fetchedAt;
    this.current = { ...this.current, status: 'ready', fetchedAt, modCount: list.size };
    this.o.writes.enqueue(() => this.removeDetailsFiles(columns.detailsFile), 'tidy the details files');
    this.o.changed(true);
  }

  /** Whether the details file the list names is there and begins with the list's header. */
  private async detailsPresent(columns: ListColumns): Promise<boolean> {
    const read = this.o.storage.readRange?.bind(this.o.storage);
    if (read === undefined) return false;
    const header = Buffer.from(`${columns.detailsHeader}\n`);
    const bytes = await read(columns.detailsFile, 0, header.length).catch(() => undefined);
    return bytes !== undefined && Buffer.compare(Buffer.from(bytes), header) === 0;
  }

  /**
   * Holds `held`; when another window's newer list has replaced its details file, the list
   * is let go and read again (the other window's, whole) when next needed.
   */
  private hold(held: Held): void {
    this.held = held;
    held.list.onDetailsGone = () => this.replacedOnDisk(held.list);
  }

  /** `list`'s details file is gone: another window's newer list took its place, and is read when needed. */
  private replacedOnDisk(list: ModList): void {
    if (this.held?.list !== list) return;
    this.o.log('The cached mod list was replaced on disk (another window?); it is read again when needed');
    this.release();
    this.o.changed(true);
  }

  private diskRange(): ReadRange {
    const storage = this.o.storage;
    return async (file, position, length) => storage.readRange?.(file, position, length);
  }

  /**
   * The details file goes first (the list file names it), then the list and the index
   * arrays; the folder is then tidied of details files no list names.
   */
  private persistNew(list: ModList, columns: ListColumns, details: Uint8Array, fetchedAt: number): void {
    const { storage, writes } = this.o;
    const writeBytes = storage.writeBytes?.bind(storage);
    if (writeBytes === undefined || storage.readRange === undefined) {
      // Details cannot be stored here: the list stays in memory only.
      return;
    }
    writes.enqueue(async () => {
      await writeBytes(columns.detailsFile, details);
      list.moveDetails(this.diskRange());
    }, `write ${columns.detailsFile}`);
    this.writeList(list, fetchedAt);
  }

  /** A list the portal says is current: its list file again (a new date), when its details are still there. */
  private persistUnchanged(list: ModList, fetchedAt: number): void {
    if (this.o.storage.writeBytes === undefined) return;
    const columns = listColumns(list);
    let present = true;
    this.o.writes.enqueue(async () => {
      present = await this.detailsPresent(columns);
      if (!present) this.replacedOnDisk(list);
    }, 'check the details file');
    this.writeList(list, fetchedAt, () => present);
  }

  private writeList(list: ModList, fetchedAt: number, proceed: () => boolean = () => true): void {
    const { storage, writes } = this.o;
    const columns = listColumns(list);
    writes.enqueue(async () => {
      if (!proceed()) return;
      await storage.write(LIST_FILE, encodeListFile(columns, fetchedAt));
      this.written = fetchedAt;
    }, `write ${LIST_FILE}`);
    const writeBytes = storage.writeBytes?.bind(storage);
    if (writeBytes) {
      writes.enqueue(async () => {
        if (proceed()) await writeBytes(INDEX_FILE, encodeIndexSnapshot(listSnapshot(list), fetchedAt));
      }, `write ${INDEX_FILE}`);
    }
    writes.enqueue(() => (proceed() ? this.removeDetailsFiles(columns.detailsFile) : Promise.resolve()), 'tidy the details files');
  }

  /** Removes the details files other than `keep` (all when undefined): no list names them. */
  private async removeDetailsFiles(keep: string | undefined): Promise<void> {
    const storage = this.o.storage;
    const keys = (await storage.list?.()) ?? [];
    for (const key of keys) if (isDetailsFile(key) && key !== keep) await storage.delete(key);
  }
}

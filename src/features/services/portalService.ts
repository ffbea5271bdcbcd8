import * as vscode from 'vscode';
import * as path from 'node:path';
import { PortalCache, type CacheChange, type ListState } from '../../portal/cache';
import { PortalClient } from '../../portal/client';
import type { PortalError } from '../../portal/errors';
import { Reachability } from '../../portal/reachability';
import type { ModList } from '../../portal/modList';
import { FileCacheStorage, portalFolderNames, tidyPortalFolders } from '../../portal/storage';
import { TAGS_FILE, TagIndex } from '../../portal/tags';
import type { Config } from '../core/config';
import { PortalFilterSets } from './filterSets';
import { RequestLog, type Logger } from '../core/logger';

const TIDY_DELAY_MS = 60_000;

export interface PortalServiceOptions {
  config: Config;
  /** The extension's global storage: each portal gets its own folders in it. */
  storageRoot: vscode.Uri;
  userAgent: string;
  logger: Logger;
}

/** Everything that belongs to one portal URL; built together, disposed together. */
interface PortalSet {
  readonly url: string;
  readonly timeoutMs: number;
  readonly client: PortalClient;
  readonly cache: PortalCache;
  /** This portal's back-off: a new URL starts with none from the old one. */
  readonly reachability: Reachability;
  readonly tagsFolder: string;
  /** Replaced, with the filter sets, when the cached data is cleared. */
  tags: TagIndex;
  filterSets: PortalFilterSets;
  /** The mod list the tag checks were last aimed at. */
  tagTargetsFor: ModList | undefined;
  readonly subscription: { dispose(): void };
}

/** What happened to the back-off: a failure, the portal answering again, a reset, or a new portal (none yet). */
export type ReachabilityChange = 'failed' | 'recovered' | 'reset' | 'replaced';

/** The list's state before anything asked for the portal. */
const NOTHING_YET: ListState = Object.freeze({ status: 'empty', refreshing: false });

/**
 * The one owner of per-portal state: the client, cache, back-off, tag index and filter
 * sets of the configured portal URL. A new URL (or timeout) builds a new set; the old one is disposed
 * (its requests stop) and flushed (its pending writes land). Each portal URL has its own
 * folders, so a local test portal never mixes its data with the real one.
 *
 * The set is built when a feature first needs it, not at activation: a window that only
 * ever shows other JSON files never builds it.
 */
export class PortalService implements vscode.Disposable {
  private built: PortalSet | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<CacheChange>();
  private readonly tagsEmitter = new vscode.EventEmitter<void>();
  private readonly replaceEmitter = new vscode.EventEmitter<void>();
  private readonly releaseEmitter = new vscode.EventEmitter<void>();
  private readonly reachabilityEmitter = new vscode.EventEmitter<ReachabilityChange>();
  /** Fires when the portal's back-off starts, ends or is reset, or the set (and with it the back-off) is replaced. */
  readonly onDidChangeReachability = this.reachabilityEmitter.event;
  /** Fires when the mod list was dropped from memory (it is read back from disk when needed). */
  readonly onDidRelease = this.releaseEmitter.event;
  /** Fires when portal data or its state changes (saying which mods), or the set is replaced (all). */
  readonly onDidChange = this.changeEmitter.event;
  /** Fires when the tag index learnt something, or its limit changed and the checks stopped. */
  readonly onDidChangeTags = this.tagsEmitter.event;
  /** Fires when the client, cache, tags and filter sets (or only the last two, after clearing) are new. */
  readonly onDidReplace = this.replaceEmitter.event;
  private readonly configListener: vscode.Disposable;
  /** Flushes of replaced sets still writing; close() waits for them. */
  private readonly retiring = new Set<Promise<void>>();
  private closed = false;
  private tidyTimer: NodeJS.Timeout | undefined;
  /** Tag checks serve the Mod Portal tree alone: they wait while it is hidden. */
  private tagChecksPaused = true;
  private readonly requests: RequestLog;

  constructor(private readonly options: PortalServiceOptions) {
    this.requests = new RequestLog(options.logger);
    this.configListener = options.config.onDidChange((e) => {
      const set = this.built;
      // Nothing built yet: the next use builds from the new settings.
      if (set === undefined) return;
      if (e.affectsConfiguration('factorioPortal.portalUrl') || e.affectsConfiguration('factorioPortal.requestTimeoutSeconds')) {
        const { config } = this.options;
        if (config.portalUrl === set.url && config.requestTimeoutMs === set.timeoutMs) return;
        this.retire(set);
        this.built = this.build();
        this.replaceEmitter.fire();
        this.changeEmitter.fire({ all: true });
        this.reachabilityEmitter.fire('replaced');
      }
      if (e.affectsConfiguration('factorioPortal.explorer.tagChecks')) {
        // A new limit stops the checks; they start again when the Tags node is next listed.
        const current = this.current;
        current.tags.setCap(this.options.config.tagCheckLimit);
        current.tags.stop();
        current.tagTargetsFor = undefined;
        this.tagsEmitter.fire();
      }
    });
  }

  private get current(): PortalSet {
    this.built ??= this.build();
    return this.built;
  }

  get url(): string {
    return this.built?.url ?? this.options.config.portalUrl;
  }

  /** The mod list's state, without building anything when nothing asked for the portal yet. */
  get listState(): ListState {
    return this.built?.cache.listState ?? NOTHING_YET;
  }

  get client(): PortalClient {
    return this.current.client;
  }

  get cache(): PortalCache {
    return this.current.cache;
  }

  get tags(): TagIndex {
    return this.current.tags;
  }

  get filterSets(): PortalFilterSets {
    return this.current.filterSets;
  }

  // ---- the back-off (the status bar shows it) ----

  /** Whether requests may go now, or should wait out the back-off after a failure. */
  mayRequest(): boolean {
    return this.built?.reachability.mayRequest() ?? true;
  }

  /** The failure of the outage under way, if any. */
  get lastFailure(): PortalError | undefined {
    return this.built?.reachability.lastFailure;
  }

  /** Ends the outage, if any; true when there was one (the portal answers again). */
  reportSuccess(): boolean {
    const ended = this.current.reachability.reportSuccess();
    if (ended) this.reachabilityEmitter.fire('recovered');
    return ended;
  }

  /** Starts or prolongs an outage; true for its first failure (the user hears of it once). */
  reportFailure(error: PortalError): boolean {
    const first = this.current.reachability.reportFailure(error);
    this.reachabilityEmitter.fire('failed');
    return first;
  }

  /** Lets the next request through at once (the user asked for it). */
  resetBackoff(): void {
    this.built?.reachability.resetBackoff();
    this.reachabilityEmitter.fire('reset');
  }

  /** The portal page of a mod, for links. */
  modPageUrl(name: string): string {
    return `${this.url}/mod/${encodeURIComponent(name)}`;
  }

  /** Aims the background tag checks at the most downloaded mods of `list` (once per list). */
  startTagChecks(list: ModList): void {
    const set = this.current;
    if (set.tagTargetsFor === list) return;
    set.tagTargetsFor = list;
    set.tags.setCap(this.options.config.tagCheckLimit);
    void set.tags.setTargets(list.top('downloads', set.tags.limit).map((m) => m.name));
  }

  /** Drops the mod list from memory when it is on disk and nothing is under way (see ListKeeper). */
  releaseList(): 'released' | 'busy' | 'none' {
    const set = this.built;
    if (set === undefined) return 'none';
    const result = set.cache.release();
    if (result === 'released') {
      set.tagTargetsFor = undefined;
      this.releaseEmitter.fire();
    }
    return result;
  }

  /**
   * Forgets everything learnt from the portal, in memory and on disk: the mod list, mod
   * records, tag checks and filter listings.
   */
  async clear(): Promise<void> {
    const set = this.current;
    await set.cache.clear();
    const old = set.tags;
    old.dispose();
    // After the old tag index's last write, or that write would bring the file back.
    await old.flush();
    await new FileCacheStorage(set.tagsFolder).delete(TAGS_FILE);
    if (this.closed || set !== this.built) return;
    set.tags = this.createTags(set.cache, set.tagsFolder, set.reachability);
    set.filterSets = new PortalFilterSets(() => set.client);
    set.tagTargetsFor = undefined;
    this.replaceEmitter.fire();
    this.changeEmitter.fire({ all: true });
  }

  /** Pauses the background tag checks while the Mod Portal view is hidden; they resume where they stopped. */
  setTagChecksPaused(paused: boolean): void {
    this.tagChecksPaused = paused;
    if (paused) this.built?.tags.pause();
    else this.built?.tags.resume();
  }

  private build(): PortalSet {
    const { config, logger, userAgent, storageRoot } = this.options;
    const url = config.portalUrl;
    const timeoutMs = config.requestTimeoutMs;
    const log = (message: string) => logger.info(message);
    const client = new PortalClient({ baseUrl: url, userAgent, timeoutMs, log, trace: (message) => this.requests.add(message) });
    const [cacheFolder, tagsFolderName] = portalFolderNames(url);
    const storage = new FileCacheStorage(path.join(storageRoot.fsPath, cacheFolder!));
    const cache = new PortalCache({ client, storage, log });
    const tagsFolder = path.join(storageRoot.fsPath, tagsFolderName!);
    const reachability = new Reachability();
    const set: PortalSet = {
      url,
      timeoutMs,
      client,
      cache,
      reachability,
      tagsFolder,
      tags: this.createTags(cache, tagsFolder, reachability),
      filterSets: new PortalFilterSets(() => client),
      tagTargetsFor: undefined,
      subscription: cache.onDidChange((change) => this.changeEmitter.fire(change)),
    };
    logger.info(`Using the Mod Portal at ${url}`);
    // Not during activation: the folders are tidied once the editor has settled.
    clearTimeout(this.tidyTimer);
    this.tidyTimer = setTimeout(() => {
      void tidyPortalFolders(storageRoot.fsPath, { url }).then((removed) => {
        if (removed.length > 0) logger.info(`Removed the cached data of ${removed.length} portal(s) not used for 30 days`);
      });
    }, TIDY_DELAY_MS);
    return set;
  }

  /** A tag index that reads through `cache`; only the current set's index is heard. */
  private createTags(cache: PortalCache, folder: string, reachability: Reachability): TagIndex {
    const tags = new TagIndex({
      source: {
        peekFullMod: (name) => cache.peekFullMod(name),
        fetchFullMod: (name, options) => cache.fetchFullMod(name, options),
      },
      storage: new FileCacheStorage(folder),
      cap: this.options.config.tagCheckLimit,
      paused: this.tagChecksPaused,
      mayRequest: () => reachability.mayRequest(),
      log: (message) => this.options.logger.info(message),
    });
    tags.onDidChange(() => {
      if (this.built?.tags === tags) this.tagsEmitter.fire();
    });
    return tags;
  }

  /** Stops a set's requests and timers now; its pending writes still land (close() waits for them). */
  private retire(set: PortalSet): void {
    set.subscription.dispose();
    set.cache.dispose();
    set.tags.dispose();
    const done = Promise.all([set.cache.flush(), set.tags.flush()]).then(
      () => undefined,
      (error: unknown) => this.options.logger.warn(`Could not save the cached data of ${set.url}: ${String(error)}`),
    );
    this.retiring.add(done);
    void done.finally(() => this.retiring.delete(done));
  }

  /** Disposes the current set and waits until everything pending is written (deactivation). */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      clearTimeout(this.tidyTimer);
      this.configListener.dispose();
      if (this.built !== undefined) this.retire(this.built);
    }
    await Promise.all([...this.retiring]);
  }

  dispose(): void {
    void this.close();
    this.requests.dispose();
    this.changeEmitter.dispose();
    this.tagsEmitter.dispose();
    this.replaceEmitter.dispose();
    this.releaseEmitter.dispose();
    this.reachabilityEmitter.dispose();
  }
}

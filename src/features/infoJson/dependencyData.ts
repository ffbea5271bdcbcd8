import * as vscode from 'vscode';
import type { ModFacts } from '../../model/analysis';
import { isBuiltinMod } from '../../model/builtins';
import type { CacheChange } from '../../portal/cache';
import type { FullModEntry, ModEntry } from '../../portal/types';
import type { ModList } from '../../portal/modList';
import { toPortalError } from '../../portal/errors';
import type { PortalService } from '../services/portalService';
import type { PortalStatus } from '../services/status';

const FULL_INFO_CONCURRENCY = 2;
/** "Did you mean" answers kept (the oldest go first). */
const MAX_KEPT_SUGGESTIONS = 256;

/**
 * What the editor features know about dependencies, and the fetching behind it.
 * Answers are synchronous from the cache; `ensure` fetches what is missing or
 * stale in the background and the cache's change event brings the results.
 */
export class DependencyData implements vscode.Disposable {
  private readonly fullQueue: { name: string; resolve: () => void }[] = [];
  private readonly queued = new Map<string, Promise<void>>();
  private fullRunning = 0;
  /** By list: they go with it when it is released from memory. */
  private readonly suggestions = new WeakMap<ModList, Map<string, string[]>>();

  constructor(
    private readonly portal: PortalService,
    private readonly status: PortalStatus,
  ) {}

  /**
   * Fires when cached data changes, saying which mods (see `changeConcerns`), or when the
   * portal becomes reachable again (then everything may read differently).
   */
  onDidChange(listener: (change: CacheChange) => void): vscode.Disposable {
    const a = this.portal.onDidChange(listener);
    const b = this.status.onDidChange(() => listener({ all: true }));
    return vscode.Disposable.from(a, b);
  }

  facts(name: string): ModFacts {
    const record = this.portal.cache.peekMods([name]).get(name);
    if (!record || record.state === 'unknown') return { state: 'unknown' };
    if (record.state === 'missing') return { state: 'missing' };
    const full = this.portal.cache.peekFullMod(name);
    const deprecated = full && full.state === 'found' ? full.mod.deprecated === true : undefined;
    // Without `releases` the entry says nothing about them: 'releases unknown', not 'none'.
    return { state: 'found', releases: record.mod.releases, deprecated, title: record.mod.title, owner: record.mod.owner };
  }

  mod(name: string): ModEntry | undefined {
    const record = this.portal.cache.peekMods([name]).get(name);
    return record?.state === 'found' ? record.mod : undefined;
  }

  fullMod(name: string): FullModEntry | undefined {
    const record = this.portal.cache.peekFullMod(name);
    return record?.state === 'found' ? record.mod : undefined;
  }

  /**
   * The full mod list: from memory or disk at once, else fetched (one request).
   * Undefined when it can't be had right now.
   */
  async list(options: { forceRefresh?: boolean } = {}): Promise<ModList | undefined> {
    const cache = this.portal.cache;
    const ready = cache.peekList();
    if (ready && !options.forceRefresh) {
      // Stale data is served while the cache refreshes it in the background.
      if (this.status.mayRequest()) void cache.getList().catch((e: unknown) => this.reportFailure(e));
      return ready;
    }
    if (!this.status.mayRequest() && !options.forceRefresh) return undefined;
    try {
      const list = await cache.getList({ forceRefresh: options.forceRefresh });
      this.status.reportSuccess();
      return list;
    } catch (error) {
      this.reportFailure(error);
      return cache.peekList();
    }
  }

  /** Marks all cached data stale and reloads the mod list (the Refresh command). */
  async refresh(): Promise<void> {
    this.portal.cache.invalidate();
    await this.list({ forceRefresh: true });
  }

  /** Stops a mod list download under way (the user cancelled it). */
  cancelListDownload(): void {
    this.portal.cache.cancelListDownload();
  }

  /**
   * "Did you mean" names, when the full list is at hand. Every lint asks again for each
   * unknown name (while a name is typed, on every keystroke), and each answer is a pass
   * over the whole list: answers are kept for the list they came from.
   */
  suggest(name: string): string[] {
    const list = this.portal.cache.peekList();
    if (!list) return [];
    let byName = this.suggestions.get(list);
    if (byName === undefined) this.suggestions.set(list, (byName = new Map()));
    let found = byName.get(name);
    if (found === undefined) {
      found = list.closest(name, 3).map((mod) => mod.name).filter((n) => n !== name);
      if (byName.size >= MAX_KEPT_SUGGESTIONS) byName.delete(byName.keys().next().value!);
      byName.set(name, found);
    }
    return found;
  }

  /**
   * Makes sure release data (one batched request) and, in the background, full
   * info (for deprecation) is fresh for these names. Never throws: failures go
   * to the status, and stale data stays in use.
   */
  async ensure(names: readonly string[], options: { full?: boolean } = {}): Promise<void> {
    const portalNames = [...new Set(names.filter((n) => n && !isBuiltinMod(n)))];
    if (portalNames.length === 0 || !this.status.mayRequest()) return;
    const cache = this.portal.cache;
    // The cache never rejects for portal failures: they come back on the records.
    const records = await cache.fetchMods(portalNames);
    const failed = [...records.values()].find((r) => r.error !== undefined)?.error;
    if (failed) {
      this.reportFailure(failed);
      return;
    }
    this.status.reportSuccess();
    if (options.full === false) return;
    for (const [name, record] of records) {
      if (record.state !== 'found') continue;
      const full = cache.peekFullMod(name);
      if (full.state === 'unknown' || full.stale) void this.queueFull(name);
    }
  }

  /** Fetches full info now (hover, details), within the status's back-off. */
  async fetchFull(name: string): Promise<FullModEntry | undefined> {
    if (isBuiltinMod(name)) return undefined;
    const cached = this.portal.cache.peekFullMod(name);
    if (cached.state === 'found' && !cached.stale) return cached.mod;
    if (!this.status.mayRequest()) return this.fullMod(name);
    const record = await this.portal.cache.fetchFullMod(name);
    if (record.error) this.reportFailure(record.error);
    else this.status.reportSuccess();
    return record.state === 'found' ? record.mod : undefined;
  }

  /**
   * Fetches full records in the background at a low concurrency (one request per mod);
   * resolves when all of these are in, or failed.
   */
  prefetchFull(names: readonly string[]): Promise<void> {
    return Promise.all(names.map((name) => this.queueFull(name))).then(() => undefined);
  }

  private queueFull(name: string): Promise<void> {
    const queued = this.queued.get(name);
    if (queued) return queued;
    const done = new Promise<void>((resolve) => this.fullQueue.push({ name, resolve }));
    this.queued.set(name, done);
    this.pump();
    return done;
  }

  private pump(): void {
    while (this.fullRunning < FULL_INFO_CONCURRENCY && this.fullQueue.length > 0) {
      const { name, resolve } = this.fullQueue.shift()!;
      this.fullRunning++;
      void this.fetchFull(name).finally(() => {
        this.fullRunning--;
        this.queued.delete(name);
        resolve();
        this.pump();
      });
    }
  }

  private reportFailure(error: unknown): void {
    const portalError = toPortalError(error, this.portal.url);
    if (portalError.kind === 'cancelled') return;
    this.status.reportFailure(portalError);
  }

  dispose(): void {
    for (const { resolve } of this.fullQueue.splice(0)) resolve();
    this.queued.clear();
  }
}

import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { PortalClient } from '../portal/client';
import { PortalCache, type CacheChange } from '../portal/cache';
import { FileCacheStorage, tidyPortalFolders } from '../portal/storage';
import type { Config } from './config';
import type { Logger } from './logger';

/**
 * Owns the portal client and cache for the configured portal URL and rebuilds
 * them when the URL changes. Each portal URL gets its own cache folder, so a
 * local test portal never mixes its data with the real one.
 */
export class PortalService implements vscode.Disposable {
  private current: { url: string; client: PortalClient; cache: PortalCache; unsubscribe: { dispose(): void } };
  private readonly emitter = new vscode.EventEmitter<CacheChange>();
  /** Fires when portal data or its state changes (saying which mods), or the cache is replaced (all). */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly config: Config,
    private readonly storageRoot: vscode.Uri,
    private readonly userAgent: string,
    private readonly logger: Logger,
  ) {
    this.current = this.build();
    this.disposables.push(
      config.onDidChange((e) => {
        if (e.affectsConfiguration('factorioPortal.portalUrl') || e.affectsConfiguration('factorioPortal.requestTimeoutSeconds')) {
          this.current.unsubscribe.dispose();
          this.current = this.build();
          this.emitter.fire({ all: true });
        }
      }),
    );
  }

  get url(): string {
    return this.current.url;
  }

  get client(): PortalClient {
    return this.current.client;
  }

  get cache(): PortalCache {
    return this.current.cache;
  }

  /** The portal page of a mod, for links. */
  modPageUrl(name: string): string {
    return `${this.current.url}/mod/${encodeURIComponent(name)}`;
  }

  private build(): PortalService['current'] {
    const url = this.config.portalUrl;
    const log = (message: string) => this.logger.info(message);
    const client = new PortalClient({
      baseUrl: url,
      userAgent: this.userAgent,
      timeoutMs: this.config.requestTimeoutMs,
      log,
    });
    const folder = 'portal-' + createHash('sha1').update(url).digest('hex').slice(0, 12);
    const storage = new FileCacheStorage(path.join(this.storageRoot.fsPath, folder));
    const cache = new PortalCache({ client, storage, log });
    const unsubscribe = cache.onDidChange((change) => this.emitter.fire(change));
    this.logger.info(`Using the Mod Portal at ${url}`);
    void tidyPortalFolders(this.storageRoot.fsPath, { url }).then((removed) => {
      if (removed.length > 0) this.logger.info(`Removed the cached data of portals unused for 30 days (${removed.join(', ')})`);
    });
    return { url, client, cache, unsubscribe };
  }

  dispose(): void {
    this.current.unsubscribe.dispose();
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

// The explorer's Factorio version and deprecation filters ask the portal itself, which
// knows every release and every deprecation (the cached list has only the latest release
// and no deprecation flag). One `page_size=max` listing per filter gives the names it
// lets through; it is kept for the portal's own 15 minutes.

import type { Clock } from '../../portal/cache';
import type { PortalClient } from '../../portal/client';

export interface FilterQuery {
  version?: string;
  hideDeprecated?: boolean;
}

type Lister = Pick<PortalClient, 'listAllPages'>;

export class PortalFilterSets {
  private readonly held = new Map<string, { names: ReadonlySet<string>; at: number }>();
  private readonly pending = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly client: () => Lister,
    private readonly clock: Clock = { now: () => Date.now() },
    private readonly freshMs = 15 * 60_000,
  ) {}

  private key(query: FilterQuery): string {
    return `${query.version ?? ''}|${query.hideDeprecated === true}`;
  }

  /** What is held for the query, fresh or not. */
  peek(query: FilterQuery): ReadonlySet<string> | undefined {
    return this.held.get(this.key(query))?.names;
  }

  async get(query: FilterQuery): Promise<ReadonlySet<string>> {
    const key = this.key(query);
    const held = this.held.get(key);
    if (held && this.clock.now() - held.at < this.freshMs) return held.names;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.fetch(query).then(
        (names) => {
          this.held.set(key, { names, at: this.clock.now() });
          this.pending.delete(key);
          return names;
        },
        (error: unknown) => {
          this.pending.delete(key);
          // Stale names serve better than none while the portal is away.
          if (held) return held.names;
          throw error;
        },
      );
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async fetch(query: FilterQuery): Promise<ReadonlySet<string>> {
    const names = new Set<string>();
    const pages = this.client().listAllPages({
      page_size: 'max',
      ...(query.version !== undefined ? { version: query.version } : {}),
      ...(query.hideDeprecated ? { hide_deprecated: true } : {}),
    });
    for await (const page of pages) for (const mod of page.results) names.add(mod.name);
    return names;
  }

  clear(): void {
    this.held.clear();
  }
}

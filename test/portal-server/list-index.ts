// Query answering for /api/mods over one dataset, with the sorted orders, serialised
// entries and whole `page_size=max` bodies cached, so 50,000 mods answer quickly.
import type { SortKey, SortOrder } from '../../src/portal/types';
import type { DatasetMod, PortalDataset } from './records';
import { fullEntry, listEntry, namelistEntry, shortEntry } from './wire';

export interface ListFilter {
  hideDeprecated: boolean;
  version?: string;
  namelist?: readonly string[];
}

const CACHE_LIMIT = 64;

function boundedSet<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= CACHE_LIMIT) map.delete(map.keys().next().value as K);
  map.set(key, value);
  return value;
}

function compareNames(a: DatasetMod, b: DatasetMod): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Serialises a `page_size=max` body a slice at a time, so it can be built in the background. */
class MaxBodyBuilder {
  private readonly parts: string[];
  private done = 0;
  private body: Buffer | undefined;

  constructor(private readonly mods: readonly DatasetMod[]) {
    this.parts = new Array<string>(mods.length);
  }

  /** Every entry is serialised (the body itself is joined on first use). */
  get stepped(): boolean {
    return this.done >= this.mods.length;
  }

  step(count: number): void {
    const end = Math.min(this.mods.length, this.done + count);
    for (let i = this.done; i < end; i++) this.parts[i] = JSON.stringify(listEntry(this.mods[i]));
    this.done = end;
  }

  finish(): Buffer {
    if (!this.body) {
      this.step(this.mods.length);
      this.body = Buffer.from(`{"pagination":null,"results":[${this.parts.join(',')}]}`, 'utf8');
      this.parts.length = 0;
    }
    return this.body;
  }
}

export class ListIndex {
  readonly byName = new Map<string, DatasetMod>();
  private warmingTimer: NodeJS.Immediate | undefined;
  private readonly sorted = new Map<string, readonly DatasetMod[]>();
  private readonly filtered = new Map<string, readonly DatasetMod[]>();
  private readonly maxBodies = new Map<string, MaxBodyBuilder>();

  constructor(readonly dataset: PortalDataset) {
    for (const mod of dataset.mods) this.byName.set(mod.name, mod);
  }

  find(name: string): DatasetMod | undefined {
    return this.byName.get(name);
  }

  private matches(mod: DatasetMod, filter: ListFilter): boolean {
    if (filter.version !== undefined) {
      if (mod.deprecated === true) return false;
      if (!mod.releases.some((r) => r.info_json.factorio_version === filter.version)) return false;
    } else if (filter.hideDeprecated && mod.deprecated === true) {
      return false;
    }
    return true;
  }

  private sortedBy(sort: SortKey, order: SortOrder): readonly DatasetMod[] {
    const key = `${sort}|${order}`;
    const cached = this.sorted.get(key);
    if (cached) return cached;
    let list: DatasetMod[];
    if (order === 'desc') {
      list = [...this.sortedBy(sort, 'asc')].reverse();
    } else if (sort === 'name') {
      list = [...this.dataset.mods].sort(compareNames);
    } else {
      list = [...this.dataset.mods].sort((a, b) => {
        const x = a[sort] ?? '';
        const y = b[sort] ?? '';
        return x < y ? -1 : x > y ? 1 : compareNames(a, b);
      });
    }
    return boundedSet(this.sorted, key, list);
  }

  /** Mods matching the filter; in dataset order when `sort` is undefined (as `max` answers). */
  select(filter: ListFilter, sort?: SortKey, order?: SortOrder): readonly DatasetMod[] {
    if (filter.namelist) {
      const wanted = new Set(filter.namelist);
      return this.dataset.mods.filter((m) => wanted.has(m.name) && this.matches(m, filter));
    }
    const key = `${sort ?? '-'}|${order ?? '-'}|${filter.hideDeprecated}|${filter.version ?? ''}`;
    const cached = this.filtered.get(key);
    if (cached) return cached;
    const base = sort ? this.sortedBy(sort, order ?? 'desc') : this.dataset.mods;
    const all = !filter.hideDeprecated && filter.version === undefined;
    return boundedSet(this.filtered, key, all ? base : base.filter((m) => this.matches(m, filter)));
  }

  listEntryJson(mod: DatasetMod): string {
    return JSON.stringify(listEntry(mod));
  }

  namelistEntryJson(mod: DatasetMod): string {
    return JSON.stringify(namelistEntry(mod));
  }

  shortJson(mod: DatasetMod): string {
    return JSON.stringify(shortEntry(mod));
  }

  fullJson(mod: DatasetMod): string {
    return JSON.stringify(fullEntry(mod));
  }

  private maxBuilder(filter: ListFilter): MaxBodyBuilder {
    const key = `${filter.hideDeprecated}|${filter.version ?? ''}`;
    return this.maxBodies.get(key) ?? boundedSet(this.maxBodies, key, new MaxBodyBuilder(this.select(filter)));
  }

  /** The whole `page_size=max` body for a filter, built once. */
  maxBody(filter: ListFilter): Buffer {
    return this.maxBuilder(filter).finish();
  }

  /**
   * Builds the unfiltered `page_size=max` body in small slices between requests, so
   * the first client to ask for the whole list (as the extension does) gets it fast.
   */
  warmUp(sliceSize = 500): void {
    const builder = this.maxBuilder({ hideDeprecated: false });
    const tick = (): void => {
      this.warmingTimer = undefined;
      // Join the body once every slice is done, then stop: before, the check looked at the
      // joined body, which only a request makes, so the loop spun a core until one came.
      if (builder.stepped) {
        builder.finish();
        return;
      }
      builder.step(sliceSize);
      this.warmingTimer = setImmediate(tick);
    };
    this.warmingTimer = setImmediate(tick);
  }

  /** True while the background warm-up still has slices to serialise. */
  get warming(): boolean {
    return this.warmingTimer !== undefined;
  }

  dispose(): void {
    if (this.warmingTimer) clearImmediate(this.warmingTimer);
    this.warmingTimer = undefined;
  }
}

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

export class ListIndex {
  readonly byName = new Map<string, DatasetMod>();
  private readonly listJson = new Map<DatasetMod, string>();
  private readonly sorted = new Map<string, readonly DatasetMod[]>();
  private readonly filtered = new Map<string, readonly DatasetMod[]>();
  private readonly maxBodies = new Map<string, Buffer>();

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
    let json = this.listJson.get(mod);
    if (json === undefined) {
      json = JSON.stringify(listEntry(mod));
      this.listJson.set(mod, json);
    }
    return json;
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

  /** The whole `page_size=max` body for a filter, built once. */
  maxBody(filter: ListFilter): Buffer {
    const key = `${filter.hideDeprecated}|${filter.version ?? ''}`;
    const cached = this.maxBodies.get(key);
    if (cached) return cached;
    const mods = this.select(filter);
    const parts = new Array<string>(mods.length);
    for (let i = 0; i < mods.length; i++) parts[i] = this.listEntryJson(mods[i]);
    return boundedSet(this.maxBodies, key, Buffer.from(`{"pagination":null,"results":[${parts.join(',')}]}`, 'utf8'));
  }
}

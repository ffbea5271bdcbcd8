// The mod explorer's view of the mod list, without VS Code: which mods pass the filters,
// in which order, grouped by category. Category values are kept as the portal sends them
// (an old `big-mods` is its own group), never mapped or dropped.

import { latestReleaseTime } from '../../portal/listFile';
import type { ModEntry } from '../../portal/types';
import { CURRENT_CATEGORIES } from '../../portal/types';
import { categoryKey as portalCategoryKey } from '../../portal/categories';

export type SortMode = 'downloads' | 'updated' | 'name';

export const SORT_MODES: readonly SortMode[] = ['downloads', 'updated', 'name'];

export interface ExplorerFilter {
  /** Only mods with a release for this Factorio version (and not deprecated, as the portal filters). */
  factorioVersion?: string;
  hideDeprecated: boolean;
  sort: SortMode;
}

/** The names a filter lets through, or undefined when the filter is off. */
export interface FilterSets {
  /** Names the portal lists for the chosen Factorio version. */
  version?: ReadonlySet<string>;
  /** Names the portal lists with hide_deprecated. */
  notDeprecated?: ReadonlySet<string>;
}

/** The key of a mod's category group: its value as sent, "no-category" when it has none. */
export function categoryKey(mod: Pick<ModEntry, 'category'>): string {
  return portalCategoryKey(mod.category);
}

/** Today's categories in the portal's order, then anything else by name, then none. */
export function compareCategories(a: string, b: string): number {
  const rank = (k: string): number => {
    if (k === 'no-category') return 1000;
    const i = (CURRENT_CATEGORIES as readonly string[]).indexOf(k);
    return i >= 0 ? i : 100;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** When the mod last had a release (ms), or -Infinity when that is not known. */
function updatedAt(mod: ModEntry): number {
  const known = latestReleaseTime(mod);
  let latest = Number.isNaN(known) ? -Infinity : known;
  for (const r of mod.releases ?? []) {
    const at = Date.parse(r.released_at);
    if (at > latest) latest = at;
  }
  return latest;
}

/** `mods` come most downloaded first (the index's order); other orders are computed. */
export function sortMods(mods: readonly ModEntry[], mode: SortMode): ModEntry[] {
  if (mode === 'downloads') return [...mods];
  if (mode === 'name') {
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    return [...mods].sort((a, b) => collator.compare(a.title || a.name, b.title || b.name) || (a.name < b.name ? -1 : 1));
  }
  const keyed = mods.map((mod) => ({ mod, at: updatedAt(mod) }));
  keyed.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.mod.downloads_count - a.mod.downloads_count));
  return keyed.map((k) => k.mod);
}

export function applyFilter(mods: readonly ModEntry[], filter: ExplorerFilter, sets: FilterSets): ModEntry[] {
  const byVersion = filter.factorioVersion !== undefined ? sets.version : undefined;
  const byDeprecation = filter.hideDeprecated ? sets.notDeprecated : undefined;
  const kept = byVersion || byDeprecation ? mods.filter((m) => (!byVersion || byVersion.has(m.name)) && (!byDeprecation || byDeprecation.has(m.name))) : mods;
  return sortMods(kept, filter.sort);
}

/** Mods per category key, each list in the order given. */
export function groupByCategory(mods: readonly ModEntry[]): Map<string, ModEntry[]> {
  const groups = new Map<string, ModEntry[]>();
  for (const mod of mods) {
    const key = categoryKey(mod);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(mod);
  }
  return new Map([...groups].sort((a, b) => compareCategories(a[0], b[0])));
}

export function describeFilter(filter: ExplorerFilter): string {
  const parts: string[] = [];
  if (filter.factorioVersion) parts.push(`Factorio ${filter.factorioVersion}`);
  if (filter.hideDeprecated && !filter.factorioVersion) parts.push('no deprecated');
  if (filter.sort === 'updated') parts.push('recently updated');
  if (filter.sort === 'name') parts.push('by name');
  return parts.join(' · ');
}

// The mod explorer's view of the mod list, without VS Code: which mods pass the filters,
// in which order, grouped by category. Category values are kept as the portal sends them
// (an old `big-mods` is its own group), never mapped or dropped.

import type { ModList, ModSelection, SortMode } from '../../portal/modList';
import type { ModEntry } from '../../portal/types';
import { CURRENT_CATEGORIES } from '../../portal/types';
import { categoryKey as portalCategoryKey } from '../../portal/categories';

export type { SortMode };

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

/** The mods of `list` the filter lets through, in its sort order: no entry made per mod. */
export function applyFilter(list: ModList, filter: ExplorerFilter, sets: FilterSets): ModSelection {
  const byVersion = filter.factorioVersion !== undefined ? sets.version : undefined;
  const byDeprecation = filter.hideDeprecated ? sets.notDeprecated : undefined;
  const keep = byVersion || byDeprecation ? (name: string) => (!byVersion || byVersion.has(name)) && (!byDeprecation || byDeprecation.has(name)) : undefined;
  return list.select(filter.sort, keep);
}

/** Mods per category key, each in the order given, the categories in the portal's order. */
export function groupByCategory(mods: ModSelection): Map<string, ModSelection> {
  return new Map([...mods.byCategory(portalCategoryKey)].sort((a, b) => compareCategories(a[0], b[0])));
}

export function describeFilter(filter: ExplorerFilter): string {
  const parts: string[] = [];
  if (filter.factorioVersion) parts.push(`Factorio ${filter.factorioVersion}`);
  if (filter.hideDeprecated && !filter.factorioVersion) parts.push('no deprecated');
  if (filter.sort === 'updated') parts.push('recently updated');
  if (filter.sort === 'name') parts.push('by name');
  return parts.join(' · ');
}

// The mod list's one door. Callers get a ModList (count, search, summaries, sorted
// selections, `details()`) and the store that keeps it; how it is stored is this folder's
// business alone.

export { ModList, ModSelection, modListOf, type SortMode } from './modList';
export { ModListStore, LIST_FILE, INDEX_FILE, type FetchList, type GetListOptions, type ListState } from './store';
export { type MatchRange, type SearchHit } from './search';
export type { LatestRelease, ModSummary } from './summary';

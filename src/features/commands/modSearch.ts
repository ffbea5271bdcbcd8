// Search Mods as the user types, without VS Code: the rows of each keystroke come at once
// from what the list holds in memory; the summaries of the first rows are read from the
// details file afterwards, asynchronously, and remembered while the pick is open.

import type { ModList, ModSummary } from '../../portal/modList';

/** Results shown at once; the list is searched again on every keystroke. */
export const SEARCH_LIMIT = 200;
/** Rows whose summary is read: about what the pick shows without scrolling. */
export const SUMMARY_ROWS = 20;
/** Summaries one pick remembers while the user types. */
const MAX_KEPT_SUMMARIES = 500;

export interface ModRow {
  mod: ModSummary;
  /** Undefined until read. */
  summary: string | undefined;
}

export class ModSearch {
  private readonly summaries = new Map<string, string>();
  private typed = 0;

  constructor(private readonly list: ModList) {}

  /**
   * The rows for `value`, at once. When summaries of the first rows had to be read,
   * `withSummaries` gets the rows again once they are in, unless the user typed on.
   * The returned promise settles when those reads are done (for tests and the bench).
   */
  search(value: string, withSummaries: (rows: ModRow[]) => void): { rows: ModRow[]; read: Promise<void> } {
    const seq = ++this.typed;
    const mods = this.list.search(value, SEARCH_LIMIT).map((hit) => hit.mod);
    const rows = (): ModRow[] => mods.map((mod) => ({ mod, summary: this.summaries.get(mod.name) }));
    const missing = mods
      .slice(0, SUMMARY_ROWS)
      .filter((mod) => !this.summaries.has(mod.name))
      .map((mod) => mod.name);
    if (missing.length === 0) return { rows: rows(), read: Promise.resolve() };
    const read = this.list.detailsOf(missing).then((found) => {
      if (this.summaries.size + missing.length > MAX_KEPT_SUMMARIES) this.summaries.clear();
      for (const name of missing) this.summaries.set(name, found.get(name)?.summary ?? '');
      if (seq === this.typed) withSummaries(rows());
    });
    return { rows: rows(), read };
  }
}

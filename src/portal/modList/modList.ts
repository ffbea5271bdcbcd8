// The full mod list as callers see it: a count, search, summaries held in memory, sorted
// selections, and `details()`, the one way to what is on disk. Nothing here reads a file
// but `details()`, and it does so asynchronously: a summary is plain data.

import { buildColumns, entryAt, parseDetailsLine, summaryAt, type DetailsLine, type ListColumns } from './listFile';
import { ModIndex, type IndexSnapshot, type ModTable, type SearchHit } from './search';
import type { ModSummary } from './summary';
import type { ModEntry } from '../types';

export type SortMode = 'downloads' | 'updated' | 'name';

/** Reads `length` bytes at `position` of a file the list names; undefined when it is gone or shorter. */
export type ReadRange = (file: string, position: number, length: number) => Promise<Uint8Array | undefined>;

/** Details lines kept after reading: the few mods a tooltip, a hover or a picker shows again. */
const KEPT_LINES = 64;

/** A table over the columns for the index: a summary is made only when one is handed out. */
function tableOver(c: ListColumns): ModTable {
  const table: ModTable = {
    size: c.names.length,
    names: c.names,
    titles: c.titles,
    downloads: c.downloads,
    entry: (i) => summaryAt(c, i),
    all: () => Array.from({ length: c.names.length }, (_, i) => summaryAt(c, i)),
  };
  return table;
}

const insides = new WeakMap<ModList, { columns: ListColumns; index: ModIndex }>();

/** The columns a list holds, for the store that writes them (not exported from the module). */
export function listColumns(list: ModList): ListColumns {
  return insides.get(list)!.columns;
}

/** The index arrays of a list, saved next to it so a cold start need not rebuild them. */
export function listSnapshot(list: ModList): IndexSnapshot {
  return insides.get(list)!.index.snapshot();
}

export class ModList {
  readonly #columns: ListColumns;
  readonly #index: ModIndex;
  #read: ReadRange;
  readonly #kept = new Map<number, DetailsLine>();
  #goneReported = false;
  /**
   * Called once when the details file cannot be read any more: another window downloaded
   * a newer list and the folder was tidied. The holder then reads the list again.
   */
  onDetailsGone: (() => void) | undefined;

  /** `read`: where the details file is; `snapshot`, the index arrays saved for these columns. */
  constructor(columns: ListColumns, read: ReadRange, snapshot?: IndexSnapshot) {
    this.#columns = columns;
    this.#read = read;
    this.#index = new ModIndex(tableOver(columns), snapshot);
    insides.set(this, { columns, index: this.#index });
  }

  get size(): number {
    return this.#index.size;
  }

  /** The summary of the mod named exactly `name` (as the game and the portal compare names). */
  get(name: string): ModSummary | undefined {
    return this.#index.get(name);
  }

  has(name: string): boolean {
    return this.#index.position(name) !== undefined;
  }

  /** Best matches of `query` on name and title, best first (see ModIndex.search). */
  search(query: string, limit: number): SearchHit[] {
    return this.#index.search(query, limit);
  }

  /** For "did you mean": the mod whose name differs only in case. */
  findByNameInsensitive(name: string): ModSummary | undefined {
    return this.#index.findByNameInsensitive(name);
  }

  /** Up to `limit` mods with the closest names (see ModIndex.closest). */
  closest(name: string, limit: number): ModSummary[] {
    return this.#index.closest(name, limit);
  }

  /** The first `n` mods in `sort` order. */
  top(sort: SortMode, n: number): ModSummary[] {
    if (sort === 'downloads') {
      const out: ModSummary[] = [];
      for (let i = 0; i < Math.min(n, this.size); i++) out.push(summaryAt(this.#columns, i));
      return out;
    }
    return this.select(sort).top(n);
  }

  /** The mods `keep` lets through (all when absent), in `sort` order: positions only, no summary made. */
  select(sort: SortMode, keep?: (name: string) => boolean): ModSelection {
    const c = this.#columns;
    const ranks: number[] = [];
    for (let i = 0; i < c.names.length; i++) if (keep === undefined || keep(c.names[i]!)) ranks.push(i);
    if (sort === 'name') {
      const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
      const label = (i: number): string => c.titles[i] || c.names[i]!;
      ranks.sort((a, b) => collator.compare(label(a), label(b)) || (c.names[a]! < c.names[b]! ? -1 : 1));
    } else if (sort === 'updated') {
      const at = new Float64Array(c.names.length);
      for (const i of ranks) at[i] = updatedAt(c, i);
      // Equal times: most downloaded first, which is rank order.
      ranks.sort((a, b) => (at[a]! < at[b]! ? 1 : at[a]! > at[b]! ? -1 : a - b));
    }
    return new ModSelection(c, Int32Array.from(ranks), (name) => this.#index.position(name));
  }

  /**
   * Everything the portal's list says of `name`: owner, summary, links, the latest
   * release's file, hash and dependencies. Read from the details file (a line), or from
   * memory when it was read lately; undefined for a mod not in the list, or when the
   * details file is gone.
   */
  async details(name: string): Promise<ModEntry | undefined> {
    const i = this.#index.position(name);
    if (i === undefined) return undefined;
    const c = this.#columns;
    const whole = c.extra.get(i);
    if (whole !== undefined) return whole;
    const line = await this.line(i, name);
    return line && entryAt(c, i, line);
  }

  /** Details of several mods, read at once (a picker's or a page's worth). */
  detailsOf(names: readonly string[]): Promise<Map<string, ModEntry>> {
    return Promise.all(names.map(async (name) => [name, await this.details(name)] as const)).then((pairs) => {
      const out = new Map<string, ModEntry>();
      for (const [name, mod] of pairs) if (mod !== undefined) out.set(name, mod);
      return out;
    });
  }

  /** The details are somewhere else now (written to disk after being held in memory). */
  moveDetails(read: ReadRange): void {
    this.#read = read;
  }

  private async line(i: number, name: string): Promise<DetailsLine | undefined> {
    const kept = this.#kept.get(i);
    if (kept !== undefined) {
      this.#kept.delete(i);
      this.#kept.set(i, kept);
      return kept;
    }
    const c = this.#columns;
    const start = c.starts[i]!;
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.#read(c.detailsFile, start, c.starts[i + 1]! - start);
    } catch {
      // Unreadable now (a file system hiccup): nothing to show, the next read tries again.
      return undefined;
    }
    if (bytes === undefined) {
      this.reportGone();
      return undefined;
    }
    const line = parseDetailsLine(bytes, name);
    if (line === undefined) return undefined;
    if (this.#kept.size >= KEPT_LINES) this.#kept.delete(this.#kept.keys().next().value!);
    this.#kept.set(i, line);
    return line;
  }

  private reportGone(): void {
    if (this.#goneReported) return;
    this.#goneReported = true;
    this.onDetailsGone?.();
  }
}

/** When the mod last had a release (ms), or -Infinity when that is not known. */
function updatedAt(c: ListColumns, i: number): number {
  const known = c.releasedAt[i]!;
  let latest = Number.isNaN(known) ? -Infinity : known;
  for (const r of c.extra.get(i)?.releases ?? []) {
    const at = Date.parse(r.released_at);
    if (at > latest) latest = at;
  }
  return latest;
}

/** Some of the list's mods in an order: positions, a summary made only for what is shown. */
export class ModSelection {
  #members: Uint8Array | undefined;

  constructor(
    private readonly columns: ListColumns,
    private readonly ranks: Int32Array,
    /** A name's position in the list. */
    private readonly positionOf: (name: string) => number | undefined,
  ) {}

  get size(): number {
    return this.ranks.length;
  }

  /** Summaries of `count` mods from `start`, in order. */
  top(count: number, start = 0): ModSummary[] {
    const out: ModSummary[] = [];
    const end = Math.min(this.ranks.length, start + count);
    for (let k = start; k < end; k++) out.push(summaryAt(this.columns, this.ranks[k]!));
    return out;
  }

  /** The names of all its mods, in order. */
  names(): string[] {
    return Array.from(this.ranks, (i) => this.columns.names[i]!);
  }

  /** Whether the mod at list position `i` is in it. */
  private member(i: number): boolean {
    if (this.#members === undefined) {
      this.#members = new Uint8Array(this.columns.names.length);
      for (const r of this.ranks) this.#members[r] = 1;
    }
    return this.#members[i] === 1;
  }

  has(name: string): boolean {
    const i = this.positionOf(name);
    return i !== undefined && this.member(i);
  }

  /** How many of `names` are in it. */
  count(names: Iterable<string>): number {
    let n = 0;
    for (const name of names) if (this.has(name)) n++;
    return n;
  }

  /** Its mods whose name `keep` lets through, in the same order. */
  filter(keep: (name: string) => boolean): ModSelection {
    return new ModSelection(this.columns, this.ranks.filter((i) => keep(this.columns.names[i]!)), this.positionOf);
  }

  /** Its mods grouped by `keyOf` their category (undefined for none), each in the same order, groups as first met. */
  byCategory(keyOf: (category: string | undefined) => string): Map<string, ModSelection> {
    const c = this.columns;
    const keys = c.categories.map((category) => keyOf(category));
    const none = keyOf(undefined);
    const groups = new Map<string, number[]>();
    for (const i of this.ranks) {
      const cat = c.categoryOf[i]!;
      const key = cat < 0 ? none : keys[cat]!;
      let list = groups.get(key);
      if (list === undefined) groups.set(key, (list = []));
      list.push(i);
    }
    const out = new Map<string, ModSelection>();
    for (const [key, ranks] of groups) out.set(key, new ModSelection(c, Int32Array.from(ranks), this.positionOf));
    return out;
  }
}

/** A list over entries at hand, their details held in memory (a portal answer, tests). */
export function modListOf(entries: readonly ModEntry[]): ModList {
  const { columns, details } = buildColumns(entries);
  return new ModList(columns, memoryRange(details));
}

/** Reads a details file's bytes held in memory (before they are written). */
export function memoryRange(bytes: Uint8Array): ReadRange {
  return async (_file, position, length) => (position + length <= bytes.length ? bytes.subarray(position, position + length) : undefined);
}

// The on-disk form of the full mod list. At 50,000 mods an array of entry objects is a
// 26 MB file whose parsing alone takes most of the time budget of a cold start, so the
// list is stored by column: no repeated keys, small category numbers, and release URLs
// and file names left out where they follow from the mod's name and version. A column of
// strings without line breaks is stored as one string joined by "\n": one long string
// parses far faster than 50,000 short ones, and splitting it is cheap. Reading the file
// back gives entries equal to the ones written.

import type { ModEntry, Release } from './types';

export const LIST_FORMAT_VERSION = 2;

interface Columns {
  name: string[];
  title: string[];
  owner: string[];
  summary: string[];
  downloads: number[];
  /** Index into `categories`, -1 for none. */
  category: number[];
  score: Array<number | null>;
  thumbnail: Array<string | null>;
  highlighted: Array<string | null>;
  /** Latest release; `version` null when the entry has none. */
  version: Array<string | null>;
  /** The id after `/download/{name}/`, or the whole URL when it has another form. */
  download: string[];
  /** null when it is `{name}_{version}.zip`. */
  file: Array<string | null>;
  released: string[];
  sha1: string[];
  factorio: string[];
  dependencies: Array<string[] | null>;
  flags: Array<string[] | null>;
}

/** Columns of strings (nullable ones marked) that may be stored joined. */
const STRING_COLUMNS: ReadonlyArray<[keyof Columns, boolean]> = [
  ['name', false],
  ['title', false],
  ['owner', false],
  ['summary', false],
  ['download', false],
  ['released', false],
  ['sha1', false],
  ['factorio', false],
  ['thumbnail', true],
  ['highlighted', true],
  ['version', true],
  ['file', true],
];

/** One string joined by "\n" (null as ""), when the values allow it; else the array. */
function pack(values: ReadonlyArray<string | null>, nullable: boolean): string | ReadonlyArray<string | null> {
  for (const v of values) {
    if (v === null ? !nullable : v.includes('\n') || (nullable && v === '')) return values;
  }
  return values.map((v) => v ?? '').join('\n');
}

function unpack(stored: unknown, nullable: boolean, count: number): unknown {
  if (typeof stored !== 'string') return stored;
  const values = count === 0 ? [] : stored.split('\n');
  return nullable ? values.map((v) => (v === '' ? null : v)) : values;
}

interface ListFile {
  version: number;
  fetchedAt: number;
  count: number;
  categories: string[];
  /** Columns as stored: string columns possibly packed. */
  columns: Record<string, unknown>;
  /** Entries that do not fit the columns (unexpected keys, all releases), whole, by position. */
  extra: Record<string, ModEntry>;
}

const ENTRY_KEYS = new Set([
  'name',
  'title',
  'owner',
  'summary',
  'downloads_count',
  'category',
  'score',
  'latest_release',
  'thumbnail',
  'last_highlighted_at',
]);
const RELEASE_KEYS = new Set(['download_url', 'file_name', 'info_json', 'released_at', 'version', 'sha1', 'feature_flags']);
const INFO_KEYS = new Set(['factorio_version', 'dependencies']);

function hasOnly(object: object, keys: ReadonlySet<string>): boolean {
  for (const key in object) if (!keys.has(key)) return false;
  return true;
}

/** Whether the columns can hold this entry exactly. */
function fitsColumns(mod: ModEntry): boolean {
  // Read from the columns, so it fits them (its getters are not own keys).
  if (mod instanceof ListEntry) return true;
  if (!hasOnly(mod, ENTRY_KEYS)) return false;
  const r = mod.latest_release;
  return r === undefined || (hasOnly(r, RELEASE_KEYS) && hasOnly(r.info_json, INFO_KEYS));
}

function downloadPrefix(name: string): string {
  return `/download/${name}/`;
}

export function encodeModList(mods: readonly ModEntry[], fetchedAt: number): string {
  const c: Columns = {
    name: [],
    title: [],
    owner: [],
    summary: [],
    downloads: [],
    category: [],
    score: [],
    thumbnail: [],
    highlighted: [],
    version: [],
    download: [],
    file: [],
    released: [],
    sha1: [],
    factorio: [],
    dependencies: [],
    flags: [],
  };
  const categories: string[] = [];
  const categoryIndex = new Map<string, number>();
  const extra: Record<string, ModEntry> = {};
  mods.forEach((mod, i) => {
    if (!fitsColumns(mod)) extra[i] = mod;
    c.name.push(mod.name);
    c.title.push(mod.title);
    c.owner.push(mod.owner);
    c.summary.push(mod.summary);
    c.downloads.push(mod.downloads_count);
    let category = -1;
    if (mod.category !== undefined) {
      category = categoryIndex.get(mod.category) ?? categories.length;
      if (category === categories.length) {
        categories.push(mod.category);
        categoryIndex.set(mod.category, category);
      }
    }
    c.category.push(category);
    c.score.push(mod.score ?? null);
    c.thumbnail.push(mod.thumbnail ?? null);
    c.highlighted.push(mod.last_highlighted_at ?? null);
    const r = mod.latest_release;
    c.version.push(r ? r.version : null);
    const prefix = downloadPrefix(mod.name);
    c.download.push(r ? (r.download_url.startsWith(prefix) && r.download_url.length > prefix.length ? r.download_url.slice(prefix.length) : `=${r.download_url}`) : '');
    c.file.push(r && r.file_name !== `${mod.name}_${r.version}.zip` ? r.file_name : null);
    c.released.push(r ? r.released_at : '');
    c.sha1.push(r ? r.sha1 : '');
    c.factorio.push(r ? r.info_json.factorio_version : '');
    c.dependencies.push(r?.info_json.dependencies ?? null);
    c.flags.push(r?.feature_flags ?? null);
  });
  const columns: Record<string, unknown> = { ...c };
  for (const [key, nullable] of STRING_COLUMNS) columns[key] = pack(c[key] as Array<string | null>, nullable);
  const file: ListFile = { version: LIST_FORMAT_VERSION, fetchedAt, count: mods.length, categories, columns, extra };
  return JSON.stringify(file);
}

/** Reads what encodeModList wrote; throws an Error saying what is wrong with anything else. */
export function decodeModList(text: string): { fetchedAt: number; mods: ModEntry[] } {
  const { fetchedAt, count, categories, columns: stored, extra } = readListFile(text);
  const unpacked: Record<string, unknown> = { ...stored };
  for (const [key, nullable] of STRING_COLUMNS) unpacked[key] = unpack(stored[key], nullable, count);
  const c = unpacked as unknown as Columns;
  for (const key of Object.keys(c) as Array<keyof Columns>) {
    if (!Array.isArray(c[key]) || c[key].length !== count) throw new Error(`column ${key} does not hold ${count} values`);
  }
  const required: Array<keyof Columns> = ['name', 'title', 'owner', 'summary', 'downloads', 'version', 'download', 'released', 'sha1', 'factorio'];
  for (const key of required) if (!Array.isArray(c[key])) throw new Error(`column ${key} missing`);
  const mods = new Array<ModEntry>(count);
  for (let i = 0; i < count; i++) mods[i] = entryAt(c, categories as string[], i);
  placeExtras(mods, extra, count);
  return { fetchedAt, mods };
}

/** One entry from the columns. Its own function so the engine optimises it within the first few thousand. */
function entryAt(c: Columns, categories: readonly string[], i: number): ModEntry {
  const name = c.name[i]!;
  if (typeof name !== 'string' || typeof c.title[i] !== 'string' || typeof c.downloads[i] !== 'number') {
    throw new Error(`entry ${i} has the wrong shape`);
  }
  const mod: ModEntry = { name, title: c.title[i]!, owner: c.owner[i]!, summary: c.summary[i]!, downloads_count: c.downloads[i]! };
  const category = c.category?.[i] ?? -1;
  if (category >= 0) mod.category = categories[category] as string;
  const score = c.score?.[i];
  if (score !== null && score !== undefined) mod.score = score;
  const version = c.version[i];
  if (version !== null && version !== undefined) {
    const download = c.download[i]!;
    const info: Release['info_json'] = { factorio_version: c.factorio[i]! };
    const dependencies = c.dependencies?.[i];
    if (dependencies) info.dependencies = dependencies;
    const release: Release = {
      download_url: download.startsWith('=') ? download.slice(1) : downloadPrefix(name) + download,
      file_name: c.file?.[i] ?? `${name}_${version}.zip`,
      info_json: info,
      released_at: c.released[i]!,
      version,
      sha1: c.sha1[i]!,
    };
    const flags = c.flags?.[i];
    if (flags) release.feature_flags = flags;
    mod.latest_release = release;
  }
  const thumbnail = c.thumbnail?.[i];
  if (thumbnail !== null && thumbnail !== undefined) mod.thumbnail = thumbnail;
  const highlighted = c.highlighted?.[i];
  if (highlighted !== null && highlighted !== undefined) mod.last_highlighted_at = highlighted;
  return mod;
}

/**
 * A packed column as held in memory: the one string it was stored as, and where each
 * value starts. Reading a value slices it out; no per-value string is kept.
 */
class PackedColumn {
  /** Built on the first read: columns nothing reads (most, most of the time) cost no more than their string. */
  private starts: Int32Array | undefined;

  constructor(
    private readonly text: string,
    private readonly count: number,
    private readonly nullable: boolean,
  ) {
    // The file's own check: n values joined by n - 1 line breaks.
    let breaks = 0;
    for (let at = text.indexOf('\n'); at >= 0 && breaks < count; at = text.indexOf('\n', at + 1)) breaks++;
    if (count > 0 && breaks !== count - 1) throw new Error('a packed column does not hold its count of values');
  }

  private offsets(): Int32Array {
    if (this.starts !== undefined) return this.starts;
    const starts = new Int32Array(this.count + 1);
    let at = 0;
    for (let i = 0; i < this.count; i++) {
      starts[i] = at;
      at = this.text.indexOf('\n', at) + 1 || this.text.length + 1;
    }
    starts[this.count] = at;
    this.starts = starts;
    return starts;
  }

  get(i: number): string | null {
    const starts = this.offsets();
    const value = this.text.slice(starts[i]!, starts[i + 1]! - 1);
    return this.nullable && value === '' ? null : value;
  }
}

type Column = PackedColumn | ReadonlyArray<string | null>;

function columnValue(column: Column, i: number): string | null {
  return column instanceof PackedColumn ? column.get(i) : (column[i] ?? null);
}

/** The columns an entry reads only when shown (summary, release details), shared by all entries. */
interface ColdColumns {
  owner: Column;
  summary: Column;
  thumbnail: Column;
  highlighted: Column;
  version: Column;
  download: Column;
  file: Column;
  released: Column;
  sha1: Column;
  factorio: Column;
  dependencies: ReadonlyArray<string[] | null> | undefined;
  flags: ReadonlyArray<string[] | null> | undefined;
}

/**
 * An entry of the list held in memory. Search and diagnostics read its name, title,
 * downloads and category, which it holds; the rest (summary, owner, latest release) is read
 * from the shared columns when asked for, so 50,000 entries hold no object or string each
 * for them.
 */
class ListEntry implements ModEntry {
  readonly name: string;
  readonly title: string;
  readonly downloads_count: number;
  readonly category: string | undefined;
  readonly score: number | undefined;
  // Private fields: not enumerable, so an entry reads as plain data to `for...in` and spreads.
  readonly #cold: ColdColumns;
  readonly #i: number;

  // Every field set here, in one order: all entries share one shape.
  constructor(name: string, title: string, downloads: number, category: string | undefined, score: number | undefined, cold: ColdColumns, i: number) {
    this.name = name;
    this.title = title;
    this.downloads_count = downloads;
    this.category = category;
    this.score = score;
    this.#cold = cold;
    this.#i = i;
  }

  get owner(): string {
    return columnValue(this.#cold.owner, this.#i) ?? '';
  }

  get summary(): string {
    return columnValue(this.#cold.summary, this.#i) ?? '';
  }

  get thumbnail(): string | undefined {
    return columnValue(this.#cold.thumbnail, this.#i) ?? undefined;
  }

  get last_highlighted_at(): string | undefined {
    return columnValue(this.#cold.highlighted, this.#i) ?? undefined;
  }

  get latest_release(): Release | undefined {
    const c = this.#cold;
    const i = this.#i;
    const version = columnValue(c.version, i);
    if (version === null) return undefined;
    const download = columnValue(c.download, i) ?? '';
    const info: Release['info_json'] = { factorio_version: columnValue(c.factorio, i) ?? '' };
    const dependencies = c.dependencies?.[i];
    if (dependencies) info.dependencies = dependencies;
    const release: Release = {
      download_url: download.startsWith('=') ? download.slice(1) : downloadPrefix(this.name) + download,
      file_name: columnValue(c.file, i) ?? `${this.name}_${version}.zip`,
      info_json: info,
      released_at: columnValue(c.released, i) ?? '',
      version,
      sha1: columnValue(c.sha1, i) ?? '',
    };
    const flags = c.flags?.[i];
    if (flags) release.feature_flags = flags;
    return release;
  }

  /** Plain data, as decodeModList gives it (for JSON and copies). */
  toJSON(): ModEntry {
    const mod: ModEntry = { name: this.name, title: this.title, owner: this.owner, summary: this.summary, downloads_count: this.downloads_count };
    if (this.category !== undefined) mod.category = this.category;
    if (this.score !== undefined) mod.score = this.score;
    const release = this.latest_release;
    if (release !== undefined) mod.latest_release = release;
    const thumbnail = this.thumbnail;
    if (thumbnail !== undefined) mod.thumbnail = thumbnail;
    const highlighted = this.last_highlighted_at;
    if (highlighted !== undefined) mod.last_highlighted_at = highlighted;
    return mod;
  }
}

/**
 * What decodeModList reads, as the entries the cache holds: equal field by field, but
 * each keeps only what a search reads and finds the rest in columns kept as the file
 * stored them (one string per column), read when shown.
 */
export function decodeModListCompact(text: string): { fetchedAt: number; mods: ModEntry[] } {
  const { fetchedAt, count, categories, columns: stored, extra } = readListFile(text);
  const column = (key: keyof Columns, nullable: boolean): Column => {
    const value = stored[key];
    if (typeof value === 'string') return new PackedColumn(value, count, nullable);
    if (!Array.isArray(value) || value.length !== count) throw new Error(`column ${key} does not hold ${count} values`);
    return value as Array<string | null>;
  };
  const optionalArray = <T>(key: keyof Columns): T[] | undefined => {
    const value = stored[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length !== count) throw new Error(`column ${key} does not hold ${count} values`);
    return value as T[];
  };
  const names = unpack(stored.name, false, count) as string[];
  const titles = unpack(stored.title, false, count) as string[];
  const downloads = optionalArray<number>('downloads');
  if (!Array.isArray(names) || names.length !== count) throw new Error(`column name does not hold ${count} values`);
  if (!Array.isArray(titles) || titles.length !== count) throw new Error(`column title does not hold ${count} values`);
  if (downloads === undefined) throw new Error('column downloads missing');
  const cold: ColdColumns = {
    owner: column('owner', false),
    summary: column('summary', false),
    thumbnail: stored.thumbnail === undefined ? [] : column('thumbnail', true),
    highlighted: stored.highlighted === undefined ? [] : column('highlighted', true),
    version: column('version', true),
    download: column('download', false),
    file: stored.file === undefined ? [] : column('file', true),
    released: column('released', false),
    sha1: column('sha1', false),
    factorio: column('factorio', false),
    dependencies: optionalArray<string[] | null>('dependencies'),
    flags: optionalArray<string[] | null>('flags'),
  };
  const category = optionalArray<number>('category');
  const score = optionalArray<number | null>('score');
  const mods = new Array<ModEntry>(count);
  for (let i = 0; i < count; i++) {
    const name = names[i];
    if (typeof name !== 'string' || typeof titles[i] !== 'string' || typeof downloads[i] !== 'number') {
      throw new Error(`entry ${i} has the wrong shape`);
    }
    const c = category?.[i] ?? -1;
    const s = score?.[i];
    mods[i] = new ListEntry(name, titles[i]!, downloads[i]!, c >= 0 ? (categories[c] as string) : undefined, s ?? undefined, cold, i);
  }
  placeExtras(mods, extra, count);
  return { fetchedAt, mods };
}

/** Entries kept whole (their fields do not fit the columns) go back to their positions. */
function placeExtras(mods: ModEntry[], extra: Record<string, ModEntry> | null | undefined, count: number): void {
  if (extra === undefined || extra === null) return;
  for (const [position, mod] of Object.entries(extra)) {
    const i = Number(position);
    const valid = typeof mod === 'object' && mod !== null && typeof mod.name === 'string' && typeof mod.title === 'string';
    if (!Number.isInteger(i) || i < 0 || i >= count || !valid || typeof mod.downloads_count !== 'number') {
      throw new Error(`extra entry ${position} has the wrong shape`);
    }
    mods[i] = mod;
  }
}

/** The parsed file with its required fields checked; both decoders start here. */
function readListFile(text: string): ListFile {
  const data = JSON.parse(text) as Partial<ListFile> | null;
  if (typeof data !== 'object' || data === null) throw new Error('not an object');
  if (data.version !== LIST_FORMAT_VERSION) throw new Error(`format version ${String(data.version)}`);
  const { fetchedAt, count, categories, columns } = data;
  if (typeof fetchedAt !== 'number' || typeof count !== 'number' || !Array.isArray(categories) || typeof columns !== 'object' || columns === null) {
    throw new Error('missing fields');
  }
  return data as ListFile;
}

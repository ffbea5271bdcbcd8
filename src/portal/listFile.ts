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
  const data = JSON.parse(text) as Partial<ListFile> | null;
  if (typeof data !== 'object' || data === null) throw new Error('not an object');
  if (data.version !== LIST_FORMAT_VERSION) throw new Error(`format version ${String(data.version)}`);
  const { fetchedAt, count, categories, columns: stored, extra } = data;
  if (typeof fetchedAt !== 'number' || typeof count !== 'number' || !Array.isArray(categories) || typeof stored !== 'object' || stored === null) {
    throw new Error('missing fields');
  }
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
  if (extra !== undefined && extra !== null) {
    for (const [position, mod] of Object.entries(extra)) {
      const i = Number(position);
      const valid = typeof mod === 'object' && mod !== null && typeof mod.name === 'string' && typeof mod.title === 'string';
      if (!Number.isInteger(i) || i < 0 || i >= count || !valid || typeof mod.downloads_count !== 'number') {
        throw new Error(`extra entry ${position} has the wrong shape`);
      }
      mods[i] = mod;
    }
  }
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

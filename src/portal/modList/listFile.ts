// The on-disk form of the full mod list, in two files, and the columns memory holds.
//
// The list file holds what search, diagnostics and the explorer's sorts read for every
// mod (name, title, downloads, category, score, latest version, its Factorio version and
// time), by column: no repeated keys, small category numbers. A column of strings without
// line breaks is stored as one string joined by "\n": one long string parses far faster
// than 50,000 short ones.
//
// The details file holds the rest (owner, summary, thumbnail, release file and hash,
// dependencies), one JSON line per mod, read one line at a time when a mod is shown: at
// 50,000 mods that is most of the list's size, and none of it stays in memory. A details
// file is written once under a name of its own (`mod-details-<id>.jsonl`) and never
// rewritten; the list file names it. A window reading a list therefore reads the details
// written with it, or finds them gone (the folder was tidied after a newer list landed).

import { randomBytes } from 'node:crypto';
import type { ModEntry, Release } from '../types';
import { isSortedByDownloads, sortByDownloads } from './postings';
import type { ModSummary } from './summary';

export const LIST_FORMAT_VERSION = 4;
export const DETAILS_FORMAT_VERSION = 1;

/** A details file's name: its list's id in it. The unnumbered name is an older version's. */
const DETAILS_NAME = /^mod-details(?:-[0-9a-f]{16})?\.jsonl$/;

export function isDetailsFile(key: string): boolean {
  return DETAILS_NAME.test(key);
}

/** One mod's line in the details file. */
export type DetailsLine = [
  name: string,
  owner: string,
  summary: string,
  thumbnail: string | null,
  highlighted: string | null,
  /** The id after `/download/{name}/`, or `=` and the whole URL when it has another form. */
  download: string,
  /** null when it is `{name}_{version}.zip`. */
  file: string | null,
  sha1: string,
  dependencies: string[] | null,
  flags: string[] | null,
  released: string,
];

/**
 * A packed column as held in memory: the one string it was stored as, and where each
 * value starts. Reading a value slices it out; no per-value string is kept.
 */
class PackedColumn {
  /** Built on the first read: columns nothing reads (most, most of the time) cost no more than their string. */
  private starts: Int32Array | undefined;

  constructor(
    readonly text: string,
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

/** One string joined by "\n" (null as ""), when the values allow it; else the array. */
function pack(values: ReadonlyArray<string | null>, nullable: boolean): string | ReadonlyArray<string | null> {
  for (const v of values) {
    if (v === null ? !nullable : v.includes('\n') || (nullable && v === '')) return values;
  }
  return values.map((v) => v ?? '').join('\n');
}

function stored(column: Column): string | ReadonlyArray<string | null> {
  return column instanceof PackedColumn ? column.text : column;
}

/** A column as memory holds it: packed when it can be. */
function columnOf(values: ReadonlyArray<string | null>, nullable: boolean): Column {
  const packed = pack(values, nullable);
  return typeof packed === 'string' ? new PackedColumn(packed, values.length, nullable) : packed;
}

/**
 * The list as memory holds it, by position (most downloaded first, as the index ranks
 * them): what search and sorting read for every mod, and where each mod's details line is.
 */
export interface ListColumns {
  readonly names: readonly string[];
  readonly titles: readonly string[];
  readonly downloads: readonly number[];
  /** Index into `categories`, -1 for none. */
  readonly categoryOf: Int16Array;
  readonly categories: readonly string[];
  /** NaN for none. */
  readonly scores: Float64Array;
  /** Latest release; null when the entry has none. */
  readonly version: Column;
  readonly factorio: Column;
  /** The latest release's date in milliseconds, NaN when unknown. */
  readonly releasedAt: Float64Array;
  /** Where each mod's details line starts, and where the last one ends. */
  readonly starts: Uint32Array;
  /** Entries that do not fit the columns (unexpected keys, all releases), whole, by position. */
  readonly extra: ReadonlyMap<number, ModEntry>;
  /** The name of the details file, and its first line. */
  readonly detailsFile: string;
  readonly detailsHeader: string;
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

function detailsLineOf(mod: ModEntry): DetailsLine {
  const r = mod.latest_release;
  const prefix = downloadPrefix(mod.name);
  const download = r ? (r.download_url.startsWith(prefix) && r.download_url.length > prefix.length ? r.download_url.slice(prefix.length) : `=${r.download_url}`) : '';
  return [
    mod.name,
    mod.owner,
    mod.summary,
    mod.thumbnail ?? null,
    mod.last_highlighted_at ?? null,
    download,
    r && r.file_name !== `${mod.name}_${r.version}.zip` ? r.file_name : null,
    r ? r.sha1 : '',
    r?.info_json.dependencies ?? null,
    r?.feature_flags ?? null,
    r ? r.released_at : '',
  ];
}

const MAX_CATEGORIES = 0x8000;

/**
 * The columns of `entries`, most downloaded first (a mod's position is its rank in the
 * index), and the bytes of their new details file: built from the decoded answer at once,
 * the details file's bytes being what is written.
 */
export function buildColumns(entries: readonly ModEntry[]): { columns: ListColumns; details: Uint8Array } {
  const mods = isSortedByDownloads(entries.map((m) => m.downloads_count)) ? entries : sortByDownloads(entries);
  const n = mods.length;
  const categories: string[] = [];
  const categoryIndex = new Map<string, number>();
  const categoryOf = new Int16Array(n);
  const scores = new Float64Array(n);
  const releasedAt = new Float64Array(n);
  const versions = new Array<string | null>(n);
  const factorio = new Array<string>(n);
  const starts = new Uint32Array(n + 1);
  const extra = new Map<number, ModEntry>();
  const id = randomBytes(8).toString('hex');
  const header = JSON.stringify({ version: DETAILS_FORMAT_VERSION, id });
  const lines: string[] = [`${header}\n`];
  let at = Buffer.byteLength(lines[0]!);
  for (let i = 0; i < n; i++) {
    const mod = mods[i]!;
    if (!fitsColumns(mod)) extra.set(i, mod);
    let category = -1;
    if (mod.category !== undefined) {
      category = categoryIndex.get(mod.category) ?? categories.length;
      if (category === categories.length && category < MAX_CATEGORIES) {
        categories.push(mod.category);
        categoryIndex.set(mod.category, category);
      }
    }
    categoryOf[i] = category < MAX_CATEGORIES ? category : -1;
    scores[i] = mod.score ?? NaN;
    const r = mod.latest_release;
    versions[i] = r ? r.version : null;
    factorio[i] = r ? r.info_json.factorio_version : '';
    releasedAt[i] = r ? Date.parse(r.released_at) : NaN;
    const line = `${JSON.stringify(detailsLineOf(mod))}\n`;
    lines.push(line);
    starts[i] = at;
    at += Buffer.byteLength(line);
  }
  if (at > 0xffffffff) throw new Error('the details file would be over 4 GB');
  starts[n] = at;
  const columns: ListColumns = {
    names: mods.map((m) => m.name),
    titles: mods.map((m) => m.title),
    downloads: mods.map((m) => m.downloads_count),
    categoryOf,
    categories,
    scores,
    version: columnOf(versions, true),
    factorio: columnOf(factorio, false),
    releasedAt,
    starts,
    extra,
    detailsFile: `mod-details-${id}.jsonl`,
    detailsHeader: header,
  };
  return { columns, details: Buffer.from(lines.join('')) };
}

interface ListFile {
  version: number;
  fetchedAt: number;
  count: number;
  categories: string[];
  /** The details file written with this list, and its first line. */
  detailsFile: string;
  detailsHeader: string;
  /** Columns as stored: string columns possibly packed. */
  columns: Record<string, unknown>;
  /** Entries that do not fit the columns, whole, by position. */
  extra: Record<string, ModEntry>;
}

const orNull = (n: number): number | null => (Number.isNaN(n) ? null : n);

/** The list file's text for `columns`, fetched at `fetchedAt`. */
export function encodeListFile(c: ListColumns, fetchedAt: number): string {
  const count = c.names.length;
  const detailBytes: number[] = [];
  for (let i = 0; i < count; i++) detailBytes.push(c.starts[i + 1]! - c.starts[i]!);
  const file: ListFile = {
    version: LIST_FORMAT_VERSION,
    fetchedAt,
    count,
    categories: [...c.categories],
    detailsFile: c.detailsFile,
    detailsHeader: c.detailsHeader,
    columns: {
      name: pack(c.names, false),
      title: pack(c.titles, false),
      downloads: c.downloads,
      category: Array.from(c.categoryOf),
      score: Array.from(c.scores, orNull),
      version: stored(c.version),
      factorio: stored(c.factorio),
      released: Array.from(c.releasedAt, orNull),
      detailBytes,
    },
    extra: Object.fromEntries(c.extra),
  };
  return JSON.stringify(file);
}

const MIN_LINE_BYTES = 3;
/** No mod's details come near this; a list file claiming more is damaged. */
const MAX_LINE_BYTES = 8 * 1024 * 1024;

function unpack(value: unknown, nullable: boolean, count: number): unknown {
  if (typeof value !== 'string') return value;
  const values = count === 0 ? [] : value.split('\n');
  return nullable ? values.map((v) => (v === '' ? null : v)) : values;
}

/** What encodeListFile wrote, as memory holds it; throws an Error saying what is wrong with anything else. */
export function decodeListFile(text: string): { fetchedAt: number; columns: ListColumns } {
  const { fetchedAt, count, categories, detailsFile, detailsHeader, columns: raw, extra } = readListFile(text);
  const array = <T>(key: string): T[] => {
    const value = raw[key];
    if (!Array.isArray(value) || value.length !== count) throw new Error(`column ${key} does not hold ${count} values`);
    return value as T[];
  };
  const column = (key: string, nullable: boolean): Column => {
    const value = raw[key];
    return typeof value === 'string' ? new PackedColumn(value, count, nullable) : array<string | null>(key);
  };
  const names = unpack(raw.name, false, count) as string[];
  const titles = unpack(raw.title, false, count) as string[];
  if (!Array.isArray(names) || names.length !== count) throw new Error(`column name does not hold ${count} values`);
  if (!Array.isArray(titles) || titles.length !== count) throw new Error(`column title does not hold ${count} values`);
  const downloads = array<number>('downloads');
  const category = array<number>('category');
  const score = array<number | null>('score');
  const released = array<number | null>('released');
  const lengths = array<number>('detailBytes');
  const categoryOf = new Int16Array(count);
  const scores = new Float64Array(count);
  const releasedAt = new Float64Array(count);
  const starts = new Uint32Array(count + 1);
  let at = Buffer.byteLength(detailsHeader) + 1;
  for (let i = 0; i < count; i++) {
    if (typeof names[i] !== 'string' || typeof titles[i] !== 'string' || typeof downloads[i] !== 'number') throw new Error(`entry ${i} has the wrong shape`);
    const c = category[i];
    categoryOf[i] = typeof c === 'number' && Number.isInteger(c) && c >= 0 && c < categories.length && c < MAX_CATEGORIES ? c : -1;
    const s = score[i];
    scores[i] = typeof s === 'number' ? s : NaN;
    const ms = released[i];
    releasedAt[i] = typeof ms === 'number' ? ms : NaN;
    const length = lengths[i];
    if (typeof length !== 'number' || !Number.isInteger(length) || length < MIN_LINE_BYTES || length > MAX_LINE_BYTES) throw new Error(`entry ${i} has the wrong shape`);
    starts[i] = at;
    at += length;
    if (at > 0xffffffff) throw new Error('the details file would be over 4 GB');
  }
  starts[count] = at;
  // Positions are ranks in the index: a list out of download order would show wrong details.
  if (!isSortedByDownloads(downloads)) throw new Error('the entries are not most downloaded first');
  const held = placeExtras(extra, count);
  for (const [i, mod] of held) {
    // The columns must name the entry held whole, or search would find it under another name.
    if (mod.name !== names[i] || mod.title !== titles[i] || mod.downloads_count !== downloads[i]) throw new Error(`extra entry ${i} has the wrong shape`);
  }
  const columns: ListColumns = {
    names,
    titles,
    downloads,
    categoryOf,
    categories: categories as string[],
    scores,
    version: column('version', true),
    factorio: column('factorio', false),
    releasedAt,
    starts,
    extra: held,
    detailsFile,
    detailsHeader,
  };
  return { fetchedAt, columns };
}

/** Entries kept whole (their fields do not fit the columns), by position. */
function placeExtras(extra: Record<string, ModEntry> | null | undefined, count: number): Map<number, ModEntry> {
  const held = new Map<number, ModEntry>();
  if (extra === undefined || extra === null) return held;
  for (const [position, mod] of Object.entries(extra)) {
    const i = Number(position);
    const valid = typeof mod === 'object' && mod !== null && typeof mod.name === 'string' && typeof mod.title === 'string';
    if (!Number.isInteger(i) || i < 0 || i >= count || !valid || typeof mod.downloads_count !== 'number') {
      throw new Error(`extra entry ${position} has the wrong shape`);
    }
    held.set(i, mod);
  }
  return held;
}

/** The parsed list file with its required fields checked. */
function readListFile(text: string): ListFile {
  const data = JSON.parse(text) as Partial<ListFile> | null;
  if (typeof data !== 'object' || data === null) throw new Error('not an object');
  if (data.version !== LIST_FORMAT_VERSION) throw new Error(`format version ${String(data.version)}`);
  const { fetchedAt, count, categories, columns, detailsFile, detailsHeader } = data;
  if (typeof fetchedAt !== 'number' || typeof count !== 'number' || !Array.isArray(categories) || typeof columns !== 'object' || columns === null) {
    throw new Error('missing fields');
  }
  if (typeof detailsFile !== 'string' || !isDetailsFile(detailsFile) || typeof detailsHeader !== 'string') throw new Error('no details file named');
  return data as ListFile;
}

// ---- reading one mod ----

/** What memory holds of the mod at `i`: no details read. */
export function summaryAt(c: ListColumns, i: number): ModSummary {
  const cat = c.categoryOf[i]!;
  const version = columnValue(c.version, i);
  const summary: { -readonly [K in keyof ModSummary]: ModSummary[K] } = { name: c.names[i]!, title: c.titles[i]!, downloads_count: c.downloads[i]! };
  if (cat >= 0) summary.category = c.categories[cat];
  if (version !== null) summary.latest = { version, factorio_version: columnValue(c.factorio, i) ?? '', released: c.releasedAt[i]! };
  return summary;
}

/** The mod's line, if `bytes` are the line of `name`. */
export function parseDetailsLine(bytes: Uint8Array, name: string): DetailsLine | undefined {
  try {
    const line = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    return Array.isArray(line) && line.length === 11 && line[0] === name ? (line as DetailsLine) : undefined;
  } catch {
    return undefined;
  }
}

/** The whole entry at `i`, as the portal gave it: the columns and its details line. */
export function entryAt(c: ListColumns, i: number, line: DetailsLine): ModEntry {
  const whole = c.extra.get(i);
  if (whole !== undefined) return whole;
  const name = c.names[i]!;
  const mod: ModEntry = { name, title: c.titles[i]!, owner: line[1], summary: line[2], downloads_count: c.downloads[i]! };
  const cat = c.categoryOf[i]!;
  if (cat >= 0) mod.category = c.categories[cat];
  const score = c.scores[i]!;
  if (!Number.isNaN(score)) mod.score = score;
  const version = columnValue(c.version, i);
  if (version !== null) {
    const download = line[5];
    const info: Release['info_json'] = { factorio_version: columnValue(c.factorio, i) ?? '' };
    if (line[8]) info.dependencies = line[8];
    const release: Release = {
      download_url: download.startsWith('=') ? download.slice(1) : downloadPrefix(name) + download,
      file_name: line[6] ?? `${name}_${version}.zip`,
      info_json: info,
      released_at: line[10],
      version,
      sha1: line[7],
    };
    if (line[9]) release.feature_flags = line[9];
    mod.latest_release = release;
  }
  if (line[3] !== null) mod.thumbnail = line[3];
  if (line[4] !== null) mod.last_highlighted_at = line[4];
  return mod;
}

// ---- whole lists, for tests ----

/** Both files of `mods` (most downloaded first): the list file's text and the details file's bytes. */
export function encodeModList(mods: readonly ModEntry[], fetchedAt: number): { list: string; details: Uint8Array; detailsFile: string } {
  const { columns, details } = buildColumns(mods);
  return { list: encodeListFile(columns, fetchedAt), details, detailsFile: columns.detailsFile };
}

/** Reads what encodeModList wrote, as plain entries; throws an Error saying what is wrong with anything else. */
export function decodeModList(list: string, details: Uint8Array): { fetchedAt: number; mods: ModEntry[] } {
  const { fetchedAt, columns } = decodeListFile(list);
  const mods: ModEntry[] = [];
  for (let i = 0; i < columns.names.length; i++) {
    const start = columns.starts[i]!;
    const line = parseDetailsLine(details.subarray(start, columns.starts[i + 1]!), columns.names[i]!);
    if (line === undefined) throw new Error(`the details of entry ${i} do not fit`);
    mods.push(entryAt(columns, i, line));
  }
  return { fetchedAt, mods };
}

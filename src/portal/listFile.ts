// The on-disk form of the full mod list, in two files.
//
// The list file holds what search, diagnostics and the explorer's sorts read for every
// mod (name, title, downloads, category, score, latest version, its Factorio version and
// time), by column: no repeated keys, small category numbers. A column of strings without
// line breaks is stored as one string joined by "\n": one long string parses far faster
// than 50,000 short ones.
//
// The details file holds the rest (owner, summary, thumbnail, release file and hash,
// dependencies), one JSON line per mod, read one line at a time when a mod is shown: at
// 50,000 mods that is most of the list's size, and none of it stays in memory. The list
// file names the details file it belongs to and the length of each line.
//
// Reading both back gives entries equal to the ones written.

import { randomBytes } from 'node:crypto';
import type { ModTable } from './search';
import type { ModEntry, Release } from './types';

export const LIST_FORMAT_VERSION = 3;
export const DETAILS_FORMAT_VERSION = 1;

/** The columns of the list file. */
interface Columns {
  name: string[];
  title: string[];
  downloads: number[];
  /** Index into `categories`, -1 for none. */
  category: number[];
  score: Array<number | null>;
  /** Latest release; null when the entry has none. */
  version: Array<string | null>;
  factorio: string[];
  /** The latest release's date, in milliseconds (for sorting; the text is in the details). */
  released: Array<number | null>;
  /** Byte length of each mod's line in the details file, its line break included. */
  detailBytes: number[];
}

/** Columns of strings (nullable ones marked) that may be stored joined. */
const STRING_COLUMNS: ReadonlyArray<[keyof Columns, boolean]> = [
  ['name', false],
  ['title', false],
  ['factorio', false],
  ['version', true],
];

/** One mod's line in the details file. */
type DetailsLine = [
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
  /** The first line of the details file written with this list. */
  detailsHeader: string;
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
  // Read from the files, so it fits them (its getters are not own keys).
  if (mod instanceof ListEntry) return true;
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

/** The two files of a list: the list file's text and the details file's bytes. */
export interface EncodedList {
  list: string;
  /** Undefined when the entries were read from a details file that stays valid (see encodeModList). */
  details: Uint8Array | undefined;
}

/**
 * Encodes a list for the disk. When `mods` are the entries of one decodeModListCompact, in
 * their order, only the list file is new (a refresh that found nothing changed): the
 * details file they read from stays as it is, and nothing is read from it.
 */
export function encodeModList(mods: readonly ModEntry[], fetchedAt: number): EncodedList {
  const c: Columns = { name: [], title: [], downloads: [], category: [], score: [], version: [], factorio: [], released: [], detailBytes: [] };
  const categories: string[] = [];
  const categoryIndex = new Map<string, number>();
  const extra: Record<string, ModEntry> = {};
  const reused = sameDetails(mods);
  const lines: string[] = [];
  const header = reused?.header ?? detailsHeader();
  mods.forEach((mod, i) => {
    if (!fitsColumns(mod)) extra[i] = mod;
    c.name.push(mod.name);
    c.title.push(mod.title);
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
    // A ListEntry holds these without reading its details.
    const hot = mod instanceof ListEntry ? mod.hotRelease() : releaseColumns(mod.latest_release);
    c.version.push(hot ? hot.version : null);
    c.factorio.push(hot ? hot.factorio : '');
    c.released.push(hot && Number.isFinite(hot.releasedAt) ? hot.releasedAt : null);
    if (reused) {
      c.detailBytes.push(reused.lineBytes(i));
    } else {
      const line = `${JSON.stringify(detailsLineOf(mod))}\n`;
      lines.push(line);
      c.detailBytes.push(Buffer.byteLength(line));
    }
  });
  const columns: Record<string, unknown> = { ...c };
  for (const [key, nullable] of STRING_COLUMNS) columns[key] = pack(c[key] as Array<string | null>, nullable);
  const file: ListFile = { version: LIST_FORMAT_VERSION, fetchedAt, count: mods.length, categories, detailsHeader: header, columns, extra };
  return { list: JSON.stringify(file), details: reused ? undefined : Buffer.from(`${header}\n${lines.join('')}`) };
}

/** What the list file holds of a latest release. */
interface HotRelease {
  version: string;
  factorio: string;
  /** NaN when unknown. */
  releasedAt: number;
}

function releaseColumns(release: Release | undefined): HotRelease | undefined {
  return release && { version: release.version, factorio: release.info_json.factorio_version, releasedAt: Date.parse(release.released_at) };
}

/** A new details file's first line: its format and an id the list file repeats. */
function detailsHeader(): string {
  return JSON.stringify({ version: DETAILS_FORMAT_VERSION, id: randomBytes(8).toString('hex') });
}

/** The details all of `mods` read from, in order, if they are one compact decode's entries. */
function sameDetails(mods: readonly ModEntry[]): ListDetails | undefined {
  const first = mods.find((mod) => mod instanceof ListEntry);
  if (!(first instanceof ListEntry)) return undefined;
  const details = first.details();
  for (let i = 0; i < mods.length; i++) {
    // An entry held whole has its line in the same file: it was written from it.
    const mod = mods[i]!;
    if (mod instanceof ListEntry ? !mod.isLine(details, i) : !first.holdsWhole(i, mod)) return undefined;
  }
  return details.count === mods.length ? details : undefined;
}

/** Reads what encodeModList wrote, as plain entries; throws an Error saying what is wrong with anything else. */
export function decodeModList(list: string, details: Uint8Array): { fetchedAt: number; mods: ModEntry[] } {
  const { fetchedAt, table } = decodeModListCompact(list, memoryReader(details));
  return { fetchedAt, mods: table.all().map((mod) => (mod instanceof ListEntry ? mod.toJSON() : mod)) };
}

/** Where a details file's bytes are: in memory until written, then read from the disk. */
export type DetailsReader = (position: number, length: number) => Uint8Array | undefined;

/** A details file's bytes at hand (a new list before it is written, or tests). */
export function memoryReader(bytes: Uint8Array): DetailsReader {
  return (position, length) => (position + length <= bytes.length ? bytes.subarray(position, position + length) : undefined);
}

const KEPT_LINES = 64;
/** No mod's details come near this; a list file claiming more is damaged. */
const MAX_LINE_BYTES = 8 * 1024 * 1024;

/**
 * A details file as the entries of one list read it: a line at a time, checked against
 * the list (the file's header, the mod's name), the last few kept. A file that is gone or
 * belongs to another list reads as nothing: the entries then show less, never wrong data.
 */
export class ListDetails {
  private readonly starts: Uint32Array;
  private readonly kept = new Map<number, DetailsLine>();
  /**
   * Called once when the file read is not this list's any more: gone, or rewritten by
   * another window that downloaded a newer list. The holder then reads the list again.
   */
  onMismatch: (() => void) | undefined;
  private mismatchReported = false;

  constructor(
    private read: DetailsReader,
    readonly header: string,
    lengths: readonly number[],
  ) {
    const starts = new Uint32Array(lengths.length + 1);
    let at = Buffer.byteLength(header) + 1;
    for (let i = 0; i < lengths.length; i++) {
      starts[i] = at;
      const length = lengths[i];
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 3 || length > MAX_LINE_BYTES) throw new Error(`entry ${i} has the wrong shape`);
      at += length;
    }
    if (at > 0xffffffff) throw new Error('the details file would be over 4 GB');
    starts[lengths.length] = at;
    this.starts = starts;
  }

  get count(): number {
    return this.starts.length - 1;
  }

  lineBytes(i: number): number {
    return this.starts[i + 1]! - this.starts[i]!;
  }

  /** Whether the bytes read are this list's details (the file's first line is its header). */
  verify(): boolean {
    const bytes = this.read(0, Buffer.byteLength(this.header) + 1);
    return bytes !== undefined && Buffer.from(bytes).toString('utf8') === `${this.header}\n`;
  }

  /** The bytes are on the disk now: memory lets them go. */
  moveTo(read: DetailsReader): void {
    this.read = read;
    this.kept.clear();
  }

  line(i: number, name: string): DetailsLine | undefined {
    const kept = this.kept.get(i);
    if (kept !== undefined) return kept;
    const line = this.readLine(i, name);
    // A failed read is not kept: the file may be back (or written) by the next one.
    if (line === undefined) return undefined;
    if (this.kept.size >= KEPT_LINES) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(i, line);
    return line;
  }

  private readLine(i: number, name: string): DetailsLine | undefined {
    try {
      // Every read: another window may have replaced the file since the last one.
      if (!this.verify()) {
        if (!this.mismatchReported) {
          this.mismatchReported = true;
          this.onMismatch?.();
        }
        return undefined;
      }
      const start = this.starts[i]!;
      const bytes = this.read(start, this.starts[i + 1]! - start);
      if (bytes === undefined) return undefined;
      const line = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
      return Array.isArray(line) && line.length === 11 && line[0] === name ? (line as DetailsLine) : undefined;
    } catch {
      // A file cut short, changed or removed meanwhile: nothing to show, the next read tries again.
      return undefined;
    }
  }
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

/** What entries share: the columns read when shown, and the details file. */
interface Shared {
  version: Column;
  factorio: Column;
  /** NaN for none. */
  releasedAt: Float64Array;
  details: ListDetails;
  /** Entries that did not fit the columns, held whole, by position. */
  extra: ReadonlyMap<number, ModEntry>;
}

/**
 * An entry of the list held in memory. Search and diagnostics read its name, title,
 * downloads and category, which it holds; its latest version and date come from shared
 * columns, and the rest (summary, owner, release file) from the details file, one line
 * read when asked for. 50,000 entries hold no object or string each for them.
 */
class ListEntry implements ModEntry {
  readonly name: string;
  readonly title: string;
  readonly downloads_count: number;
  readonly category: string | undefined;
  readonly score: number | undefined;
  // Private fields: not enumerable, so an entry reads as plain data to `for...in` and spreads.
  readonly #shared: Shared;
  readonly #i: number;

  // Every field set here, in one order: all entries share one shape.
  constructor(name: string, title: string, downloads: number, category: string | undefined, score: number | undefined, shared: Shared, i: number) {
    this.name = name;
    this.title = title;
    this.downloads_count = downloads;
    this.category = category;
    this.score = score;
    this.#shared = shared;
    this.#i = i;
  }

  details(): ListDetails {
    return this.#shared.details;
  }

  isLine(details: ListDetails, i: number): boolean {
    return this.#shared.details === details && this.#i === i;
  }

  /** Whether `mod` is the entry this entry's list holds whole at `i`. */
  holdsWhole(i: number, mod: ModEntry): boolean {
    return this.#shared.extra.get(i) === mod;
  }

  /** The latest release's version, Factorio version and date: held, no details read. */
  hotRelease(): HotRelease | undefined {
    const s = this.#shared;
    const version = columnValue(s.version, this.#i);
    if (version === null) return undefined;
    return { version, factorio: columnValue(s.factorio, this.#i) ?? '', releasedAt: s.releasedAt[this.#i]! };
  }

  private line(): DetailsLine | undefined {
    return this.#shared.details.line(this.#i, this.name);
  }

  get owner(): string {
    return this.line()?.[1] ?? '';
  }

  get summary(): string {
    return this.line()?.[2] ?? '';
  }

  get thumbnail(): string | undefined {
    return this.line()?.[3] ?? undefined;
  }

  get last_highlighted_at(): string | undefined {
    return this.line()?.[4] ?? undefined;
  }

  get latest_release(): Release | undefined {
    const hot = this.hotRelease();
    if (hot === undefined) return undefined;
    const line = this.line();
    const download = line?.[5] ?? '';
    const info: Release['info_json'] = { factorio_version: hot.factorio };
    const dependencies = line?.[8];
    if (dependencies) info.dependencies = dependencies;
    const release: Release = {
      download_url: download.startsWith('=') ? download.slice(1) : downloadPrefix(this.name) + download,
      file_name: line?.[6] ?? `${this.name}_${hot.version}.zip`,
      info_json: info,
      released_at: line?.[10] ?? '',
      version: hot.version,
      sha1: line?.[7] ?? '',
    };
    const flags = line?.[9];
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

/** When a mod's latest release came out (ms, NaN if unknown), without reading a held entry's details: for sorting thousands. */
export function latestReleaseTime(mod: ModEntry): number {
  return mod instanceof ListEntry ? (mod.hotRelease()?.releasedAt ?? NaN) : Date.parse(mod.latest_release?.released_at ?? '');
}

/**
 * The list as the cache holds it: columns, by position in the list file (most downloaded
 * first, as the index ranks them). Search reads names, titles and downloads; an entry
 * object is made only when one is handed out, and reads its summary and release file from
 * the details file then. 50,000 mods hold no object each.
 */
export class ListTable implements ModTable {
  readonly size: number;

  constructor(
    readonly names: readonly string[],
    readonly titles: readonly string[],
    readonly downloads: readonly number[],
    private readonly categoryOf: Int16Array,
    private readonly categories: readonly string[],
    /** NaN for none. */
    private readonly scores: Float64Array,
    private readonly shared: Shared,
    /** Entries that did not fit the columns, held whole. */
    private readonly extra: ReadonlyMap<number, ModEntry>,
  ) {
    this.size = names.length;
  }

  get details(): ListDetails {
    return this.shared.details;
  }

  entry(i: number): ModEntry {
    const whole = this.extra.get(i);
    if (whole !== undefined) return whole;
    const c = this.categoryOf[i]!;
    const score = this.scores[i]!;
    return new ListEntry(this.names[i]!, this.titles[i]!, this.downloads[i]!, c >= 0 ? this.categories[c] : undefined, Number.isNaN(score) ? undefined : score, this.shared, i);
  }

  all(): ModEntry[] {
    const out: ModEntry[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.entry(i));
    return out;
  }
}

/**
 * What encodeModList wrote, as the cache holds it (see ListTable): entries equal field by
 * field to the ones written, their details read from `details` (the details file, or its
 * bytes while it is not written yet) when shown.
 */
export function decodeModListCompact(text: string, details: DetailsReader): { fetchedAt: number; table: ListTable } {
  const { fetchedAt, count, categories, detailsHeader, columns: stored, extra } = readListFile(text);
  const column = (key: keyof Columns, nullable: boolean): Column => {
    const value = stored[key];
    if (typeof value === 'string') return new PackedColumn(value, count, nullable);
    if (!Array.isArray(value) || value.length !== count) throw new Error(`column ${key} does not hold ${count} values`);
    return value as Array<string | null>;
  };
  const array = <T>(key: keyof Columns): T[] => {
    const value = stored[key];
    if (!Array.isArray(value) || value.length !== count) throw new Error(`column ${key} does not hold ${count} values`);
    return value as T[];
  };
  const names = unpack(stored.name, false, count) as string[];
  const titles = unpack(stored.title, false, count) as string[];
  if (!Array.isArray(names) || names.length !== count) throw new Error(`column name does not hold ${count} values`);
  if (!Array.isArray(titles) || titles.length !== count) throw new Error(`column title does not hold ${count} values`);
  const downloads = array<number>('downloads');
  const category = array<number>('category');
  const score = array<number | null>('score');
  const own = new ListDetails(details, detailsHeader, array<number>('detailBytes'));
  const released = array<number | null>('released');
  const releasedAt = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const ms = released[i];
    releasedAt[i] = typeof ms === 'number' ? ms : NaN;
  }
  const held = new Map<number, ModEntry>();
  const shared: Shared = { version: column('version', true), factorio: column('factorio', false), releasedAt, details: own, extra: held };
  const categoryOf = new Int16Array(count);
  const scores = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (typeof names[i] !== 'string' || typeof titles[i] !== 'string' || typeof downloads[i] !== 'number') {
      throw new Error(`entry ${i} has the wrong shape`);
    }
    const c = category[i];
    categoryOf[i] = typeof c === 'number' && Number.isInteger(c) && c >= 0 && c < categories.length && c < 0x8000 ? c : -1;
    const s = score[i];
    scores[i] = typeof s === 'number' ? s : NaN;
  }
  placeExtras(held, extra, count);
  for (const [i, mod] of held) {
    // The columns must name the entry held whole, or search would find it under another name.
    if (mod.name !== names[i] || mod.title !== titles[i] || mod.downloads_count !== downloads[i]) throw new Error(`extra entry ${i} has the wrong shape`);
  }
  return { fetchedAt, table: new ListTable(names, titles, downloads, categoryOf, categories as string[], scores, shared, held) };
}

/** Entries kept whole (their fields do not fit the columns), by position. */
function placeExtras(held: Map<number, ModEntry>, extra: Record<string, ModEntry> | null | undefined, count: number): void {
  if (extra === undefined || extra === null) return;
  for (const [position, mod] of Object.entries(extra)) {
    const i = Number(position);
    const valid = typeof mod === 'object' && mod !== null && typeof mod.name === 'string' && typeof mod.title === 'string';
    if (!Number.isInteger(i) || i < 0 || i >= count || !valid || typeof mod.downloads_count !== 'number') {
      throw new Error(`extra entry ${position} has the wrong shape`);
    }
    held.set(i, mod);
  }
}

/** The parsed list file with its required fields checked. */
function readListFile(text: string): ListFile {
  const data = JSON.parse(text) as Partial<ListFile> | null;
  if (typeof data !== 'object' || data === null) throw new Error('not an object');
  if (data.version !== LIST_FORMAT_VERSION) throw new Error(`format version ${String(data.version)}`);
  const { fetchedAt, count, categories, columns, detailsHeader } = data;
  if (typeof fetchedAt !== 'number' || typeof count !== 'number' || !Array.isArray(categories) || typeof columns !== 'object' || columns === null || typeof detailsHeader !== 'string') {
    throw new Error('missing fields');
  }
  return data as ListFile;
}

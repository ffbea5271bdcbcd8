// Tolerant decoding of portal JSON. The portal omits empty keys, has changed the shape of
// categories and tags over the years, and sometimes sends numbers where strings are
// documented; all of that is absorbed here. What cannot be absorbed (a body that is not
// a mod list at all, an entry without a name) becomes a PortalError of kind 'malformed'
// right here, so no TypeError surfaces later in code far from the cause.

import { PortalError } from './errors';
import type {
  FullModEntry,
  License,
  ModEntry,
  ModListResponse,
  Pagination,
  PaginationLinks,
  PortalImage,
  Release,
  ReleaseInfoJson,
} from './types';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return 'a string';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function malformed(what: string, url: string): PortalError {
  const where = url ? ` (${url})` : '';
  return new PortalError('malformed', `The Mod Portal sent an unexpected answer${where}: ${what}`, { url });
}

/** A string, or a number turned into one; anything else is absent. */
function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A finite number, or a numeric string turned into one; anything else is absent. */
function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function strArray(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const item of v) {
    const s = str(item);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** Today's plain string, or the `name` of an old Tag object; "" and null mean none. */
export function normaliseCategory(v: unknown): string | undefined {
  const name = isObject(v) ? str(v.name) : str(v);
  return name === undefined || name === '' ? undefined : name;
}

function tagName(v: unknown): string | undefined {
  const name = isObject(v) ? str(v.name) : str(v);
  return name === undefined || name === '' ? undefined : name;
}

/** Tag names from `tags` (strings or Tag objects) and the old `tag` key, without duplicates. */
export function normaliseTags(tags: unknown, oldTag: unknown): string[] | undefined {
  if (tags === undefined && oldTag === undefined) return undefined;
  const out: string[] = [];
  const add = (v: unknown): void => {
    const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    for (const item of list) {
      const name = tagName(item);
      if (name !== undefined && !out.includes(name)) out.push(name);
    }
  };
  add(tags);
  add(oldTag);
  return out;
}

/** A release, or undefined when it has no usable version (such releases are dropped). */
export function decodeRelease(v: unknown): Release | undefined {
  if (!isObject(v)) return undefined;
  const version = str(v.version);
  if (version === undefined || version.trim() === '') return undefined;
  const info = isObject(v.info_json) ? v.info_json : {};
  const infoJson: ReleaseInfoJson = { factorio_version: str(info.factorio_version) ?? '' };
  const deps = strArray(info.dependencies);
  if (deps !== undefined) infoJson.dependencies = deps;
  const release: Release = {
    download_url: str(v.download_url) ?? '',
    file_name: str(v.file_name) ?? '',
    info_json: infoJson,
    released_at: str(v.released_at) ?? '',
    version,
    sha1: str(v.sha1) ?? '',
  };
  const flags = strArray(v.feature_flags);
  if (flags !== undefined && flags.length > 0) release.feature_flags = flags;
  return release;
}

function decodeReleases(v: unknown): Release[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Release[] = [];
  for (const item of v) {
    const r = decodeRelease(item);
    if (r !== undefined) out.push(r);
  }
  return out;
}

function fillModEntry(v: Json, target: ModEntry): void {
  const category = normaliseCategory(v.category);
  if (category !== undefined) target.category = category;
  const score = num(v.score);
  if (score !== undefined) target.score = score;
  const latest = decodeRelease(v.latest_release);
  if (latest !== undefined) target.latest_release = latest;
  const releases = decodeReleases(v.releases);
  if (releases !== undefined) target.releases = releases;
  const thumbnail = str(v.thumbnail);
  if (thumbnail !== undefined) target.thumbnail = thumbnail;
  const highlighted = str(v.last_highlighted_at);
  if (highlighted !== undefined) target.last_highlighted_at = highlighted;
}

function requireEntry(v: unknown, where: string, url: string): { obj: Json; name: string } {
  if (!isObject(v)) throw malformed(`${where} is ${describe(v)}, not a mod object`, url);
  const name = str(v.name);
  if (name === undefined || name === '') throw malformed(`${where} has no \`name\``, url);
  return { obj: v, name };
}

function baseEntry(v: Json, name: string): ModEntry {
  return {
    name,
    title: str(v.title) ?? name,
    owner: str(v.owner) ?? '',
    summary: str(v.summary) ?? '',
    downloads_count: num(v.downloads_count) ?? 0,
  };
}

export function decodeModEntry(v: unknown, url = '', where = 'the mod'): ModEntry {
  const { obj, name } = requireEntry(v, where, url);
  const entry = baseEntry(obj, name);
  fillModEntry(obj, entry);
  return entry;
}

function decodeLicense(v: unknown): License | undefined {
  if (!isObject(v)) return undefined;
  const license: License = {};
  for (const key of ['id', 'name', 'title', 'description', 'url'] as const) {
    const s = str(v[key]);
    if (s !== undefined) license[key] = s;
  }
  return license;
}

function decodeImages(v: unknown): PortalImage[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: PortalImage[] = [];
  for (const item of v) {
    if (!isObject(item)) continue;
    const image: PortalImage = {};
    for (const key of ['id', 'thumbnail', 'url'] as const) {
      const s = str(item[key]);
      if (s !== undefined) image[key] = s;
    }
    out.push(image);
  }
  return out;
}

export function decodeFullModEntry(v: unknown, url = ''): FullModEntry {
  const { obj, name } = requireEntry(v, 'the mod', url);
  const entry: FullModEntry = baseEntry(obj, name);
  fillModEntry(obj, entry);
  for (const key of [
    'created_at',
    'updated_at',
    'changelog',
    'description',
    'faq',
    'homepage',
    'source_url',
    'github_path',
  ] as const) {
    const s = str(obj[key]);
    if (s !== undefined) entry[key] = s;
  }
  const images = decodeImages(obj.images);
  if (images !== undefined) entry.images = images;
  const tags = normaliseTags(obj.tags, obj.tag);
  if (tags !== undefined) entry.tags = tags;
  const license = decodeLicense(obj.license);
  if (license !== undefined) entry.license = license;
  if (obj.deprecated === true || obj.deprecated === 'true' || obj.deprecated === 1) entry.deprecated = true;
  return entry;
}

function link(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function decodePagination(v: unknown): Pagination | null {
  if (!isObject(v)) return null;
  const links: Json = isObject(v.links) ? v.links : {};
  const pageLinks: PaginationLinks = {
    first: link(links.first),
    prev: link(links.prev),
    next: link(links.next),
    last: link(links.last),
  };
  return {
    count: num(v.count) ?? 0,
    page: num(v.page) ?? 1,
    page_count: num(v.page_count) ?? 1,
    page_size: num(v.page_size) ?? 0,
    links: pageLinks,
  };
}

export function decodeModListResponse(v: unknown, url = ''): ModListResponse {
  if (!isObject(v)) throw malformed(`expected a mod list object, got ${describe(v)}`, url);
  if (!Array.isArray(v.results)) {
    throw malformed(
      v.results === undefined ? 'the mod list has no `results`' : `\`results\` is ${describe(v.results)}, not an array`,
      url,
    );
  }
  const results: ModEntry[] = new Array<ModEntry>(v.results.length);
  for (let i = 0; i < v.results.length; i++) {
    results[i] = decodeModEntry(v.results[i], url, `results[${i}]`);
  }
  return { pagination: decodePagination(v.pagination), results };
}

/** The text of a portal error body (`message` today, `detail` in older documentation). */
export function decodeErrorMessage(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  return str(v.message) ?? str(v.detail);
}

/** A body that is a web page rather than data (by its Content-Type, or by how it starts). */
export function looksLikeHtml(contentType: string | null, text: string): boolean {
  if (contentType !== null && /html/i.test(contentType)) return true;
  const start = text.trimStart().slice(0, 15).toLowerCase();
  return start.startsWith('<!doctype') || start.startsWith('<html') || start.startsWith('<');
}

/**
 * Only the portal's JSON answer for an unknown mod (`{"message": "Mod not found"}`, or
 * `{"detail": ...}` in older documentation) means the mod does not exist; a 404 page
 * from a proxy, a wrong base path or a mirror without `/full` means nothing about it.
 */
export function isModNotFoundAnswer(contentType: string | null, text: string): boolean {
  if (looksLikeHtml(contentType, text)) return false;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { message, detail } = body as { message?: unknown; detail?: unknown };
  if (typeof message === 'string') return /^\s*mod not found\.?\s*$/i.test(message);
  return typeof detail === 'string' && /not found/i.test(detail);
}


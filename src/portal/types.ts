// The Mod Portal's data, as the rest of the extension sees it after decoding.
// The portal leaves out keys that are empty, null or false, and has changed the
// shape of categories and tags over the years, so nearly everything is optional
// and unknown values are kept as they come.

/** A Tag object, as older responses shape `category` and `tag[]`. */
export interface PortalTag {
  id?: number | string;
  name: string;
  title?: string;
  description?: string;
  type?: string;
}

export interface ReleaseInfoJson {
  factorio_version: string;
  /** Only from `/full`. */
  dependencies?: string[];
}

export interface Release {
  /** Relative, starts with `/download/`. */
  download_url: string;
  file_name: string;
  info_json: ReleaseInfoJson;
  released_at: string;
  version: string;
  sha1: string;
  feature_flags?: string[];
}

export interface License {
  id?: string;
  name?: string;
  title?: string;
  description?: string;
  url?: string;
}

export interface PortalImage {
  id?: string;
  thumbnail?: string;
  url?: string;
}

export interface ModEntry {
  name: string;
  title: string;
  owner: string;
  summary: string;
  downloads_count: number;
  /**
   * Normalised category name: today's plain string, or the `name` of an old
   * Tag object. `undefined` when there is none (`""`, null, absent, `no-category`
   * is kept as is since the portal sends it).
   */
  category?: string;
  score?: number;
  /** From the list endpoint. */
  latest_release?: Release;
  /** From namelist, short and full. */
  releases?: Release[];
  thumbnail?: string;
  last_highlighted_at?: string;
}

export interface FullModEntry extends ModEntry {
  created_at?: string;
  updated_at?: string;
  changelog?: string;
  description?: string;
  faq?: string;
  homepage?: string;
  source_url?: string;
  github_path?: string;
  images?: PortalImage[];
  /** Normalised tag names (from plain strings, Tag objects, or the old `tag` key). */
  tags?: string[];
  license?: License;
  deprecated?: boolean;
}

export interface PaginationLinks {
  first: string | null;
  prev: string | null;
  next: string | null;
  last: string | null;
}

export interface Pagination {
  count: number;
  page: number;
  page_count: number;
  page_size: number;
  links: PaginationLinks;
}

export interface ModListResponse {
  pagination: Pagination | null;
  results: ModEntry[];
}

export type SortKey = 'name' | 'created_at' | 'updated_at';
export type SortOrder = 'asc' | 'desc';

export interface ListQuery {
  hide_deprecated?: boolean;
  page?: number;
  page_size?: number | 'max';
  sort?: SortKey;
  sort_order?: SortOrder;
  namelist?: readonly string[];
  /** A Factorio version such as `1.1` or `2.0`. */
  version?: string;
}

/** Categories the portal uses today. Older values are kept, never rejected. */
export const CURRENT_CATEGORIES = [
  'no-category',
  'content',
  'overhaul',
  'tweaks',
  'utilities',
  'scenarios',
  'mod-packs',
  'localizations',
  'internal',
] as const;

/** Tags the portal uses today. Older or unknown values are kept, never rejected. */
export const CURRENT_TAGS = [
  'planets',
  'transportation',
  'logistics',
  'trains',
  'combat',
  'armor',
  'character',
  'enemies',
  'environment',
  'mining',
  'fluids',
  'logistic-network',
  'circuit-network',
  'manufacturing',
  'power',
  'storage',
  'blueprints',
  'cheats',
] as const;

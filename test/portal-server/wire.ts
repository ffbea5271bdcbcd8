// How the local portal shapes a mod for each endpoint, following the field table of
// the portal API: list entries, namelist entries, /api/mods/{name} and /full.
import type { Release } from '../../src/portal/types';
import type { DatasetMod } from './records';

type Json = Record<string, unknown>;

function wireRelease(release: Release, withDependencies: boolean): Json {
  const info: Json = { factorio_version: release.info_json.factorio_version };
  if (withDependencies && release.info_json.dependencies !== undefined) info.dependencies = release.info_json.dependencies;
  const out: Json = {
    download_url: release.download_url,
    file_name: release.file_name,
    info_json: info,
    released_at: release.released_at,
    version: release.version,
    sha1: release.sha1,
  };
  if (release.feature_flags && release.feature_flags.length > 0) out.feature_flags = release.feature_flags;
  return out;
}

/** The fields every endpoint shares, in the portal's order. */
function common(mod: DatasetMod): Json {
  const out: Json = { name: mod.name, title: mod.title, owner: mod.owner };
  if (!mod.wire?.omit?.includes('summary')) out.summary = mod.summary;
  out.downloads_count = mod.downloads_count;
  if (mod.wire && mod.wire.category !== undefined) out.category = mod.wire.category;
  else if (mod.category !== undefined) out.category = mod.category;
  if (mod.score !== undefined) out.score = mod.score;
  return out;
}

/** The newest release by date (releases are not guaranteed to be sorted). */
export function latestRelease(mod: DatasetMod): Release | undefined {
  let latest: Release | undefined;
  for (const release of mod.releases) {
    if (!latest || release.released_at > latest.released_at) latest = release;
  }
  return latest;
}

export function listEntry(mod: DatasetMod): Json {
  const out = common(mod);
  const latest = latestRelease(mod);
  if (latest) out.latest_release = wireRelease(latest, false);
  if (mod.thumbnail !== undefined) out.thumbnail = mod.thumbnail;
  return out;
}

export function namelistEntry(mod: DatasetMod): Json {
  const out = common(mod);
  if (mod.last_highlighted_at !== undefined) out.last_highlighted_at = mod.last_highlighted_at;
  out.releases = mod.releases.map((r) => wireRelease(r, false));
  return out;
}

export function shortEntry(mod: DatasetMod): Json {
  const out = common(mod);
  if (mod.thumbnail !== undefined) out.thumbnail = mod.thumbnail;
  if (mod.last_highlighted_at !== undefined) out.last_highlighted_at = mod.last_highlighted_at;
  out.releases = mod.releases.map((r) => wireRelease(r, false));
  return out;
}

const FULL_TEXT_KEYS = ['created_at', 'updated_at', 'changelog', 'description', 'faq', 'homepage', 'source_url', 'github_path'] as const;

export function fullEntry(mod: DatasetMod): Json {
  const out = common(mod);
  if (mod.thumbnail !== undefined) out.thumbnail = mod.thumbnail;
  if (mod.last_highlighted_at !== undefined) out.last_highlighted_at = mod.last_highlighted_at;
  for (const key of FULL_TEXT_KEYS) {
    if (mod[key] !== undefined) out[key] = mod[key];
  }
  if (mod.images && mod.images.length > 0) out.images = mod.images;
  if (mod.wire?.tag) out.tag = mod.wire.tag;
  else if (mod.tags && mod.tags.length > 0) out.tags = mod.tags;
  if (mod.license !== undefined) out.license = mod.license;
  if (mod.deprecated === true) out.deprecated = true;
  out.releases = mod.releases.map((r) => wireRelease(r, true));
  return out;
}

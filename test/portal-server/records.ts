// Record types of the local portal's data and the small builders shared by the fixed
// test cases and the generated bulk.
import type { FullModEntry, PortalTag, Release } from '../../src/portal/types';
import { ReleaseHasher } from './release-zip';

/**
 * How a mod differs on the wire from its decoded form. The decoded `category`/`tags`
 * of a DatasetMod are what a correct client should end up with; `wire` says which
 * older or odd shape the server sends instead.
 */
export interface WireShape {
  /** Sent as `category` instead of the decoded value when not undefined (`null` and `""` included). */
  category?: string | PortalTag | null;
  /** Sent on /full as the old singular `tag` key (Tag objects) instead of `tags`. */
  tag?: PortalTag[];
  /** Keys left out of every response although the decoded entry has a value for them. */
  omit?: Array<'summary'>;
}

/** One mod of the local portal: the decoded entry plus how it goes on the wire. */
export interface DatasetMod extends FullModEntry {
  /** Every release, oldest first; each info_json has factorio_version and dependencies. */
  releases: Release[];
  wire?: WireShape;
}

export interface PortalDataset {
  mods: DatasetMod[];
}

export interface Era {
  version: string;
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;
const utc = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** Factorio versions with the time span in which mods were released for them. */
export const ERAS: readonly Era[] = [
  { version: '0.13', start: utc('2016-06-27'), end: utc('2016-08-25') },
  { version: '0.14', start: utc('2016-08-26'), end: utc('2017-04-23') },
  { version: '0.15', start: utc('2017-04-24'), end: utc('2017-12-12') },
  { version: '0.16', start: utc('2017-12-13'), end: utc('2019-02-25') },
  { version: '0.17', start: utc('2019-02-26'), end: utc('2020-01-20') },
  { version: '0.18', start: utc('2020-01-21'), end: utc('2020-08-13') },
  { version: '1.0', start: utc('2020-08-14'), end: utc('2020-11-22') },
  { version: '1.1', start: utc('2020-11-23'), end: utc('2024-10-20') },
  { version: '2.0', start: utc('2024-10-21'), end: utc('2026-05-31') },
  { version: '2.1', start: utc('2026-06-01'), end: utc('2026-11-01') - DAY_MS },
];

/** No generated date is later than this, so the data does not depend on the clock. */
export const DATASET_NOW = utc('2026-11-01');

/** The portal's timestamp format: microseconds and a `Z`. */
export function portalTime(ms: number): string {
  const dayMs = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  const seconds = Math.floor(dayMs / 1000);
  // join keeps the result flat, which matters for memory across ~300,000 timestamps.
  return [
    portalDate(ms), 'T', PAD2[Math.floor(seconds / 3600)], ':', PAD2[Math.floor(seconds / 60) % 60], ':', PAD2[seconds % 60],
    '.', PAD3[dayMs % 1000], '000Z',
  ].join('');
}

/** `YYYY-MM-DD` in UTC, by arithmetic (civil-from-days) rather than a Date per call. */
export function portalDate(ms: number): string {
  const z = Math.floor(ms / DAY_MS) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const dayOfMonth = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return [year, '-', PAD2[month], '-', PAD2[dayOfMonth]].join('');
}

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

export interface ReleaseSpec {
  version: string;
  factorioVersion: string;
  releasedAt: number;
  dependencies: string[];
  featureFlags?: string[];
  downloadId: string;
}

/** The release still lacks its sha1: attachReleaseHashes gives it one. */
export function makeRelease(modName: string, spec: ReleaseSpec): Release {
  const release = {
    download_url: flat('/download/', modName, '/', spec.downloadId),
    file_name: flat(modName, '_', spec.version, '.zip'),
    info_json: { factorio_version: spec.factorioVersion, dependencies: spec.dependencies },
    released_at: portalTime(spec.releasedAt),
    version: spec.version,
  } as Release;
  if (spec.featureFlags && spec.featureFlags.length > 0) release.feature_flags = spec.featureFlags;
  return release;
}

/**
 * Gives every release of the dataset a sha1 that matches the zip the server serves.
 * With `onlyMissing`, releases that already carry a non-empty sha1 keep it.
 */
export function attachReleaseHashes(dataset: PortalDataset, onlyMissing = false): void {
  const hasher = new ReleaseHasher();
  for (const mod of dataset.mods) {
    for (const release of mod.releases) {
      const own = Object.getOwnPropertyDescriptor(release, 'sha1');
      if (onlyMissing && own && (own.get || (typeof own.value === 'string' && own.value !== ''))) continue;
      hasher.attach(mod, release);
    }
  }
}

export interface ChangelogEntry {
  version: string;
  date: number;
  sections: Array<{ category: string; lines: string[] }>;
}

const CHANGELOG_RULE = '-'.repeat(99);

/** Factorio's changelog.txt format, newest entry first as mods write it. */
export function formatChangelog(entries: readonly ChangelogEntry[]): string {
  const out: string[] = [];
  for (const entry of entries) {
    out.push(CHANGELOG_RULE, '\nVersion: ', entry.version, '\nDate: ', portalDate(entry.date), '\n');
    for (const section of entry.sections) {
      out.push('  ', section.category, ':\n');
      for (const line of section.lines) out.push('    - ', line, '\n');
    }
  }
  return out.join('');
}

/**
 * Concatenates into a flat string. Generated datasets hold millions of strings, and
 * `+`/template concatenation leaves ropes that cost memory and garbage-collection time.
 */
export function flat(...parts: Array<string | number>): string {
  return parts.join('');
}

export const LICENSES = {
  mit: {
    id: 'default_mit',
    name: 'mit',
    title: 'MIT',
    description: 'A permissive license that is short and to the point. It lets people do anything with your code with proper attribution and without warranty.',
    url: 'https://opensource.org/licenses/MIT',
  },
  gpl3: {
    id: 'default_gnugplv3',
    name: 'gnugplv3',
    title: 'GNU GPLv3',
    description: 'The GNU GPL is the most widely used free software license and has a strong copyleft requirement.',
    url: 'https://opensource.org/licenses/gpl-3.0',
  },
  lgpl3: {
    id: 'default_gnulgplv3',
    name: 'gnulgplv3',
    title: 'GNU LGPLv3',
    description: 'Version 3 of the GNU LGPL is an additional set of permissions to the GNU GPLv3 license.',
    url: 'https://opensource.org/licenses/lgpl-3.0',
  },
  mpl2: {
    id: 'default_mozilla2',
    name: 'mozilla2',
    title: 'Mozilla Public License 2.0',
    description: 'The Mozilla Public License (MPL 2.0) attempts to be a compromise between permissive and copyleft licenses.',
    url: 'https://opensource.org/licenses/MPL-2.0',
  },
  apache2: {
    id: 'default_apache2',
    name: 'apache2',
    title: 'Apache License 2.0',
    description: 'A permissive license that also provides an express grant of patent rights from contributors to users.',
    url: 'https://opensource.org/licenses/apache2.0',
  },
  unlicense: {
    id: 'default_unlicense',
    name: 'unlicense',
    title: 'The Unlicense',
    description: 'A license with no conditions whatsoever which dedicates works to the public domain.',
    url: 'https://unlicense.org/',
  },
} as const;

// A mod's releases as the features need them: newest first, those that load with a
// Factorio version, the latest of them, the newest that satisfies a set of constraints.
// Releases whose version is not a valid Factorio version are portal data we cannot
// place: they go last in a listing and are never picked.

import type { Release } from '../portal/types';
import {
  compareVersions,
  Constraint,
  newestSatisfyingIndex,
  parseVersion,
  releaseMatchesFactorioVersion,
  Version,
} from './version';

interface Parsed {
  release: Release;
  v: Version;
  index: number;
}

function parsedReleases(releases: readonly Release[]): Parsed[] {
  const out: Parsed[] = [];
  releases.forEach((release, index) => {
    const v = parseVersion(release.version);
    if (v) out.push({ release, v, index });
  });
  return out;
}

/** Newest first, for sorting before the original order of equal versions. */
function byNewest(a: Parsed, b: Parsed): number {
  return compareVersions(b.v, a.v) || a.index - b.index;
}

/**
 * Every release, newest first; equal versions keep their order, and releases whose
 * version does not parse come last, in their original order.
 */
export function newestFirst(releases: readonly Release[]): Release[] {
  const valid = parsedReleases(releases).sort(byNewest);
  const seen = new Set(valid.map((p) => p.release));
  return [...valid.map((p) => p.release), ...releases.filter((r) => !seen.has(r))];
}

/** The release's own Factorio version, as the portal gives it. */
function releaseFactorioVersion(release: Release): string {
  return release.info_json?.factorio_version ?? '';
}

/**
 * Releases that load in a mod targeting `factorioVersion`, newest first, valid versions
 * only. Without a Factorio version every valid release qualifies.
 */
export function compatibleReleases(releases: readonly Release[], factorioVersion: string | undefined): Release[] {
  return parsedReleases(releases)
    .filter((p) => factorioVersion === undefined || releaseMatchesFactorioVersion(releaseFactorioVersion(p.release), factorioVersion))
    .sort(byNewest)
    .map((p) => p.release);
}

/** The newest release that loads with `factorioVersion` (any, without one). */
export function latestCompatibleRelease(releases: readonly Release[], factorioVersion: string | undefined): Release | undefined {
  return compatibleReleases(releases, factorioVersion)[0];
}

/** The newest release whatever its Factorio version. */
export function latestRelease(releases: readonly Release[]): Release | undefined {
  return compatibleReleases(releases, undefined)[0];
}

/**
 * The newest release that loads with `factorioVersion` (any, without one) and satisfies
 * every constraint: the release the game would pick among those installed.
 */
export function newestSatisfying(
  releases: readonly Release[],
  constraints: readonly Constraint[],
  factorioVersion?: string,
): Release | undefined {
  const candidates = compatibleReleases(releases, factorioVersion);
  const i = newestSatisfyingIndex(
    candidates.map((r) => parseVersion(r.version)!),
    constraints,
  );
  return i < 0 ? undefined : candidates[i];
}


// A mod's releases as the features need them: newest first, those that load with a
// Factorio version, the latest of them, the newest that satisfies a set of constraints.
// Releases whose version is not a valid Factorio version are portal data we cannot
// place: they go last in a listing and are never picked.

import type { Release } from '../portal/types';
import { Constraint, newestSatisfyingIndex, parseVersion, releaseMatchesFactorioVersion, sortNewestFirst } from './version';

/**
 * Every release, newest first; equal versions keep their order, and releases whose
 * version does not parse come last, in their original order.
 */
export function newestFirst(releases: readonly Release[]): Release[] {
  return sortNewestFirst(releases, (r) => r.version);
}

/**
 * Releases that load in a mod targeting `factorioVersion`, newest first, valid versions
 * only. Without a Factorio version every valid release qualifies.
 */
export function compatibleReleases(releases: readonly Release[], factorioVersion: string | undefined): Release[] {
  return newestFirst(releases).filter(
    (r) =>
      parseVersion(r.version) !== undefined &&
      (factorioVersion === undefined || releaseMatchesFactorioVersion(r.info_json?.factorio_version ?? '', factorioVersion)),
  );
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


// Factorio versions: `A.B` or `A.B.C`, each number 0..65535, compared numerically.
// semver cannot represent two-part versions nor leading zeros, both of which occur in
// real info.json files, so versions are parsed and validated here by Factorio's rules;
// the algebra (comparing, constraints, ranges) is semver's, on the normalised `A.B.C`
// form that toSemver hands it (a missing third number is 0, as the game counts it).

import semverCompare from 'semver/functions/compare';
import semverSatisfies from 'semver/functions/satisfies';
import semverIntersects from 'semver/ranges/intersects';
import semverMaxSatisfying from 'semver/ranges/max-satisfying';

export interface Version {
  major: number;
  minor: number;
  patch?: number;
}

export type Operator = '<' | '<=' | '=' | '>=' | '>';

export const OPERATORS: readonly Operator[] = ['<', '<=', '=', '>=', '>'];

export const MAX_VERSION_COMPONENT = 65535;

export function isOperator(text: string): text is Operator {
  return (OPERATORS as readonly string[]).includes(text);
}

const DIGITS = /^[0-9]+$/;

function parseComponent(text: string): number | undefined {
  if (!DIGITS.test(text)) return undefined;
  const n = Number(text);
  return n <= MAX_VERSION_COMPONENT ? n : undefined;
}

/** `A.B` or `A.B.C`; undefined for anything else. */
export function parseVersion(text: string): Version | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.trim().split('.');
  if (parts.length < 2 || parts.length > 3) return undefined;
  const nums = parts.map(parseComponent);
  if (nums.some((n) => n === undefined)) return undefined;
  const [major, minor, patch] = nums as number[];
  return parts.length === 3 ? { major, minor, patch } : { major, minor };
}

/** The normalised `A.B.C` form semver works on; leading zeros are gone, a missing patch is 0. */
function toSemver(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch ?? 0}`;
}

/** A mod's own `version` field, which must have all three numbers. */
export function parseModVersion(text: string): Version | undefined {
  const v = parseVersion(text);
  return v && v.patch !== undefined ? v : undefined;
}

/** Negative, zero or positive like a sort comparator; a missing patch counts as 0. */
export function compareVersions(a: Version, b: Version): number {
  return semverCompare(toSemver(a), toSemver(b));
}

export function formatVersion(v: Version): string {
  return v.patch === undefined ? `${v.major}.${v.minor}` : `${v.major}.${v.minor}.${v.patch}`;
}

export type VersionPart = 'major' | 'minor' | 'patch';

/**
 * The next mod version after `version` at one part, the lower parts reset
 * (1.4.2 → 1.4.3, 1.5.0, 2.0.0); undefined when it is not a mod version or a number
 * would pass what the game accepts.
 */
export function bumpVersion(version: string, part: VersionPart): string | undefined {
  const v = parseModVersion(version);
  if (!v) return undefined;
  const next =
    part === 'major' ? { major: v.major + 1, minor: 0, patch: 0 } : part === 'minor' ? { major: v.major, minor: v.minor + 1, patch: 0 } : { major: v.major, minor: v.minor, patch: v.patch! + 1 };
  if (next.major > MAX_VERSION_COMPONENT || next.minor > MAX_VERSION_COMPONENT || next.patch > MAX_VERSION_COMPONENT) return undefined;
  return formatVersion(next);
}

/** One `operator version` part of a dependency, e.g. `>= 1.2.0`. */
export interface Constraint {
  op: Operator;
  bound: Version;
}

/** The semver range every version satisfying all `constraints` is in; `*` when there are none. */
function constraintRange(constraints: readonly Constraint[]): string {
  return constraints.length === 0 ? '*' : constraints.map((c) => `${c.op}${toSemver(c.bound)}`).join(' ');
}

export function satisfies(version: Version, op: Operator, bound: Version): boolean {
  return semverSatisfies(toSemver(version), constraintRange([{ op, bound }]));
}

/** Index of the newest of `versions` that satisfies every constraint (the first of equals), or -1. */
export function newestSatisfyingIndex(versions: readonly Version[], constraints: readonly Constraint[]): number {
  const normalised = versions.map(toSemver);
  const best = semverMaxSatisfying(normalised, constraintRange(constraints));
  return best === null ? -1 : normalised.indexOf(best);
}

/** Inclusive bounds. */
export interface VersionRange {
  min: Version;
  max: Version;
}

/** Whether some version in `range` satisfies `op bound`. */
export function satisfiableWithin(op: Operator, bound: Version, range: VersionRange): boolean {
  return semverIntersects(`>=${toSemver(range.min)} <=${toSemver(range.max)}`, constraintRange([{ op, bound }]));
}

/**
 * The operator a constraint gets when its version is moved up to `latest` so that it
 * admits `latest`, keeping what the constraint means: a pin stays a pin, a minimum a
 * minimum, an upper bound an upper bound. Only `>` and `<` change, to `>=` and `<=`,
 * because `> latest` or `< latest` would exclude the very release they were moved to.
 */
export function updatedOperator(op: Operator): Operator {
  switch (op) {
    case '>':
      return '>=';
    case '<':
      return '<=';
    default:
      return op;
  }
}

/**
 * Newest first by the version `versionOf` reads from each item; equal versions keep their
 * order, and items whose version does not parse go last, in their original order.
 */
export function sortNewestFirst<T>(items: readonly T[], versionOf: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, v: parseVersion(versionOf(item)) }))
    .sort((a, b) => {
      if (a.v && b.v) return compareVersions(b.v, a.v) || a.index - b.index;
      if (a.v) return -1;
      if (b.v) return 1;
      return a.index - b.index;
    })
    .map((e) => e.item);
}

/** Version strings, newest first; strings that are not versions go last, in their original order. */
export function sortVersionsDesc(versions: readonly string[]): string[] {
  return sortNewestFirst(versions, (text) => text);
}

/**
 * Every Factorio version a mod can target, oldest first. `0.12` is what the game assumes
 * when factorio_version is missing; the portal lists mods from `0.13` on.
 */
export const FACTORIO_VERSIONS = ['0.12', '0.13', '0.14', '0.15', '0.16', '0.17', '0.18', '1.0', '1.1', '2.0', '2.1'] as const;

type FactorioVersion = (typeof FACTORIO_VERSIONS)[number];

/** The game's default factorio_version, older than anything the portal lists. */
export const DEFAULT_FACTORIO_VERSION: FactorioVersion = '0.12';

/** The versions the portal lists mods for (its `version` filter), oldest first. */
export const PORTAL_FACTORIO_VERSIONS: readonly FactorioVersion[] = FACTORIO_VERSIONS.filter((v) => v !== DEFAULT_FACTORIO_VERSION);

export type FactorioVersionResult =
  | { ok: true; version: Version; text: string }
  | { ok: false; message: string; /** A.B.C was given: the game may cope, the portal does not. */ hasPatch: boolean };

/** The `factorio_version` field: exactly `A.B`. */
export function parseFactorioVersion(text: string): FactorioVersionResult {
  if (typeof text !== 'string') {
    return { ok: false, message: 'factorio_version must be a string such as "2.0"', hasPatch: false };
  }
  const v = parseVersion(text);
  if (v && v.patch !== undefined) {
    return {
      ok: false,
      message: `factorio_version must be "A.B" such as "${v.major}.${v.minor}": the mod portal rejects a third number`,
      hasPatch: true,
    };
  }
  if (!v || text.trim() !== text) {
    return { ok: false, message: `factorio_version "${text}" is not a version such as "2.0"`, hasPatch: false };
  }
  return { ok: true, version: v, text: formatVersion(v) };
}

/** Major.minor of any version string, tolerating a third number (real portal data has some). */
export function majorMinor(text: string): Version | undefined {
  const v = parseVersion(text);
  return v && { major: v.major, minor: v.minor };
}

/**
 * Whether a release built for `releaseFactorioVersion` loads in a mod targeting
 * `modFactorioVersion`: the same A.B, and the game also loads 0.18 mods in 1.0.
 */
export function releaseMatchesFactorioVersion(releaseFactorioVersion: string, modFactorioVersion: string): boolean {
  // An equality of A.B plus one rule of the game, not an ordering: nothing for semver.
  const r = majorMinor(releaseFactorioVersion);
  const m = majorMinor(modFactorioVersion);
  if (!r || !m) return false;
  if (r.major === m.major && r.minor === m.minor) return true;
  return r.major === 0 && r.minor === 18 && m.major === 1 && m.minor === 0;
}

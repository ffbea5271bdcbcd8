// Factorio versions: `A.B` or `A.B.C`, each number 0..65535, compared numerically.
// semver cannot represent two-part versions nor leading zeros, both of which occur in
// real info.json files, so versions are parsed here by hand.

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

/** A mod's own `version` field, which must have all three numbers. */
export function parseModVersion(text: string): Version | undefined {
  const v = parseVersion(text);
  return v && v.patch !== undefined ? v : undefined;
}

/** Negative, zero or positive like a sort comparator; a missing patch counts as 0. */
export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || (a.patch ?? 0) - (b.patch ?? 0);
}

/** Compares version strings; unparseable ones sort before every valid version. */
export function compareVersionStrings(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (va && vb) return compareVersions(va, vb);
  if (va) return 1;
  if (vb) return -1;
  return 0;
}

export function formatVersion(v: Version): string {
  return v.patch === undefined ? `${v.major}.${v.minor}` : `${v.major}.${v.minor}.${v.patch}`;
}

export function satisfies(version: Version, op: Operator, bound: Version): boolean {
  const c = compareVersions(version, bound);
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '=':
      return c === 0;
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
  }
}

/** Newest first; strings that are not versions go last, in their original order. */
export function sortVersionsDesc(versions: readonly string[]): string[] {
  return versions
    .map((text, index) => ({ text, index, v: parseVersion(text) }))
    .sort((a, b) => {
      if (a.v && b.v) return compareVersions(b.v, a.v) || a.index - b.index;
      if (a.v) return -1;
      if (b.v) return 1;
      return a.index - b.index;
    })
    .map((e) => e.text);
}

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
function majorMinor(text: string): Version | undefined {
  const v = parseVersion(text);
  return v && { major: v.major, minor: v.minor };
}

/**
 * Whether a release built for `releaseFactorioVersion` loads in a mod targeting
 * `modFactorioVersion`: the same A.B, and the game also loads 0.18 mods in 1.0.
 */
export function releaseMatchesFactorioVersion(releaseFactorioVersion: string, modFactorioVersion: string): boolean {
  const r = majorMinor(releaseFactorioVersion);
  const m = majorMinor(modFactorioVersion);
  if (!r || !m) return false;
  if (r.major === m.major && r.minor === m.minor) return true;
  return r.major === 0 && r.minor === 18 && m.major === 1 && m.minor === 0;
}

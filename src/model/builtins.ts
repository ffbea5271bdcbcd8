// Mods that ship with the game. They are never on the portal and carry the game's own
// version, so their availability and possible versions follow from factorio_version.
// Titles and dependencies are those of the game's own info.json files (2.0.66, 2.1.12).

import { compareVersions, DEFAULT_FACTORIO_VERSION, formatVersion, majorMinor, VersionRange } from './version';

export interface BuiltinMod {
  name: string;
  title: string;
  description: string;
  /** First Factorio version (A.B) that ships it. */
  since: string;
  /** Needs the Space Age expansion to be owned. */
  expansion: boolean;
  /** Its own dependencies, by Factorio version, as its info.json lists them. */
  dependencies: Readonly<Record<string, readonly string[]>>;
}

export const BUILTIN_MODS: readonly BuiltinMod[] = [
  {
    name: 'core',
    title: 'Core Factorio Data',
    description: 'The data every game loads first; always present.',
    since: DEFAULT_FACTORIO_VERSION,
    expansion: false,
    dependencies: { '2.0': [], '2.1': [] },
  },
  {
    name: 'base',
    title: 'Base Mod',
    description: 'The base game; always present.',
    since: DEFAULT_FACTORIO_VERSION,
    expansion: false,
    dependencies: { '2.0': [], '2.1': [] },
  },
  {
    name: 'elevated-rails',
    title: 'Elevated Rails',
    description: 'Elevated rails and rail ramps, part of the Space Age expansion.',
    since: '2.0',
    expansion: true,
    dependencies: { '2.0': ['base >= 2.0.0'], '2.1': ['base >= 2.1.0'] },
  },
  {
    name: 'quality',
    title: 'Quality',
    description: 'Item quality tiers, part of the Space Age expansion.',
    since: '2.0',
    expansion: true,
    dependencies: { '2.0': ['base >= 2.0.0'], '2.1': ['base >= 2.1.0', 'recycler >= 2.1.0'] },
  },
  {
    name: 'space-age',
    title: 'Space Age',
    description: 'The Space Age expansion: space platforms and new planets.',
    since: '2.0',
    expansion: true,
    dependencies: {
      '2.0': ['base >= 2.0.0', 'elevated-rails >= 2.0.0', 'quality >= 2.0.0'],
      '2.1': ['base >= 2.1.0', 'elevated-rails >= 2.1.0', '+ quality >= 2.1.0', 'recycler >= 2.1.0'],
    },
  },
  {
    name: 'recycler',
    title: 'Recycler',
    description: 'The recycler, part of the Space Age expansion.',
    since: '2.1',
    expansion: true,
    dependencies: { '2.1': ['base >= 2.1.0'] },
  },
];

const BY_NAME: ReadonlyMap<string, BuiltinMod> = new Map(BUILTIN_MODS.map((m) => [m.name, m]));

export function isBuiltinMod(name: string): boolean {
  return BY_NAME.has(name);
}

export function builtinMod(name: string): BuiltinMod | undefined {
  return BY_NAME.get(name);
}

/** Whether a built-in mod exists for mods targeting `factorioVersion` (undefined if that is not a version). */
export function builtinAvailableIn(name: string, factorioVersion: string): boolean | undefined {
  const mod = BY_NAME.get(name);
  const fv = majorMinor(factorioVersion);
  if (!mod || !fv) return undefined;
  const since = majorMinor(mod.since);
  return since !== undefined && compareVersions(fv, since) >= 0;
}

export function builtinModsFor(factorioVersion: string): BuiltinMod[] {
  return BUILTIN_MODS.filter((m) => builtinAvailableIn(m.name, factorioVersion) === true);
}

/**
 * The versions a built-in mod can have when a mod targeting `factorioVersion` runs:
 * `2.0` gives 2.0.0 ..= 2.0.65535. A 0.18 mod also loads in 1.0, so its range reaches 1.0.x.
 * Undefined when the mod is not built in, not available, or the version is not A.B.
 */
export function builtinVersionRange(name: string, factorioVersion: string): VersionRange | undefined {
  if (builtinAvailableIn(name, factorioVersion) !== true) return undefined;
  const fv = majorMinor(factorioVersion);
  if (!fv) return undefined;
  const max = fv.major === 0 && fv.minor === 18 ? { major: 1, minor: 0 } : fv;
  return {
    min: { major: fv.major, minor: fv.minor, patch: 0 },
    max: { major: max.major, minor: max.minor, patch: 65535 },
  };
}

export function formatVersionRange(range: VersionRange): string {
  return `${formatVersion({ major: range.min.major, minor: range.min.minor })}.x` +
    (range.min.major === range.max.major && range.min.minor === range.max.minor
      ? ''
      : ` or ${formatVersion({ major: range.max.major, minor: range.max.minor })}.x`);
}

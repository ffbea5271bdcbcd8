// What the mods folder says about one dependency: installed or not, which versions,
// enabled or not, and whether the version the game would load satisfies the constraint.

import { isBuiltinMod } from '../model/builtins';
import { parseDependency, ParsedDependency } from '../model/dependency';
import { parseModVersion, satisfies } from '../model/version';
import type { InstalledMod, ModsFolderScan } from './modsFolder';
import { isEnabled } from './modList';

export interface InstalledVersion {
  version: string;
  path: string;
  kind: InstalledMod['kind'];
  /** This version meets the dependency's constraint (always true without a constraint). */
  satisfies: boolean;
  /** Its file or folder name does not match its info.json, so the game will not load it. */
  refusedByGame: boolean;
}

export interface DependencyInstallState {
  name: string;
  /** Built-in mods come with the game and are never in the mods folder. */
  builtin: boolean;
  /** Built in, or a copy the game would load is in the folder. */
  installed: boolean;
  /** Every copy in the folder, newest first, refused ones included. */
  versions: InstalledVersion[];
  /** The copy the game loads when several lie side by side: the newest it does not refuse. */
  loaded: InstalledVersion | undefined;
  /** Per mod-list.json (see isEnabled). */
  enabled: boolean;
  /**
   * Installed (or built in), enabled, and the loaded version meets the constraint.
   * For an incompatibility (`!`), true when the mod is absent or disabled.
   * A built-in mod's version follows the game, so its constraint is not judged here.
   */
  satisfied: boolean;
}

/**
 * The state of a dependency (a string or an already parsed one) in a scanned mods folder.
 * Undefined when the dependency has no usable name.
 */
export function dependencyInstallState(dependency: string | ParsedDependency, scan: ModsFolderScan): DependencyInstallState | undefined {
  const dep = typeof dependency === 'string' ? parseDependency(dependency) : dependency;
  const name = dep.name?.text;
  if (name === undefined || name === '') return undefined;
  const builtin = isBuiltinMod(name);
  const constraint = dep.operator && dep.version ? { op: dep.operator.value, bound: dep.version.value } : undefined;
  const versions: InstalledVersion[] = scan.mods
    .filter((m) => m.name === name)
    .map((m) => {
      const v = parseModVersion(m.version);
      return {
        version: m.version,
        path: m.path,
        kind: m.kind,
        satisfies: constraint === undefined || (v !== undefined && satisfies(v, constraint.op, constraint.bound)),
        refusedByGame: m.nameMismatch,
      };
    });
  const loaded = versions.find((v) => !v.refusedByGame);
  // `core` cannot be disabled; the file never decides for it.
  const enabled = name === 'core' || isEnabled(scan.modList, name);
  const installed = builtin || loaded !== undefined;
  const present = installed && enabled;
  const satisfied = dep.kind === 'incompatible' ? !present : present && (builtin || loaded?.satisfies === true);
  return { name, builtin, installed, versions, loaded, enabled, satisfied };
}

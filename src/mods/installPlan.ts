// From a solution to an install plan: what to download, update or keep, and what is used
// as it is without touching the mods folder (workspace and built-in mods).

import { compareVersions, parseVersion } from '../model/version';
import type { SolvedMod } from '../model/solver';
import type { Release } from '../portal/types';
import type { InstallPlan, InstallStep } from './install';

export interface KeptMod {
  name: string;
  version: string;
  origin: 'installed' | 'workspace' | 'builtin';
}

/** A mod installed with its dependencies (Install Mod with Dependencies): not part of the solution, planned here. */
export interface PlannedRoot {
  name: string;
  release: Pick<Release, 'version' | 'download_url' | 'file_name' | 'sha1'>;
  /** The versions of it in the mods folder. */
  installedVersions: readonly string[];
}

function isOlder(a: string, b: string): boolean {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  return va !== undefined && vb !== undefined && compareVersions(va, vb) < 0;
}

/**
 * The plan for a solution, in its order (the root first). Installed mods the solution keeps
 * are enabled too, since the mods that need them load only when they are; workspace and
 * built-in mods are reported but never planned.
 */
export function planFromSolution(folder: string, mods: readonly SolvedMod<Release>[], root?: PlannedRoot): { plan: InstallPlan; kept: KeptMod[] } {
  const steps: InstallStep[] = [];
  const kept: KeptMod[] = [];
  if (root) {
    const version = root.release.version;
    if (root.installedVersions.includes(version)) {
      steps.push({ action: 'keep', name: root.name, version, enable: true });
      kept.push({ name: root.name, version, origin: 'installed' });
    } else {
      // The newest older copy is the one the game loads today, so the one this replaces.
      const older = root.installedVersions.filter((v) => isOlder(v, version)).sort((a, b) => (isOlder(a, b) ? 1 : isOlder(b, a) ? -1 : 0))[0];
      steps.push(older ? { action: 'update', name: root.name, from: older, version, release: root.release } : { action: 'install', name: root.name, version, release: root.release });
    }
  }
  for (const mod of mods) {
    if (mod.origin === 'portal' && mod.release) {
      const release = mod.release.payload;
      steps.push(mod.installedVersion ? { action: 'update', name: mod.name, from: mod.installedVersion, version: mod.version, release } : { action: 'install', name: mod.name, version: mod.version, release });
    } else if (mod.origin === 'installed') {
      steps.push({ action: 'keep', name: mod.name, version: mod.version, enable: true });
      kept.push({ name: mod.name, version: mod.version, origin: 'installed' });
    } else if (mod.origin === 'workspace' || mod.origin === 'builtin') {
      // The game's expansions (space-age, quality…) can be off in mod-list.json: a mod that
      // needs one loads only when it is on. `base` is always on.
      if (mod.origin === 'builtin' && mod.name !== 'base' && mod.name !== 'core') steps.push({ action: 'keep', name: mod.name, version: mod.version, enable: true });
      kept.push({ name: mod.name, version: mod.version, origin: mod.origin });
    }
  }
  return { plan: { folder, steps }, kept };
}

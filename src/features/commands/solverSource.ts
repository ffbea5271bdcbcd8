// The solver's view of the portal: a mod's releases with the dependencies of each (only
// `/full` has them), the portal's Release kept as the payload so the caller can download
// the chosen one. "The portal does not have it" and "the portal failed" stay apart: the
// first is an answer (undefined), the second an error, so a failure never reads as a
// missing mod.

import type { FullRecord } from '../../portal/cache';
import { isPortalError } from '../../portal/errors';
import type { FullModEntry, Release } from '../../portal/types';
import type { SolverRelease, SolverSource } from '../../model/solver';

export function solverReleases(mod: Pick<FullModEntry, 'releases'>): SolverRelease<Release>[] {
  return (mod.releases ?? []).map((release) => ({
    version: release.version,
    factorioVersion: release.info_json?.factorio_version ?? '',
    dependencies: release.info_json?.dependencies ?? [],
    payload: release,
  }));
}

/** Over the portal client's `getFullMod`, which rejects with a 'not-found' PortalError for a missing mod. */
export function clientSolverSource(getFullMod: (name: string, signal?: AbortSignal) => Promise<FullModEntry>): SolverSource<Release> {
  return {
    async releases(name, signal) {
      try {
        return solverReleases(await getFullMod(name, signal));
      } catch (error) {
        if (isPortalError(error) && error.kind === 'not-found') return undefined;
        throw error;
      }
    },
  };
}

/** Over the cache's `fetchFullMod`, which never rejects: 'unknown' carries the failure. */
export function cacheSolverSource(fetchFullMod: (name: string, options: { signal?: AbortSignal }) => Promise<FullRecord>): SolverSource<Release> {
  return {
    async releases(name, signal) {
      const record = await fetchFullMod(name, signal ? { signal } : {});
      if (record.state === 'found') return solverReleases(record.mod);
      if (record.state === 'missing') return undefined;
      throw record.error ?? new Error(`Could not read ${name} from the mod portal`);
    },
  };
}

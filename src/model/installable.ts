// Whether one dependency of an info.json can be installed for a Factorio version, from what
// the portal says of it: asked before Install asks the user anything, so a dependency that
// can never be installed is named at once, not after the questions.

import type { FullModEntry } from '../portal/types';
import { builtinAvailableIn, isBuiltinMod } from './builtins';
import { parseDependency, type ParsedDependency } from './dependency';
import { compatibleReleases, newestSatisfying } from './releases';

/** What the portal answered for one mod, as far as installing goes. */
export type PortalAnswer =
  | { state: 'found'; mod: Pick<FullModEntry, 'releases' | 'deprecated'> }
  | { state: 'missing' }
  /** No answer (offline, an error): the solver decides later, nothing is claimed now. */
  | { state: 'unknown' };

export type Installability =
  | { ok: true; deprecated: boolean }
  | { ok: false; reason: 'not-on-portal' | 'no-release' | 'no-satisfying-release' | 'builtin-unavailable' };

/**
 * Whether `dependency` can be installed for `factorioVersion`. Built-in mods and the
 * workspace's own mods (`isLocal`) need nothing from the portal; an unknown answer counts
 * as installable, so a failed request never reads as "impossible".
 */
export function installability(dependency: ParsedDependency, factorioVersion: string, answer: PortalAnswer, isLocal: (name: string) => boolean): Installability {
  const name = dependency.name?.text ?? '';
  if (isBuiltinMod(name)) return builtinAvailableIn(name, factorioVersion) === false ? { ok: false, reason: 'builtin-unavailable' } : { ok: true, deprecated: false };
  if (isLocal(name) || answer.state === 'unknown') return { ok: true, deprecated: false };
  if (answer.state === 'missing') return { ok: false, reason: 'not-on-portal' };
  const releases = answer.mod.releases ?? [];
  if (compatibleReleases(releases, factorioVersion).length === 0) return { ok: false, reason: 'no-release' };
  if (dependency.operator && dependency.version && !newestSatisfying(releases, [{ op: dependency.operator.value, bound: dependency.version.value }], factorioVersion)) {
    return { ok: false, reason: 'no-satisfying-release' };
  }
  return { ok: true, deprecated: answer.mod.deprecated === true };
}

/** The dependencies `keep` picks among those that parse, once per name, in their order. */
export function dependencyNames(texts: readonly string[], keep: (d: ParsedDependency) => boolean): ParsedDependency[] {
  const seen = new Set<string>();
  const out: ParsedDependency[] = [];
  for (const text of texts) {
    const parsed = parseDependency(text);
    const name = parsed.name?.text;
    if (!name || parsed.error || seen.has(name) || !keep(parsed)) continue;
    seen.add(name);
    out.push(parsed);
  }
  return out;
}

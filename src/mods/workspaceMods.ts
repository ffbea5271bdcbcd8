// The mods being developed in the workspace: every info.json is one, identified by its
// `name`. Kept up to date one file at a time (a watcher reports adds, edits and deletes),
// so a monorepo of a dozen mods never re-parses the others.

import { parseInfoJson } from '../model/document';

export interface WorkspaceMod {
  /** The info.json's path (or URI string): the key it is known by. */
  path: string;
  name: string;
  /** As written; undefined when missing or not a string. */
  version: string | undefined;
  factorioVersion: string | undefined;
  /** Raw dependency strings; undefined when there is no `dependencies` array (the game assumes `["base"]`). */
  dependencies: readonly string[] | undefined;
}

export interface DuplicateMod {
  name: string;
  /** Sorted; the first is the one byName() returns. */
  paths: string[];
}

/** What one update did to the set of names, so a caller refreshes only what depends on them. */
export interface WorkspaceModsChange {
  /** Names whose mod appeared, disappeared or changed (version, factorio_version, dependencies, path). */
  names: string[];
}

function sameMod(a: WorkspaceMod | undefined, b: WorkspaceMod | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.name === b.name &&
    a.version === b.version &&
    a.factorioVersion === b.factorioVersion &&
    JSON.stringify(a.dependencies) === JSON.stringify(b.dependencies)
  );
}

/** The local mod an info.json text describes; undefined when it has no usable `name`. */
export function workspaceModFromText(path: string, text: string): WorkspaceMod | undefined {
  const doc = parseInfoJson(text);
  if (doc.modName === undefined || doc.modName.trim() === '') return undefined;
  return {
    path,
    name: doc.modName,
    version: doc.modVersion,
    factorioVersion: doc.factorioVersion,
    dependencies: doc.dependencies?.isArray ? doc.dependencies.items.flatMap((i) => (i.value === undefined ? [] : [i.value])) : undefined,
  };
}

export class WorkspaceMods {
  private readonly byPath = new Map<string, WorkspaceMod>();
  private readonly pathsByName = new Map<string, Set<string>>();

  /** A model of a whole workspace at once: `[path, text]` for each info.json. */
  static from(files: Iterable<readonly [path: string, text: string]>): WorkspaceMods {
    const mods = new WorkspaceMods();
    for (const [path, text] of files) mods.set(path, text);
    return mods;
  }

  /** Adds or updates the mod of one info.json (a text without a name removes it). */
  set(path: string, text: string): WorkspaceModsChange {
    const next = workspaceModFromText(path, text);
    const previous = this.byPath.get(path);
    if (sameMod(previous, next)) {
      if (next) this.byPath.set(path, next);
      return { names: [] };
    }
    if (previous) this.unindex(previous);
    if (next) {
      this.byPath.set(path, next);
      let paths = this.pathsByName.get(next.name);
      if (!paths) this.pathsByName.set(next.name, (paths = new Set()));
      paths.add(path);
    }
    return { names: [...new Set([previous?.name, next?.name].filter((n): n is string => n !== undefined))] };
  }

  /** Forgets a deleted info.json. */
  delete(path: string): WorkspaceModsChange {
    const previous = this.byPath.get(path);
    if (!previous) return { names: [] };
    this.unindex(previous);
    return { names: [previous.name] };
  }

  /** Forgets every info.json under a folder (a workspace folder removed). */
  deleteUnder(prefix: string): WorkspaceModsChange {
    const names = new Set<string>();
    for (const path of [...this.byPath.keys()]) {
      if (path.startsWith(prefix)) for (const n of this.delete(path).names) names.add(n);
    }
    return { names: [...names] };
  }

  private unindex(mod: WorkspaceMod): void {
    this.byPath.delete(mod.path);
    const paths = this.pathsByName.get(mod.name);
    paths?.delete(mod.path);
    if (paths?.size === 0) this.pathsByName.delete(mod.name);
  }

  get(path: string): WorkspaceMod | undefined {
    return this.byPath.get(path);
  }

  /** The local mod of that name; with duplicates, the one whose path sorts first. */
  byName(name: string): WorkspaceMod | undefined {
    const paths = this.pathsByName.get(name);
    if (!paths) return undefined;
    const first = [...paths].sort()[0];
    return this.byPath.get(first);
  }

  has(name: string): boolean {
    return this.pathsByName.has(name);
  }

  /** Every local mod, by name then path. */
  all(): WorkspaceMod[] {
    return [...this.byPath.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Names claimed by more than one info.json. */
  duplicates(): DuplicateMod[] {
    const out: DuplicateMod[] = [];
    for (const [name, paths] of this.pathsByName) if (paths.size > 1) out.push({ name, paths: [...paths].sort() });
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get size(): number {
    return this.byPath.size;
  }
}

// What goes into a mod's zip: the mod's folder walked in a fixed order, less what a
// release never carries (dot-files, version control, earlier zips of the mod) and what
// info.json's `package.ignore` names, plus `package.extra`. The keys are FMTK's, read the
// way FMTK reads them, so a project set up for it packages the same files here.

import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

/** One `package.extra` source: files under `root` (relative to the mod folder) matching `glob`, less `ignore`. */
export interface ExtraSource {
  root: string;
  glob?: string;
  ignore?: readonly string[];
}

/** FMTK's `package` keys of an info.json, checked: anything of another shape is a problem, not a guess. */
export interface PackageKeys {
  ignore: string[];
  extra: ExtraSource[];
  /** What in the keys was not understood (shown in the preview). */
  problems: string[];
}

export type ExclusionReason = 'dot' | 'vcs' | 'earlier-zip' | 'ignore' | 'duplicate' | 'missing' | 'special' | 'unreadable';

export interface Exclusion {
  /** Relative to the mod folder ('/'-separated); for an extra source, its own path as written. */
  path: string;
  reason: ExclusionReason;
  directory: boolean;
  /** The `package.ignore` glob that named it. */
  glob?: string;
}

export interface PackageEntry {
  /** Inside the zip's top folder, '/'-separated. */
  path: string;
  /** The file on disk. */
  source: string;
  size: number;
}

export interface PackagePlan {
  name: string;
  version: string;
  /** `<name>_<version>`: the zip's one top folder. */
  top: string;
  /** `<name>_<version>.zip`. */
  zipName: string;
  /** Sorted by path; info.json is one of them. */
  entries: PackageEntry[];
  excluded: Exclusion[];
  totalBytes: number;
  problems: string[];
}

/** Folders and files of version control systems (most are dot-named too; they get their own reason). */
const VCS = new Set(['.git', '.svn', '.hg', '.bzr', 'CVS', '_darcs', '.gitignore', '.gitattributes', '.gitmodules', '.hgignore', '.hgtags']);

/** Compares by UTF-16 code units: the same names in any locale give the same order. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads FMTK's `package` object from parsed info.json data; an absent key is empty. */
export function packageKeys(info: unknown): PackageKeys {
  const keys: PackageKeys = { ignore: [], extra: [], problems: [] };
  const pkg = typeof info === 'object' && info !== null ? (info as Record<string, unknown>).package : undefined;
  if (pkg === undefined) return keys;
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) {
    keys.problems.push('"package" is not an object: ignored');
    return keys;
  }
  const { ignore, extra } = pkg as Record<string, unknown>;
  if (ignore !== undefined) {
    if (Array.isArray(ignore) && ignore.every((g) => typeof g === 'string')) keys.ignore = ignore.filter((g) => g !== '');
    else keys.problems.push('"package.ignore" is not a list of globs: ignored');
  }
  if (extra !== undefined) {
    if (!Array.isArray(extra)) keys.problems.push('"package.extra" is not a list: ignored');
    else {
      for (const item of extra) {
        const source = extraSource(item);
        if (source) keys.extra.push(source);
        else keys.problems.push(`"package.extra" entry ${JSON.stringify(item).slice(0, 80)} is neither a path nor {"root": …}: ignored`);
      }
    }
  }
  return keys;
}

function extraSource(item: unknown): ExtraSource | undefined {
  // A bare path is this extension's shorthand for {"root": path}.
  if (typeof item === 'string') return item.trim() === '' ? undefined : { root: item };
  if (typeof item !== 'object' || item === null) return undefined;
  const { root, glob, ignore } = item as Record<string, unknown>;
  if (typeof root !== 'string' || root.trim() === '') return undefined;
  if (glob !== undefined && typeof glob !== 'string') return undefined;
  if (ignore !== undefined && !(Array.isArray(ignore) && ignore.every((g) => typeof g === 'string'))) return undefined;
  return { root, ...(glob !== undefined ? { glob } : {}), ...(ignore !== undefined ? { ignore: ignore as string[] } : {}) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface WalkRules {
  /** Why a path (relative to the walk's root) is left out, if it is. */
  exclude(rel: string, isDir: boolean, base: string): Pick<Exclusion, 'reason' | 'glob'> | undefined;
  /** For extras: only these files (a glob) go in. */
  include?(rel: string): boolean;
}

interface WalkOutput {
  files: { rel: string; source: string; size: number }[];
  excluded: Exclusion[];
}

async function entriesOf(dir: string): Promise<Dirent[] | undefined> {
  try {
    return (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => byCodeUnits(a.name, b.name));
  } catch {
    return undefined;
  }
}

/**
 * Walks `root` depth first, children in code-unit order. Symbolic links are followed
 * (a mod may link a shared library in), a folder already on the way down is not entered
 * twice, and anything that is neither file nor folder is left out.
 */
async function walk(root: string, rules: WalkRules, out: WalkOutput, labelPrefix: string): Promise<void> {
  const ancestors = new Set<string>();
  const visit = async (dir: string, rel: string): Promise<void> => {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch {
      out.excluded.push({ path: labelPrefix + rel, reason: 'unreadable', directory: true });
      return;
    }
    if (ancestors.has(real)) {
      out.excluded.push({ path: labelPrefix + rel, reason: 'special', directory: true });
      return;
    }
    const children = await entriesOf(dir);
    if (!children) {
      out.excluded.push({ path: labelPrefix + rel, reason: 'unreadable', directory: true });
      return;
    }
    ancestors.add(real);
    for (const child of children) {
      const childRel = rel === '' ? child.name : `${rel}/${child.name}`;
      const full = path.join(dir, child.name);
      let isDir = child.isDirectory();
      let isFile = child.isFile();
      let size = 0;
      if (child.isSymbolicLink() || isFile) {
        try {
          const stat = await fs.stat(full);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
          size = stat.size;
        } catch {
          out.excluded.push({ path: labelPrefix + childRel, reason: 'unreadable', directory: false });
          continue;
        }
      }
      const why = rules.exclude(childRel, isDir, child.name);
      if (why) {
        out.excluded.push({ path: labelPrefix + childRel, directory: isDir, ...why });
        continue;
      }
      if (isDir) await visit(full, childRel);
      else if (isFile) {
        if (!rules.include || rules.include(childRel)) out.files.push({ rel: childRel, source: full, size });
      } else out.excluded.push({ path: labelPrefix + childRel, reason: 'special', directory: false });
    }
    ancestors.delete(real);
  };
  await visit(root, '');
}

/** The rule every source shares: dot-names, version control, earlier zips of this mod. */
function alwaysLeftOut(name: string, earlierZip: RegExp, isDir: boolean): Pick<Exclusion, 'reason'> | undefined {
  if (VCS.has(name)) return { reason: 'vcs' };
  if (name.startsWith('.')) return { reason: 'dot' };
  if (!isDir && earlierZip.test(name)) return { reason: 'earlier-zip' };
  return undefined;
}

function globMatcher(globs: readonly string[]): ((rel: string, isDir: boolean) => string | undefined) {
  const matchers = globs.map((glob) => ({ glob, test: picomatch(glob, { dot: true }) }));
  return (rel, isDir) => matchers.find((m) => m.test(rel) || (isDir && m.test(`${rel}/`)))?.glob;
}

export interface PlanOptions {
  /** The mod's folder: the one holding info.json. */
  folder: string;
  name: string;
  version: string;
  keys: PackageKeys;
}

/**
 * What `<name>_<version>.zip` would hold, read from disk now. info.json is always in
 * (the zip is nothing without it), whatever the globs say.
 */
export async function planPackage(options: PlanOptions): Promise<PackagePlan> {
  const { folder, name, version, keys } = options;
  const earlierZip = new RegExp(`^${escapeRegExp(name)}_.*\\.zip$`, 'i');
  const ignored = globMatcher(keys.ignore);
  const out: WalkOutput = { files: [], excluded: [] };
  await walk(
    folder,
    {
      exclude: (rel, isDir, base) => {
        if (rel === 'info.json') return undefined;
        const always = alwaysLeftOut(base, earlierZip, isDir);
        if (always) return always;
        const glob = ignored(rel, isDir);
        return glob !== undefined ? { reason: 'ignore', glob } : undefined;
      },
    },
    out,
    '',
  );
  const byPath = new Map(out.files.map((f) => [f.rel, f]));
  const excluded = [...out.excluded];
  for (const extra of keys.extra) {
    const root = path.resolve(folder, extra.root);
    const label = `${extra.root.replace(/\\/g, '/').replace(/\/+$/, '')}/`;
    let stat;
    try {
      stat = await fs.stat(root);
    } catch {
      excluded.push({ path: extra.root, reason: 'missing', directory: false });
      continue;
    }
    const extraOut: WalkOutput = { files: [], excluded: [] };
    if (stat.isFile()) {
      // A single file goes to the top folder under its own name.
      extraOut.files.push({ rel: path.basename(root), source: root, size: stat.size });
    } else if (stat.isDirectory()) {
      const include = picomatch(extra.glob ?? '**');
      const ignore = globMatcher(extra.ignore ?? []);
      await walk(
        root,
        {
          exclude: (rel, isDir, base) => {
            const always = alwaysLeftOut(base, earlierZip, isDir);
            if (always) return always;
            const glob = ignore(rel, isDir);
            return glob !== undefined ? { reason: 'ignore', glob } : undefined;
          },
          include: (rel) => include(rel),
        },
        extraOut,
        label,
      );
    } else {
      excluded.push({ path: extra.root, reason: 'special', directory: false });
      continue;
    }
    excluded.push(...extraOut.excluded);
    for (const file of extraOut.files) {
      // The mod's own file wins: two entries of one name would make a zip the game reads either way.
      if (byPath.has(file.rel)) excluded.push({ path: label + file.rel, reason: 'duplicate', directory: false });
      else byPath.set(file.rel, file);
    }
  }
  const entries = [...byPath.values()]
    .map((f): PackageEntry => ({ path: f.rel, source: f.source, size: f.size }))
    .sort((a, b) => byCodeUnits(a.path, b.path));
  return {
    name,
    version,
    top: `${name}_${version}`,
    zipName: `${name}_${version}.zip`,
    entries,
    excluded: excluded.sort((a, b) => byCodeUnits(a.path, b.path)),
    totalBytes: entries.reduce((sum, e) => sum + e.size, 0),
    problems: [...keys.problems],
  };
}

/** Every folder the entries sit in (without the top folder), sorted. */
export function foldersOf(entries: readonly PackageEntry[]): string[] {
  const folders = new Set<string>();
  for (const entry of entries) {
    let at = entry.path.lastIndexOf('/');
    while (at > 0) {
      const folder = entry.path.slice(0, at);
      if (folders.has(folder)) break;
      folders.add(folder);
      at = folder.lastIndexOf('/');
    }
  }
  return [...folders].sort(byCodeUnits);
}

// Factorio's mods folder as the game sees it: zips and folders identified by the name and
// version inside their info.json, and mod-list.json saying which are enabled. Everything
// in the folder is untrusted: an unreadable entry is reported and the scan goes on.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseInfoJson } from '../model/document';
import { parseModVersion, sortNewestFirst } from '../model/version';
import { MAX_INFO_JSON_BYTES, readZipInfoJson } from './zipInfo';
import { readModList, ModList } from './modList';
import { messageOf } from '../util/errors';
import { mapLimited } from '../util/limit';
import { readCappedText } from '../util/readCapped';

export type { ModList, ModListEntry } from './modList';

export interface InstalledMod {
  /** From its info.json. */
  name: string;
  /** From its info.json. */
  version: string;
  factorioVersion: string | undefined;
  /** Raw dependency strings; undefined when info.json has no `dependencies` (the game then assumes `["base"]`). */
  dependencies: readonly string[] | undefined;
  title: string | undefined;
  kind: 'zip' | 'folder';
  /** Full path of the zip or folder in the mods folder. */
  path: string;
  /** Its name in the mods folder, e.g. `flib_0.16.2.zip`. */
  fileName: string;
  /** The folder entry is a symbolic link (or junction), as mod authors use for a working copy. */
  symlink: boolean;
  /**
   * The file name does not match the info.json: a zip not named `<name>_<version>.zip`
   * (the game refuses it), a folder named neither `<name>_<version>` nor `<name>`.
   */
  nameMismatch: boolean;
}

export interface UnreadableEntry {
  path: string;
  fileName: string;
  reason: string;
}

export interface ModsFolderScan {
  folder: string;
  /** False when the folder does not exist: a normal state (Factorio never started, or another place configured). */
  exists: boolean;
  /** Sorted by name, then newest version first. */
  mods: InstalledMod[];
  unreadable: UnreadableEntry[];
  modList: ModList;
}

/** Files the game keeps in the folder that are not mods. */
const NOT_MODS = new Set(['mod-list.json', 'mod-settings.dat', 'mod-list.json.bak']);
/** Zips and folders read at once: enough to hide latency, few enough to leave file handles for others. */
const PARALLEL_READS = 8;

interface Identity {
  name: string;
  version: string;
  factorioVersion: string | undefined;
  dependencies: readonly string[] | undefined;
  title: string | undefined;
}

/** The identity a mod folder's or zip's info.json gives, or why it gives none. */
export function identityFromInfoJson(text: string): Identity | { reason: string } {
  const doc = parseInfoJson(text);
  if (!doc.root) return { reason: 'info.json is not a JSON object' };
  const syntax = doc.syntaxErrors[0];
  if (syntax) return { reason: `info.json: ${syntax.message}` };
  // The game reads strict JSON: what an editor tolerates keeps the mod from loading.
  if (doc.comments.length > 0) return { reason: 'info.json has comments, which the game rejects' };
  if (doc.trailingCommas.length > 0) return { reason: 'info.json has a trailing comma, which the game rejects' };
  if (doc.modName === undefined || doc.modName === '') return { reason: 'info.json has no "name"' };
  if (doc.modVersion === undefined || !parseModVersion(doc.modVersion)) return { reason: `info.json of ${doc.modName} has no valid "version"` };
  const title = doc.fields.get('title')?.value;
  return {
    name: doc.modName,
    version: doc.modVersion,
    factorioVersion: doc.factorioVersion,
    dependencies: doc.dependencies?.isArray ? doc.dependencies.items.flatMap((item) => (item.value === undefined ? [] : [item.value])) : undefined,
    title: typeof title === 'string' ? title : undefined,
  };
}

/** Why a folder entry could not be read, in the words a user knows. */
function fileReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return messageOf(err);
}

async function readEntry(folder: string, fileName: string): Promise<InstalledMod | UnreadableEntry | undefined> {
  const full = path.join(folder, fileName);
  let symlink = false;
  let isDir = false;
  let isFile = false;
  try {
    const link = await fs.lstat(full);
    symlink = link.isSymbolicLink();
    const target = symlink ? await fs.stat(full) : link;
    isDir = target.isDirectory();
    isFile = target.isFile();
  } catch (err) {
    return { path: full, fileName, reason: symlink ? `broken link: ${fileReason(err)}` : fileReason(err) };
  }

  let text: string;
  let kind: InstalledMod['kind'];
  if (isFile && fileName.toLowerCase().endsWith('.zip')) {
    const read = await readZipInfoJson(full);
    if (!read.ok) return { path: full, fileName, reason: read.reason };
    text = read.text;
    kind = 'zip';
  } else if (isDir) {
    try {
      text = await readCappedText(path.join(full, 'info.json'), MAX_INFO_JSON_BYTES, 'info.json');
    } catch (err) {
      // A folder without info.json is not a mod (a backup, a tool's folder): not worth a report.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return { path: full, fileName, reason: `info.json: ${fileReason(err)}` };
    }
    kind = 'folder';
  } else {
    return undefined;
  }

  const identity = identityFromInfoJson(text);
  if ('reason' in identity) return { path: full, fileName, reason: identity.reason };
  const expected = `${identity.name}_${identity.version}`;
  const nameMismatch = kind === 'zip' ? fileName !== `${expected}.zip` : fileName !== expected && fileName !== identity.name;
  return { ...identity, kind, path: full, fileName, symlink, nameMismatch };
}

/** Reads a mods folder. Never throws: a missing folder gives `exists: false`, a bad entry lands in `unreadable`. */
export async function readModsFolder(folder: string): Promise<ModsFolderScan> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const modList = await readModList(folder);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { folder, exists: false, mods: [], unreadable: [], modList };
    return { folder, exists: true, mods: [], unreadable: [{ path: folder, fileName: '', reason: fileReason(err) }], modList };
  }
  const candidates = names.filter((n) => !NOT_MODS.has(n) && !n.startsWith('.')).sort();
  const [entries, modList] = await Promise.all([mapLimited(candidates, PARALLEL_READS, (n) => readEntry(folder, n)), readModList(folder)]);
  const mods: InstalledMod[] = [];
  const unreadable: UnreadableEntry[] = [];
  for (const entry of entries) {
    if (!entry) continue;
    if ('reason' in entry) unreadable.push(entry);
    else mods.push(entry);
  }
  // Name first, then newest first (a stable sort keeps the version order within a name).
  const sorted = sortNewestFirst(mods, (m) => m.version).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { folder, exists: true, mods: sorted, unreadable, modList };
}

/** Every installed copy of a mod, newest version first. */
export function installedVersions(scan: ModsFolderScan, name: string): InstalledMod[] {
  return scan.mods.filter((m) => m.name === name);
}

/**
 * Factorio's user data folders on a platform, most likely first: where `mods/` and
 * `player-data.json` live. A pure function of its arguments (paths use the target
 * platform's separators whatever this machine is); the caller picks the first that exists.
 * Linux lists the Flatpak Steam location after the native one.
 */
export function factorioDataFolderCandidates(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, home: string): string[] {
  if (platform === 'win32') {
    const appData = env.APPDATA !== undefined && env.APPDATA !== '' ? env.APPDATA : path.win32.join(home, 'AppData', 'Roaming');
    return [path.win32.join(appData, 'Factorio')];
  }
  if (platform === 'darwin') return [path.posix.join(home, 'Library', 'Application Support', 'factorio')];
  return [path.posix.join(home, '.factorio'), path.posix.join(home, '.var', 'app', 'com.valvesoftware.Steam', '.factorio')];
}

/** The most likely user data folder (see factorioDataFolderCandidates). */
export function defaultFactorioDataFolder(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, home: string): string {
  return factorioDataFolderCandidates(platform, env, home)[0];
}

/** The mods folders to try, in order: `mods/` inside each data folder candidate. */
export function defaultModsFolderCandidates(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, home: string): string[] {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return factorioDataFolderCandidates(platform, env, home).map((folder) => join(folder, 'mods'));
}

export interface ModsFolderChoice {
  folder: string;
  /** Where the path came from. */
  source: 'setting' | 'default';
}

/**
 * The mods folder to use: the configured one (a leading `~` is the home folder), else the
 * first default candidate that exists, else the first candidate (so a fresh machine still
 * gets a place, reported by readModsFolder as missing). `isFolder` is the only file
 * system access, injected so this stays a pure function.
 */
export function chooseModsFolder(
  configured: string | undefined,
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
  isFolder: (p: string) => boolean,
): ModsFolderChoice {
  const setting = configured?.trim() ?? '';
  if (setting !== '') return { folder: setting.replace(/^~(?=$|[\\/])/, home), source: 'setting' };
  const candidates = defaultModsFolderCandidates(platform, env, home);
  return { folder: candidates.find(isFolder) ?? candidates[0], source: 'default' };
}

// Where the cache keeps its files. Writes go through writeFileAtomic (src/util), so a
// crash or a second VS Code window never leaves a half written file under the real name.

import { createHash } from 'node:crypto';
import { mkdirSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';

export interface CacheStorage {
  read(key: string): Promise<string | undefined>;
  write(key: string, data: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Binary files, for what is faster to save than to recompute; optional. */
  readBytes?(key: string): Promise<Uint8Array | undefined>;
  writeBytes?(key: string, data: Uint8Array): Promise<void>;
  /**
   * `length` bytes at `position` of a binary file, or undefined when the file is gone or
   * shorter: a mod's details, a line of a file written before.
   */
  readRange?(key: string, position: number, length: number): Promise<Uint8Array | undefined>;
  /** The keys stored, for tidying files nothing names any more; optional. */
  list?(): Promise<string[]>;
}

function checkKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key)) throw new Error(`Invalid cache key: ${JSON.stringify(key)}`);
}

export class FileCacheStorage implements CacheStorage {
  constructor(readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch {
      // Reported by the first write, which tries again; a cache must not stop the extension.
    }
  }

  read(key: string): Promise<string | undefined> {
    return this.readFile(key, 'utf8');
  }

  readBytes(key: string): Promise<Uint8Array | undefined> {
    return this.readFile(key, null);
  }

  write(key: string, data: string): Promise<void> {
    return this.writeFile(key, data);
  }

  writeBytes(key: string, data: Uint8Array): Promise<void> {
    return this.writeFile(key, data);
  }

  async readRange(key: string, position: number, length: number): Promise<Uint8Array | undefined> {
    checkKey(key);
    let file: fs.FileHandle;
    try {
      file = await fs.open(path.join(this.dir, key), 'r');
    } catch {
      return undefined;
    }
    try {
      const buffer = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await file.read(buffer, read, length - read, position + read);
        if (bytesRead === 0) return undefined;
        read += bytesRead;
      }
      return buffer;
    } catch {
      return undefined;
    } finally {
      await file.close().catch(() => undefined);
    }
  }

  async list(): Promise<string[]> {
    try {
      return (await fs.readdir(this.dir, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
    } catch {
      return [];
    }
  }

  private async readFile(key: string, encoding: 'utf8'): Promise<string | undefined>;
  private async readFile(key: string, encoding: null): Promise<Uint8Array | undefined>;
  private async readFile(key: string, encoding: 'utf8' | null): Promise<string | Uint8Array | undefined> {
    checkKey(key);
    try {
      return await fs.readFile(path.join(this.dir, key), encoding === null ? null : encoding);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  private async writeFile(key: string, data: string | Uint8Array): Promise<void> {
    checkKey(key);
    // The folder may have been removed (a user cleaning up) since construction.
    await fs.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(path.join(this.dir, key), data);
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await fs.rm(path.join(this.dir, key), { force: true });
  }
}

/** Keeps everything in memory: for tests, and when no storage folder is available. */
export class MemoryCacheStorage implements CacheStorage {
  readonly files = new Map<string, string | Uint8Array>();

  async read(key: string): Promise<string | undefined> {
    const data = this.files.get(key);
    return typeof data === 'string' ? data : undefined;
  }

  async write(key: string, data: string): Promise<void> {
    this.files.set(key, data);
  }

  async readBytes(key: string): Promise<Uint8Array | undefined> {
    const data = this.files.get(key);
    return data instanceof Uint8Array ? data : undefined;
  }

  async writeBytes(key: string, data: Uint8Array): Promise<void> {
    this.files.set(key, data.slice());
  }

  async readRange(key: string, position: number, length: number): Promise<Uint8Array | undefined> {
    const data = this.files.get(key);
    return data instanceof Uint8Array && position + length <= data.length ? data.subarray(position, position + length) : undefined;
  }

  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }

  async delete(key: string): Promise<void> {
    this.files.delete(key);
  }
}

// ---- per-portal folders ----

/** Each portal URL's files live in folders named by a hash of the URL, so portals never mix. */
const PORTAL_FOLDER = /^(?:portal|explorer)-[0-9a-f]{12}$/;
/** Holds the time a folder was last taken into use, as milliseconds since the epoch. */
export const LAST_USED_FILE = 'last-used';
export const UNUSED_FOLDER_MAX_AGE_MS = 30 * 86_400_000;

/** The folders a portal URL's data lives in: the cache's and the mod explorer's. */
export function portalFolderNames(url: string): string[] {
  const hash = createHash('sha1').update(url).digest('hex').slice(0, 12);
  return [`portal-${hash}`, `explorer-${hash}`];
}

export interface FolderUse {
  name: string;
  /** When the folder was last used, or undefined when that cannot be told. */
  lastUsedAt: number | undefined;
}

/**
 * The per-portal folders not used for `maxAgeMs`. Folders of other shapes, those in
 * `keep`, and those whose last use cannot be told are never chosen.
 */
export function unusedPortalFolders(folders: readonly FolderUse[], now: number, maxAgeMs: number, keep: ReadonlySet<string>): string[] {
  return folders
    .filter((f) => PORTAL_FOLDER.test(f.name) && !keep.has(f.name) && f.lastUsedAt !== undefined && now - f.lastUsedAt > maxAgeMs)
    .map((f) => f.name);
}

/**
 * When a folder was last used: its last-used mark or its newest file, whichever is later
 * (a window that stays open for weeks keeps writing its cache without marking again).
 */
async function lastUse(dir: string): Promise<number | undefined> {
  let latest: number | undefined;
  const later = (t: number | undefined): void => {
    if (t !== undefined && Number.isFinite(t) && (latest === undefined || t > latest)) latest = t;
  };
  try {
    later(Number((await fs.readFile(path.join(dir, LAST_USED_FILE), 'utf8')).trim()) || undefined);
  } catch {
    // No mark: folders from before marks existed are dated by their files.
  }
  try {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (entry.isFile()) later((await fs.stat(path.join(dir, entry.name))).mtimeMs);
    }
  } catch {
    return latest;
  }
  return latest;
}

export interface TidyOptions {
  /** The portal in use now: its folders are marked used and kept. */
  url: string;
  clock?: { now(): number };
  maxAgeMs?: number;
}

/**
 * Marks the folders of the portal in use, and removes the folders of portals not used for
 * `maxAgeMs` (30 days): a test portal or an old mirror should not keep megabytes forever.
 * Returns the names removed. Never throws: a folder that cannot be read or removed stays.
 */
export async function tidyPortalFolders(root: string, options: TidyOptions): Promise<string[]> {
  const now = (options.clock ?? { now: () => Date.now() }).now();
  const current = portalFolderNames(options.url);
  for (const name of current) {
    const dir = path.join(root, name);
    try {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, LAST_USED_FILE), String(now));
    } catch {
      // Without a mark the folder is dated by its files; nothing is lost.
    }
  }
  let names: string[];
  try {
    names = (await fs.readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && PORTAL_FOLDER.test(e.name)).map((e) => e.name);
  } catch {
    return [];
  }
  const uses: FolderUse[] = [];
  for (const name of names) uses.push({ name, lastUsedAt: await lastUse(path.join(root, name)) });
  const removed: string[] = [];
  for (const name of unusedPortalFolders(uses, now, options.maxAgeMs ?? UNUSED_FOLDER_MAX_AGE_MS, new Set(current))) {
    try {
      await fs.rm(path.join(root, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Perhaps in use by another window right now; tried again next time.
    }
  }
  return removed;
}

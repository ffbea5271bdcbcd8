// Where the cache keeps its files. Writes go to a temporary file in the same folder and
// are renamed into place, so a crash or a second VS Code window never leaves a half
// written file under the real name.

import { randomBytes } from 'node:crypto';
import { mkdirSync, promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface CacheStorage {
  read(key: string): Promise<string | undefined>;
  write(key: string, data: string): Promise<void>;
  delete(key: string): Promise<void>;
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

  async read(key: string): Promise<string | undefined> {
    checkKey(key);
    try {
      return await fs.readFile(path.join(this.dir, key), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async write(key: string, data: string): Promise<void> {
    checkKey(key);
    const target = path.join(this.dir, key);
    const temp = path.join(this.dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    // The folder may have been removed (a user cleaning up) since construction.
    await fs.mkdir(this.dir, { recursive: true });
    try {
      await fs.writeFile(temp, data, 'utf8');
      await fs.rename(temp, target);
    } catch (e) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await fs.rm(path.join(this.dir, key), { force: true });
  }
}

/** Keeps everything in memory: for tests, and when no storage folder is available. */
export class MemoryCacheStorage implements CacheStorage {
  readonly files = new Map<string, string>();

  async read(key: string): Promise<string | undefined> {
    return this.files.get(key);
  }

  async write(key: string, data: string): Promise<void> {
    this.files.set(key, data);
  }

  async delete(key: string): Promise<void> {
    this.files.delete(key);
  }
}

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
  /** Binary files, for what is faster to save than to recompute; optional. */
  readBytes?(key: string): Promise<Uint8Array | undefined>;
  writeBytes?(key: string, data: Uint8Array): Promise<void>;
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
    const target = path.join(this.dir, key);
    const temp = path.join(this.dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    // The folder may have been removed (a user cleaning up) since construction.
    await fs.mkdir(this.dir, { recursive: true });
    try {
      await fs.writeFile(temp, data);
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

  async delete(key: string): Promise<void> {
    this.files.delete(key);
  }
}

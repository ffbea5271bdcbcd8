// The test data builders the unit tests share: portal records, releases, a clock, and
// the repository's fixtures. One home, so a change to a record's shape is made once.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { CacheStorage } from '../../src/portal/storage';
import type { FullModEntry, ModEntry, Release } from '../../src/portal/types';

/** test/fixtures, inside the repository (no test reads a path outside it). */
export const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** A fixture's text, by its path below test/fixtures. */
export function fixtureText(...parts: string[]): string {
  return readFileSync(path.join(FIXTURES, ...parts), 'utf8');
}

/** A fixture's parsed JSON, by its path below test/fixtures. */
export function fixtureJson(...parts: string[]): unknown {
  return JSON.parse(fixtureText(...parts)) as unknown;
}

/** A release of mod `x` as the portal describes one; `dependencies` as /full gives them. */
export function release(version: string, factorioVersion: string, dependencies?: string[]): Release {
  return {
    download_url: `/download/x/${version}`,
    file_name: `x_${version}.zip`,
    info_json: dependencies === undefined ? { factorio_version: factorioVersion } : { factorio_version: factorioVersion, dependencies },
    released_at: '2025-01-01T00:00:00.000000Z',
    version,
    sha1: '0'.repeat(40),
  };
}

/** A mod list entry: the required keys filled, `fields` on top. */
export function modEntry(name: string, fields: Partial<ModEntry> = {}): ModEntry {
  return { name, title: name, owner: 'o', summary: '', downloads_count: 1, ...fields };
}

/** A full record (/full): the required keys filled, `fields` on top. */
export function fullModEntry(name: string, fields: Partial<FullModEntry> = {}): FullModEntry {
  return { ...modEntry(name), ...fields };
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** `storage`, counting the calls of each of its methods by name. */
export function countingStorage(storage: CacheStorage): { storage: CacheStorage; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(storage, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { storage: proxy, calls };
}

const SYNC_READS = ['readSync', 'openSync', 'readFileSync', 'statSync', 'fstatSync', 'existsSync', 'readdirSync'] as const;

/**
 * Runs `work`, counting the synchronous file reads made meanwhile at node:fs itself (the
 * module object every importer calls through), so none can hide behind a storage.
 */
export async function countingSyncReads(work: () => Promise<void>): Promise<number> {
  const fs = createRequire(__filename)('node:fs') as Record<string, (...args: unknown[]) => unknown>;
  const originals = SYNC_READS.map((name) => fs[name]!);
  let count = 0;
  SYNC_READS.forEach((name, i) => {
    fs[name] = (...args: unknown[]) => (count++, originals[i]!(...args));
  });
  try {
    await work();
  } finally {
    SYNC_READS.forEach((name, i) => {
      fs[name] = originals[i]!;
    });
  }
  return count;
}

// What this extension installed into which mods folder, kept in its own storage, so a
// later run updates or removes exactly those files and never a mod the user put there.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../util/errors';
import { writeFileAtomic } from '../util/atomicWrite';

export const INSTALL_RECORD_FILE = 'installed-mods.json';

export interface InstalledByUs {
  name: string;
  version: string;
  /** The zip's file name inside `folder`. */
  file: string;
  /** Lower-case hex. */
  sha1: string;
  /** ISO 8601. */
  installedAt: string;
  /** The mods folder, as given to the install. */
  folder: string;
}

export interface InstallRecord {
  installs: InstalledByUs[];
}

export interface InstallRecordRead {
  record: InstallRecord;
  /** Set when a record existed but could not be read; the record is then empty. */
  problem?: string;
}

function isEntry(value: unknown): value is InstalledByUs {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['name', 'version', 'file', 'sha1', 'installedAt', 'folder'].every((k) => typeof v[k] === 'string');
}

/** The record in `storageFolder`. Never throws: a missing record is empty, a malformed one is empty and reported. */
export async function readInstallRecord(storageFolder: string): Promise<InstallRecordRead> {
  let text: string;
  try {
    text = await fs.readFile(path.join(storageFolder, INSTALL_RECORD_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { record: { installs: [] } };
    return { record: { installs: [] }, problem: `${INSTALL_RECORD_FILE}: ${messageOf(err)}` };
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    const installs = (parsed as { installs?: unknown } | null)?.installs;
    if (!Array.isArray(installs)) throw new Error('no "installs" array');
    const good = installs.filter(isEntry);
    const dropped = installs.length - good.length;
    return { record: { installs: good }, ...(dropped > 0 ? { problem: `${INSTALL_RECORD_FILE}: ${dropped} malformed entries ignored` } : {}) };
  } catch (err) {
    return { record: { installs: [] }, problem: `${INSTALL_RECORD_FILE} is malformed and was ignored: ${messageOf(err)}` };
  }
}

export async function writeInstallRecord(storageFolder: string, record: InstallRecord): Promise<void> {
  await fs.mkdir(storageFolder, { recursive: true });
  await writeFileAtomic(path.join(storageFolder, INSTALL_RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
}

/** Folders compare by their resolved path, so `~/x/` and `~/x` are one folder. */
export function sameFolder(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** The record's entry for a mod version in a folder, if this extension installed it. */
export function findInstall(record: InstallRecord, folder: string, name: string, version: string): InstalledByUs | undefined {
  return record.installs.find((e) => e.name === name && e.version === version && sameFolder(e.folder, folder));
}

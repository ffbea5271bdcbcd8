// What this extension installed into which mods folder, kept in its own storage, so a
// later run updates or removes exactly those files and never a mod the user put there.
// An install under way is in the record too (`pending`), so one a crash cut short is
// finished or undone on the next start (see installRecovery.ts).

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { messageOf } from '../util/errors';

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

/** A downloaded file waiting under its temporary name for the install to commit. */
export interface StagedFile {
  name: string;
  version: string;
  /** Its final name in the folder. */
  file: string;
  /** Its temporary name in the folder. */
  staged: string;
  /** Lower-case hex, already checked. */
  sha1: string;
}

/**
 * An install under way. 'staging': downloads are running and nothing is in place, so an
 * interrupted one is undone. 'committing': every file is staged and verified, so an
 * interrupted one is finished.
 */
export interface PendingInstall {
  /** Part of every temporary file name of this run. */
  id: string;
  /** The process running it: while it lives, nobody else touches the run. */
  pid: number;
  folder: string;
  startedAt: string;
  phase: 'staging' | 'committing';
  /** The run made the folder (an undo removes it again when empty). */
  createdFolder: boolean;
  files: StagedFile[];
  /** Names to enable in mod-list.json. */
  enable: string[];
  /** Updates: the version each replaces (its zip goes when this extension installed it). */
  updates: Array<{ name: string; from: string }>;
}

export interface InstallRecord {
  installs: InstalledByUs[];
  pending?: PendingInstall[];
}

export interface InstallRecordRead {
  record: InstallRecord;
  /** Set when a record existed but could not be read; the record is then empty. */
  problem?: string;
}

/** A record is this extension's own, but it is a file on disk: every field is checked before use. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

function isStrings(v: Record<string, unknown>, keys: readonly string[]): boolean {
  return keys.every((k) => typeof v[k] === 'string');
}

/** A plain file name: nothing in the record may point outside its folder. */
export function isPlainFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0:]/.test(name) && name === path.basename(name);
}

function isEntry(value: unknown): value is InstalledByUs {
  if (typeof value !== 'object' || value === null) return false;
  return isStrings(value as Record<string, unknown>, ['name', 'version', 'file', 'sha1', 'installedAt', 'folder']);
}

function isStaged(value: unknown): value is StagedFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isStrings(v, ['name', 'version', 'file', 'staged', 'sha1']) && isPlainFileName(v.file as string) && isPlainFileName(v.staged as string);
}

function isPending(value: unknown): value is PendingInstall {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isStrings(v, ['id', 'folder', 'startedAt']) &&
    /^[0-9a-f]{1,32}$/.test(v.id as string) &&
    path.isAbsolute(v.folder as string) &&
    Number.isSafeInteger(v.pid) &&
    (v.phase === 'staging' || v.phase === 'committing') &&
    typeof v.createdFolder === 'boolean' &&
    Array.isArray(v.files) &&
    v.files.every(isStaged) &&
    Array.isArray(v.enable) &&
    v.enable.every((n) => typeof n === 'string') &&
    Array.isArray(v.updates) &&
    v.updates.every((u) => typeof u === 'object' && u !== null && isStrings(u as Record<string, unknown>, ['name', 'from']))
  );
}

/** The record in `storageFolder`. Never throws: a missing record is empty, a malformed one is empty and reported. */
export async function readInstallRecord(storageFolder: string): Promise<InstallRecordRead> {
  const file = path.join(storageFolder, INSTALL_RECORD_FILE);
  let text: string;
  try {
    const { size } = await fs.stat(file);
    if (size > MAX_RECORD_BYTES) return { record: { installs: [] }, problem: `${INSTALL_RECORD_FILE} is ${size} bytes, too large to be one, and was ignored` };
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { record: { installs: [] } };
    return { record: { installs: [] }, problem: `${INSTALL_RECORD_FILE}: ${messageOf(err)}` };
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    const installs = (parsed as { installs?: unknown } | null)?.installs;
    if (!Array.isArray(installs)) throw new Error('no "installs" array');
    const rawPending = (parsed as { pending?: unknown }).pending;
    const pendingList = Array.isArray(rawPending) ? rawPending : [];
    const good = installs.filter(isEntry);
    const pending = pendingList.filter(isPending);
    const dropped = installs.length - good.length + pendingList.length - pending.length;
    return {
      record: { installs: good, ...(pending.length > 0 ? { pending } : {}) },
      ...(dropped > 0 ? { problem: `${INSTALL_RECORD_FILE}: ${dropped} malformed entries ignored` } : {}),
    };
  } catch (err) {
    return { record: { installs: [] }, problem: `${INSTALL_RECORD_FILE} is malformed and was ignored: ${messageOf(err)}` };
  }
}

export async function writeInstallRecord(storageFolder: string, record: InstallRecord): Promise<void> {
  await fs.mkdir(storageFolder, { recursive: true });
  const out: InstallRecord = { installs: record.installs, ...(record.pending && record.pending.length > 0 ? { pending: record.pending } : {}) };
  await writeFileAtomic(path.join(storageFolder, INSTALL_RECORD_FILE), JSON.stringify(out, null, 2) + '\n');
}

/**
 * Reads the record afresh, changes it and writes it back: another window may have
 * written it since this one last read it.
 */
export async function changeInstallRecord(storageFolder: string, change: (record: InstallRecord) => InstallRecord): Promise<void> {
  const { record } = await readInstallRecord(storageFolder);
  await writeInstallRecord(storageFolder, change(record));
}

/** The record with `entry` added as pending, or put in place of the entry with its id. */
export function withPending(record: InstallRecord, entry: PendingInstall): InstallRecord {
  return { ...record, pending: [...(record.pending ?? []).filter((p) => p.id !== entry.id), entry] };
}

/** The record without the pending entry `id`. */
export function withoutPending(record: InstallRecord, id: string): InstallRecord {
  return { ...record, pending: (record.pending ?? []).filter((p) => p.id !== id) };
}

/** Folders compare by their resolved path, so `~/x/` and `~/x` are one folder. */
export function sameFolder(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** The record's entry for a mod version in a folder, if this extension installed it. */
export function findInstall(record: InstallRecord, folder: string, name: string, version: string): InstalledByUs | undefined {
  return record.installs.find((e) => e.name === name && e.version === version && sameFolder(e.folder, folder));
}

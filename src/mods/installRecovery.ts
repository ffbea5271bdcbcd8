// On start, an install a crash (or a closed window) cut short is finished or undone, and
// temporary files this extension left in a mods folder go. A run still going in another
// window is left alone: its process still lives.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isAtomicWriteLeftover } from '../util/atomicWrite';
import { messageOf } from '../util/errors';
import { commitInstall, completeInstall, STAGED_SUFFIX, undoInstall } from './installCommit';
import { PendingInstall, readInstallRecord } from './installRecord';
import { MOD_LIST_BACKUP_FILE, MOD_LIST_FILE } from './modList';

export interface RecoveryReport {
  /** Runs that had every file staged: put in place and recorded. */
  finished: Array<{ folder: string; files: string[] }>;
  /** Runs cut short while downloading: their files removed. */
  undone: Array<{ folder: string; removed: string[] }>;
  /** Temporary files left by earlier runs, removed. */
  stale: string[];
  problems: string[];
}

export interface RecoveryOptions {
  /** Whether a process lives (default: signal 0, and never this process's own runs). */
  isAlive?: (pid: number) => boolean;
  now?: () => Date;
  /** Folders to sweep for stale temporary files too (the mods folder in the settings). */
  folders?: readonly string[];
  /** A temporary file no run of the record names is stale after this long (default a day). */
  staleAfterMs?: number;
}

/** A process lives when signal 0 reaches it, or it exists under another user (EPERM). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A download's partial file (download.ts) or an install's staged file. */
function isOurTemporary(name: string): boolean {
  if (!name.startsWith('.')) return false;
  return /\.[0-9a-f]{12}\.part$/.test(name) || name.endsWith(STAGED_SUFFIX);
}

/**
 * Removes temporary files this extension leaves in `folder` when it is cut short: partial
 * downloads, staged files, half-written mod-list.json copies, older than `staleAfterMs`
 * (a download in another window may still be writing a younger one). Never throws.
 */
export async function removeStaleTemporaries(folder: string, now: Date, staleAfterMs: number, keep: (name: string) => boolean = () => false): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (keep(name)) continue;
    if (!isOurTemporary(name) && !isAtomicWriteLeftover(name, MOD_LIST_FILE) && !isAtomicWriteLeftover(name, MOD_LIST_BACKUP_FILE)) continue;
    const file = path.join(folder, name);
    try {
      const stat = await fs.lstat(file);
      if (!stat.isFile() || now.getTime() - stat.mtimeMs < staleAfterMs) continue;
      await fs.rm(file, { force: true });
      removed.push(file);
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

async function recoverOne(storageFolder: string, run: PendingInstall, now: () => Date, report: RecoveryReport): Promise<void> {
  if (run.phase === 'staging') {
    report.undone.push({ folder: run.folder, removed: await undoInstall(storageFolder, run) });
    return;
  }
  const committed = await commitInstall(storageFolder, run);
  if (!committed.ok) {
    report.problems.push(`An interrupted install into ${run.folder} could not be finished (${committed.error}); its files were removed.`);
    report.undone.push({ folder: run.folder, removed: committed.removed });
    return;
  }
  const done = await completeInstall(storageFolder, run, now);
  if (done.problem) report.problems.push(done.problem);
  report.finished.push({ folder: run.folder, files: run.files.map((f) => f.file) });
}

/** Finishes or undoes every run of the record whose process is gone, then sweeps stale temporaries. Never throws. */
export async function recoverInstalls(storageFolder: string, options: RecoveryOptions = {}): Promise<RecoveryReport> {
  const report: RecoveryReport = { finished: [], undone: [], stale: [], problems: [] };
  const isAlive = options.isAlive ?? processAlive;
  const now = options.now ?? (() => new Date());
  const { record, problem } = await readInstallRecord(storageFolder);
  if (problem) report.problems.push(problem);
  const pending = record.pending ?? [];
  for (const run of pending) {
    if (isAlive(run.pid)) continue;
    try {
      await recoverOne(storageFolder, run, now, report);
    } catch (err) {
      report.problems.push(`An interrupted install into ${run.folder}: ${messageOf(err)}`);
    }
  }
  // Runs still going keep their files, whatever their age.
  const live = pending.filter((r) => isAlive(r.pid)).map((r) => `.${r.id}${STAGED_SUFFIX}`);
  const keep = (name: string): boolean => live.some((mark) => name.includes(mark));
  const folders = [...new Set([...(options.folders ?? []), ...pending.map((r) => r.folder)].map((f) => path.resolve(f)))];
  for (const folder of folders) report.stale.push(...(await removeStaleTemporaries(folder, now(), options.staleAfterMs ?? 24 * 3600_000, keep)));
  return report;
}

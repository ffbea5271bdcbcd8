// The second half of an install, shared by a run and by the recovery of a run a crash cut
// short: rename the staged files into place, write mod-list.json, complete the record.
// Every step can be repeated: a file already in place with its sha1 is left as it is, and
// enabling mods that are enabled writes nothing.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../util/errors';
import { fileSha1 } from '../util/fileHash';
import { changeInstallRecord, findInstall, InstalledByUs, isPlainFileName, PendingInstall, readInstallRecord, sameFolder, withoutPending, withPending } from './installRecord';
import { enableModsInFolder, ModListWrite } from './modList';

/** Ends the temporary name of every file an install stages (see stagedName). */
export const STAGED_SUFFIX = '.fmp-staged';

/** Removes the files; gives back the ones it was asked to remove. Never throws. */
export async function removeFiles(files: readonly string[]): Promise<string[]> {
  for (const file of files) await fs.rm(file, { force: true }).catch(() => undefined);
  return [...files];
}

/** Puts one staged file in place. A file already there with the right bytes counts as done. */
async function placeFile(folder: string, file: PendingInstall['files'][number]): Promise<void> {
  const staged = path.join(folder, file.staged);
  const target = path.join(folder, file.file);
  const present = await fileSha1(target);
  if (present === file.sha1) {
    await fs.rm(staged, { force: true });
    return;
  }
  // Something appeared under the final name since the plan was checked: never replace it.
  if (present !== undefined) throw new Error(`${target} appeared during the install with other content; it was left as it is`);
  await fs.rename(staged, target);
}

/**
 * Takes back whatever of `run` is in the folder: its staged files, the files it placed
 * (found by their sha1: the plan only downloads files that were absent), the folder when
 * the run made it, and its pending entry.
 */
export async function undoInstall(storageFolder: string, run: PendingInstall): Promise<string[]> {
  const removed: string[] = [];
  for (const file of run.files) {
    const target = path.join(run.folder, file.file);
    if ((await fileSha1(target).catch(() => undefined)) === file.sha1) removed.push(...(await removeFiles([target])));
  }
  removed.push(...(await removeRunTemporaries(run.folder, run.id)));
  if (run.createdFolder) await fs.rmdir(run.folder).catch(() => undefined);
  await changeInstallRecord(storageFolder, (r) => withoutPending(r, run.id)).catch(() => undefined);
  return removed;
}

/** Removes every temporary file of the run `id` in `folder` (staged files and partial downloads). */
export async function removeRunTemporaries(folder: string, id: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return [];
  }
  const mark = `.${id}${STAGED_SUFFIX}`;
  return removeFiles(names.filter((n) => n.startsWith('.') && n.includes(mark)).map((n) => path.join(folder, n)));
}

export type CommitResult = { ok: true; modList: ModListWrite } | { ok: false; error: string; removed: string[] };

/**
 * Renames every staged file of `run` into place, then enables its mods in mod-list.json.
 * On a failure everything of the run is taken back (see undoInstall) and mod-list.json is
 * as it was: the mod-list write is the last step and is atomic.
 */
export async function commitInstall(storageFolder: string, run: PendingInstall): Promise<CommitResult> {
  try {
    for (const file of run.files) await placeFile(run.folder, file);
    const modList = await enableModsInFolder(run.folder, run.enable);
    return { ok: true, modList };
  } catch (err) {
    return { ok: false, error: messageOf(err), removed: await undoInstall(storageFolder, run) };
  }
}

export interface Completion {
  /** The files of the run now in the record. */
  installed: InstalledByUs[];
  /** Older zips an update replaced that this extension had installed: deleted. */
  removedOld: string[];
  /** Older versions an update replaced that this extension did not install: left in place. */
  keptOld: Array<{ name: string; version: string }>;
  /** The record could not be written. */
  problem?: string;
}

/**
 * The last step: removes the older zips the run's updates replaced (only those this
 * extension installed, with their recorded bytes), records the new files and drops the
 * pending entry, in one write of the record.
 */
export async function completeInstall(storageFolder: string, run: PendingInstall, now: () => Date): Promise<Completion> {
  const { record } = await readInstallRecord(storageFolder);
  const folder = run.folder;
  const removedOld: string[] = [];
  const keptOld: Array<{ name: string; version: string }> = [];
  let installs = record.installs;
  for (const update of run.updates) {
    const newFile = run.files.find((f) => f.name === update.name)?.file;
    const ours = findInstall(record, folder, update.name, update.from);
    const oldPath = ours && ours.file !== newFile && isPlainFileName(ours.file) ? path.join(folder, ours.file) : undefined;
    const removable = ours && oldPath && (await fileSha1(oldPath).catch(() => undefined)) === ours.sha1;
    if (removable && (await fs.rm(oldPath, { force: true }).then(() => true, () => false))) {
      removedOld.push(oldPath);
      installs = installs.filter((e) => e !== ours);
    } else {
      keptOld.push({ name: update.name, version: update.from });
    }
  }
  const when = now().toISOString();
  const installed: InstalledByUs[] = run.files.map((f) => ({ name: f.name, version: f.version, file: f.file, sha1: f.sha1, installedAt: when, folder }));
  installs = installs.filter((e) => !installed.some((n) => n.name === e.name && n.version === e.version && sameFolder(n.folder, e.folder)));
  try {
    await changeInstallRecord(storageFolder, (fresh) => withoutPending({ ...fresh, installs: [...replaceInstalls(fresh.installs, record.installs, installs), ...installed] }, run.id));
    return { installed, removedOld, keptOld };
  } catch (err) {
    return { installed, removedOld, keptOld, problem: `the install record could not be written: ${messageOf(err)}` };
  }
}

/**
 * `fresh` (the record as it is now) with the changes from `before` to `after` applied:
 * entries this run dropped go, entries another window added meanwhile stay.
 */
function replaceInstalls(fresh: readonly InstalledByUs[], before: readonly InstalledByUs[], after: readonly InstalledByUs[]): InstalledByUs[] {
  const key = (e: InstalledByUs): string => `${path.resolve(e.folder)}\u0000${e.name}\u0000${e.version}`;
  const dropped = new Set(before.filter((e) => !after.includes(e)).map(key));
  return fresh.filter((e) => !dropped.has(key(e)));
}

/** Marks the run as committing in the record: from now on a crash finishes it rather than undoing it. */
export async function markCommitting(storageFolder: string, run: PendingInstall): Promise<void> {
  run.phase = 'committing';
  await changeInstallRecord(storageFolder, (r) => withPending(r, run));
}

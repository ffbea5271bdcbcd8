// Carries out an install plan in a mods folder: downloads in parallel (at most 4 at once),
// checks every sha1, and only when all of them arrived enables the mods in mod-list.json.
// Cancel or any failure removes every file this run wrote and leaves mod-list.json as it
// was. The download itself (streamed, redirect-aware, atomic) is injected.

import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PortalClient, PortalCredentials } from '../portal/client';
import { downloadRelease } from '../portal/download';
import type { Release } from '../portal/types';
import { findInstall, InstalledByUs, InstallRecord, readInstallRecord, sameFolder, writeInstallRecord } from './installRecord';
import { enableInModListText, enableModsInFolder, MOD_LIST_FILE, ModListError, ModListWrite, readModListText } from './modList';
import { messageOf } from '../util/errors';
import { mapLimited } from '../util/limit';

/** At most this many downloads run at once, whatever the caller asks. */
export const MAX_PARALLEL_DOWNLOADS = 4;

export type ReleaseToInstall = Pick<Release, 'download_url' | 'file_name' | 'sha1' | 'version'>;

export interface DownloadOptions {
  /** The mods folder. */
  folder: string;
  /** A plain file name inside `folder` (checked before any download starts). */
  fileName: string;
  signal: AbortSignal;
  /** Bytes received so far for this file, and its size when known. */
  onProgress: (bytes: number, totalBytes: number | undefined) => void;
}

export interface DownloadedFile {
  /** Where the file now is (normally `folder/fileName`). */
  path: string;
  /** Lower-case hex sha1 of what was written. */
  sha1: string;
  bytes: number;
}

/**
 * Streams a release into `folder/fileName` through a temporary file renamed at the end,
 * so the file either is complete or absent. Rejects on abort, leaving no file.
 */
export type DownloadRelease = (release: ReleaseToInstall, options: DownloadOptions) => Promise<DownloadedFile>;

/** The executor's download over the portal client: through the portal's redirect, streamed, verified, atomic. */
export function portalDownloader(client: Pick<PortalClient, 'download'>, credentials: PortalCredentials): DownloadRelease {
  return (release, options) => downloadRelease(client, release, { ...options, credentials });
}

export type InstallStep =
  | { action: 'install'; name: string; version: string; release: ReleaseToInstall }
  | { action: 'update'; name: string; /** The installed version it replaces. */ from: string; version: string; release: ReleaseToInstall }
  | { action: 'keep'; name: string; version: string; /** Also enable it in mod-list.json (default: leave its state). */ enable?: boolean };

export interface InstallPlan {
  /** The mods folder; made when missing. */
  folder: string;
  steps: readonly InstallStep[];
}

export interface InstallProgress {
  /** Bytes received across every download of the run. */
  bytes: number;
  /** Sum of the sizes, once every running or finished download knows its size. */
  totalBytes: number | undefined;
  filesDone: number;
  filesTotal: number;
}

export interface InstallOptions {
  download: DownloadRelease;
  /** Where the install record lives (the extension's global storage). */
  storageFolder: string;
  signal?: AbortSignal;
  onProgress?: (progress: InstallProgress) => void;
  /** 1 to 4 (default 4). */
  parallel?: number;
  now?: () => Date;
}

export type InstallResult =
  | { status: 'nothing-to-do'; recordProblem?: string }
  | {
      status: 'done';
      /** Files downloaded by this run (now in the record). */
      installed: InstalledByUs[];
      /** Files the plan wanted that were already there with the right sha1: left as they were. */
      alreadyPresent: string[];
      /** Older zips replaced by an update that this extension had installed: deleted. */
      removedOld: string[];
      /** Older versions an update replaced but this extension did not install: left in place. */
      keptOld: Array<{ name: string; version: string }>;
      modList: ModListWrite;
      /** The install record could not be read (then ignored) or written. */
      recordProblem?: string;
    }
  | { status: 'cancelled'; /** Files this run wrote, now removed. */ removed: string[] }
  | { status: 'failed'; error: string; removed: string[] };

export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}

function isPlainFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0:]/.test(name) && name === path.basename(name);
}

async function fileSha1(file: string): Promise<string | undefined> {
  try {
    const hash = createHash('sha1');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

type Download = Extract<InstallStep, { action: 'install' | 'update' }>;

/** The names a plan enables: everything it installs or updates, and the kept mods marked `enable`. */
export function namesToEnable(plan: InstallPlan): string[] {
  return [...new Set(plan.steps.filter((s) => s.action !== 'keep' || s.enable === true).map((s) => s.name))];
}

/** A plan checked against the mods folder as it is now: what is left to download and to enable. */
export interface PreparedInstall {
  plan: InstallPlan;
  /** Every install and update step. */
  downloads: readonly Download[];
  /** Those whose file is not in the folder yet. */
  pending: readonly Download[];
  /** Files the plan wants that are already there with the right sha1. */
  alreadyPresent: readonly string[];
  /** Every name the plan enables (see namesToEnable). */
  toEnable: readonly string[];
  /** The names mod-list.json would gain or switch on: what the user is shown. */
  newlyEnabled: readonly string[];
  /** Nothing to download and mod-list.json already says it all. */
  nothingToDo: boolean;
}

export type Preparation =
  | { ok: true; prepared: PreparedInstall }
  /** `modList`: mod-list.json cannot be read or understood; else a step is refused. */
  | { ok: false; problem: 'mod-list' | 'refused'; error: string };

/**
 * Checks a plan before anything is written: every file name and sha1, which files are
 * already there, and what the enable step would change in mod-list.json (read once,
 * through the capped reader). The command shows this and the executor carries it out.
 */
export async function prepareInstall(plan: InstallPlan): Promise<Preparation> {
  const folder = plan.folder;
  const downloads = plan.steps.filter((s): s is Download => s.action !== 'keep');
  const toEnable = namesToEnable(plan);
  for (const step of downloads) {
    if (!isPlainFileName(step.release.file_name)) return { ok: false, problem: 'refused', error: `${step.name}: unsafe file name "${step.release.file_name}"` };
    if (!/^[0-9a-fA-F]{40}$/.test(step.release.sha1)) return { ok: false, problem: 'refused', error: `${step.name} ${step.version}: the portal gave no sha1 to check the download against` };
  }
  let modListText: string | undefined;
  try {
    modListText = await readModListText(path.join(folder, MOD_LIST_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') return { ok: false, problem: 'mod-list', error: err instanceof ModListError ? err.message : `${MOD_LIST_FILE}: ${messageOf(err)}` };
  }
  const preview = enableInModListText(modListText, toEnable);
  if (!preview.ok) return { ok: false, problem: 'mod-list', error: preview.problem };

  const alreadyPresent: string[] = [];
  const pending: Download[] = [];
  for (const step of downloads) {
    const target = path.join(folder, step.release.file_name);
    let sha1: string | undefined;
    try {
      sha1 = await fileSha1(target);
    } catch (err) {
      return { ok: false, problem: 'refused', error: `${target}: ${messageOf(err)}` };
    }
    if (sha1 === undefined) pending.push(step);
    else if (sha1 === step.release.sha1.toLowerCase()) alreadyPresent.push(target);
    else return { ok: false, problem: 'refused', error: `${target} already exists with other content; move it away, then try again` };
  }
  const newlyEnabled = [...preview.added, ...preview.enabled];
  return { ok: true, prepared: { plan, downloads, pending, alreadyPresent, toEnable, newlyEnabled, nothingToDo: pending.length === 0 && !preview.changed } };
}

/**
 * Runs a plan, prepared or not (a plain plan is prepared first). Never throws for an
 * expected failure: the result says what happened.
 */
export async function runInstall(input: InstallPlan | PreparedInstall, options: InstallOptions): Promise<InstallResult> {
  let prepared: PreparedInstall;
  if ('pending' in input) {
    prepared = input;
  } else {
    const preparation = await prepareInstall(input);
    if (!preparation.ok) return { status: 'failed', error: preparation.problem === 'mod-list' ? `${preparation.error}; fix or remove it, then try again` : preparation.error, removed: [] };
    prepared = preparation.prepared;
  }
  const { plan, downloads, pending, alreadyPresent, toEnable } = prepared;
  const folder = plan.folder;
  const signal = options.signal;

  const { record, problem: readProblem } = await readInstallRecord(options.storageFolder);
  if (prepared.nothingToDo) return { status: 'nothing-to-do', ...(readProblem ? { recordProblem: readProblem } : {}) };
  if (signal?.aborted) return { status: 'cancelled', removed: [] };

  const createdFolder = !(await exists(folder));
  const written: string[] = [];
  const rollback = async (): Promise<string[]> => {
    const removed: string[] = [];
    for (const file of written) {
      await fs.rm(file, { force: true }).catch(() => undefined);
      removed.push(file);
    }
    if (createdFolder) await fs.rmdir(folder).catch(() => undefined);
    return removed;
  };

  const fetched: Array<{ step: Download; file: DownloadedFile }> = [];
  try {
    if (createdFolder) await fs.mkdir(folder, { recursive: true });
    await downloadAll(pending, folder, options, written, fetched);
  } catch (err) {
    const removed = await rollback();
    if (signal?.aborted) return { status: 'cancelled', removed };
    return { status: 'failed', error: messageOf(err), removed };
  }
  if (signal?.aborted) return { status: 'cancelled', removed: await rollback() };

  let modList: ModListWrite;
  try {
    modList = await enableModsInFolder(folder, toEnable);
  } catch (err) {
    return { status: 'failed', error: messageOf(err), removed: await rollback() };
  }

  // From here on the run has succeeded: the rest only tidies up and records.
  const removedOld: string[] = [];
  const keptOld: Array<{ name: string; version: string }> = [];
  let installs = record.installs;
  for (const step of downloads) {
    if (step.action !== 'update' || step.from === step.version) continue;
    const ours = findInstall(record, folder, step.name, step.from);
    const oldPath = ours && ours.file !== step.release.file_name && isPlainFileName(ours.file) ? path.join(folder, ours.file) : undefined;
    const removable = ours && oldPath && (await fileSha1(oldPath).catch(() => undefined)) === ours.sha1;
    if (removable && (await fs.rm(oldPath, { force: true }).then(() => true, () => false))) {
      removedOld.push(oldPath);
      installs = installs.filter((e) => e !== ours);
    } else {
      keptOld.push({ name: step.name, version: step.from });
    }
  }
  const when = (options.now ?? (() => new Date()))().toISOString();
  // In plan order, not in the order the downloads happened to finish: the record is read by people too.
  const inPlanOrder = [...fetched].sort((a, b) => pending.indexOf(a.step) - pending.indexOf(b.step));
  const installed: InstalledByUs[] = inPlanOrder.map(({ step, file }) => ({
    name: step.name,
    version: step.version,
    file: path.basename(file.path),
    sha1: file.sha1.toLowerCase(),
    installedAt: when,
    folder,
  }));
  installs = installs.filter((e) => !installed.some((n) => n.name === e.name && n.version === e.version && sameFolder(n.folder, e.folder)));
  let recordProblem = readProblem;
  try {
    const next: InstallRecord = { installs: [...installs, ...installed] };
    await writeInstallRecord(options.storageFolder, next);
  } catch (err) {
    recordProblem = `the install record could not be written: ${messageOf(err)}`;
  }
  return {
    status: 'done',
    installed,
    alreadyPresent: [...alreadyPresent],
    removedOld,
    keptOld,
    modList,
    ...(recordProblem ? { recordProblem } : {}),
  };
}

async function downloadAll(
  steps: readonly Download[],
  folder: string,
  options: InstallOptions,
  written: string[],
  fetched: Array<{ step: Download; file: DownloadedFile }>,
): Promise<void> {
  if (steps.length === 0) return;
  // One controller for the run: the caller's Cancel or the first failure stops every download.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  options.signal?.addEventListener('abort', onAbort);

  const bytes = new Array<number>(steps.length).fill(0);
  const totals = new Array<number | undefined>(steps.length).fill(undefined);
  let filesDone = 0;
  let started = 0;
  const report = (): void => {
    if (!options.onProgress) return;
    const knownTotal = totals.slice(0, started).every((t) => t !== undefined) ? totals.reduce<number>((a, t) => a + (t ?? 0), 0) : undefined;
    options.onProgress({
      bytes: bytes.reduce((a, b) => a + b, 0),
      totalBytes: started === steps.length ? knownTotal : undefined,
      filesDone,
      filesTotal: steps.length,
    });
  };

  const one = async (step: Download, i: number): Promise<void> => {
    started = Math.max(started, i + 1);
    try {
      const file = await options.download(step.release, {
        folder,
        fileName: step.release.file_name,
        signal: stop.signal,
        onProgress: (received, total) => {
          bytes[i] = received;
          totals[i] = total;
          report();
        },
      });
      written.push(file.path);
      if (file.sha1.toLowerCase() !== step.release.sha1.toLowerCase()) {
        throw new InstallError(`${step.name} ${step.version}: the download's sha1 ${file.sha1} is not the portal's ${step.release.sha1}`);
      }
      if (stop.signal.aborted) return;
      bytes[i] = file.bytes;
      totals[i] = file.bytes;
      filesDone++;
      fetched.push({ step, file });
      report();
    } catch (err) {
      // The first failure stops the downloads still running, not just the ones to come.
      stop.abort(err);
      throw err;
    }
  };
  const parallel = Math.max(1, Math.min(MAX_PARALLEL_DOWNLOADS, Math.floor(options.parallel ?? MAX_PARALLEL_DOWNLOADS)));
  let failure: { error: unknown } | undefined;
  try {
    report();
    await mapLimited(steps, parallel, one, stop.signal);
  } catch (error) {
    failure = { error };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (options.signal?.aborted) throw options.signal.reason ?? new InstallError('cancelled');
  if (failure) throw failure.error;
}

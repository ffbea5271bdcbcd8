// Carries out an install plan in a mods folder, so that a crash at any point loses nothing
// and leaves nothing unknown: every file is downloaded (at most 4 at once) and verified
// under a temporary name; then a pending entry in the install record says what is about
// to happen; then every file is renamed into place, then mod-list.json is written, then
// the record is completed. A run cut short is finished or undone on the next start
// (installRecovery.ts). Cancel or a failure before the commit removes every file this
// run wrote and leaves mod-list.json as it was. The download itself is injected.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PortalClient, PortalCredentials } from '../portal/client';
import { downloadRelease } from '../portal/download';
import type { Release } from '../portal/types';
import { messageOf } from '../util/errors';
import { mapLimited } from '../util/limit';
import { fileSha1 } from '../util/fileHash';
import { commitInstall, completeInstall, markCommitting, STAGED_SUFFIX, undoInstall } from './installCommit';
import { changeInstallRecord, InstalledByUs, isPlainFileName, PendingInstall, readInstallRecord, withPending } from './installRecord';
import { enableInModListText, MOD_LIST_FILE, ModListError, ModListWrite, readModListText } from './modList';

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
  /** `removed`: files this run wrote, now removed. */
  | { status: 'failed'; error: string; removed: string[] };

export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
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
  /** `mod-list`: mod-list.json cannot be read or understood; `refused`: a step is refused. */
  | { ok: false; problem: 'mod-list' | 'refused'; error: string };

function refuseStep(step: Download): string | undefined {
  if (!isPlainFileName(step.release.file_name)) return `${step.name}: unsafe file name "${step.release.file_name}"`;
  // The game loads only `<name>_<version>.zip`; any other name could be another mod's zip.
  const expected = `${step.name}_${step.version}.zip`;
  if (step.release.file_name !== expected) return `${step.name} ${step.version}: the portal names its file "${step.release.file_name}", not "${expected}"`;
  if (!/^[0-9a-fA-F]{40}$/.test(step.release.sha1)) return `${step.name} ${step.version}: the portal gave no sha1 to check the download against`;
  return undefined;
}

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
    const refused = refuseStep(step);
    if (refused) return { ok: false, problem: 'refused', error: refused };
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

async function prepared(input: InstallPlan | PreparedInstall): Promise<PreparedInstall | InstallResult> {
  if ('pending' in input) return input;
  const preparation = await prepareInstall(input);
  if (preparation.ok) return preparation.prepared;
  return { status: 'failed', error: preparation.problem === 'mod-list' ? `${preparation.error}; fix or remove it, then try again` : preparation.error, removed: [] };
}

/**
 * Runs a plan, prepared or not (a plain plan is prepared first). Never throws for an
 * expected failure: the result says what happened.
 */
export async function runInstall(input: InstallPlan | PreparedInstall, options: InstallOptions): Promise<InstallResult> {
  const plan = await prepared(input);
  if ('status' in plan) return plan;
  const { problem: readProblem } = await readInstallRecord(options.storageFolder);
  if (plan.nothingToDo) return { status: 'nothing-to-do', ...(readProblem ? { recordProblem: readProblem } : {}) };
  if (options.signal?.aborted) return { status: 'cancelled', removed: [] };

  const run = newPendingInstall(plan, !(await exists(plan.plan.folder)), options);
  const staged = await stage(plan, run, options);
  if ('status' in staged) return staged;
  const committed = await commitInstall(options.storageFolder, run);
  if (!committed.ok) return { status: 'failed', error: committed.error, removed: committed.removed };
  const done = await completeInstall(options.storageFolder, run, options.now ?? (() => new Date()));
  const recordProblem = done.problem ?? readProblem;
  return {
    status: 'done',
    installed: done.installed,
    alreadyPresent: [...plan.alreadyPresent],
    removedOld: done.removedOld,
    keptOld: done.keptOld,
    modList: committed.modList,
    ...(recordProblem ? { recordProblem } : {}),
  };
}

function newPendingInstall(plan: PreparedInstall, createdFolder: boolean, options: InstallOptions): PendingInstall {
  return {
    id: randomBytes(6).toString('hex'),
    pid: process.pid,
    folder: plan.plan.folder,
    startedAt: (options.now ?? (() => new Date()))().toISOString(),
    phase: 'staging',
    createdFolder,
    files: [],
    enable: [...plan.toEnable],
    updates: plan.downloads.flatMap((s) => (s.action === 'update' && s.from !== s.version ? [{ name: s.name, from: s.from }] : [])),
  };
}

/**
 * Downloads every pending file under its temporary name, with the run in the record as
 * 'staging' while it does, then marks the run 'committing'. A failure or Cancel removes
 * what the run wrote and the run's entry: the folder is as it was.
 */
async function stage(plan: PreparedInstall, run: PendingInstall, options: InstallOptions): Promise<{ ok: true } | InstallResult> {
  const folder = run.folder;
  const undo = (): Promise<string[]> => undoInstall(options.storageFolder, run);
  try {
    if (run.createdFolder) await fs.mkdir(folder, { recursive: true });
    if (plan.pending.length > 0) await changeInstallRecord(options.storageFolder, (r) => withPending(r, run));
    const fetched = await downloadAll(plan.pending, folder, run.id, options);
    // In plan order, not in the order the downloads finished: the record is read by people too.
    fetched.sort((a, b) => plan.pending.indexOf(a.step) - plan.pending.indexOf(b.step));
    run.files = fetched.map(({ step, file }) => ({ name: step.name, version: step.version, file: step.release.file_name, staged: path.basename(file.path), sha1: file.sha1.toLowerCase() }));
    if (options.signal?.aborted) return { status: 'cancelled', removed: await undo() };
    if (run.files.length > 0) await markCommitting(options.storageFolder, run);
    return { ok: true };
  } catch (err) {
    const removed = await undo();
    if (options.signal?.aborted) return { status: 'cancelled', removed };
    return { status: 'failed', error: messageOf(err), removed };
  }
}

class ProgressTally {
  private readonly bytes: number[];
  private readonly totals: Array<number | undefined>;
  private started = 0;
  filesDone = 0;

  constructor(
    private readonly count: number,
    private readonly listener: ((progress: InstallProgress) => void) | undefined,
  ) {
    this.bytes = new Array<number>(count).fill(0);
    this.totals = new Array<number | undefined>(count).fill(undefined);
  }

  start(i: number): void {
    this.started = Math.max(this.started, i + 1);
  }

  set(i: number, received: number, total: number | undefined): void {
    this.bytes[i] = received;
    this.totals[i] = total;
    this.report();
  }

  report(): void {
    if (!this.listener) return;
    const knownTotal = this.totals.slice(0, this.started).every((t) => t !== undefined) ? this.totals.reduce<number>((a, t) => a + (t ?? 0), 0) : undefined;
    this.listener({
      bytes: this.bytes.reduce((a, b) => a + b, 0),
      totalBytes: this.started === this.count ? knownTotal : undefined,
      filesDone: this.filesDone,
      filesTotal: this.count,
    });
  }
}

/** The temporary name a run gives a file until it commits; the leading dot keeps it out of the game's sight. */
export function stagedName(fileName: string, runId: string): string {
  return `.${fileName}.${runId}${STAGED_SUFFIX}`;
}

async function downloadAll(steps: readonly Download[], folder: string, runId: string, options: InstallOptions): Promise<Array<{ step: Download; file: DownloadedFile }>> {
  if (steps.length === 0) return [];
  // One controller for the run: the caller's Cancel or the first failure stops every download.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  options.signal?.addEventListener('abort', onAbort);
  const tally = new ProgressTally(steps.length, options.onProgress);
  const fetched: Array<{ step: Download; file: DownloadedFile }> = [];

  const one = async (step: Download, i: number): Promise<void> => {
    tally.start(i);
    try {
      const file = await options.download(step.release, {
        folder,
        fileName: stagedName(step.release.file_name, runId),
        signal: stop.signal,
        onProgress: (received, total) => tally.set(i, received, total),
      });
      if (file.sha1.toLowerCase() !== step.release.sha1.toLowerCase()) {
        throw new InstallError(`${step.name} ${step.version}: the download's sha1 ${file.sha1} is not the portal's ${step.release.sha1}`);
      }
      if (stop.signal.aborted) return;
      tally.filesDone++;
      tally.set(i, file.bytes, file.bytes);
      fetched.push({ step, file });
    } catch (err) {
      // The first failure stops the downloads still running, not just the ones to come.
      stop.abort(err);
      throw err;
    }
  };
  const parallel = Math.max(1, Math.min(MAX_PARALLEL_DOWNLOADS, Math.floor(options.parallel ?? MAX_PARALLEL_DOWNLOADS)));
  let failure: { error: unknown } | undefined;
  try {
    tally.report();
    await mapLimited(steps, parallel, one, stop.signal);
  } catch (error) {
    failure = { error };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (options.signal?.aborted) throw options.signal.reason ?? new InstallError('cancelled');
  if (failure) throw failure.error;
  return fetched;
}

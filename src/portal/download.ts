// Saving a release zip into a mods folder. The bytes are checked against the release's
// sha1 before anything touches the disk, then written to a temporary file in the target
// folder and renamed into place, so the folder never holds a partial or unverified zip
// under the real name, and a failure at any step leaves no file behind. The file name
// comes from the portal, so it is treated as untrusted: anything that is not a plain
// file name inside the target folder is refused.

import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Release } from './types';

export type DownloadErrorKind =
  /** The file name would leave the target folder, or is not a plain name. */
  | 'unsafe-name'
  /** The portal gave no sha1 to verify against. */
  | 'no-checksum'
  /** The bytes do not match the sha1. */
  | 'checksum'
  /** The target folder does not exist or is not a folder. */
  | 'folder'
  | 'write'
  | 'cancelled';

export class DownloadError extends Error {
  constructor(
    readonly kind: DownloadErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export function isDownloadError(e: unknown): e is DownloadError {
  return e instanceof DownloadError;
}

export function sha1Hex(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Why `name` is not a plain file name, or undefined when it is one. */
function unsafeReason(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name === '.' || name === '..') return 'it names a folder';
  if (/[/\\]/.test(name)) return 'it contains a path separator';
  if (/[\u0000-\u001f\u007f:*?"<>|]/.test(name)) return 'it contains a character file names cannot hold';
  if (/[. ]$/.test(name)) return 'it ends with a dot or a space';
  if (WINDOWS_DEVICE.test(name)) return 'it is a reserved device name';
  if (name.length > 255) return 'it is too long';
  return undefined;
}

/**
 * The absolute path `fileName` would have inside `folder`. Throws 'unsafe-name' for
 * anything but a plain file name that stays in the folder.
 */
export function targetPath(folder: string, fileName: string): string {
  const reason = unsafeReason(fileName);
  const base = path.resolve(folder);
  const target = path.resolve(base, fileName);
  if (reason !== undefined || path.dirname(target) !== base) {
    throw new DownloadError(
      'unsafe-name',
      `Refusing to save "${fileName}": ${reason ?? 'it would be written outside the target folder'}`,
    );
  }
  return target;
}

/** The portal's file name for a release, or the one the game uses when it gave none. */
export function releaseFileName(modName: string, release: Pick<Release, 'file_name' | 'version'>): string {
  return release.file_name !== '' ? release.file_name : `${modName}_${release.version}.zip`;
}

function cancelled(): DownloadError {
  return new DownloadError('cancelled', 'The download was cancelled');
}

function normaliseSha1(sha1: string): string | undefined {
  const s = sha1.trim().toLowerCase();
  return /^[0-9a-f]{40}$/.test(s) ? s : undefined;
}

async function checkFolder(folder: string): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(folder);
    if (!(await fs.stat(real)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new DownloadError('folder', `The target folder ${folder} does not exist or is not a folder`);
  }
  return real;
}

export interface SaveOptions {
  folder: string;
  fileName: string;
  data: Uint8Array;
  /** The release's sha1 (hex). */
  sha1: string;
  signal?: AbortSignal;
}

/** Verifies `data` and writes it atomically; returns the file's path. */
export async function saveVerified(options: SaveOptions): Promise<string> {
  const { fileName, data, signal } = options;
  targetPath(options.folder, fileName);
  const expected = normaliseSha1(options.sha1);
  if (expected === undefined) {
    throw new DownloadError('no-checksum', `The Mod Portal gave no usable sha1 for ${fileName}, so the download cannot be verified`);
  }
  const actual = sha1Hex(data);
  if (actual !== expected) {
    throw new DownloadError(
      'checksum',
      `The download of ${fileName} is corrupt: its sha1 is ${actual}, the Mod Portal says ${expected}. Nothing was saved.`,
    );
  }
  if (signal?.aborted) throw cancelled();
  const folder = await checkFolder(options.folder);
  const target = targetPath(folder, fileName);
  // Same folder as the target, so the rename cannot cross file systems.
  const temp = path.join(folder, `.${fileName}.${randomBytes(6).toString('hex')}.part`);
  try {
    const handle = await fs.open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (signal?.aborted) throw cancelled();
    await fs.rename(temp, target);
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    if (isDownloadError(e)) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw new DownloadError('write', `Could not save ${fileName} in ${folder}: ${detail}`);
  }
  return target;
}

export interface DownloadToFolderOptions {
  folder: string;
  fileName: string;
  sha1: string;
  /** Fetches the bytes (the portal client's download, with credentials bound). */
  fetch: (signal?: AbortSignal) => Promise<Uint8Array>;
  signal?: AbortSignal;
}

export interface SavedRelease {
  path: string;
  sha1: string;
  bytes: number;
}

/**
 * Checks the name and folder first (no request for a file that could not be saved),
 * then fetches, verifies and saves. Errors from `fetch` pass through unchanged.
 */
export async function downloadToFolder(options: DownloadToFolderOptions): Promise<SavedRelease> {
  targetPath(options.folder, options.fileName);
  if (normaliseSha1(options.sha1) === undefined) {
    throw new DownloadError(
      'no-checksum',
      `The Mod Portal gave no usable sha1 for ${options.fileName}, so the download cannot be verified`,
    );
  }
  await checkFolder(options.folder);
  if (options.signal?.aborted) throw cancelled();
  const data = await options.fetch(options.signal);
  const saved = await saveVerified({ folder: options.folder, fileName: options.fileName, data, sha1: options.sha1, signal: options.signal });
  return { path: saved, sha1: sha1Hex(data), bytes: data.byteLength };
}

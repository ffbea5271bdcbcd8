// Saving a release zip into a mods folder. The body is streamed to a temporary file in
// the target folder while it is hashed, so memory stays flat whatever the size; only
// when the sha1 matches the release's is it renamed into place. The folder never holds
// a partial or unverified zip under the real name, and a failure at any step (cancel,
// cut-off, mismatch, size cap) leaves no file behind. The file name comes from the
// portal, so it is treated as untrusted: anything that is not a plain file name inside
// the target folder is refused.

import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DownloadBody, PortalClient, PortalCredentials } from './client';
import { cancelledError, isPortalError } from './errors';
import type { Release } from './types';
import { messageOf } from '../util/errors';

export type DownloadErrorKind =
  /** The file name would leave the target folder, or is not a plain name. */
  | 'unsafe-name'
  /** The portal names the file something other than `<name>_<version>.zip`. */
  | 'unexpected-name'
  /** A file of that name is in the folder, and replacing it was not asked for. */
  | 'exists'
  /** The portal gave no sha1 to verify against. */
  | 'no-checksum'
  /** The bytes do not match the sha1. */
  | 'checksum'
  /** The target folder does not exist or is not a folder. */
  | 'folder'
  /** Larger than the size cap. */
  | 'too-large'
  | 'write';

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

/**
 * The file name of a release: `<name>_<version>.zip`, the only name the game loads. A
 * portal answer naming it anything else (another mod's zip, a path) is refused with an
 * 'unexpected-name' DownloadError rather than followed.
 */
export function releaseFileName(modName: string, release: Pick<Release, 'file_name' | 'version'>): string {
  const expected = `${modName}_${release.version}.zip`;
  if (release.file_name !== '' && release.file_name !== expected) {
    throw new DownloadError('unexpected-name', `The Mod Portal names the file of ${modName} ${release.version} "${release.file_name}", not "${expected}"; it was not downloaded`);
  }
  targetPath('.', expected);
  return expected;
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

/** The largest zip accepted; the portal's biggest releases are a fraction of it. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 2 * 1024 ** 3;

export type ProgressListener = (received: number, total: number | undefined) => void;

export interface SaveStreamOptions {
  folder: string;
  fileName: string;
  /** The release's sha1 (hex). */
  sha1: string;
  body: DownloadBody;
  /** Default DEFAULT_MAX_DOWNLOAD_BYTES. */
  maxBytes?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Replace a file of the same name (default: never; the save fails with 'exists'). */
  replace?: boolean;
}

export interface SavedRelease {
  path: string;
  sha1: string;
  bytes: number;
}

function tooLarge(fileName: string, maxBytes: number): DownloadError {
  return new DownloadError('too-large', `${fileName} is larger than ${Math.round(maxBytes / 1024 ** 2)} MiB, the most a download may be. Nothing was saved.`);
}

/**
 * Streams `body` into a temporary file beside the target while hashing it, then, when
 * the sha1 matches, puts it in place (replacing a file of that name only when asked). Errors from reading
 * the body (PortalErrors) pass through unchanged, after the temporary file is removed.
 */
export async function saveStream(options: SaveStreamOptions): Promise<SavedRelease> {
  const { fileName, body, signal } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  targetPath(options.folder, fileName);
  const expected = normaliseSha1(options.sha1);
  if (expected === undefined) {
    throw new DownloadError('no-checksum', `The Mod Portal gave no usable sha1 for ${fileName}, so the download cannot be verified`);
  }
  if (body.total !== undefined && body.total > maxBytes) throw tooLarge(fileName, maxBytes);
  if (signal?.aborted) throw cancelledError();
  const folder = await checkFolder(options.folder);
  const target = targetPath(folder, fileName);
  // Same folder as the target, so the rename cannot cross file systems.
  const temp = path.join(folder, `.${fileName}.${randomBytes(6).toString('hex')}.part`);
  const hash = createHash('sha1');
  let bytes = 0;
  try {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(temp, 'wx', 0o644);
    } catch (e) {
      throw writeError(fileName, folder, e);
    }
    try {
      options.onProgress?.(0, body.total);
      for await (const chunk of body.chunks) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) throw tooLarge(fileName, maxBytes);
        hash.update(chunk);
        try {
          // Awaited before the next chunk is read, so the network waits for the disk.
          await handle.write(chunk);
        } catch (e) {
          throw writeError(fileName, folder, e);
        }
        options.onProgress?.(bytes, body.total);
      }
      try {
        await handle.sync();
      } catch (e) {
        throw writeError(fileName, folder, e);
      }
    } finally {
      await handle.close().catch(() => undefined);
    }
    const actual = hash.digest('hex');
    if (actual !== expected) {
      throw new DownloadError(
        'checksum',
        `The download of ${fileName} is corrupt: its sha1 is ${actual}, the Mod Portal says ${expected}. Nothing was saved.`,
      );
    }
    if (signal?.aborted) throw cancelledError();
    await putInPlace(temp, target, options.replace === true, fileName, folder);
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
  return { path: target, sha1: expected, bytes };
}

/**
 * Moves the finished temporary file to its name. Without `replace`, a hard link makes the
 * name only if it is free (checked and made in one step, so a file that appeared since
 * anyone looked is never replaced); where links are not supported, a check then a rename.
 */
async function putInPlace(temp: string, target: string, replace: boolean, fileName: string, folder: string): Promise<void> {
  const exists = (): DownloadError => new DownloadError('exists', `${fileName} is already in ${folder}; it was left as it is`);
  try {
    if (replace) {
      await fs.rename(temp, target);
      return;
    }
    try {
      await fs.link(temp, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw exists();
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
      if (await fs.lstat(target).then(() => true, () => false)) throw exists();
      await fs.rename(temp, target);
      return;
    }
    await fs.rm(temp, { force: true });
  } catch (e) {
    throw isDownloadError(e) ? e : writeError(fileName, folder, e);
  }
}

function writeError(fileName: string, folder: string, e: unknown): DownloadError {
  const detail = messageOf(e);
  return new DownloadError('write', `Could not save ${fileName} in ${folder}: ${detail}`);
}

export interface DownloadReleaseOptions {
  folder: string;
  fileName: string;
  credentials: PortalCredentials;
  signal?: AbortSignal;
  /** Bytes so far, and the size when the download host tells it. */
  onProgress?: ProgressListener;
  /** Default DEFAULT_MAX_DOWNLOAD_BYTES. */
  maxBytes?: number;
  /** Replace a file of the same name (default: never; see saveStream). */
  replace?: boolean;
}

/**
 * Downloads one release into `folder` as `fileName`, verified against its sha1. The
 * name, folder and sha1 are checked before any request, so nothing is fetched that
 * could not be saved. Throws a DownloadError (the file side) or a
 * PortalError (the portal side: credentials, 403, 404, network, or 'cancelled'); either way no file
 * is left behind.
 */
export async function downloadRelease(
  client: Pick<PortalClient, 'download'>,
  release: Pick<Release, 'download_url' | 'sha1'>,
  options: DownloadReleaseOptions,
): Promise<SavedRelease> {
  const { folder, fileName, signal } = options;
  targetPath(folder, fileName);
  if (normaliseSha1(release.sha1) === undefined) {
    throw new DownloadError('no-checksum', `The Mod Portal gave no usable sha1 for ${fileName}, so the download cannot be verified`);
  }
  await checkFolder(folder);
  if (signal?.aborted) throw cancelledError();
  try {
    return await client.download(
      release,
      options.credentials,
      (body) =>
        saveStream({
          folder,
          fileName,
          sha1: release.sha1,
          body,
          ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
          ...(options.replace ? { replace: true } : {}),
          ...(signal ? { signal } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        }),
      signal ? { signal } : {},
    );
  } catch (e) {
    if (signal?.aborted && (isPortalError(e) || isDownloadError(e))) throw cancelledError();
    throw e;
  }
}

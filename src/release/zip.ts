// Writes a package plan as `<name>_<version>.zip`. The same files always give the same
// bytes: entries in the plan's order, one fixed time and mode for every entry, no extended
// timestamps; so the same tree gives the same sha1 on any machine and in any time zone.
// Files are streamed one at a time (memory stays flat whatever the mod's size) into a
// temporary file beside the target, which is renamed over it only once complete.

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { foldersOf, type PackagePlan } from './contents';

/**
 * Every entry's time. Built from local components because the zip's DOS time is written
 * in local time: 2020-01-01 00:00 reads back the same in every time zone.
 */
export function fixedEntryTime(): Date {
  return new Date(2020, 0, 1, 0, 0, 0);
}

const FILE_MODE = 0o100644;
const FOLDER_MODE = 0o40755;

/** Already compressed: deflating them again costs time and saves nothing. */
const STORED = new Set(['.png', '.jpg', '.jpeg', '.ogg', '.zip', '.gz', '.webp', '.mp3', '.flac']);

export function storedWithoutCompression(entryPath: string): boolean {
  return STORED.has(path.extname(entryPath).toLowerCase());
}

export interface ZipProgress {
  /** Source bytes read so far. */
  bytesRead: number;
  totalBytes: number;
  filesDone: number;
}

export interface WrittenZip {
  file: string;
  /** Size of the zip. */
  bytes: number;
  sha1: string;
}

export class ZipCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'ZipCancelled';
  }
}

/**
 * Writes the plan's zip to `file`. Resolves once `file` holds the whole zip; on failure or
 * cancel, `file` is as it was and no temporary file remains.
 */
export async function writeModZip(
  plan: PackagePlan,
  file: string,
  options: { signal?: AbortSignal; onProgress?: (progress: ZipProgress) => void } = {},
): Promise<WrittenZip> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new ZipCancelled();
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  const zip = new ZipFile();
  const mtime = fixedEntryTime();
  const common = { mtime, forceDosTimestamp: true } as const;
  const progress: ZipProgress = { bytesRead: 0, totalBytes: plan.totalBytes, filesDone: 0 };

  // Folder entries first, as `zip -r` writes them, then the files, each list in the plan's order.
  zip.addEmptyDirectory(`${plan.top}/`, { ...common, mode: FOLDER_MODE });
  for (const folder of foldersOf(plan.entries)) zip.addEmptyDirectory(`${plan.top}/${folder}/`, { ...common, mode: FOLDER_MODE });
  for (const entry of plan.entries) {
    zip.addReadStreamLazy(
      `${plan.top}/${entry.path}`,
      { ...common, mode: FILE_MODE, size: entry.size, compress: !storedWithoutCompression(entry.path) },
      (callback) => {
        // Larger reads than the default 64 KB: fewer trips through yazl's chain of streams.
        const stream = createReadStream(entry.source, { highWaterMark: 1024 * 1024 });
        stream.on('data', (chunk) => {
          progress.bytesRead += chunk.length;
          onProgress?.(progress);
        });
        stream.on('end', () => {
          progress.filesDone++;
          onProgress?.(progress);
        });
        callback(null, stream);
      },
    );
  }
  zip.end();

  const hash = createHash('sha1');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  // yazl reports a file that changed size under it (or vanished) on the ZipFile itself.
  const zipError = new Promise<never>((_, reject) => zip.on('error', reject));
  zipError.catch(() => undefined);
  // The typings say NodeJS.ReadableStream; yazl's output is a stream.Readable (a PassThrough).
  const output = zip.outputStream as Readable;
  const onAbort = () => output.destroy(new ZipCancelled());
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([pipeline(output, counter, createWriteStream(temp, { flags: 'wx' })), zipError]);
    const handle = await fs.open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (signal?.aborted) throw new ZipCancelled();
    await fs.rename(temp, file);
  } catch (error) {
    output.destroy();
    await fs.rm(temp, { force: true });
    throw signal?.aborted ? new ZipCancelled() : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return { file, bytes, sha1: hash.digest('hex') };
}

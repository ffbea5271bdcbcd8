// Reads the info.json of a mod zip without unpacking the zip: yauzl walks the central
// directory lazily and inflates only the one entry asked for. A zip from a mods folder is
// untrusted, so every size is capped and every failure becomes a reason, never a throw.

import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { messageOf } from '../util/errors';

/** The largest info.json accepted, inflated (real ones are a few hundred bytes). */
export const MAX_INFO_JSON_BYTES = 1024 * 1024;
/** Central directory entries looked at before giving up (the largest real mods hold tens of thousands of files). */
export const MAX_ZIP_ENTRIES = 200_000;

export type ZipInfoResult =
  | { ok: true; text: string; /** The entry's name, e.g. `flib_0.16.2/info.json`. */ entryName: string }
  | { ok: false; reason: string };

/**
 * yauzl reads each central directory record with two small reads; over a plain file
 * descriptor that is two system calls per file of the mod (tens of thousands for a large
 * one). Reading through one 64 KiB window makes the walk a handful of reads.
 */
class WindowedFileReader extends yauzl.RandomAccessReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: fs.FileHandle,
    private readonly size: number,
  ) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    if (position >= this.windowStart && position + length <= this.windowStart + this.window.length) {
      // Most reads hit the window: answer at once, skipping a promise per record.
      this.window.copy(buffer, offset, position - this.windowStart, position - this.windowStart + length);
      callback(null);
      return;
    }
    this.readAsync(buffer, offset, length, position).then(
      () => callback(null),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private async readAsync(buffer: Buffer, offset: number, length: number, position: number): Promise<void> {
    const inWindow = position >= this.windowStart && position + length <= this.windowStart + this.window.length;
    if (!inWindow) {
      const want = Math.min(Math.max(length, 64 * 1024), Math.max(0, this.size - position));
      const next = Buffer.alloc(want);
      const { bytesRead } = await this.handle.read(next, 0, want, position);
      this.window = next.subarray(0, bytesRead);
      this.windowStart = position;
      if (bytesRead < length) throw new Error('unexpected end of file');
    }
    this.window.copy(buffer, offset, position - this.windowStart, position - this.windowStart + length);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const { handle } = this;
    let at = start;
    return new Readable({
      read(this: Readable): void {
        const want = Math.min(64 * 1024, end - at);
        if (want <= 0) {
          this.push(null);
          return;
        }
        const chunk = Buffer.alloc(want);
        handle.read(chunk, 0, want, at).then(
          ({ bytesRead }) => {
            if (bytesRead === 0) {
              this.destroy(new Error('unexpected end of file'));
              return;
            }
            at += bytesRead;
            this.push(chunk.subarray(0, bytesRead));
          },
          (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
        );
      },
    });
  }
}

/** `<top>/info.json`: the one place the game looks for it in a zip. */
const INFO_JSON_ENTRY = /^[^/]+\/info\.json$/;

async function readCapped(stream: Readable, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > cap) {
      stream.destroy();
      throw new Error(`info.json is larger than ${cap} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The text of `<top>/info.json` inside the zip at `file`. Never throws. */
export async function readZipInfoJson(file: string): Promise<ZipInfoResult> {
  let handle: fs.FileHandle | undefined;
  let zip: yauzl.ZipFile | undefined;
  try {
    handle = await fs.open(file, 'r');
    const { size } = await handle.stat();
    const reader = new WindowedFileReader(handle, size);
    zip = await yauzl.fromRandomAccessReaderPromise(reader, size, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: false,
    });
    if (zip.entryCount > MAX_ZIP_ENTRIES) return { ok: false, reason: `the zip lists ${zip.entryCount} files, more than ${MAX_ZIP_ENTRIES}` };
    for await (const entry of zip.eachEntry()) {
      if (!INFO_JSON_ENTRY.test(entry.fileName)) continue;
      if (entry.isEncrypted()) return { ok: false, reason: `${entry.fileName} is encrypted` };
      if (!entry.canDecodeFileData()) return { ok: false, reason: `${entry.fileName} uses an unsupported compression method (${entry.compressionMethod})` };
      // validateEntrySizes makes yauzl fail a stream that inflates past the declared
      // size, so checking the declared size bounds the work even for a zip bomb.
      if (entry.uncompressedSize > MAX_INFO_JSON_BYTES) {
        return { ok: false, reason: `${entry.fileName} is ${entry.uncompressedSize} bytes, more than ${MAX_INFO_JSON_BYTES}` };
      }
      // Deflate can spend any number of bytes producing nothing: bound the input too.
      if (entry.compressedSize > MAX_INFO_JSON_BYTES + 64 * 1024) {
        return { ok: false, reason: `${entry.fileName} takes ${entry.compressedSize} bytes in the zip, more than an info.json can` };
      }
      const stream = await zip.openReadStreamPromise(entry);
      const data = await readCapped(stream, MAX_INFO_JSON_BYTES);
      const text = data.toString('utf8').replace(/^\uFEFF/, '');
      return { ok: true, text, entryName: entry.fileName };
    }
    return { ok: false, reason: 'no <folder>/info.json in the zip' };
  } catch (err) {
    return { ok: false, reason: `not a readable zip: ${messageOf(err)}` };
  } finally {
    zip?.close();
    await handle?.close().catch(() => undefined);
  }
}

import { promises as fs } from 'node:fs';

export class TooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly cap: number,
    what: string,
  ) {
    super(`${what} is ${size} bytes, more than the ${cap} accepted`);
    this.name = 'TooLargeError';
  }
}

/**
 * A file's text, refused before any byte is read when it is larger than `cap` (files in a
 * mods folder are untrusted). The size check and the read use the same open file, so a
 * file swapped in between cannot slip past the cap. A leading BOM goes. Errors from the
 * file system (ENOENT...) pass through.
 */
export async function readCappedText(file: string, cap: number, what = file): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > cap) throw new TooLargeError(size, cap, what);
    // One byte more than the size: a file that grew since the stat is caught too.
    const buffer = Buffer.alloc(Math.min(size + 1, cap + 1));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > cap) throw new TooLargeError(filled, cap, what);
    return buffer.subarray(0, filled).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The lower-case hex sha1 of a file, streamed (zips can be large), or undefined when it does not exist. */
export async function fileSha1(file: string): Promise<string | undefined> {
  try {
    const hash = createHash('sha1');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

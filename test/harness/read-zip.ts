// Reads a zip back whole with yauzl (the reader the extension itself uses), checking each
// entry's CRC-32 against its bytes: the zips Package Mod writes are checked with it.
import { crc32 } from 'node:zlib';
import * as yauzl from 'yauzl';

/** Every entry by name, in the zip's order; folders map to empty buffers. Throws on a bad CRC. */
export async function readZipEntries(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        zip.once('entry', resolve);
        zip.once('end', () => resolve(undefined));
        zip.once('error', reject);
        zip.readEntry();
      });
      zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
      if (!entry) return out;
      if (entry.fileName.endsWith('/')) {
        out.set(entry.fileName, Buffer.alloc(0));
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      const data = Buffer.concat(chunks);
      if (crc32(data) !== entry.crc32) throw new Error(`${entry.fileName}: CRC-32 ${entry.crc32} recorded, ${crc32(data)} in the data`);
      out.set(entry.fileName, data);
    }
  } finally {
    zip.close();
  }
}

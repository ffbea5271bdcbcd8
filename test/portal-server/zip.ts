// A minimal ZIP writer (stored entries only) and reader (stored or deflated), enough for the local portal
// to serve real mod zips and for tests to look inside them. Stored entries keep the
// bytes a pure function of the input, so a release's sha1 never depends on zlib's version.

import { inflateRawSync } from 'node:zlib';

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface ZipInput {
  /** Entry name; a name ending in `/` is a directory. */
  name: string;
  data?: Uint8Array;
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

const UTF8_FLAG = 0x0800;
const EMPTY = new Uint8Array(0);

/** Builds a zip archive; `modified` stamps every entry so the output is deterministic. */
export function buildZip(entries: readonly ZipInput[], modified: Date): Buffer {
  const stamp = dosDateTime(modified);
  const names = entries.map((e) => Buffer.from(e.name, 'utf8'));
  let localSize = 0;
  let centralSize = 0;
  for (let i = 0; i < entries.length; i++) {
    localSize += 30 + names[i].length + (entries[i].data?.length ?? 0);
    centralSize += 46 + names[i].length;
  }
  // One zero-filled buffer written in place: far cheaper than concatenating pieces.
  const zip = Buffer.alloc(localSize + centralSize + 22);
  let local = 0;
  let central = localSize;
  for (let i = 0; i < entries.length; i++) {
    const name = names[i];
    const data = entries[i].data ?? EMPTY;
    const isDir = entries[i].name.endsWith('/');
    const crc = crc32(data);

    zip.writeUInt32LE(0x04034b50, local);
    zip.writeUInt16LE(10, local + 4);
    zip.writeUInt16LE(UTF8_FLAG, local + 6);
    zip.writeUInt16LE(stamp.time, local + 10);
    zip.writeUInt16LE(stamp.date, local + 12);
    zip.writeUInt32LE(crc, local + 14);
    zip.writeUInt32LE(data.length, local + 18);
    zip.writeUInt32LE(data.length, local + 22);
    zip.writeUInt16LE(name.length, local + 26);
    name.copy(zip, local + 30);
    zip.set(data, local + 30 + name.length);

    zip.writeUInt32LE(0x02014b50, central);
    zip.writeUInt16LE((3 << 8) | 20, central + 4); // made by: Unix, spec 2.0
    zip.writeUInt16LE(10, central + 6);
    zip.writeUInt16LE(UTF8_FLAG, central + 8);
    zip.writeUInt16LE(stamp.time, central + 12);
    zip.writeUInt16LE(stamp.date, central + 14);
    zip.writeUInt32LE(crc, central + 16);
    zip.writeUInt32LE(data.length, central + 20);
    zip.writeUInt32LE(data.length, central + 24);
    zip.writeUInt16LE(name.length, central + 28);
    zip.writeUInt32LE(isDir ? ((0o40755 << 16) | 0x10) >>> 0 : (0o100644 << 16) >>> 0, central + 38);
    zip.writeUInt32LE(local, central + 42);
    name.copy(zip, central + 46);

    local += 30 + name.length + data.length;
    central += 46 + name.length;
  }
  const end = localSize + centralSize;
  zip.writeUInt32LE(0x06054b50, end);
  zip.writeUInt16LE(entries.length, end + 8);
  zip.writeUInt16LE(entries.length, end + 10);
  zip.writeUInt32LE(centralSize, end + 12);
  zip.writeUInt32LE(localSize, end + 16);
  return zip;
}

/**
 * Reads a zip of stored or deflated entries, checking each CRC.
 * Throws on anything it cannot read, which is what tests of corrupted downloads want.
 */
export function readZip(zip: Buffer): ZipEntry[] {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || endAt + 22 > zip.length) throw new Error('zip: no end of central directory');
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) throw new Error('zip: bad central header');
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (method !== 0 && method !== 8) throw new Error(`zip: ${name}: unsupported method ${method}`);
    const compressedSize = zip.readUInt32LE(at + 20);
    if (localAt + 30 > zip.length || zip.readUInt32LE(localAt) !== 0x04034b50) throw new Error('zip: bad local header');
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    if (dataAt + compressedSize > zip.length) throw new Error(`zip: ${name}: truncated`);
    const stored = zip.subarray(dataAt, dataAt + compressedSize);
    // Uploads come from real zip writers, which deflate; the cap keeps a zip bomb small.
    const data = method === 0 ? stored : inflateRawSync(stored, { maxOutputLength: Math.min(Math.max(1, size), 256 * 1024 * 1024) });
    if (data.length !== size) throw new Error(`zip: ${name}: size mismatch`);
    if (crc32(data) !== crc) throw new Error(`zip: ${name}: CRC mismatch`);
    entries.push({ name, data });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

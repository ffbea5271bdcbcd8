// Reads .vsix archives (zip): list entries and extract, for printing the package contents
// and unpacking the installed layout without an unzip binary.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntryInfo {
  name: string;
  /** Uncompressed size. */
  size: number;
  compressedSize: number;
  method: number;
  localHeaderOffset: number;
}

/** Entries from the zip's central directory. */
export function listZip(zip: Buffer): ZipEntryInfo[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file: end of central directory not found');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntryInfo[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry at ${offset}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export function readZipEntry(zip: Buffer, entry: ZipEntryInfo): Buffer {
  const at = entry.localHeaderOffset;
  if (zip.readUInt32LE(at) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const raw = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(raw);
  if (entry.method === 8) return inflateRawSync(raw);
  throw new Error(`unsupported zip method ${entry.method} for ${entry.name}`);
}

/** Extracts the entries under `prefix` (e.g. "extension/") into `dest`, prefix removed. */
export function extractZip(zip: Buffer, dest: string, prefix = ''): string[] {
  const written: string[] = [];
  for (const entry of listZip(zip)) {
    if (!entry.name.startsWith(prefix) || entry.name.endsWith('/')) continue;
    const target = path.resolve(dest, entry.name.slice(prefix.length));
    if (!target.startsWith(path.resolve(dest) + path.sep)) throw new Error(`zip entry escapes: ${entry.name}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, readZipEntry(zip, entry));
    written.push(target);
  }
  return written;
}

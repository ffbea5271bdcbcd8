// Zips for the mods-folder tests: deflated or stored entries, and the hostile shapes a
// mods folder may hold (sizes that lie, truncation, a long comment). Written here rather
// than with the portal's writer because that one only stores, and only tells the truth.
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../portal-server/zip';

export interface TestEntry {
  name: string;
  data?: Buffer | string;
  /** Deflate (method 8) instead of storing. */
  deflate?: boolean;
  /** Declare this uncompressed size instead of the real one. */
  declaredSize?: number;
}

export function makeZip(entries: readonly TestEntry[], options: { comment?: Buffer } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : (entry.data ?? Buffer.alloc(0));
    const body = entry.deflate ? deflateRawSync(raw) : raw;
    const method = entry.deflate ? 8 : 0;
    const size = entry.declaredSize ?? raw.length;
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const centralDir = Buffer.concat(centrals);
  const comment = options.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, centralDir, end, comment]);
}

export function infoJson(name: string, version: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name, version, title: name, author: 'someone', factorio_version: '2.0', dependencies: ['base >= 2.0.0'], ...extra }, null, 2);
}

/** A mod zip as the portal ships it: `<name>_<version>/info.json`, deflated. */
export function modZip(name: string, version: string, extra: Record<string, unknown> = {}): Buffer {
  const top = `${name}_${version}/`;
  return makeZip([
    { name: top },
    { name: `${top}data.lua`, data: '-- data\n', deflate: true },
    { name: `${top}info.json`, data: infoJson(name, version, extra), deflate: true },
  ]);
}

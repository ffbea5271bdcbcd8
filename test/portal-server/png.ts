// Stand-in images for the local portal's /assets/: a square in colours taken from the
// asset's hash, so each mod gets its own recognisable thumbnail and the same path always
// gets the same bytes. Plain RGB PNG, encoded with node's zlib.
import { deflateSync } from 'node:zlib';
import { crc32 } from './zip';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export type Rgb = readonly [number, number, number];

/** An RGB PNG of `width`×`height` whose pixel colours come from `pixel(x, y)`. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`bad PNG size ${width}×${height}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 2; // colour type: RGB
  // compression, filter and interlace methods stay 0
  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    // Each scanline starts with its filter type, 0 (none).
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const at = y * stride + 1 + x * 3;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
    }
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The two colours of a hash's image: a mid-tone background and a lighter inner square. */
export function assetColours(hash: string): { outer: Rgb; inner: Rgb } {
  const byte = (i: number): number => parseInt(hash.slice(i * 2, i * 2 + 2), 16) || 0;
  // Kept between 48 and 175 so the lighter square always stands out.
  const outer: Rgb = [48 + (byte(0) % 128), 48 + (byte(1) % 128), 48 + (byte(2) % 128)];
  const inner: Rgb = [outer[0] + 80, outer[1] + 80, outer[2] + 80];
  return { outer, inner };
}

/** A `size`-pixel square for the hash: its colour with a lighter square in the middle half. */
export function assetPng(hash: string, size: number): Buffer {
  const { outer, inner } = assetColours(hash);
  const from = Math.floor(size / 4);
  const to = size - from;
  return encodePng(size, size, (x, y) => (x >= from && x < to && y >= from && y < to ? inner : outer));
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { CASES } from '../../portal-server/dataset';
import { assetColours, encodePng } from '../../portal-server/png';
import { IMAGE_SIZE, THUMB_SIZE, startPortalServer, type PortalServer } from '../../portal-server/server';
import { crc32 } from '../../portal-server/zip';

interface DecodedPng {
  width: number;
  height: number;
  pixel(x: number, y: number): [number, number, number];
}

/** Reads back an 8-bit RGB PNG with unfiltered scanlines, checking every chunk's CRC. */
function decodePng(png: Buffer): DecodedPng {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(png.subarray(at + 4, at + 8 + length)), `CRC of ${type}`);
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.deepEqual([...data.subarray(8)], [8, 2, 0, 0, 0], '8-bit RGB, no interlace');
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    at += 12 + length;
  }
  assert.deepEqual([types[0], types[types.length - 1]], ['IHDR', 'IEND']);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + width * 3;
  assert.equal(raw.length, stride * height);
  for (let y = 0; y < height; y++) assert.equal(raw[y * stride], 0, 'filter type none');
  return {
    width,
    height,
    pixel: (x, y) => {
      const i = y * stride + 1 + x * 3;
      return [raw[i]!, raw[i + 1]!, raw[i + 2]!];
    },
  };
}

describe('PNG encoder', () => {
  it('writes pixels a decoder reads back', () => {
    const png = decodePng(encodePng(3, 2, (x, y) => [x * 100, y * 200, 7]));
    assert.equal(png.width, 3);
    assert.equal(png.height, 2);
    assert.deepEqual(png.pixel(0, 0), [0, 0, 7]);
    assert.deepEqual(png.pixel(2, 1), [200, 200, 7]);
  });

  it('refuses an empty image', () => {
    assert.throws(() => encodePng(0, 4, () => [0, 0, 0]), RangeError);
  });
});

describe('local portal /assets/', () => {
  let server: PortalServer;

  before(async () => {
    server = await startPortalServer({ mods: 20, seed: 3 });
  });

  after(async () => {
    await server.close();
  });

  const thumbnailOf = (name: string): string => {
    const thumb = server.dataset.mods.find((m) => m.name === name)?.thumbnail;
    assert.ok(thumb && /^\/assets\/[0-9a-f]{40}\.thumb\.png$/.test(thumb), `${name} has a thumbnail: ${thumb}`);
    return thumb;
  };

  async function get(path: string): Promise<{ status: number; type: string | null; body: Buffer }> {
    const res = await fetch(server.url + path);
    return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  }

  it('serves a mod’s thumbnail as a 144-pixel square in its hash’s colours, the same bytes each time', async () => {
    const thumb = thumbnailOf(CASES.library);
    const first = await get(thumb);
    assert.equal(first.status, 200);
    assert.equal(first.type, 'image/png');
    const png = decodePng(first.body);
    assert.equal(png.width, THUMB_SIZE);
    assert.equal(png.height, THUMB_SIZE);
    const hash = thumb.slice('/assets/'.length, '/assets/'.length + 40);
    const { outer, inner } = assetColours(hash);
    assert.deepEqual(png.pixel(0, 0), [...outer]);
    assert.deepEqual(png.pixel(THUMB_SIZE / 2, THUMB_SIZE / 2), [...inner]);
    assert.ok(first.body.length < 4096, `${first.body.length} bytes`);
    assert.deepEqual((await get(thumb)).body, first.body);
  });

  it('full images are larger; other hashes get other colours', async () => {
    const thumb = thumbnailOf(CASES.library);
    const full = decodePng((await get(thumb.replace('.thumb.png', '.png'))).body);
    assert.equal(full.width, IMAGE_SIZE);
    const other = thumbnailOf(CASES.deprecated);
    const a = decodePng((await get(thumb)).body).pixel(0, 0);
    const b = decodePng((await get(other)).body).pixel(0, 0);
    assert.notDeepEqual(a, b);
  });

  it('the portal’s "no thumbnail" path and anything else under /assets/ are not found', async () => {
    assert.equal((await get('/assets/.thumb.png')).status, 404);
    assert.equal((await get('/assets/xyz.thumb.png')).status, 404);
    assert.equal((await get(`/assets/${'a'.repeat(40)}.thumb.jpg`)).status, 404);
    assert.equal((await get(`/assets/${'A'.repeat(40)}.png`)).status, 404);
    const post = await fetch(`${server.url}/assets/${'a'.repeat(40)}.png`, { method: 'POST' });
    assert.equal(post.status, 405);
  });
});

import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { buildReleaseZip } from '../../portal-server/release-zip';
import { MAX_INFO_JSON_BYTES, readZipInfoJson } from '../../../src/mods/zipInfo';
import { infoJson, makeZip, modZip } from './zips';

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'fmp-zipinfo-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, data: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
}

describe('readZipInfoJson', () => {
  test('reads a deflated info.json from the top folder', async () => {
    const r = await readZipInfoJson(write('flib_0.16.2.zip', modZip('flib', '0.16.2')));
    assert.ok(r.ok, !r.ok ? r.reason : '');
    assert.equal(r.entryName, 'flib_0.16.2/info.json');
    assert.equal(JSON.parse(r.text).version, '0.16.2');
  });

  test("reads the local portal's stored zips", async () => {
    const zip = buildReleaseZip(
      { name: 'lib', title: 'Lib', owner: 'me' },
      { download_url: '/download/lib/1', file_name: 'lib_1.2.3.zip', info_json: { factorio_version: '2.0' }, released_at: '2024-01-01T00:00:00Z', version: '1.2.3', sha1: '' },
    );
    const r = await readZipInfoJson(write('lib_1.2.3.zip', zip));
    assert.ok(r.ok);
    assert.equal(JSON.parse(r.text).name, 'lib');
  });

  test('info.json may come after many other entries', async () => {
    const entries = Array.from({ length: 3000 }, (_, i) => ({ name: `m_1.0.0/graphics/${i}.png`, data: 'x' }));
    entries.push({ name: 'm_1.0.0/info.json', data: infoJson('m', '1.0.0') });
    const r = await readZipInfoJson(write('m_1.0.0.zip', makeZip(entries)));
    assert.ok(r.ok);
  });

  test('an info.json that is not in a top folder does not count', async () => {
    const r = await readZipInfoJson(write('a.zip', makeZip([{ name: 'info.json', data: infoJson('a', '1.0.0') }, { name: 'a/b/info.json', data: infoJson('a', '1.0.0') }])));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /no <folder>\/info\.json/);
  });

  test('a zip without info.json, a wrongly named one, an empty file and random bytes are unreadable', async () => {
    for (const [name, data] of [
      ['none.zip', makeZip([{ name: 'x/data.lua', data: '--' }])],
      ['wrong.zip', makeZip([{ name: 'x/info.jsn', data: infoJson('x', '1.0.0') }])],
      ['empty.zip', Buffer.alloc(0)],
      ['noise.zip', Buffer.from('this is not a zip at all, only text pretending'.repeat(20))],
    ] as const) {
      const r = await readZipInfoJson(write(name, data));
      assert.equal(r.ok, false, name);
    }
  });

  test('a truncated zip is unreadable, wherever it is cut', async () => {
    const whole = modZip('cut', '1.0.0');
    for (const keep of [10, 40, Math.floor(whole.length / 2), whole.length - 30, whole.length - 1]) {
      const r = await readZipInfoJson(write(`cut-${keep}.zip`, whole.subarray(0, keep)));
      assert.equal(r.ok, false, `kept ${keep} of ${whole.length}`);
    }
  });

  test('a huge declared info.json is refused before inflating', async () => {
    const r = await readZipInfoJson(write('big.zip', makeZip([{ name: 'b/info.json', data: 'x', deflate: true, declaredSize: MAX_INFO_JSON_BYTES + 1 }])));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /more than/);
  });

  test('a zip bomb that lies about its size stops at the declared size', async () => {
    // 50 MB of zeros deflate to about 50 KB; the entry claims 100 bytes.
    const bomb = makeZip([{ name: 'b/info.json', data: Buffer.alloc(50 * 1024 * 1024), deflate: true, declaredSize: 100 }]);
    assert.ok(bomb.length < 200_000);
    const r = await readZipInfoJson(write('bomb.zip', bomb));
    assert.equal(r.ok, false);
  });

  test('a compressed entry far larger than any info.json is refused unread', async () => {
    const r = await readZipInfoJson(write('padded.zip', makeZip([{ name: 'p/info.json', data: randomBytes(MAX_INFO_JSON_BYTES + 100 * 1024), deflate: true, declaredSize: 10 }])));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /bytes in the zip/);
  });

  test('a real but oversized info.json is refused', async () => {
    const big = infoJson('b', '1.0.0', { description: 'x'.repeat(MAX_INFO_JSON_BYTES) });
    const r = await readZipInfoJson(write('b.zip', makeZip([{ name: 'b/info.json', data: big, deflate: true }])));
    assert.equal(r.ok, false);
  });

  test('a maximal archive comment is fine', async () => {
    const zip = makeZip([{ name: 'c/info.json', data: infoJson('c', '1.0.0') }], { comment: Buffer.alloc(65535, 0x41) });
    const r = await readZipInfoJson(write('c.zip', zip));
    assert.ok(r.ok, !r.ok ? r.reason : '');
  });

  test('a missing file is unreadable, not a throw', async () => {
    const r = await readZipInfoJson(path.join(dir, 'absent.zip'));
    assert.equal(r.ok, false);
  });
});

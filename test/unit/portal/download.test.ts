import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { PortalClient, type DownloadBody } from '../../../src/portal/client';
import {
  DownloadError,
  downloadRelease,
  releaseFileName,
  saveStream,
  sha1Hex,
  targetPath,
} from '../../../src/portal/download';
import { isPortalError } from '../../../src/portal/errors';
import type { Release } from '../../../src/portal/types';
import { CASES } from '../../portal-server/dataset';
import { startPortalServer, type PortalServer } from '../../portal-server/server';

const ZIP = new Uint8Array(Buffer.from('PK\u0003\u0004 pretend this is a zip'));
const SHA1 = sha1Hex(ZIP);

let dir: string;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'fmp-download-')));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function rejectsCancelled(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (e: unknown) => isPortalError(e) && e.kind === 'cancelled');
}

async function rejectsWith(promise: Promise<unknown>, kind: DownloadError['kind']): Promise<DownloadError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof DownloadError, `expected a DownloadError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

describe('targetPath', () => {
  test('accepts plain file names', () => {
    assert.equal(targetPath(dir, 'factorio-lib_1.4.2.zip'), path.join(dir, 'factorio-lib_1.4.2.zip'));
    assert.equal(targetPath(dir, 'Mixed_Case-Mod_0.2.0.zip'), path.join(dir, 'Mixed_Case-Mod_0.2.0.zip'));
  });

  for (const name of ['../evil.zip', '..', '.', 'a/b.zip', 'a\\b.zip', '/etc/passwd', 'C:evil.zip', 'x\u0000.zip', '', 'nul', 'mod.zip.', 'CON.zip']) {
    test(`refuses ${JSON.stringify(name)}`, () => {
      assert.throws(
        () => targetPath(dir, name),
        (e: unknown) => e instanceof DownloadError && e.kind === 'unsafe-name',
      );
    });
  }

  test('the file name falls back to the one the game uses', () => {
    assert.equal(releaseFileName('lib', { file_name: '', version: '1.0.0' }), 'lib_1.0.0.zip');
    assert.equal(releaseFileName('lib', { file_name: 'lib_1.0.0.zip', version: '1.0.0' }), 'lib_1.0.0.zip');
    // Another mod's zip, another version, a path: refused, never followed.
    for (const file_name of ['other_1.0.0.zip', 'lib_1.0.1.zip', '../lib_1.0.0.zip', 'lib_1.0.0.ZIP']) {
      assert.throws(() => releaseFileName('lib', { file_name, version: '1.0.0' }), (e: unknown) => e instanceof DownloadError && e.kind === 'unexpected-name', file_name);
    }
  });
});

/** A body of `data` in chunks of `size`; with `failAfter`, the transfer breaks after that many bytes. */
function bodyOf(data: Uint8Array, options: { size?: number; total?: number; failAfter?: number } = {}): DownloadBody {
  const size = options.size ?? 7;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < data.length; at += size) {
      if (options.failAfter !== undefined && at >= options.failAfter) throw new Error('connection reset');
      yield data.subarray(at, at + size);
    }
  }
  return { total: 'total' in options ? options.total : data.length, chunks: chunks() };
}

describe('saveStream', () => {
  test('writes the verified bytes under the real name and nothing else; progress up to the total', async () => {
    const progress: Array<[number, number | undefined]> = [];
    const saved = await saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP), sha1: SHA1.toUpperCase(), onProgress: (r, t) => progress.push([r, t]) });
    assert.deepEqual(saved, { path: path.join(dir, 'lib_1.0.0.zip'), sha1: SHA1, bytes: ZIP.byteLength });
    assert.deepEqual(readdirSync(dir), ['lib_1.0.0.zip']);
    assert.equal(sha1Hex(readFileSync(saved.path)), SHA1);
    assert.deepEqual(progress[0], [0, ZIP.byteLength]);
    assert.deepEqual(progress[progress.length - 1], [ZIP.byteLength, ZIP.byteLength]);
  });

  test('never replaces a file of the same name unless asked to', async () => {
    writeFileSync(path.join(dir, 'lib_1.0.0.zip'), 'old');
    await rejectsWith(saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP), sha1: SHA1 }), 'exists');
    assert.equal(readFileSync(path.join(dir, 'lib_1.0.0.zip'), 'utf8'), 'old');
    assert.deepEqual(readdirSync(dir), ['lib_1.0.0.zip'], 'no temporary file is left');
    await saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP), sha1: SHA1, replace: true });
    assert.equal(sha1Hex(readFileSync(path.join(dir, 'lib_1.0.0.zip'))), SHA1);
    assert.deepEqual(readdirSync(dir), ['lib_1.0.0.zip']);
  });

  test('a sha1 mismatch leaves no file, and an existing good copy untouched', async () => {
    writeFileSync(path.join(dir, 'keep_1.0.0.zip'), 'good');
    const corrupt = Uint8Array.from(ZIP, (b, i) => (i === 5 ? b ^ 0xff : b));
    const error = await rejectsWith(saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(corrupt), sha1: SHA1 }), 'checksum');
    assert.match(error.message, /corrupt/);
    await rejectsWith(saveStream({ folder: dir, fileName: 'keep_1.0.0.zip', body: bodyOf(corrupt), sha1: SHA1 }), 'checksum');
    assert.deepEqual(readdirSync(dir), ['keep_1.0.0.zip']);
    assert.equal(readFileSync(path.join(dir, 'keep_1.0.0.zip'), 'utf8'), 'good');
  });

  test('a transfer that breaks leaves no file, and its error passes through', async () => {
    await assert.rejects(saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP, { failAfter: 14 }), sha1: SHA1 }), /connection reset/);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('the size cap: refused from the announced size, or once the bytes pass it', async () => {
    await rejectsWith(saveStream({ folder: dir, fileName: 'a.zip', body: bodyOf(ZIP), sha1: SHA1, maxBytes: 10 }), 'too-large');
    await rejectsWith(saveStream({ folder: dir, fileName: 'b.zip', body: bodyOf(ZIP, { total: undefined }), sha1: SHA1, maxBytes: 10 }), 'too-large');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('no usable sha1 means nothing is saved', async () => {
    await rejectsWith(saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP), sha1: '' }), 'no-checksum');
    await rejectsWith(saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP), sha1: 'xyz' }), 'no-checksum');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a failed rename removes the temporary file', async () => {
    // A non-empty folder under the target name makes the rename fail (asked to replace) or the name taken (not asked).
    mkdirSync(path.join(dir, 'lib_1.0.0.zip'));
    writeFileSync(path.join(dir, 'lib_1.0.0.zip', 'inside'), 'x');
    await rejectsWith(saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP), sha1: SHA1, replace: true }), 'write');
    assert.deepEqual(readdirSync(dir), ['lib_1.0.0.zip']);
    await rejectsWith(saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP), sha1: SHA1 }), 'exists');
    assert.deepEqual(readdirSync(dir), ['lib_1.0.0.zip']);
  });

  test('a missing folder is an error, not created', async () => {
    const missing = path.join(dir, 'nope');
    await rejectsWith(saveStream({ folder: missing, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP), sha1: SHA1 }), 'folder');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('refuses an escaping name before writing anything', async () => {
    const inner = path.join(dir, 'mods');
    mkdirSync(inner);
    await rejectsWith(saveStream({ folder: inner, fileName: '../escape.zip', body: bodyOf(ZIP), sha1: SHA1 }), 'unsafe-name');
    assert.deepEqual(readdirSync(dir), ['mods']);
    assert.deepEqual(readdirSync(inner), []);
  });

  test('cancelled: no file', async () => {
    const controller = new AbortController();
    controller.abort();
    await rejectsCancelled(saveStream({ folder: dir, fileName: 'lib_1.0.0.zip', body: bodyOf(ZIP), sha1: SHA1, signal: controller.signal }));
    assert.deepEqual(readdirSync(dir), []);
  });
});

describe('downloadRelease from the local portal (through its redirect)', () => {
  let server: PortalServer;

  before(async () => {
    server = await startPortalServer({ mods: 20, seed: 3 });
  });

  after(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.setFaults(undefined);
    server.clearRequests();
  });

  const client = (): PortalClient =>
    new PortalClient({ baseUrl: server.url, userAgent: 'factorio-mod-portal-tests/0.0.1', maxRetries: 2, random: () => 0, sleep: async () => undefined });
  const releaseOf = (name: string): Release => {
    const mod = server.dataset.mods.find((m) => m.name === name)!;
    return mod.releases[mod.releases.length - 1]!;
  };
  const get = (name: string, options: { signal?: AbortSignal; onProgress?: (r: number, t: number | undefined) => void; maxBytes?: number } = {}) => {
    const release = releaseOf(name);
    return downloadRelease(client(), release, { folder: dir, fileName: releaseFileName(name, release), credentials: server.credentials, ...options });
  };

  test('saves the verified zip, with progress; the download host never sees the credentials', async () => {
    const release = releaseOf(CASES.library);
    const progress: Array<[number, number | undefined]> = [];
    const saved = await get(CASES.library, { onProgress: (r, t) => progress.push([r, t]) });
    assert.equal(saved.path, path.join(dir, release.file_name));
    assert.equal(saved.sha1, release.sha1);
    assert.deepEqual(readdirSync(dir), [release.file_name]);
    assert.equal(sha1Hex(readFileSync(saved.path)), release.sha1);
    assert.deepEqual(progress[progress.length - 1], [saved.bytes, saved.bytes]);
    assert.deepEqual(server.requests.map((r) => [r.host, r.credentials]), [['portal', true], ['download', false]]);
  });

  test('a mod called login-tools downloads', async () => {
    const saved = await get(CASES.login);
    assert.equal(sha1Hex(readFileSync(saved.path)), releaseOf(CASES.login).sha1);
  });

  test('corrupt bytes: a checksum error and no file', async () => {
    server.setFaults({ corruptDownload: true });
    await rejectsWith(get(CASES.mixedCase), 'checksum');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('cut off every time: a network error after the retries, and no file', async () => {
    server.setFaults({ truncate: true });
    await assert.rejects(get(CASES.library), (e: unknown) => isPortalError(e) && e.kind === 'network' && /cut off/.test(e.message));
    assert.deepEqual(readdirSync(dir), []);
    assert.equal(server.requests.filter((r) => r.host === 'download').length, 3);
  });

  test('cancelled while the portal is slow: cancelled, and no file', async () => {
    server.setFaults({ latencyMs: 5000 });
    const controller = new AbortController();
    const pending = get(CASES.library, { signal: controller.signal });
    controller.abort();
    await rejectsCancelled(pending);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('cancelled mid-body: cancelled, and no file', async () => {
    const controller = new AbortController();
    const pending = get(CASES.library, {
      signal: controller.signal,
      onProgress: (received) => {
        if (received > 0) controller.abort();
      },
    });
    await rejectsCancelled(pending);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('over the size cap: too-large, and no file', async () => {
    await rejectsWith(get(CASES.library, { maxBytes: 64 }), 'too-large');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('an unsafe name, a missing folder or no sha1 are refused before any request', async () => {
    const release = releaseOf(CASES.library);
    const options = { credentials: server.credentials };
    await rejectsWith(downloadRelease(client(), release, { ...options, folder: dir, fileName: '../x.zip' }), 'unsafe-name');
    await rejectsWith(downloadRelease(client(), release, { ...options, folder: path.join(dir, 'missing'), fileName: 'x.zip' }), 'folder');
    await rejectsWith(downloadRelease(client(), { ...release, sha1: '' }, { ...options, folder: dir, fileName: 'x.zip' }), 'no-checksum');
    assert.equal(server.requests.length, 0);
  });
});

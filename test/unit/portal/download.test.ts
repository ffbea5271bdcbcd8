import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  DownloadError,
  downloadToFolder,
  releaseFileName,
  saveVerified,
  sha1Hex,
  targetPath,
} from '../../../src/portal/download';

const ZIP = new Uint8Array(Buffer.from('PK\u0003\u0004 pretend this is a zip'));
const SHA1 = sha1Hex(ZIP);

let dir: string;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'fmp-download-')));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

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
  });
});

describe('saveVerified', () => {
  test('writes the verified bytes under the real name and nothing else', async () => {
    const file = await saveVerified({ folder: dir, fileName: 'lib_1.0.0.zip', data: ZIP, sha1: SHA1.toUpperCase() });
    assert.equal(file, path.join(dir, 'lib_1.0.0.zip'));
    assert.deepEqual(readdirSync(dir), ['lib_1.0.0.zip']);
    assert.equal(sha1Hex(readFileSync(file)), SHA1);
  });

  test('replaces an older copy of the same file', async () => {
    writeFileSync(path.join(dir, 'lib_1.0.0.zip'), 'old');
    await saveVerified({ folder: dir, fileName: 'lib_1.0.0.zip', data: ZIP, sha1: SHA1 });
    assert.equal(sha1Hex(readFileSync(path.join(dir, 'lib_1.0.0.zip'))), SHA1);
  });

  test('a sha1 mismatch leaves no file, and an existing good copy untouched', async () => {
    writeFileSync(path.join(dir, 'keep_1.0.0.zip'), 'good');
    const corrupt = Uint8Array.from(ZIP, (b, i) => (i === 5 ? b ^ 0xff : b));
    const error = await rejectsWith(saveVerified({ folder: dir, fileName: 'lib_1.0.0.zip', data: corrupt, sha1: SHA1 }), 'checksum');
    assert.match(error.message, /corrupt/);
    await rejectsWith(saveVerified({ folder: dir, fileName: 'keep_1.0.0.zip', data: corrupt, sha1: SHA1 }), 'checksum');
    assert.deepEqual(readdirSync(dir), ['keep_1.0.0.zip']);
    assert.equal(readFileSync(path.join(dir, 'keep_1.0.0.zip'), 'utf8'), 'good');
  });

  test('no usable sha1 means nothing is saved', async () => {
    await rejectsWith(saveVerified({ folder: dir, fileName: 'lib_1.0.0.zip', data: ZIP, sha1: '' }), 'no-checksum');
    await rejectsWith(saveVerified({ folder: dir, fileName: 'lib_1.0.0.zip', data: ZIP, sha1: 'xyz' }), 'no-checksum');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a failed rename removes the temporary file', async () => {
    // A non-empty folder under the target name makes the rename fail.
    mkdirSync(path.join(dir, 'lib_1.0.0.zip'));
    writeFileSync(path.join(dir, 'lib_1.0.0.zip', 'inside'), 'x');
    await rejectsWith(saveVerified({ folder: dir, fileName: 'lib_1.0.0.zip', data: ZIP, sha1: SHA1 }), 'write');
    assert.deepEqual(readdirSync(dir), ['lib_1.0.0.zip']);
  });

  test('a missing folder is an error, not created', async () => {
    const missing = path.join(dir, 'nope');
    await rejectsWith(saveVerified({ folder: missing, fileName: 'lib_1.0.0.zip', data: ZIP, sha1: SHA1 }), 'folder');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('refuses an escaping name before writing anything', async () => {
    const inner = path.join(dir, 'mods');
    mkdirSync(inner);
    await rejectsWith(saveVerified({ folder: inner, fileName: '../escape.zip', data: ZIP, sha1: SHA1 }), 'unsafe-name');
    assert.deepEqual(readdirSync(dir), ['mods']);
    assert.deepEqual(readdirSync(inner), []);
  });

  test('cancelled before the rename: no file', async () => {
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(saveVerified({ folder: dir, fileName: 'lib_1.0.0.zip', data: ZIP, sha1: SHA1, signal: controller.signal }), 'cancelled');
    assert.deepEqual(readdirSync(dir), []);
  });
});

describe('downloadToFolder', () => {
  test('fetches, verifies and saves', async () => {
    let fetches = 0;
    const saved = await downloadToFolder({
      folder: dir,
      fileName: 'lib_1.0.0.zip',
      sha1: SHA1,
      fetch: async () => {
        fetches++;
        return ZIP;
      },
    });
    assert.equal(fetches, 1);
    assert.deepEqual(saved, { path: path.join(dir, 'lib_1.0.0.zip'), sha1: SHA1, bytes: ZIP.byteLength });
  });

  test('an unsafe name or a missing folder is refused without fetching', async () => {
    let fetches = 0;
    const fetch = async (): Promise<Uint8Array> => {
      fetches++;
      return ZIP;
    };
    await rejectsWith(downloadToFolder({ folder: dir, fileName: '../x.zip', sha1: SHA1, fetch }), 'unsafe-name');
    await rejectsWith(downloadToFolder({ folder: path.join(dir, 'missing'), fileName: 'x.zip', sha1: SHA1, fetch }), 'folder');
    await rejectsWith(downloadToFolder({ folder: dir, fileName: 'x.zip', sha1: '', fetch }), 'no-checksum');
    assert.equal(fetches, 0);
  });

  test('a fetch error passes through and leaves nothing', async () => {
    const boom = new Error('refused: username or token is wrong');
    await assert.rejects(
      downloadToFolder({ folder: dir, fileName: 'x.zip', sha1: SHA1, fetch: () => Promise.reject(boom) }),
      (e: unknown) => e === boom,
    );
    assert.deepEqual(readdirSync(dir), []);
  });
});

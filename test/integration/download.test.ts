import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, afterEach, before, beforeEach, suite, test } from './framework';
import { setFaults } from './helpers';
import { answeringQuickPicks, portalJson } from './explorer-support';

// The local portal's account (test/portal-server: DEFAULT_CREDENTIALS).
const GOOD = { username: 'test-user', token: 'test-token-123' };
const BAD = { username: 'test-user', token: 'not-the-token' };

type Outcome =
  | { status: 'saved'; path: string; sha1: string; bytes: number }
  | { status: 'failed'; code: string; message: string }
  | { status: 'cancelled' };

interface FullRelease {
  version: string;
  sha1: string;
  file_name: string;
}

async function releaseOf(name: string, version: string): Promise<FullRelease> {
  const full = await portalJson<{ releases: FullRelease[] }>(`/api/mods/${encodeURIComponent(name)}/full`);
  const release = full.releases.find((r) => r.version === version);
  if (!release) throw new Error(`${name} has no release ${version}`);
  return release;
}

function download(args: object): Thenable<Outcome> {
  return vscode.commands.executeCommand<Outcome>('factorioPortal.downloadRelease', args);
}

suite('download a release', () => {
  let folder = '';

  before(async () => {
    await vscode.commands.executeCommand('factorioPortal.signOut');
  });

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'fmp-mods-'));
  });

  afterEach(async () => {
    await setFaults(null);
    rmSync(folder, { recursive: true, force: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('factorioPortal.signOut');
  });

  test('without credentials the user is asked; backing out downloads nothing', async () => {
    const outcome = await answeringQuickPicks(() => download({ name: 'factorio-lib', version: '1.4.2', folder }), 'close');
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.status === 'failed' && outcome.code, 'no-credentials');
    assert.deepEqual(readdirSync(folder), []);
  });

  test('a bad token: a clear error, no file, and the token appears nowhere', async () => {
    assert.equal(await vscode.commands.executeCommand('factorioPortal.signIn', BAD), true);
    const outcome = await download({ name: 'factorio-lib', version: '1.4.2', folder });
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    if (outcome.status !== 'failed') return;
    assert.equal(outcome.code, 'bad-credentials');
    assert.match(outcome.message, /username or token is wrong/);
    assert.ok(!outcome.message.includes(BAD.token));
    assert.deepEqual(readdirSync(folder), []);
  });

  test('a good token: the file is saved under its name and its sha1 is the release’s', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    const release = await releaseOf('factorio-lib', '1.4.2');
    const outcome = await download({ name: 'factorio-lib', version: '1.4.2', folder });
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    if (outcome.status !== 'saved') return;
    assert.equal(outcome.path, path.join(folder, release.file_name));
    assert.deepEqual(readdirSync(folder), [release.file_name]);
    const bytes = readFileSync(outcome.path);
    assert.equal(createHash('sha1').update(bytes).digest('hex'), release.sha1);
    assert.equal(outcome.sha1, release.sha1);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  });

  test('a corrupted download is refused and leaves no file', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    await setFaults({ corruptDownload: true });
    const outcome = await download({ name: 'Mixed_Case-Mod', version: '0.2.0', folder });
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    if (outcome.status !== 'failed') return;
    assert.equal(outcome.code, 'checksum');
    assert.match(outcome.message, /corrupt/);
    assert.deepEqual(readdirSync(folder), [], 'not even a temporary file');
  });

  test('the release picker offers the latest release first; Sign Out forgets the credentials', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    const outcome = await answeringQuickPicks(() => download({ name: 'legacy-only-11', folder }), 'accept');
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    assert.deepEqual(readdirSync(folder), ['legacy-only-11_1.1.0.zip']);

    assert.equal(await vscode.commands.executeCommand('factorioPortal.signOut'), true);
    assert.equal(await vscode.commands.executeCommand('factorioPortal.signOut'), false, 'nothing left to remove');
  });

  test('an unknown version or mod fails clearly', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    const noRelease = await download({ name: 'factorio-lib', version: '9.9.9', folder });
    assert.equal(noRelease.status === 'failed' && noRelease.code, 'no-release');
    const noMod = await download({ name: 'no-such-mod-anywhere', version: '1.0.0', folder });
    assert.equal(noMod.status === 'failed' && noMod.code, 'not-found');
    assert.deepEqual(readdirSync(folder), []);
  });
});

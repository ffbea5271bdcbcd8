import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, afterEach, before, beforeEach, suite, test } from './framework';
import {
  answeringQuickPicks,
  clearRequests,
  extension,
  getRequests,
  setFaults,
  workspaceRoot,
  releaseOf,
  logContaining,
} from './helpers';

// The local portal's accounts (test/portal-server: DEFAULT_CREDENTIALS, FORBIDDEN_CREDENTIALS).
// `trustPortal` answers in advance the question asked before the token first goes to a
// portal other than the official one (a modal no test inside the editor can click).
const GOOD = { username: 'test-user', token: 'test-token-123', trustPortal: true };
const BAD = { username: 'test-user', token: 'not-the-token', trustPortal: true };
const NO_GAME = { username: 'no-game-user', token: 'no-game-token-456', trustPortal: true };

type Outcome =
  | { status: 'saved'; path: string; sha1: string; bytes: number }
  | { status: 'present'; path: string }
  | { status: 'failed'; code: string; message: string }
  | { status: 'cancelled' };

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

  test('a portal file_name that is not <name>_<version>.zip is refused before any download', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    await clearRequests();
    const outcome = await download({ name: 'odd-file-name', version: '1.0.0', folder });
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    if (outcome.status !== 'failed') return;
    assert.equal(outcome.code, 'unexpected-name');
    assert.match(outcome.message, /factorio-lib_1\.4\.2\.zip/);
    assert.deepEqual(readdirSync(folder), []);
    assert.deepEqual((await getRequests()).filter((r) => r.path.startsWith('/download/') || r.host === 'download'), []);
  });

  test('a file already there is never replaced silently: same bytes need no download, other bytes are kept beside', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    const release = await releaseOf('factorio-lib', '1.4.2');
    const target = path.join(folder, release.file_name);
    writeFileSync(target, 'my own build');
    const cancelled = await download({ name: 'factorio-lib', version: '1.4.2', folder, existing: 'cancel' });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(readFileSync(target, 'utf8'), 'my own build');

    const both = await download({ name: 'factorio-lib', version: '1.4.2', folder, existing: 'keep-both' });
    assert.equal(both.status, 'saved', JSON.stringify(both));
    assert.equal(readFileSync(target, 'utf8'), 'my own build');
    assert.deepEqual(readdirSync(folder).sort(), ['factorio-lib_1.4.2 (2).zip', release.file_name].sort());
    assert.equal(createHash('sha1').update(readFileSync(path.join(folder, 'factorio-lib_1.4.2 (2).zip'))).digest('hex'), release.sha1);

    const replaced = await download({ name: 'factorio-lib', version: '1.4.2', folder, existing: 'replace' });
    assert.equal(replaced.status, 'saved', JSON.stringify(replaced));
    assert.equal(createHash('sha1').update(readFileSync(target)).digest('hex'), release.sha1);

    await clearRequests();
    const present = await download({ name: 'factorio-lib', version: '1.4.2', folder });
    assert.deepEqual(present, { status: 'present', path: target });
    assert.deepEqual((await getRequests()).filter((r) => r.path.startsWith('/download/') || r.host === 'download'), []);
  });

  test('through the portal’s redirect: the download host serves the zip and never sees the username or token', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    await clearRequests();
    const outcome = await download({ name: 'factorio-lib', version: '1.4.2', folder });
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    const seen = (await getRequests()).filter((r) => r.path.startsWith('/download/') || r.host === 'download');
    assert.deepEqual(
      seen.map((r) => [r.host, r.credentials]),
      [
        ['portal', true],
        ['download', false],
      ],
    );
  });

  test('a mod whose name starts with "login" downloads (the login page is told by the redirect’s path)', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    const release = await releaseOf('login-tools', '1.0.0');
    const outcome = await download({ name: 'login-tools', version: '1.0.0', folder });
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    assert.deepEqual(readdirSync(folder), [release.file_name]);
    assert.equal(createHash('sha1').update(readFileSync(path.join(folder, release.file_name))).digest('hex'), release.sha1);
  });

  test('an account that may not download: a message saying so, no file', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', NO_GAME);
    const outcome = await download({ name: 'factorio-lib', version: '1.4.2', folder });
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    if (outcome.status !== 'failed') return;
    assert.equal(outcome.code, 'forbidden');
    assert.match(outcome.message, /may not download/);
    assert.deepEqual(readdirSync(folder), []);
  });

  test('a download cut off once is tried again and saved; cut off every time, no file', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    await setFaults({ truncate: true, times: 1, match: '/download/' });
    const once = await download({ name: 'Mixed_Case-Mod', version: '0.2.0', folder });
    assert.equal(once.status, 'saved', JSON.stringify(once));
    rmSync(path.join(folder, readdirSync(folder)[0]!));
    await setFaults({ truncate: true, match: '/download/' });
    const always = await download({ name: 'Mixed_Case-Mod', version: '0.2.0', folder });
    assert.equal(always.status, 'failed', JSON.stringify(always));
    assert.deepEqual(readdirSync(folder), [], 'not even a temporary file');
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

suite('download: credentials from player-data.json', () => {
  let factorio = '';
  let mods = '';
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('factorioPortal');

  before(async () => {
    // Agree to send the token to the local portal, then forget the account again.
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    await vscode.commands.executeCommand('factorioPortal.signOut');
    // A Factorio data folder as the game leaves it: player-data.json next to mods/.
    factorio = mkdtempSync(path.join(tmpdir(), 'fmp-factorio-'));
    mods = path.join(factorio, 'mods');
    mkdirSync(mods);
    writeFileSync(
      path.join(factorio, 'player-data.json'),
      JSON.stringify({ 'available-campaign-levels': {}, 'service-username': GOOD.username, 'service-token': GOOD.token, 'last-played-version': { game_version: '2.0.55' } }, null, 2),
    );
    // The user's own settings: a workspace's value is never read (see settings.test.ts).
    await config().update('modsFolder', mods, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('modsFolder', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('factorioPortal.signOut');
    rmSync(factorio, { recursive: true, force: true });
  });

  test('the first download offers player-data.json; the zip lands in the mods folder and the token stays secret', async () => {
    const release = await releaseOf('factorio-lib', '1.4.2');
    // Two quick picks, each answered with Enter: the folder (the configured mods folder
    // first), then where the credentials come from (player-data.json first).
    const outcome = await answeringQuickPicks(() => download({ name: 'factorio-lib', version: '1.4.2' }), 'accept');
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    if (outcome.status !== 'saved') return;
    assert.equal(outcome.path, path.join(mods, release.file_name));
    assert.deepEqual(readdirSync(mods), [release.file_name]);
    assert.equal(createHash('sha1').update(readFileSync(outcome.path)).digest('hex'), release.sha1);

    // Stored: the next download asks nothing (closing any pick would make it fail).
    const again = await answeringQuickPicks(() => download({ name: 'Mixed_Case-Mod', version: '0.2.0', folder: mods }), 'close');
    assert.equal(again.status, 'saved', JSON.stringify(again));

    // Not in any setting, at any level…
    const properties = Object.keys(
      (extension().packageJSON as { contributes: { configuration: { properties: Record<string, unknown> } } }).contributes.configuration.properties,
    );
    assert.ok(properties.includes('factorioPortal.modsFolder'));
    for (const key of properties) {
      const inspected = JSON.stringify(config().inspect(key.slice('factorioPortal.'.length)) ?? {});
      assert.ok(!inspected.includes(GOOD.token), `${key}: ${inspected}`);
    }
    assert.ok(!JSON.stringify(config()).includes(GOOD.token));
    const settingsFile = vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
    const settingsText = await vscode.workspace.fs.readFile(settingsFile).then((bytes) => Buffer.from(bytes).toString('utf8'), () => '');
    assert.ok(!settingsText.includes(GOOD.token));
    // …nor in the log, which records both downloads.
    const log = await logContaining(`Downloaded ${release.file_name}`);
    assert.ok(!log.includes(GOOD.token), 'the token is in the log');
  });
});

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, afterEach, before, suite, test } from './framework';
import { clearRequests, codesOf, getRequests, logContaining, portalUrl, scratchFolder, setFaults, waitFor, writeInfoJson, type RecordedRequest } from './helpers';

// The local portal's API keys (test/portal-server/publishing.ts: DEFAULT_API_KEYS).
// `trustPortal` answers in advance the question asked before the key first goes to a
// portal other than the official one (a modal no test inside the editor can click).
const ALL_SCOPES = 'test-api-key-all-7c2f9a1e';
const UPLOAD_ONLY = 'test-api-key-upload-4b8d03';
const KEYS = [ALL_SCOPES, UPLOAD_ONLY];

type PublishOutcome =
  | { status: 'published'; name: string; version: string; url: string; bytes: number; newMod: boolean; tagged?: boolean }
  | { status: 'failed'; code: string; message: string }
  | { status: 'cancelled'; stage: string };
type EditOutcome = { status: 'sent'; fields: string[] } | { status: 'unchanged' } | { status: 'failed'; code: string; message: string } | { status: 'cancelled'; stage: string };

/** The questions of a first release and the confirmation, answered as a user would. */
const ANSWERS = { confirm: true, continueOnFailure: false, category: 'tweaks', license: 'default_mit', sourceUrl: 'https://example.com/src' };

function publish(infoJson: vscode.Uri, extra: object = {}): Thenable<PublishOutcome> {
  return vscode.commands.executeCommand<PublishOutcome>('factorioPortal.publishRelease', { infoJson: infoJson.toString(), ...ANSWERS, ...extra });
}

async function setKey(key: string): Promise<void> {
  assert.equal(await vscode.commands.executeCommand('factorioPortal.setApiKey', { key, trustPortal: true }), true);
}

/** A mod folder in the workspace with what a release needs (a changelog entry for each version). */
async function writeMod(name: string, version: string, folder: string, extra: Record<string, unknown> = {}, files: Record<string, string | Buffer> = {}): Promise<vscode.Uri> {
  const uri = await writeInfoJson({ name, version, title: `Title of ${name}`, author: 'test-user', factorio_version: '2.0', dependencies: ['base >= 2.0'], description: 'A mod.', ...extra }, folder);
  const dir = path.dirname(uri.fsPath);
  writeFileSync(path.join(dir, 'changelog.txt'), `---------------------------------------------------------------------------------------------------\nVersion: ${version}\nDate: 2026-12-01\n  Changes:\n    - Something.\n`);
  writeFileSync(path.join(dir, 'control.lua'), '-- nothing yet\n');
  for (const [file, data] of Object.entries(files)) writeFileSync(path.join(dir, file), data);
  return uri;
}

async function full(name: string): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`${portalUrl()}/api/mods/${name}/full`);
  return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
}

function management(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.path.startsWith('/api/v2/') || r.path.startsWith('/upload/'));
}

/** No request but those to the portal's /api/v2/ carried a key, and the upload listener saw none. */
function assertKeyStayed(requests: RecordedRequest[]): void {
  for (const request of requests) {
    const text = JSON.stringify({ url: request.url, headers: request.headers });
    const holds = KEYS.some((k) => text.includes(k));
    if (request.host === 'portal' && request.path.startsWith('/api/v2/')) continue;
    assert.equal(holds, false, `the key went to ${request.host} ${request.path}`);
    assert.equal(request.headers.authorization, undefined, `an Authorization header went to ${request.host} ${request.path}`);
  }
}

suite('publish a mod release', () => {
  const name = `published-${Date.now().toString(36)}`;
  const folder = scratchFolder('publish');
  let uri: vscode.Uri;

  before(async () => {
    await setKey(ALL_SCOPES);
  });

  afterEach(async () => {
    await setFaults(null);
  });

  after(async () => {
    await vscode.commands.executeCommand('factorioPortal.clearApiKey');
  });

  test('the first release of a new mod: init_publish, the upload, the page; the key only at /api/v2/', async () => {
    uri = await writeMod(name, '1.0.0', folder);
    assert.equal(await full(name), undefined);
    await clearRequests();
    const outcome = await publish(uri);
    assert.equal(outcome.status, 'published', JSON.stringify(outcome));
    if (outcome.status !== 'published') return;
    assert.equal(outcome.newMod, true);
    assert.equal(outcome.url, `${portalUrl()}/mod/${name}`);
    const requests = await getRequests();
    assert.deepEqual(management(requests).map((r) => [r.host, r.path.replace(/\/upload\/.*/, '/upload/…')]), [
      ['portal', '/api/v2/mods/init_publish'],
      ['download', '/upload/…'],
    ]);
    assert.equal(management(requests)[0].headers.authorization, `Bearer ${ALL_SCOPES}`);
    assertKeyStayed(requests);
    const entry = await full(name);
    assert.ok(entry, 'the portal serves the new mod');
    assert.equal(entry.category, 'tweaks');
    assert.equal((entry.license as { id: string }).id, 'default_mit');
    assert.deepEqual((entry.releases as Array<{ version: string }>).map((r) => r.version), ['1.0.0']);
    // The mod's record was refreshed: its own info.json now says the version is on the portal.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor(() => codesOf(uri).includes('already-published'), { timeoutMs: 15_000, message: 'already-published on the published info.json' });
    const log = await logContaining(`Published ${name} 1.0.0`);
    assert.ok(!KEYS.some((k) => log.includes(k)), 'the key is not in the log');
  });

  test('a second release: init_upload, then the upload', async () => {
    await writeMod(name, '1.1.0', folder);
    await clearRequests();
    const outcome = await publish(uri);
    assert.equal(outcome.status, 'published', JSON.stringify(outcome));
    assert.equal(outcome.status === 'published' && outcome.newMod, false);
    const requests = await getRequests();
    assert.deepEqual(management(requests).map((r) => r.path.replace(/\/upload\/.*/, '/upload/…')), ['/api/v2/mods/releases/init_upload', '/upload/…']);
    assertKeyStayed(requests);
    assert.deepEqual(((await full(name))!.releases as Array<{ version: string }>).map((r) => r.version), ['1.0.0', '1.1.0']);
  });

  test('a version already on the portal is refused before any upload', async () => {
    await clearRequests();
    // The preflight's version check stops it first…
    const stopped = await publish(uri);
    assert.equal(stopped.status, 'failed', JSON.stringify(stopped));
    assert.equal(stopped.status === 'failed' && stopped.code, 'preflight');
    assert.match(stopped.status === 'failed' ? stopped.message : '', /1\.1\.0/);
    // …and going on past it, the portal's own list stops it before anything is sent.
    const refused = await publish(uri, { continueOnFailure: true });
    assert.equal(refused.status === 'failed' && refused.code, 'version-exists', JSON.stringify(refused));
    assert.match(refused.status === 'failed' ? refused.message : '', /already on the Mod Portal/);
    assert.deepEqual(management(await getRequests()), []);
  });

  test('a key without the needed scope: the message names the scope; nothing is uploaded', async () => {
    await setKey(UPLOAD_ONLY);
    try {
      const other = `scopeless-${Date.now().toString(36)}`;
      const otherUri = await writeMod(other, '0.1.0', scratchFolder('publish'));
      await clearRequests();
      const outcome = await publish(otherUri);
      assert.equal(outcome.status === 'failed' && outcome.code, 'InvalidApiKey', JSON.stringify(outcome));
      assert.match(outcome.status === 'failed' ? outcome.message : '', /lacks ModPortal: Publish Mods/);
      assert.deepEqual(management(await getRequests()).map((r) => r.path), ['/api/v2/mods/init_publish']);
      assert.equal(await full(other), undefined);
    } finally {
      await setKey(ALL_SCOPES);
    }
  });

  test('Cancel half-way through the upload: nothing is published', async () => {
    const other = `cancelled-${Date.now().toString(36)}`;
    // Incompressible, so the zip stays large, read by the portal at 64 KiB/s.
    const otherUri = await writeMod(other, '0.1.0', scratchFolder('publish'), {}, { 'data.bin': randomBytes(1024 * 1024) });
    await setFaults({ uploadBytesPerSecond: 64 * 1024 });
    await clearRequests();
    const source = new vscode.CancellationTokenSource();
    const running = publish(otherUri, { cancellation: source.token });
    await waitFor(async () => (await getRequests()).some((r) => r.path.startsWith('/upload/')), { timeoutMs: 15_000, message: 'the upload started' });
    source.cancel();
    const outcome = await running;
    assert.deepEqual(outcome, { status: 'cancelled', stage: 'upload' });
    assert.equal(await full(other), undefined);
  });

  test('Edit Portal Details sends only the fields that differ and that the user keeps', async () => {
    const dir = path.dirname(uri.fsPath);
    writeFileSync(path.join(dir, 'README.md'), '# Published\n\nA longer description from the README.\n');
    const info = JSON.parse(readFileSync(uri.fsPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(uri.fsPath, JSON.stringify({ ...info, title: 'A Better Title', homepage: 'https://example.com/home' }, null, 2));
    await clearRequests();
    const outcome = await vscode.commands.executeCommand<EditOutcome>('factorioPortal.editPortalDetails', { infoJson: uri.toString(), keep: ['title', 'description'] });
    assert.deepEqual(outcome, { status: 'sent', fields: ['title', 'description'] });
    const sent = management(await getRequests());
    assert.deepEqual(sent.map((r) => [r.path, r.fields]), [['/api/v2/mods/edit_details', ['mod', 'title', 'description']]]);
    assertKeyStayed(await getRequests());
    const entry = (await full(name))!;
    assert.equal(entry.title, 'A Better Title');
    assert.match(String(entry.description), /longer description from the README/);
    assert.equal(entry.homepage, undefined, 'homepage differed but was not kept');

    // Nothing differs any more among what is kept: nothing is sent.
    await clearRequests();
    const again = await vscode.commands.executeCommand<EditOutcome>('factorioPortal.editPortalDetails', { infoJson: uri.toString(), keep: ['title', 'description'] });
    assert.deepEqual(again, { status: 'unchanged' });
    assert.deepEqual(management(await getRequests()), []);
  });

  test('Edit Portal Details refuses a title over the portal’s limit before sending', async () => {
    const info = JSON.parse(readFileSync(uri.fsPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(uri.fsPath, JSON.stringify({ ...info, title: 'T'.repeat(251) }, null, 2));
    await clearRequests();
    const outcome = await vscode.commands.executeCommand<EditOutcome>('factorioPortal.editPortalDetails', { infoJson: uri.toString(), keep: ['title'] });
    assert.equal(outcome.status === 'failed' && outcome.code, 'limits', JSON.stringify(outcome));
    assert.match(outcome.status === 'failed' ? outcome.message : '', /title/);
    assert.deepEqual(management(await getRequests()), []);
    writeFileSync(uri.fsPath, JSON.stringify(info, null, 2));
  });
  test('in a git repository, the tag <version> is created through VS Code’s git extension', async () => {
    const other = `tagged-${Date.now().toString(36)}`;
    const otherUri = await writeMod(other, '0.2.0', scratchFolder('publish'));
    const dir = path.dirname(otherUri.fsPath);
    const git = (...args: string[]): string => execFileSync('git', ['-C', dir, '-c', 'user.name=Tester', '-c', 'user.email=tester@example.com', ...args], { encoding: 'utf8' });
    git('init', '-q');
    // An annotated tag needs an author: the repository's own, since the host's HOME is a scratch folder.
    git('config', 'user.name', 'Tester');
    git('config', 'user.email', 'tester@example.com');
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
    await vscode.commands.executeCommand('git.openRepository', dir);
    const api = (await vscode.extensions.getExtension<{ getAPI(v: 1): { getRepository(uri: vscode.Uri): unknown } }>('vscode.git')!.activate()).getAPI(1);
    await waitFor(() => api.getRepository(vscode.Uri.file(dir)) !== null, { timeoutMs: 15_000, message: 'the git extension knows the repository' });
    const outcome = await publish(otherUri, { createTag: true });
    assert.equal(outcome.status === 'published' && outcome.tagged, true, JSON.stringify(outcome));
    assert.deepEqual(git('tag', '-l').trim().split('\n'), ['0.2.0']);
    assert.match(git('tag', '-l', '-n1', '0.2.0'), new RegExp(`${other} 0\\.2\\.0`));
  });
});

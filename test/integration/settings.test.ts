import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startPortalServer, type PortalServer } from '../portal-server/server';
import { after, before, suite, test } from './framework';
import {
  answeringQuickPicks,
  clearRequests,
  closeAllEditors,
  completionsAt,
  diagnosticsWhere,
  extensionApi,
  getRequests,
  infoJson,
  openInfoJson,
  portalUrl,
  positionOf,
  waitFor,
  workspaceRoot,
} from './helpers';

interface Api {
  settingProblems(): ReadonlyArray<{ setting: string; problem: string }>;
  readonly portalUrl: string;
  readonly modsFolder: string | undefined;
  status(): { text: string; offline: boolean };
  listState(): { status: string; modCount?: number };
}

type Outcome = { status: 'saved'; path: string } | { status: 'failed'; code: string; message: string } | { status: 'cancelled' };

const OFFICIAL = 'https://mods.factorio.com';
// `trustPortal` answers in advance the question asked before the token first goes to a portal other than the official one.
const GOOD = { username: 'test-user', token: 'test-token-123', trustPortal: true };
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('factorioPortal');

suite('settings a workspace cannot steer', () => {
  // A cloned repository's .vscode/settings.json naming its own portal and mods folder.
  let other: PortalServer;
  let root = '';
  let userMods = '';
  let workspaceMods = '';
  const settingsFile = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
  let savedSettings: Uint8Array | undefined;

  before(async () => {
    other = await startPortalServer({ mods: 20, seed: 11 });
    root = mkdtempSync(path.join(tmpdir(), 'fmp-steer-'));
    userMods = path.join(root, 'user-mods');
    workspaceMods = path.join(root, 'workspace-mods');
    mkdirSync(userMods);
    mkdirSync(workspaceMods);
    await config().update('modsFolder', userMods, vscode.ConfigurationTarget.Global);
    savedSettings = await vscode.workspace.fs.readFile(settingsFile()).then(
      (bytes) => bytes,
      () => undefined,
    );
    const existing = savedSettings ? (JSON.parse(Buffer.from(savedSettings).toString('utf8') || '{}') as Record<string, unknown>) : {};
    const hostile = {
      ...existing,
      'factorioPortal.portalUrl': other.url,
      'factorioPortal.modsFolder': workspaceMods,
      // A setting a workspace may set, to know when VS Code has read the file.
      'factorioPortal.completion.maxResults': 7,
    };
    await vscode.workspace.fs.writeFile(settingsFile(), Buffer.from(JSON.stringify(hostile, null, 2)));
    await waitFor(() => config().inspect<number>('completion.maxResults')?.workspaceValue === 7, {
      message: 'VS Code read the workspace settings file',
    });
  });

  after(async () => {
    if (savedSettings) await vscode.workspace.fs.writeFile(settingsFile(), savedSettings);
    else await vscode.workspace.fs.delete(settingsFile());
    await waitFor(() => config().inspect<number>('completion.maxResults')?.workspaceValue === undefined, {
      message: 'VS Code dropped the workspace settings',
    });
    await config().update('modsFolder', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('factorioPortal.signOut');
    await other.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('the portal stays the user’s: the workspace’s portal gets no request', async () => {
    const api = await extensionApi<Api>();
    assert.equal(api.portalUrl, portalUrl());
    // Nothing cached, so what follows must ask a portal.
    await vscode.commands.executeCommand('factorioPortal.clearCache');
    await clearRequests();
    assert.equal(await vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails', { name: 'factorio-lib' }), true);
    // Clearing the cache reloads the mod list and the details need factorio-lib's record:
    // both come from the configured portal (a record already on its way may have been
    // asked for before clearRequests, so any API request counts).
    const requests = await waitFor(async () => {
      const seen = await getRequests();
      return seen.some((r) => r.path.startsWith('/api/mods')) && seen;
    }, { timeoutMs: 30_000, message: 'the configured portal was asked' });
    assert.ok(requests.length > 0);
    assert.deepEqual(other.requests, [], 'the workspace’s portal was contacted');
  });

  test('downloads go to the user’s mods folder, never the workspace’s, and the token stays home', async () => {
    const api = await extensionApi<Api>();
    assert.equal(api.modsFolder, userMods);
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    // The details panel of the test before would take the focus, and the quick pick with it.
    await closeAllEditors();
    // No folder given: the first choice offered is the default mods folder.
    const outcome = await answeringQuickPicks(
      () => vscode.commands.executeCommand<Outcome>('factorioPortal.downloadRelease', { name: 'factorio-lib', version: '1.4.2' }),
      'accept',
    );
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    if (outcome.status !== 'saved') return;
    assert.equal(path.dirname(outcome.path), userMods);
    assert.deepEqual(readdirSync(workspaceMods), []);
    assert.deepEqual(other.requests, [], 'the workspace’s portal was contacted');
  });
});

suite('a malformed portal URL', () => {
  let saved: string | undefined;

  before(() => {
    saved = config().inspect<string>('portalUrl')?.globalValue;
  });

  after(async () => {
    await config().update('portalUrl', saved, vscode.ConfigurationTarget.Global);
    const api = await extensionApi<Api>();
    await waitFor(() => api.portalUrl === portalUrl(), { message: 'back on the local portal' });
  });

  for (const bad of ['mods.factorio.com', 'ftp://mods.factorio.com', ':::not a url:::']) {
    test(`"${bad}": the official portal is used and the extension keeps working`, async () => {
      const api = await extensionApi<Api>();
      await config().update('portalUrl', bad, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.portalUrl === OFFICIAL, { message: `portalUrl falls back for "${bad}"` });
      assert.equal(typeof api.status().text, 'string');
      assert.equal(typeof api.listState().status, 'string');
      // Back to the local portal at once: the suite talks to local portals only, as far as it can.
      await config().update('portalUrl', saved, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.portalUrl === portalUrl(), { message: 'back on the local portal' });
      assert.equal(await vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails', { name: 'factorio-lib' }), true);
    });
  }
});

suite('settings a workspace breaks', () => {
  // Values of the wrong type or far out of range, as a cloned repository's
  // .vscode/settings.json may hold: VS Code passes them on as they are.
  const settingsFile = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
  let savedSettings: Uint8Array | undefined;
  const BAD = {
    'factorioPortal.requestTimeoutSeconds': 3_000_000,
    'factorioPortal.diagnostics.ignore': 'factorio-lib',
    'factorioPortal.diagnostics.severity': null,
    'factorioPortal.completion.maxResults': 'many',
  };

  before(async () => {
    savedSettings = await vscode.workspace.fs.readFile(settingsFile()).then(
      (bytes) => bytes,
      () => undefined,
    );
    const existing = savedSettings ? (JSON.parse(Buffer.from(savedSettings).toString('utf8') || '{}') as Record<string, unknown>) : {};
    await vscode.workspace.fs.writeFile(settingsFile(), Buffer.from(JSON.stringify({ ...existing, ...BAD }, null, 2)));
    await waitFor(() => config().inspect<unknown>('requestTimeoutSeconds')?.workspaceValue === 3_000_000, { message: 'VS Code read the workspace settings file' });
  });

  after(async () => {
    if (savedSettings) await vscode.workspace.fs.writeFile(settingsFile(), savedSettings);
    else await vscode.workspace.fs.delete(settingsFile());
    await waitFor(() => config().inspect<unknown>('requestTimeoutSeconds')?.workspaceValue === undefined, { message: 'VS Code dropped the workspace settings' });
    await closeAllEditors();
  });

  test('each bad value falls back with one warning naming the setting, and the features keep working', async () => {
    const api = await extensionApi<Api>();
    // Nothing cached: the checks below need answers from the portal, within the timeout.
    await vscode.commands.executeCommand('factorioPortal.clearCache');
    const editor = await openInfoJson(infoJson({ dependencies: ['base >= 2.0.0', 'factorio-lib >= 1.0.0', 'no-such-mod-anywhere'] }));
    const uri = editor.document.uri;
    // An unknown mod is reported only when the portal answered: a timeout of 3,000,000 s used
    // as it is fires at once (beyond Node's timer range), and nothing would be known.
    await diagnosticsWhere(uri, (l) => l.some((d) => d.code === 'unknown-mod'), 'the portal answered', 30_000);
    // factorio-lib is not ignored (the ignore list is not a list), so its outdated minimum shows.
    await diagnosticsWhere(uri, (l) => l.some((d) => d.code === 'outdated-minimum'), 'factorio-lib checked');
    const items = await completionsAt(editor.document, positionOf(editor.document, '"factorio-l'));
    assert.ok(items.length > 0 && items.length <= 50, `completions: ${items.length}`);
    // Read again and again, reported once.
    await vscode.commands.executeCommand('factorioPortal.refresh');
    await diagnosticsWhere(uri, (l) => l.some((d) => d.code === 'unknown-mod'), 'checked again');
    const problems = await waitFor(() => {
      const seen = api.settingProblems().filter((p) => Object.keys(BAD).includes(p.setting));
      return seen.length >= Object.keys(BAD).length && seen;
    }, { message: `every bad setting reported; seen: ${JSON.stringify(api.settingProblems())}` });
    assert.deepEqual(problems.map((p) => p.setting).sort(), Object.keys(BAD).sort());
    assert.match(problems.find((p) => p.setting === 'factorioPortal.requestTimeoutSeconds')!.problem, /3000000 is outside 1 to 300; using 300/);
  });
});

suite('a new portal URL', () => {
  let saved: string | undefined;

  before(() => {
    saved = config().inspect<string>('portalUrl')?.globalValue;
  });

  after(async () => {
    await config().update('portalUrl', saved, vscode.ConfigurationTarget.Global);
    const api = await extensionApi<Api>();
    await waitFor(() => api.portalUrl === portalUrl(), { message: 'back on the local portal' });
  });

  test('starts with no back-off from the old one', async () => {
    const api = await extensionApi<Api>();
    // A port nothing listens on: every request fails at once.
    const down = 'http://127.0.0.1:9';
    await config().update('portalUrl', down, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.portalUrl === down, { message: 'on the unreachable portal' });
    await vscode.commands.executeCommand('factorioPortal.refresh');
    await waitFor(() => api.status().offline, { message: 'the unreachable portal is in back-off' });
    await config().update('portalUrl', saved, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.portalUrl === portalUrl(), { message: 'back on the local portal' });
    assert.equal(api.status().offline, false, 'the back-off stayed with the old portal');
    // And requests go out at once: the details of a mod load from the local portal.
    assert.equal(await vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails', { name: 'factorio-lib' }), true);
    assert.equal(api.status().offline, false);
  });
});

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, afterEach, before, beforeEach, suite, test } from './framework';
import { answeringQuickPicks, clearRequests, closeAllEditors, extension, extensionApi, getRequests, infoJson, openInfoJson, releaseOf, setFaults, waitFor, writeInfoJson } from './helpers';

// The local portal's account; `trustPortal` answers the question asked before the token
// first goes to a portal other than the official one.
const GOOD = { username: 'test-user', token: 'test-token-123', trustPortal: true };

interface Outcome {
  status: 'installed' | 'nothing-to-do' | 'cancelled' | 'failed';
  folder?: string;
  installed: Array<{ name: string; version: string; file: string; from?: string }>;
  kept: Array<{ name: string; version: string; origin: string }>;
  enabled: string[];
  failure?: { code: string; message: string; explanation?: string };
}

function installMod(args: object): Thenable<Outcome> {
  return vscode.commands.executeCommand<Outcome>('factorioPortal.installModWithDependencies', args);
}

function sha1Of(file: string): string {
  return createHash('sha1').update(readFileSync(file)).digest('hex');
}

/** Every file of the folder with its sha1 and modification time. */
function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(folder).sort()) {
    const file = path.join(folder, name);
    out[name] = `${sha1Of(file)} ${statSync(file).mtimeMs}`;
  }
  return out;
}

// The modpack's closure for Factorio 2.0 (test/portal-server/cases.ts): the pack, its
// three levels of dependencies, and factorio-lib's newest 2.0 release.
const MODPACK_CLOSURE: ReadonlyArray<[string, string]> = [
  ['modpack-demo', '2.0.0'],
  ['Mixed_Case-Mod', '0.2.0'],
  ['factorio-lib', '1.4.2'],
  ['pack-core', '1.1.0'],
  ['pack-extras', '2.0.0'],
  ['pack-graphics', '0.5.0'],
];

// A mod list as the game leaves it: built-ins, a disabled mod, a key this extension does not know.
const MOD_LIST = `{
  "mods": [
    {
      "name": "base",
      "enabled": true
    },
    {
      "name": "factorio-lib",
      "enabled": false,
      "version": "1.0.0"
    },
    {
      "name": "some-old-mod",
      "enabled": false
    }
  ]
}
`;

suite('install dependencies into the mods folder', () => {
  let mods = '';
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('factorioPortal');

  before(async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
  });

  beforeEach(async () => {
    mods = mkdtempSync(path.join(tmpdir(), 'fmp-install-'));
    // The user's own settings: the only place a mods folder is read from.
    await config().update('modsFolder', mods, vscode.ConfigurationTarget.Global);
  });

  afterEach(async () => {
    await setFaults(null);
    await config().update('modsFolder', undefined, vscode.ConfigurationTarget.Global);
    rmSync(mods, { recursive: true, force: true });
    await closeAllEditors();
  });

  after(async () => {
    await vscode.commands.executeCommand('factorioPortal.signOut');
  });

  test('a modpack: its whole closure lands with the portal’s sha1s, and mod-list.json enables exactly those', async () => {
    writeFileSync(path.join(mods, 'mod-list.json'), MOD_LIST);
    const outcome = await installMod({ name: 'modpack-demo', factorioVersion: '2.0', optional: [], confirm: true });
    assert.equal(outcome.status, 'installed', JSON.stringify(outcome));
    assert.deepEqual(
      outcome.installed.map((i) => [i.name, i.version]).sort(),
      [...MODPACK_CLOSURE].sort(),
    );
    const files: string[] = [];
    for (const [name, version] of MODPACK_CLOSURE) {
      const release = await releaseOf(name, version);
      files.push(release.file_name);
      assert.equal(sha1Of(path.join(mods, release.file_name)), release.sha1, release.file_name);
    }
    assert.deepEqual(readdirSync(mods).sort(), [...files, 'mod-list.json', 'mod-list.json.bak'].sort());
    assert.equal(readFileSync(path.join(mods, 'mod-list.json.bak'), 'utf8'), MOD_LIST);
    // Every entry and key kept, in order; factorio-lib switched on in place; the rest appended.
    assert.deepEqual(JSON.parse(readFileSync(path.join(mods, 'mod-list.json'), 'utf8')), {
      mods: [
        { name: 'base', enabled: true },
        { name: 'factorio-lib', enabled: true, version: '1.0.0' },
        { name: 'some-old-mod', enabled: false },
        ...MODPACK_CLOSURE.filter(([name]) => name !== 'factorio-lib').map(([name]) => ({ name, enabled: true })),
      ],
    });
    assert.deepEqual(outcome.kept, [{ name: 'base', version: '2.0', origin: 'builtin' }]);
  });

  test('a symbolic link as mod-list.json: its target gets the change and keeps its mode, the link stays', async () => {
    const profile = mkdtempSync(path.join(tmpdir(), 'fmp-profile-'));
    try {
      const target = path.join(profile, 'mod-list.json');
      writeFileSync(target, MOD_LIST);
      chmodSync(target, 0o640);
      symlinkSync(target, path.join(mods, 'mod-list.json'));
      const outcome = await installMod({ name: 'pack-graphics', factorioVersion: '2.0', optional: [], confirm: true });
      assert.equal(outcome.status, 'installed', JSON.stringify(outcome));
      assert.ok(lstatSync(path.join(mods, 'mod-list.json')).isSymbolicLink(), 'the link stays a link');
      const list = JSON.parse(readFileSync(target, 'utf8')) as { mods: Array<{ name: string; enabled: boolean }> };
      assert.deepEqual(list.mods.map((m) => `${m.name}:${m.enabled}`), ['base:true', 'factorio-lib:false', 'some-old-mod:false', 'pack-graphics:true']);
      assert.equal(statSync(target).mode & 0o777, 0o640);
      assert.deepEqual(readdirSync(profile), ['mod-list.json'], 'nothing else beside the target');
      assert.equal(readFileSync(path.join(mods, 'mod-list.json.bak'), 'utf8'), MOD_LIST);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test('a second run finds nothing to do: no download, no file changed', async () => {
    const first = await installMod({ name: 'modpack-demo', factorioVersion: '2.0', optional: [], confirm: true });
    assert.equal(first.status, 'installed', JSON.stringify(first));
    const before = snapshot(mods);
    await clearRequests();
    const second = await installMod({ name: 'modpack-demo', factorioVersion: '2.0', optional: [], confirm: true });
    assert.equal(second.status, 'nothing-to-do', JSON.stringify(second));
    assert.deepEqual(second.installed, []);
    assert.deepEqual(second.kept.map((k) => k.name).sort(), [...MODPACK_CLOSURE.map(([n]) => n), 'base'].sort());
    assert.deepEqual(snapshot(mods), before);
    const downloads = (await getRequests()).filter((r) => r.host === 'download' || r.path.startsWith('/download/'));
    assert.deepEqual(downloads, []);
  });

  test('an impossible closure: the explanation names the mods and versions, and nothing is written', async () => {
    const outcome = await installMod({ name: 'clash-pack', factorioVersion: '2.0', optional: [], confirm: true });
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure?.code, 'conflict');
    assert.equal(outcome.failure?.explanation, 'clash-beta 1.0.0 declares ! clash-alpha; clash-pack requires clash-alpha; clash-pack requires clash-beta');
    assert.match(outcome.failure?.message ?? '', /clash-beta 1\.0\.0 declares ! clash-alpha/);
    assert.deepEqual(readdirSync(mods), []);
  });

  test('Cancel half-way: the files already downloaded (staged) are removed and mod-list.json is untouched', async () => {
    writeFileSync(path.join(mods, 'mod-list.json'), MOD_LIST);
    // One download never answers, so Cancel lands while the others are done.
    await setFaults({ hang: true, match: '/download/pack-graphics/' });
    const cancel = new vscode.CancellationTokenSource();
    try {
      const running = installMod({ name: 'modpack-demo', factorioVersion: '2.0', optional: [], confirm: true, cancel: cancel.token });
      // Finished downloads wait under hidden temporary names until every one has arrived.
      await waitFor(() => readdirSync(mods).some((f) => /^\..*_\d+\.\d+\.\d+\.zip\.[0-9a-f]{12}\.fmp-staged$/.test(f)), { message: 'a finished download staged in the mods folder' });
      cancel.cancel();
      const outcome = await running;
      assert.equal(outcome.status, 'cancelled', JSON.stringify(outcome));
    } finally {
      cancel.dispose();
    }
    assert.deepEqual(readdirSync(mods), ['mod-list.json']);
    assert.equal(readFileSync(path.join(mods, 'mod-list.json'), 'utf8'), MOD_LIST);
  });

  test('Install Dependencies for an info.json: required ones transitively, the ticked optional one, workspace mods left alone', async () => {
    // A second mod of the workspace, not on the portal: used as it is.
    await writeInfoJson(infoJson({ name: 'install-scratch-local', version: '0.3.0', dependencies: ['base >= 2.0.0'] }));
    await openInfoJson(
      infoJson({ name: 'install-scratch', dependencies: ['base >= 2.0.0', 'pack-extras', '? pack-optional', '? factorio-lib >= 1.0.0', 'install-scratch-local >= 0.2.0'] }),
    );
    const outcome = await vscode.commands.executeCommand<Outcome>('factorioPortal.installDependencies', { optional: ['pack-optional'], confirm: true });
    assert.equal(outcome.status, 'installed', JSON.stringify(outcome));
    assert.deepEqual(
      outcome.installed.map((i) => i.name).sort(),
      ['Mixed_Case-Mod', 'factorio-lib', 'pack-core', 'pack-extras', 'pack-graphics', 'pack-optional'].sort(),
    );
    assert.deepEqual(
      outcome.kept.filter((k) => k.origin === 'workspace'),
      [{ name: 'install-scratch-local', version: '0.3.0', origin: 'workspace' }],
    );
    assert.ok(!existsSync(path.join(mods, 'mod-list.json.bak')), 'no backup of a file that did not exist');
    const list = JSON.parse(readFileSync(path.join(mods, 'mod-list.json'), 'utf8')) as { mods: Array<{ name: string; enabled: boolean }> };
    assert.deepEqual(list.mods.map((m) => m.name).sort(), ['base', ...outcome.installed.map((i) => i.name)].sort());
    assert.ok(list.mods.every((m) => m.enabled));
  });

  test('declining the plan changes nothing', async () => {
    writeFileSync(path.join(mods, 'mod-list.json'), MOD_LIST);
    await clearRequests();
    const outcome = await installMod({ name: 'modpack-demo', factorioVersion: '2.0', optional: [], confirm: false });
    assert.equal(outcome.status, 'cancelled', JSON.stringify(outcome));
    assert.deepEqual(readdirSync(mods), ['mod-list.json']);
    assert.equal(readFileSync(path.join(mods, 'mod-list.json'), 'utf8'), MOD_LIST);
    assert.deepEqual((await getRequests()).filter((r) => r.host === 'download' || r.path.startsWith('/download/')), []);
  });

  test('without credentials the user is asked; backing out downloads nothing', async () => {
    await vscode.commands.executeCommand('factorioPortal.signOut');
    try {
      writeFileSync(path.join(mods, 'mod-list.json'), MOD_LIST);
      const outcome = await answeringQuickPicks(() => installMod({ name: 'modpack-demo', factorioVersion: '2.0', optional: [], confirm: true }), 'close');
      assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.failure?.code, 'no-credentials');
      assert.deepEqual(readdirSync(mods), ['mod-list.json']);
      assert.equal(readFileSync(path.join(mods, 'mod-list.json'), 'utf8'), MOD_LIST);
    } finally {
      await vscode.commands.executeCommand('factorioPortal.signIn', GOOD);
    }
  });

  test('the commands are offered where the user looks, only in a trusted workspace', () => {
    type Entry = { command: string; when?: string };
    const menus = (extension().packageJSON as { contributes: { menus: Record<string, Entry[]> } }).contributes.menus;
    const whenOf = (menu: string, command: string): string[] => menus[menu]!.filter((e) => e.command === command).map((e) => e.when ?? '');
    assert.deepEqual(whenOf('view/title', 'factorioPortal.installDependencies'), ['view == factorioPortal.dependencies && isWorkspaceTrusted']);
    assert.deepEqual(whenOf('view/item/context', 'factorioPortal.installModWithDependencies'), [
      'view == factorioPortal.portal && viewItem =~ /^factorioPortal\\.mod/ && isWorkspaceTrusted',
    ]);
    assert.deepEqual(whenOf('commandPalette', 'factorioPortal.installDependencies'), ['isWorkspaceTrusted']);
    assert.deepEqual(whenOf('commandPalette', 'factorioPortal.installModWithDependencies'), ['isWorkspaceTrusted']);
  });

  test('an installed version that no longer satisfies is updated; a zip this extension did not install stays', async () => {
    const old = await releaseOf('pack-core', '1.0.0');
    const saved = await vscode.commands.executeCommand<{ status: string }>('factorioPortal.downloadRelease', { name: 'pack-core', version: '1.0.0', folder: mods });
    assert.equal(saved.status, 'saved', JSON.stringify(saved));
    const lib = await releaseOf('factorio-lib', '1.4.2');
    await vscode.commands.executeCommand('factorioPortal.downloadRelease', { name: 'factorio-lib', version: '1.4.2', folder: mods });
    const outcome = await installMod({ name: 'modpack-demo', factorioVersion: '2.0', optional: [], confirm: true });
    assert.equal(outcome.status, 'installed', JSON.stringify(outcome));
    assert.deepEqual(
      outcome.installed.find((i) => i.name === 'pack-core'),
      { name: 'pack-core', version: '1.1.0', file: (await releaseOf('pack-core', '1.1.0')).file_name, from: '1.0.0' },
    );
    // factorio-lib 1.4.2 satisfies `>= 1.2.0`: kept, not downloaded again.
    assert.ok(!outcome.installed.some((i) => i.name === 'factorio-lib'));
    assert.ok(outcome.kept.some((k) => k.name === 'factorio-lib' && k.version === '1.4.2' && k.origin === 'installed'));
    assert.equal(sha1Of(path.join(mods, old.file_name)), old.sha1, 'the older zip the user put there is left alone');
    assert.equal(sha1Of(path.join(mods, lib.file_name)), lib.sha1);
  });

  // ---- before any question, and where the mods folder is asked for ----

  const isDownload = (r: { host?: string; path: string }): boolean => r.host === 'download' || r.path.startsWith('/download/');

  /** Factorio's user data folder in the suite's own home (the harness sets HOME to a temp folder). */
  function factorioHome(): string {
    assert.ok(homedir().startsWith(tmpdir()), `the suite runs with a home of its own, not ${homedir()}`);
    return path.join(homedir(), '.factorio');
  }

  test('a required dependency that can never be installed is named before any question', async () => {
    await config().update('modsFolder', undefined, vscode.ConfigurationTarget.Global);
    await openInfoJson(infoJson({ name: 'install-impossible', dependencies: ['base >= 2.0.0', 'pack-core', 'legacy-only-11', '? pack-optional'] }));
    await clearRequests();
    // Any question (the optional picker, the folder) would be closed unanswered: the run would end "cancelled".
    const outcome = await answeringQuickPicks(() => vscode.commands.executeCommand<Outcome>('factorioPortal.installDependencies'), 'close');
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure?.code, 'impossible');
    assert.match(outcome.failure?.message ?? '', /legacy-only-11 has no release for Factorio 2\.0/);
    assert.doesNotMatch(outcome.failure?.message ?? '', /pack-core|pack-optional/, 'only the impossible one is named');
    assert.equal(outcome.folder, undefined, 'no folder was asked for');
    assert.deepEqual((await getRequests()).filter(isDownload), []);
  });

  test('with no mods folder set or found, the folder picker starts at Factorio’s own place, not the workspace', async () => {
    await config().update('modsFolder', undefined, vscode.ConfigurationTarget.Global);
    // The game ran once (its data folder exists) but has made no mods folder yet.
    const factorio = factorioHome();
    mkdirSync(factorio, { recursive: true });
    try {
      await openInfoJson(infoJson({ name: 'install-picker', dependencies: ['base >= 2.0.0', 'pack-core'] }));
      // Every question accepted as offered: "Choose a Folder…", then the folder the picker opens at.
      const outcome = await answeringQuickPicks(
        () => vscode.commands.executeCommand<Outcome>('factorioPortal.installDependencies', { optional: [], confirm: false }),
        'accept',
      );
      assert.equal(outcome.status, 'cancelled', JSON.stringify(outcome));
      assert.equal(outcome.folder, factorio);
      assert.deepEqual(readdirSync(factorio), [], 'declining the plan wrote nothing');
    } finally {
      rmSync(factorio, { recursive: true, force: true });
    }
  });

  test('Set Mods Folder… stores the folder picked in the user’s settings, starting at the current one', async () => {
    // Set: the picker opens at the folder in use.
    assert.equal(await answeringQuickPicks(() => vscode.commands.executeCommand<string>('factorioPortal.setModsFolder'), 'accept'), mods);
    assert.equal(config().inspect<string>('modsFolder')?.globalValue, mods);

    // Unset: at Factorio's mods folder for this platform.
    await config().update('modsFolder', undefined, vscode.ConfigurationTarget.Global);
    const factorioMods = path.join(factorioHome(), 'mods');
    mkdirSync(factorioMods, { recursive: true });
    try {
      const set = await answeringQuickPicks(() => vscode.commands.executeCommand<string>('factorioPortal.setModsFolder'), 'accept');
      assert.equal(set, factorioMods);
      assert.equal(config().inspect<string>('modsFolder')?.globalValue, factorioMods);
      assert.equal((await extensionApi<{ modsFolder?: string }>()).modsFolder, factorioMods);
    } finally {
      rmSync(factorioHome(), { recursive: true, force: true });
    }
    // Escape leaves the setting alone.
    assert.equal(await answeringQuickPicks(() => vscode.commands.executeCommand<string>('factorioPortal.setModsFolder'), 'close'), undefined);
    assert.equal(config().inspect<string>('modsFolder')?.globalValue, factorioMods);
  });
});

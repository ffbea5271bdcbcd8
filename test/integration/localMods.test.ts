import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildZip } from '../portal-server/zip';
import { after, before, suite, test } from './framework';
import {
  applyAction,
  closeAllEditors,
  codeActionsAt,
  diagnosticsWhere,
  explorerApi,
  extensionApi,
  hoverText,
  infoJson,
  openFixture,
  openInfoJson,
  ours,
  portalJson,
  positionOf,
  setFaults,
  waitFor,
  workspaceRoot,
  writeInfoJson,
  type TreeItemSnapshot,
} from './helpers';

const LIB = 'factorio-lib';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('factorioPortal');
}

function fixtureUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
}

/** The newest release the local portal has for a mod, compared as A.B.C numbers. */
async function newestRelease(name: string): Promise<string> {
  const full = await portalJson<{ releases: { version: string }[] }>(`/api/mods/${encodeURIComponent(name)}/full`);
  const key = (v: string) => v.split('.').map(Number);
  const sorted = full.releases.map((r) => r.version).sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  return sorted[sorted.length - 1];
}

suite('local mods: workspace mods', () => {
  const libUri = () => fixtureUri('my-lib/info.json');
  let libText = '';

  before(async () => {
    libText = Buffer.from(await vscode.workspace.fs.readFile(libUri())).toString('utf8');
  });

  after(async () => {
    await writeText(libUri(), libText);
    await closeAllEditors();
  });

  test('a dependency on a workspace mod that is not on the portal is checked against the local copy', async () => {
    const editor = await openFixture('my-overhaul/info.json');
    const document = editor.document;
    // A dependency the portal does not know, asked in the same request as my-lib: once it is
    // reported, the portal's answer about my-lib is in too.
    const canary = 'no-such-mod-anywhere';
    await editor.edit((e) => e.insert(positionOf(document, '"my-lib >= 1.0.0"'), `, "? ${canary}"`));
    const libStart = document.getText().indexOf('my-lib >= 1.0.0');
    const libRange = new vscode.Range(document.positionAt(libStart), document.positionAt(libStart + 'my-lib >= 1.0.0'.length));
    await diagnosticsWhere(document.uri, (list) => list.some((d) => d.code === 'unknown-mod' && d.message.includes(canary)), 'the canary is reported unknown');
    assert.deepEqual(ours(document.uri).filter((d) => d.range.intersection(libRange) !== undefined).map((d) => [d.code, d.message]), []);
    const hover = await hoverText(document, positionOf(document, 'my-li'));
    assert.match(hover, /this workspace: 1\.2\.0/);

    // my-lib goes back to 0.9.0 on disk (not open in an editor): the watcher brings it in.
    await writeText(libUri(), libText.replace('"version": "1.2.0"', '"version": "0.9.0"'));
    const mismatch = await diagnosticsWhere(
      document.uri,
      (list) => list.some((d) => d.code === 'workspace-version-mismatch'),
      'the local version mismatch is reported',
    );
    const finding = mismatch.find((d) => d.code === 'workspace-version-mismatch')!;
    assert.match(finding.message, /"my-lib" in this workspace is version 0\.9\.0/);
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(!mismatch.some((d) => d.code === 'unknown-mod' && d.message.includes('"my-lib"')));

    // Deleted: now only the portal speaks, and it has no my-lib.
    await vscode.workspace.fs.delete(libUri());
    const gone = await diagnosticsWhere(
      document.uri,
      (list) => list.some((d) => d.code === 'unknown-mod' && d.message.includes('"my-lib"')),
      'my-lib is unknown once deleted',
    );
    assert.ok(!gone.some((d) => d.code === 'workspace-version-mismatch'));
    await writeText(libUri(), libText);
    await diagnosticsWhere(document.uri, (list) => !list.some((d) => d.message.includes('"my-lib"')), 'my-lib is local again');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a workspace mod the portal has too: the local copy decides, the hover and the tree show both', async () => {
    // A local copy of a portal mod, far ahead of what the portal has.
    const copy = await writeInfoJson(infoJson({ name: 'conflicting-mod', version: '9.9.9', dependencies: ['base'] }));
    try {
      const canary = 'no-such-mod-anywhere';
      const editor = await openInfoJson(infoJson({ name: 'dual-user', dependencies: ['conflicting-mod >= 9.0.0', `? ${canary}`] }));
      const document = editor.document;
      const at = positionOf(document, '"conflicting-mod >=', { before: true }).translate(0, 3);
      const hover = await waitFor(
        async () => {
          const text = await hoverText(document, at);
          return /this workspace: 9\.9\.9 · portal: \d+\.\d+\.\d+/.test(text) ? text : undefined;
        },
        { timeoutMs: 15_000, message: 'the hover shows both versions' },
      );
      assert.ok(hover);
      // On the portal ">= 9.0.0" matches nothing; the local 9.9.9 is what counts.
      const list = await diagnosticsWhere(document.uri, (l) => l.some((d) => d.code === 'unknown-mod' && d.message.includes(canary)), 'the canary is reported');
      assert.deepEqual(list.filter((d) => d.message.includes('conflicting-mod')).map((d) => d.code), []);
      const explorer = await explorerApi();
      await waitFor(
        async () => /this workspace: 9\.9\.9 · portal: \d+/.test((await explorer.dependencies()).find((r) => r.label === 'conflicting-mod')?.description ?? ''),
        { timeoutMs: 15_000, message: 'the tree shows both versions' },
      );
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(copy);
    }
  });

  test('completion offers workspace mods first, marked as local', async () => {
    const editor = await openInfoJson(infoJson({ name: 'completion-user', dependencies: ['my-'] }));
    const document = editor.document;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, positionOf(document, '"my-'));
    const sorted = [...list.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    const first = sorted[0];
    const label = typeof first.label === 'string' ? { label: first.label } : first.label;
    assert.ok(['my-lib', 'my-overhaul', 'my-mod'].includes(label.label), `first: ${label.label}`);
    assert.equal(label.description, 'this workspace');
    const lib = sorted.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'my-lib');
    assert.match(String(lib?.detail), /1\.2\.0 in this workspace/);
    await closeAllEditors();
  });

  test('the Dependencies tree resolves a workspace mod to its local dependencies', async () => {
    await openInfoJson(infoJson({ name: 'tree-user', dependencies: ['base >= 2.0.0', 'my-lib >= 1.0.0'] }));
    const explorer = await explorerApi();
    const lib = await waitFor(
      async () => {
        const roots = await explorer.dependencies();
        const node = roots.find((r) => r.label === 'my-lib');
        return node && /this workspace: 1\.2\.0/.test(node.description ?? '') ? node : undefined;
      },
      { timeoutMs: 20_000, message: 'my-lib shows as a workspace mod' },
    );
    const children: TreeItemSnapshot[] = await waitFor(
      async () => {
        const list = await explorer.dependencies(lib.id);
        return list.some((c) => c.label === LIB) ? list : undefined;
      },
      { timeoutMs: 20_000, message: "my-lib's own dependencies come from its info.json" },
    );
    assert.deepEqual(children.map((c) => c.label).sort(), ['base', LIB]);
    await closeAllEditors();
  });
});

suite('local mods: your own mod on the portal', () => {
  after(async () => {
    await vscode.commands.executeCommand('factorioPortal.signOut');
    await closeAllEditors();
  });

  test('hovering the name shows what the portal has under it, or that it is free', async () => {
    const taken = await openInfoJson(infoJson({ name: LIB, version: '99.0.0' }));
    const text = await hoverText(taken.document, positionOf(taken.document, `"${LIB.slice(0, 4)}`));
    assert.match(text, /On the Mod Portal: Factorio Library/);
    assert.match(text, /by lib-maintainer/);
    assert.match(text, /Latest release: \d+\.\d+\.\d+ for Factorio \d+\.\d+/);

    const free = await openInfoJson(infoJson({ name: 'nobody-has-this-name' }));
    const freeText = await hoverText(free.document, positionOf(free.document, '"nobody'));
    assert.match(freeText, /Not on the portal: the name is free\./);
    assert.match(freeText, /The portal would accept this name\./);

    const short = await openInfoJson(infoJson({ name: 'abc' }));
    const shortText = await hoverText(short.document, positionOf(short.document, '"ab'));
    assert.match(shortText, /the name is free/);
    assert.match(shortText, /would not accept this name: it needs 4 to 49 characters/);
    await closeAllEditors();
  });

  test('the portal unreachable: the name hover says so, never that the name is free', async () => {
    const name = 'unreachable-name-check';
    try {
      // A proxy's HTML 404 page is not the portal saying "no such mod".
      await setFaults({ status: 404, match: name });
      const editor = await openInfoJson(infoJson({ name }));
      const text = await hoverText(editor.document, positionOf(editor.document, '"unreachable'));
      assert.match(text, /The portal could not be reached/);
      assert.doesNotMatch(text, /free/);
    } finally {
      await setFaults(null);
      await vscode.commands.executeCommand('factorioPortal.refresh');
      await closeAllEditors();
    }
  });

  test('a version already published is a hint with bump fixes that edit only the version', async () => {
    const newest = await newestRelease(LIB);
    const editor = await openInfoJson(infoJson({ name: LIB, version: '0.0.1' }));
    const document = editor.document;
    const [hint] = await diagnosticsWhere(document.uri, (list) => list.some((d) => d.code === 'already-published'), 'the already-published hint');
    const found = ours(document.uri).find((d) => d.code === 'already-published')!;
    assert.equal(found.message, `${newest} is already published; bump before uploading`);
    assert.equal(found.severity, vscode.DiagnosticSeverity.Hint);
    assert.ok(hint);
    const actions = await codeActionsAt(document, found.range);
    const [major, minor, patch] = newest.split('.').map(Number);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(`Bump the patch number to ${major}.${minor}.${patch + 1}`), titles.join(' | '));
    assert.ok(titles.includes(`Bump the minor number to ${major}.${minor + 1}.0`), titles.join(' | '));
    assert.ok(titles.includes(`Bump the major number to ${major + 1}.0.0`), titles.join(' | '));
    const before = document.getText();
    await applyAction(actions.find((a) => a.title.startsWith('Bump the patch'))!);
    const bumped = `${major}.${minor}.${patch + 1}`;
    assert.equal(document.getText(), before.replace('"version": "0.0.1"', `"version": "${bumped}"`));
    await diagnosticsWhere(document.uri, (list) => !list.some((d) => d.code === 'already-published'), 'the hint goes once bumped');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('signed in as someone else than the owner: the portal will refuse the upload', async () => {
    await vscode.commands.executeCommand('factorioPortal.signIn', { username: 'test-user', token: 'test-token-123' });
    const editor = await openInfoJson(infoJson({ name: LIB, version: '99.0.0' }));
    const list = await diagnosticsWhere(editor.document.uri, (l) => l.some((d) => d.code === 'name-owned-by-other'), 'the owner finding');
    const finding = list.find((d) => d.code === 'name-owned-by-other')!;
    assert.equal(finding.message, 'This name belongs to lib-maintainer on the portal: it will refuse your upload');
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Information);
    await vscode.commands.executeCommand('factorioPortal.signOut');
    await diagnosticsWhere(editor.document.uri, (l) => !l.some((d) => d.code === 'name-owned-by-other'), 'no owner finding once signed out');
  });
});

suite('local mods: the mods folder', () => {
  let folder = '';

  function zipOf(name: string, version: string): Buffer {
    const info = JSON.stringify({ name, version, title: name, author: 'someone', factorio_version: '2.0' });
    return buildZip([{ name: `${name}_${version}/` }, { name: `${name}_${version}/info.json`, data: Buffer.from(info) }], new Date(Date.UTC(2025, 0, 1)));
  }

  function modList(entries: { name: string; enabled: boolean }[]): string {
    return JSON.stringify({ mods: [{ name: 'base', enabled: true }, ...entries] }, null, 2);
  }

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'fmp-local-mods-'));
    writeFileSync(path.join(folder, `${LIB}_1.3.0.zip`), zipOf(LIB, '1.3.0'));
    writeFileSync(path.join(folder, 'recommends-mod_1.0.0.zip'), zipOf('recommends-mod', '1.0.0'));
    writeFileSync(path.join(folder, 'mod-list.json'), modList([{ name: LIB, enabled: true }, { name: 'recommends-mod', enabled: false }]));
    // The user's own settings: a workspace's value is never read.
    await config().update('modsFolder', folder, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('modsFolder', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    rmSync(folder, { recursive: true, force: true });
  });

  test('the hover and the Dependencies tree show installed, version, enabled and satisfied', async () => {
    const editor = await openInfoJson(
      infoJson({ name: 'installed-user', dependencies: ['base >= 2.0.0', `${LIB} >= 1.0.0`, '? recommends-mod >= 5.0.0', '? space-age-addon'] }),
    );
    const document = editor.document;
    const hover = await waitFor(
      async () => {
        const text = await hoverText(document, positionOf(document, `"${LIB} >=`, { before: true }).translate(0, 3));
        return text.includes('Mods folder') ? text : undefined;
      },
      { timeoutMs: 15_000, message: 'the hover shows the mods folder' },
    );
    assert.match(hover, /Mods folder: 1\.3\.0 installed · enabled · satisfies >= 1\.0\.0/);
    assert.match(await hoverText(document, positionOf(document, '"? recomm')), /Mods folder: 1\.0\.0 installed · disabled · does not satisfy >= 5\.0\.0/);
    assert.match(await hoverText(document, positionOf(document, '"? space')), /Mods folder: not installed/);

    const explorer = await explorerApi();
    const roots = await waitFor(
      async () => {
        const list = await explorer.dependencies();
        return list.some((r) => r.label === LIB && /Mods folder: 1\.3\.0 installed/.test(r.description ?? '')) ? list : undefined;
      },
      { timeoutMs: 20_000, message: 'the tree shows the installed version' },
    );
    const describe = (name: string) => roots.find((r) => r.label === name)?.description ?? '';
    assert.match(describe(LIB), /Mods folder: 1\.3\.0 installed · enabled · satisfies >= 1\.0\.0/);
    assert.match(describe('recommends-mod'), /1\.0\.0 installed · disabled · does not satisfy >= 5\.0\.0/);
    assert.match(describe('space-age-addon'), /Mods folder: not installed/);
    assert.doesNotMatch(describe('base'), /Mods folder/);

    // The folder is watched: the game disabling a mod shows without a reload.
    writeFileSync(path.join(folder, 'mod-list.json'), modList([{ name: LIB, enabled: false }]));
    await waitFor(
      async () => /1\.3\.0 installed · disabled/.test((await explorer.dependencies()).find((r) => r.label === LIB)?.description ?? ''),
      { timeoutMs: 15_000, message: 'the tree follows mod-list.json' },
    );
  });

  test('a missing mods folder is a normal state: nothing shown, no message', async () => {
    await config().update('modsFolder', path.join(folder, 'not-there'), vscode.ConfigurationTarget.Global);
    const editor = await openInfoJson(infoJson({ name: 'no-folder-user', dependencies: [`${LIB} >= 1.0.0`] }));
    const api = await extensionApi<{ modsFolderScan(): Promise<{ folder: string; exists: boolean }> }>();
    const scan = await waitFor(
      async () => {
        const s = await api.modsFolderScan();
        return s.folder.endsWith('not-there') ? s : undefined;
      },
      { timeoutMs: 10_000, message: 'the setting is followed' },
    );
    assert.equal(scan.exists, false);
    const text = await hoverText(editor.document, positionOf(editor.document, `"${LIB} >=`, { before: true }).translate(0, 3));
    // The portal's card is there; the mods folder says nothing.
    assert.match(text, /Factorio Library/);
    assert.doesNotMatch(text, /Mods folder/);

    // Factorio's first start creates the folder: it is noticed without a reload.
    const created = path.join(folder, 'not-there');
    mkdirSync(created);
    writeFileSync(path.join(created, `${LIB}_1.1.0.zip`), zipOf(LIB, '1.1.0'));
    await waitFor(
      async () => /Mods folder: 1\.1\.0 installed/.test(await hoverText(editor.document, positionOf(editor.document, `"${LIB} >=`, { before: true }).translate(0, 3))),
      { timeoutMs: 15_000, message: 'the created folder is read' },
    );
    await config().update('modsFolder', folder, vscode.ConfigurationTarget.Global);
  });
});

// Restricted Mode: run by the harness as a second pass, in a code-server with workspace
// trust on and this folder not trusted (the main pass turns trust off). What reads works;
// what writes outside the workspace is refused with an offer to trust the folder.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { suite, test } from './framework';
import {
  clearRequests,
  completionsAt,
  diagnosticsWhere,
  explorerApi,
  extensionApi,
  getRequests,
  hoverText,
  infoJson,
  openInfoJson,
  positionOf,
} from './helpers';

interface Outcome {
  status: string;
  code?: string;
  message?: string;
  failure?: { code: string; message: string };
}

const TRUST_OFFER = /needs a trusted workspace\. Trust this folder to go on/;

suite('Restricted Mode', () => {
  test('the folder is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('info.json features work: diagnostics, hover, completion', async () => {
    const editor = await openInfoJson(infoJson({ dependencies: ['base >= 2.0.0', 'factorio-lib >= 1.0.0', 'not-a-real-mod-xyz'] }));
    const doc = editor.document;
    await diagnosticsWhere(doc.uri, (l) => l.some((d) => d.code === 'unknown-mod') && l.some((d) => d.code === 'outdated-minimum'), 'portal-based checks', 30_000);
    assert.match(await hoverText(doc, positionOf(doc, '"factorio-li')), /factorio-lib/);
    const items = await completionsAt(doc, positionOf(doc, '"factorio-l'));
    assert.ok(items.length > 0, 'completion offers names');
  });

  test('the explorer and the lookups work', async () => {
    const explorer = await explorerApi();
    const roots = await explorer.portal();
    assert.deepEqual(roots.map((r) => r.id), ['categories', 'tags']);
    assert.ok((await explorer.portal('categories')).length > 0);
    assert.equal(await vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails', { name: 'factorio-lib' }), true);
  });

  test('downloading and installing are refused with an offer to trust the folder; nothing is written outside the workspace', async () => {
    const api = await extensionApi<{ modsFolder: string | undefined }>();
    const mods = api.modsFolder;
    assert.ok(mods, 'the user settings name a mods folder');
    await clearRequests();
    const download = await vscode.commands.executeCommand<Outcome>('factorioPortal.downloadRelease', { name: 'factorio-lib', version: '1.4.2' });
    assert.equal(download.status, 'failed');
    assert.equal(download.code, 'untrusted');
    assert.match(download.message ?? '', TRUST_OFFER);
    await openInfoJson(infoJson({ dependencies: ['base >= 2.0.0', 'factorio-lib'] }));
    for (const [command, arg] of [
      ['factorioPortal.installDependencies', { optional: [], confirm: true }],
      ['factorioPortal.installModWithDependencies', { name: 'modpack-demo', factorioVersion: '2.0', optional: [], confirm: true }],
    ] as const) {
      const outcome = await vscode.commands.executeCommand<Outcome>(command, arg);
      assert.equal(outcome.status, 'failed', `${command}: ${JSON.stringify(outcome)}`);
      assert.equal(outcome.failure?.code, 'untrusted');
      assert.match(outcome.failure?.message ?? '', TRUST_OFFER);
    }
    assert.deepEqual(readdirSync(mods), []);
    const packaged = await vscode.commands.executeCommand<{ status: string; code?: string; message?: string }>('factorioPortal.packageMod', { answer: 'write' });
    assert.deepEqual([packaged.status, packaged.code], ['failed', 'untrusted']);
    assert.match(packaged.message ?? '', TRUST_OFFER);
    const downloads = (await getRequests()).filter((r) => r.host === 'download' || r.path.startsWith('/download/'));
    assert.deepEqual(downloads, []);
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { after, suite, test } from './framework';
import {
  answeringQuickPicks,
  closeAllEditors,
  explorerApi,
  openInfoJson,
  scratchFolder,
  portalUrl,
  waitFor,
} from './helpers';

const LIB = 'factorio-lib';

const INFO = `{
    "name": "lookup-mod",
    "version": "1.0.0",
    "title": "Lookup Mod",
    "author": "Tester",
    "factorio_version": "2.0",
    "dependencies": [
        "base >= 2.0.0"
    ]
}
`;

suite('lookups', () => {
  after(closeAllEditors);

  test('Show Mod Details renders untrusted portal text safely, under a strict policy', async () => {
    const shown = await vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails', 'markdown-mod');
    assert.equal(shown, true);
    const details = (await explorerApi()).details();
    assert.ok(details, 'a details panel is open');
    assert.equal(details.name, 'markdown-mod');
    assert.equal(details.full, true, 'the full record is shown');
    const html = details.html;
    const origin = new URL(portalUrl()).origin;
    assert.ok(html.includes(`content="default-src &#39;none&#39;; img-src https: ${origin}; style-src &#39;nonce-`), 'strict CSP');
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<[^>]*\son\w+\s*=/i, 'no event handler attributes');
    assert.doesNotMatch(html, /(href|src)="(?!https?:)/i, 'only http(s) links and images');
    assert.match(html, /<h1>Markdown \*\*Mod\*\* &#60;script&#62;alert\(1\)&#60;\/script&#62;<\/h1>/);
    assert.match(html, /<strong>Bold<\/strong>/);
    assert.match(html, /\[Click me\]\(command:workbench\.action\.quit\)/, 'the command: link is kept as text');
    assert.doesNotMatch(html, /href="(command|javascript):/i);
    assert.match(html, /<p>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/p>/, 'raw HTML in the description is shown as text');
    assert.match(html, /<h2>Changelog<\/h2>/);
    assert.match(html, /<h2>Releases<\/h2>/);
  });

  test('details of a library: releases with Factorio versions and dependencies, tags, license, links', async () => {
    await vscode.commands.executeCommand('factorioPortal.showModDetails', { name: LIB });
    const details = (await explorerApi()).details()!;
    assert.equal(details.name, LIB);
    const html = details.html;
    assert.match(html, /<strong>2\.1\.0<\/strong><\/td><td>2\.1<\/td>/);
    assert.match(html, /<code>base &#62;= 2\.0\.0<\/code>/);
    assert.match(html, /<span class="badge">circuit-network<\/span>/);
    assert.match(html, /<dt>License<\/dt>/);
    assert.match(html, /<a href="https:\/\/github.com\/lib-maintainer\/factorio-lib">Source<\/a>/);
    assert.match(html, /<h2>Description<\/h2>/);
  });

  test('Show Mod Details with the cursor on a dependency opens that mod without asking', async () => {
    const editor = await openInfoJson(INFO.replace('"base >= 2.0.0"', '"base >= 2.0.0",\n        "Mixed_Case-Mod >= 0.1.0"'), scratchFolder('lookups'));
    const at = editor.document.positionAt(editor.document.getText().indexOf('Case-Mod'));
    editor.selection = new vscode.Selection(at, at);
    // A question would be closed unanswered, and nothing would be shown.
    const shown = await answeringQuickPicks(() => vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails'), 'close');
    assert.equal(shown, true);
    assert.equal((await explorerApi()).details()?.name, 'Mixed_Case-Mod');

    // On a built-in mod (no portal page) the command asks, as it does anywhere else.
    const onBase = editor.document.positionAt(editor.document.getText().indexOf('base >='));
    editor.selection = new vscode.Selection(onBase, onBase);
    const asked = await answeringQuickPicks(() => vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails'), 'close');
    assert.equal(asked, false);
  });

  test('a mod the portal does not have: no panel, false', async () => {
    await closeAllEditors();
    const shown = await vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails', 'no-such-mod-anywhere');
    assert.equal(shown, false);
    assert.equal((await explorerApi()).details(), undefined);
  });

  test('Search Mods: the quick pick finds a mod as typed, and choosing it shows its details', async () => {
    const chosen = await answeringQuickPicks(
      () => vscode.commands.executeCommand<string | undefined>('factorioPortal.searchMods', { query: 'Factorio Library' }),
      'accept',
    );
    assert.equal(chosen, LIB);
    await waitFor(() => (explorerApi().then((e) => e.details()?.name === LIB)), { message: 'details of factorio-lib' });
  });

  test('Search Mods: Escape chooses nothing', async () => {
    const chosen = await answeringQuickPicks(() => vscode.commands.executeCommand<string | undefined>('factorioPortal.searchMods', 'lib'), 'close');
    assert.equal(chosen, undefined);
  });

  test('Add Dependency with arguments: one undoable edit that keeps the formatting', async () => {
    const editor = await openInfoJson(INFO, scratchFolder('lookups'));
    const added = await vscode.commands.executeCommand<string>('factorioPortal.addDependency', { name: LIB, constraint: 'latest' });
    assert.equal(added, 'factorio-lib >= 1.4.2');
    assert.equal(
      editor.document.getText(),
      INFO.replace('"base >= 2.0.0"\n', '"base >= 2.0.0",\n        "factorio-lib >= 1.4.2"\n'),
    );
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), INFO, 'one undo restores the file');

    assert.equal(await vscode.commands.executeCommand('factorioPortal.addDependency', { name: 'base', constraint: 'any' }), undefined, 'already there');
    assert.equal(editor.document.getText(), INFO);
    assert.equal(
      await vscode.commands.executeCommand('factorioPortal.addDependency', { name: 'legacy-only-11', constraint: 'latest' }),
      undefined,
      'no release for Factorio 2.0',
    );
    assert.equal(await vscode.commands.executeCommand('factorioPortal.addDependency', { name: 'quality', constraint: 'any', kind: 'optional' }), '? quality');
    assert.match(editor.document.getText(), /"base >= 2\.0\.0",\n {8}"\? quality"\n {4}\]/);
  });

  test('Add Dependency asks for the constraint: the latest compatible release comes first', async () => {
    const editor = await openInfoJson(INFO, scratchFolder('lookups'));
    const added = await answeringQuickPicks(
      () => vscode.commands.executeCommand<string>('factorioPortal.addDependency', { name: 'Mixed_Case-Mod' }),
      'accept',
    );
    assert.equal(added, 'Mixed_Case-Mod >= 0.2.0');
    assert.match(editor.document.getText(), /"Mixed_Case-Mod >= 0\.2\.0"\n {4}\]/);
  });

  test('Add Dependency creates "dependencies" when it is missing', async () => {
    const editor = await openInfoJson('{\n  "name": "bare-mod",\n  "version": "1.0.0",\n  "factorio_version": "2.0"\n}\n', scratchFolder('lookups'));
    const added = await vscode.commands.executeCommand<string>('factorioPortal.addDependency', { name: LIB, constraint: '>= 1.0.0' });
    assert.equal(added, 'factorio-lib >= 1.0.0');
    assert.equal(
      editor.document.getText(),
      '{\n  "name": "bare-mod",\n  "version": "1.0.0",\n  "factorio_version": "2.0",\n  "dependencies": [\n    "factorio-lib >= 1.0.0"\n  ]\n}\n',
    );
  });

  test('Open on Mod Portal and Copy Mod Name', async () => {
    const url = await vscode.commands.executeCommand<string>('factorioPortal.openOnPortal', { name: LIB });
    assert.equal(url, `${portalUrl()}/mod/${LIB}`);
    const copied = await vscode.commands.executeCommand<string>('factorioPortal.copyModName', { name: 'Mixed_Case-Mod' });
    assert.equal(copied, 'Mixed_Case-Mod');
    assert.equal(await vscode.env.clipboard.readText(), 'Mixed_Case-Mod');
  });
});

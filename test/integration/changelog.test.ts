import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { after, suite, test } from './framework';
import { applyAction, closeAllEditors, codeActionsAt, completionsAt, hoverText, infoJson, labelOf, portalJson, scratchFolder, waitFor, workspaceRoot, writeInfoJson } from './helpers';

const SOURCE = 'Factorio changelog';
const SEP = '-'.repeat(99);
const LANGUAGE = 'factorio-changelog';

/** Writes `<folder>/changelog.txt` (and an info.json beside it unless `info` is null), opens the changelog. */
async function openChangelog(text: string, info: Record<string, unknown> | null = infoJson(), folder = scratchFolder('changelog')): Promise<vscode.TextDocument> {
  const dir = vscode.Uri.joinPath(workspaceRoot(), 'scratch', folder);
  if (info) await writeInfoJson(info, folder);
  else await vscode.workspace.fs.createDirectory(dir);
  const uri = vscode.Uri.joinPath(dir, 'changelog.txt');
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  if (!info) return document;
  // The language switches once the extension saw info.json beside it; that reopens the document.
  return waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === LANGUAGE), {
    message: 'changelog.txt became a Factorio changelog',
  });
}

function changelogDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

async function diagnosticsWhere(uri: vscode.Uri, check: (list: vscode.Diagnostic[]) => boolean, message: string): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const list = changelogDiagnostics(uri);
      return check(list) ? list : undefined;
    },
    { timeoutMs: 15_000, message: `${message}; last seen: ${JSON.stringify(changelogDiagnostics(uri).map((d) => [d.code, d.message]))}` },
  );
}

const GOOD = [SEP, 'Version: 1.0.0', 'Date: 2026-11-30', '  Features:', '    - First release.', ''].join('\n');

const BAD = [
  '-'.repeat(98),
  'Version: 1.0.1',
  '  Bugfixes',
  '   - Misindented.',
  '\t- Tabbed.',
  '  Features: ',
  '    - Fine.',
  '  Compatibility:',
  '    - Unknown category.',
  SEP,
  'Version: 1.0.0',
  '    - No category.',
  '',
].join('\n');

suite('changelog.txt', () => {
  after(closeAllEditors);

  test('a changelog.txt beside an info.json is a Factorio changelog; one without stays plain text', async () => {
    const withInfo = await openChangelog(GOOD);
    assert.equal(withInfo.languageId, LANGUAGE);
    const alone = await openChangelog(GOOD, null);
    // Opened after the lone one, adopted after it was looked at: the lone one had its turn.
    await openChangelog(GOOD);
    assert.equal(alone.languageId, 'plaintext');
  });

  test('every fault is a diagnostic on its exact characters, with its code and severity', async () => {
    const document = await openChangelog(BAD, infoJson({ version: '1.0.1' }));
    const list = await diagnosticsWhere(document.uri, (l) => l.length >= 7, 'the faults of the changelog');
    const seen = list.map((d) => [d.code, vscode.DiagnosticSeverity[d.severity], document.getText(d.range)]);
    const expected = [
      ['changelog-separator-length', 'Error', '-'.repeat(98)],
      ['changelog-category-colon', 'Error', 'Bugfixes'],
      ['changelog-entry-indent', 'Error', '   '],
      ['changelog-tab-indent', 'Error', '\t'],
      ['changelog-trailing-whitespace', 'Error', ' '],
      ['changelog-unknown-category', 'Information', 'Compatibility'],
      ['changelog-entry-outside-category', 'Error', '- No category.'],
    ];
    for (const e of expected) assert.ok(seen.some((s) => JSON.stringify(s) === JSON.stringify(e)), `${JSON.stringify(e)} in ${JSON.stringify(seen)}`);
    assert.equal(list.length, expected.length, JSON.stringify(seen));
  });

  test('a changelog the game accepts has no Error or Warning', async () => {
    // info.json one version ahead: its finding shows the file was checked, and it is the only one.
    const document = await openChangelog(GOOD, infoJson({ version: '1.0.1' }));
    const list = await diagnosticsWhere(document.uri, (l) => l.length > 0, 'the file checked');
    assert.deepEqual(
      list.map((d) => d.code),
      ['changelog-version-behind'],
    );
  });

  test('quick fixes mend each fixable fault, and the diagnostic goes', async () => {
    const document = await openChangelog(BAD, infoJson({ version: '1.0.1' }));
    await diagnosticsWhere(document.uri, (l) => l.length >= 7, 'the faults');
    const fixes: [string, string][] = [
      ['changelog-separator-length', 'Make the separator 99 dashes'],
      ['changelog-category-colon', 'Add the colon'],
      ['changelog-entry-indent', 'Indent the entry by 4 spaces'],
      ['changelog-tab-indent', 'Indent with spaces'],
      ['changelog-trailing-whitespace', 'Remove the trailing white space'],
    ];
    for (const [code, title] of fixes) {
      const diagnostic = (await diagnosticsWhere(document.uri, (l) => l.some((d) => d.code === code), code)).find((d) => d.code === code)!;
      const actions = await codeActionsAt(document, diagnostic.range);
      const fix = actions.find((a) => a.title === title);
      assert.ok(fix, `"${title}" for ${code}: ${actions.map((a) => a.title).join(', ')}`);
      await applyAction(fix);
      await diagnosticsWhere(document.uri, (l) => !l.some((d) => d.code === code), `${code} gone after "${title}"`);
    }
    const lines = document.getText().split('\n');
    assert.equal(lines[0], SEP);
    assert.deepEqual(lines.slice(2, 6), ['  Bugfixes:', '    - Misindented.', '    - Tabbed.', '  Features:']);
  });

  test('the severity of a code is a setting, and "off" hides it', async () => {
    const config = vscode.workspace.getConfiguration('factorioPortal');
    const document = await openChangelog(BAD, infoJson({ version: '1.0.1' }));
    await diagnosticsWhere(document.uri, (l) => l.some((d) => d.code === 'changelog-unknown-category'), 'the unknown category');
    try {
      await config.update('diagnostics.severity', { 'changelog-unknown-category': 'off', 'changelog-entry-indent': 'warning' }, vscode.ConfigurationTarget.Workspace);
      const list = await diagnosticsWhere(
        document.uri,
        (l) => !l.some((d) => d.code === 'changelog-unknown-category') && l.some((d) => d.code === 'changelog-entry-indent' && d.severity === vscode.DiagnosticSeverity.Warning),
        'the settings applied',
      );
      assert.ok(list.some((d) => d.code === 'changelog-separator-length' && d.severity === vscode.DiagnosticSeverity.Error));
    } finally {
      await config.update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('Format Document normalises the file without changing a word', async () => {
    const messy = ['', '-'.repeat(100) + ' ', '', 'Version:  1.0.0 ', 'Date:2026-11-30', ' Features: ', '   -  Added\ta thing.', '\t- Another.', '     and more', '   ', ''].join('\n');
    const document = await openChangelog(messy, infoJson({ version: '1.0.0' }));
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', document.uri, { tabSize: 2, insertSpaces: true });
    assert.ok(edits.length > 0);
    const edit = new vscode.WorkspaceEdit();
    edit.set(document.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(
      document.getText(),
      [SEP, 'Version: 1.0.0', 'Date: 2026-11-30', '  Features:', '    - Added a thing.', '    - Another.', '      and more', '', ''].join('\n'),
    );
    await diagnosticsWhere(document.uri, (l) => l.length === 0, 'no finding once formatted');
  });

  test('completion offers the categories inside a section, and a new section at the top', async () => {
    const document = await openChangelog(['', GOOD].join('\n'), infoJson({ version: '1.1.0' }));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((e) => e.insert(new vscode.Position(5, 0), '  Bu\n'));
    const categories = await completionsAt(document, new vscode.Position(5, 4));
    const bugfixes = categories.find((i) => labelOf(i) === 'Bugfixes');
    assert.ok(bugfixes, categories.map(labelOf).join(', '));
    assert.equal(bugfixes.insertText, '  Bugfixes:');
    assert.deepEqual(document.getText(bugfixes.range as vscode.Range), '  Bu');
    assert.equal(categories.filter((i) => i.kind === vscode.CompletionItemKind.EnumMember).length, 20);

    const top = await completionsAt(document, new vscode.Position(0, 0));
    const section = top.find((i) => i.kind === vscode.CompletionItemKind.Snippet);
    assert.ok(section, top.map(labelOf).join(', '));
    assert.equal(labelOf(section), 'New section 1.1.0');
    const snippet = (section.insertText as vscode.SnippetString).value;
    const today = new Date();
    const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    assert.ok(snippet.startsWith(`${SEP}\nVersion: \${1:1.1.0}\nDate: \${2:${date}}\n  \${3|Major Features,Features,`), snippet);
    await editor.insertSnippet(section.insertText as vscode.SnippetString, new vscode.Position(0, 0));
    await diagnosticsWhere(document.uri, (l) => !l.some((d) => d.code === 'changelog-version-behind'), 'the new section is what info.json says');
  });

  test('the outline lists versions, then categories; each section folds', async () => {
    const text = [GOOD.trimEnd(), '  Bugfixes:', '    - A fix.', SEP, 'Version: 0.9.0', '  Changes:', '    - Older.', ''].join('\n');
    const document = await openChangelog(text, infoJson({ version: '1.0.0' }));
    const symbols = await waitFor(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri);
        return list?.length ? list : undefined;
      },
      { message: 'symbols' },
    );
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, s.children.map((c) => c.name)]),
      [
        ['1.0.0', '2026-11-30', ['Features', 'Bugfixes']],
        ['0.9.0', '', ['Changes']],
      ],
    );
    assert.equal(symbols[0].range.start.line, 0);
    assert.equal(symbols[0].range.end.line, 6);
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri);
    const spans = folds.map((f) => [f.start, f.end]);
    for (const span of [[0, 6], [7, 10], [3, 4], [5, 6]]) assert.ok(spans.some((s) => s[0] === span[0] && s[1] === span[1]), `${JSON.stringify(span)} in ${JSON.stringify(spans)}`);
  });

  test('info.json newer than every section: a finding on both files, fixed by adding the section', async () => {
    const folder = scratchFolder('behind');
    const changelog = await openChangelog(GOOD, infoJson({ version: '1.1.0' }), folder);
    await diagnosticsWhere(changelog.uri, (l) => l.some((d) => d.code === 'changelog-version-behind'), 'the finding on the changelog');
    const info = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'scratch', folder, 'info.json'));
    await vscode.window.showTextDocument(info, { preview: false });
    const onInfo = (await diagnosticsWhere(info.uri, (l) => l.some((d) => d.code === 'changelog-version-behind'), 'the finding on info.json')).find(
      (d) => d.code === 'changelog-version-behind',
    )!;
    assert.equal(info.getText(onInfo.range), '"1.1.0"');
    assert.match(onInfo.message, /no section for 1\.1\.0.*1\.0\.0/);
    const fix = (await codeActionsAt(info, onInfo.range)).find((a) => a.title === 'Add a section for 1.1.0 to changelog.txt');
    assert.ok(fix);
    await applyAction(fix);
    assert.match(changelog.getText(), new RegExp(`^${SEP}\\nVersion: 1\\.1\\.0\\nDate: \\d{4}-\\d{2}-\\d{2}\\n {2}Changes:\\n${SEP}\\nVersion: 1\\.0\\.0\\n`));
    await diagnosticsWhere(changelog.uri, (l) => !l.some((d) => d.code === 'changelog-version-behind'), 'gone from the changelog');
    await diagnosticsWhere(info.uri, (l) => !l.some((d) => d.code === 'changelog-version-behind'), 'gone from info.json');
    // The new section passes the game's rules: an empty category is only a hint.
    assert.deepEqual(
      changelogDiagnostics(changelog.uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => d.code),
      [],
    );
  });

  test('hovering a Version line says whether the portal has that release', async () => {
    const portal = await portalJson<{ releases: { version: string; released_at: string; info_json: { factorio_version: string } }[] }>('/api/mods/factorio-lib');
    const published = portal.releases.at(-1)!;
    const text = [SEP, 'Version: 99.0.0', '  Changes:', '    - Not yet.', SEP, `Version: ${published.version}`, '  Changes:', '    - Published.', ''].join('\n');
    const document = await openChangelog(text, infoJson({ name: 'factorio-lib', version: '99.0.0' }));
    const on = await hoverText(document, new vscode.Position(5, 10));
    assert.match(on, new RegExp(`released ${published.released_at.slice(0, 10)}, for Factorio ${published.info_json.factorio_version.replace('.', '\\.')}`));
    const notYet = await hoverText(document, new vscode.Position(1, 10));
    assert.match(notYet, /Not on the Mod Portal yet \(the newest release there is /);
    assert.equal(await hoverText(document, new vscode.Position(3, 6)), '');
  });
});

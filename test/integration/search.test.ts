import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { after, suite, test } from './framework';
import { answeringQuickPicks, closeAllEditors, completionsAt, infoJson, labelOf, openInfoJson, positionOf, scratchFolder } from './helpers';

// The local portal's TrainNetworkManager ("TNM - Train Network Manager", much
// downloaded) among tens of thousands of generated mods.
const MEANT = 'TrainNetworkManager';

/** The first portal mod completion offers for `typed` in dependencies (our order: sortText). */
async function firstCompletion(typed: string): Promise<string | undefined> {
  const editor = await openInfoJson(infoJson({ name: 'search-test-mod', dependencies: ['base >= 2.0.0', typed] }), scratchFolder('search'));
  const items = await completionsAt(editor.document, positionOf(editor.document, `"${typed}`));
  const sorted = [...items].sort((a, b) => (a.sortText ?? labelOf(a)).localeCompare(b.sortText ?? labelOf(b)));
  return sorted.map(labelOf).find((label) => label !== 'base');
}

suite('search finds what people type', () => {
  after(closeAllEditors);

  test('name completion: by the initials, and by a typo', async () => {
    assert.equal(await firstCompletion('tnm'), MEANT);
    assert.equal(await firstCompletion('trian network'), MEANT);
  });

  test('Search Mods: by the initials, and by a typo', async () => {
    for (const query of ['TNM', 'trainnetwrok']) {
      const chosen = await answeringQuickPicks(() => vscode.commands.executeCommand<string | undefined>('factorioPortal.searchMods', { query }), 'accept');
      assert.equal(chosen, MEANT, query);
    }
  });
});

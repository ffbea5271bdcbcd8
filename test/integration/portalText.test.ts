// Portal text is untrusted and unbounded, and it is handled on the extension host every
// extension shares: a crafted description must not keep the editor from answering.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { after, suite, test } from './framework';
import {
  closeAllEditors,
  completionsAt,
  explorerApi,
  findInList,
  hoverText,
  infoJson,
  labelOf,
  openInfoJson,
  plainText,
  portalUrl,
  positionOf,
} from './helpers';

const ADVERSARIAL = 'adversarial-text-mod';

suite('portal text', () => {
  after(closeAllEditors);

  test('Show Mod Details on a megabyte of crafted Markdown opens, and completion is answered meanwhile', async () => {
    const editor = await openInfoJson(infoJson({ dependencies: ['base >= 2.0.0', 'factorio-l'] }));
    const position = positionOf(editor.document, '"factorio-l');
    const shown = vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails', ADVERSARIAL);
    const labels = (await completionsAt(editor.document, position)).map(labelOf);
    assert.ok(labels.includes('factorio-lib'), `completion answered while the details load: ${labels.slice(0, 10).join(', ')}`);
    assert.equal(await shown, true);

    const details = (await explorerApi()).details();
    assert.ok(details, 'a details panel is open');
    assert.equal(details.name, ADVERSARIAL);
    assert.equal(details.full, true, 'the full record is shown');
    const html = details.html;
    const page = `${portalUrl()}/mod/${ADVERSARIAL}`;
    assert.ok(html.includes(`<a href="${page}">continued on the Mod Portal</a>`), 'the description is cut, with a link to the rest');
    assert.ok(html.includes(`<a href="${page}/faq">continued on the Mod Portal</a>`), 'so is the FAQ');
    assert.ok(html.length < 3_000_000, `a page of ${html.length} characters`);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<[^>]*\son\w+\s*=/i, 'no event handler attributes');
    assert.doesNotMatch(html, /(href|src)="(?!https?:)/i, 'only http(s) links and images');
    assert.match(html, /<h2>Changelog<\/h2>/);
  });

  test('the hover of a mod with a changelog of crafted lines is answered', async () => {
    // The full record (with the changelog) is at hand once the details have loaded it.
    assert.equal(await vscode.commands.executeCommand<boolean>('factorioPortal.showModDetails', ADVERSARIAL), true);
    const editor = await openInfoJson(infoJson({ dependencies: [`${ADVERSARIAL} >= 1.0.0`] }));
    const text = await hoverText(editor.document, positionOf(editor.document, '"adversarial-te'));
    assert.match(text, /Adversarial Text Mod/);
    assert.match(text, /Updating from 1\.0\.0 to 1\.0\.1 brings:/);
    assert.match(text, /Fixed a crash\./, 'the changelog entry, past its 100,000-space Date line');
  });

  test('release tooltips in the explorer show portal strings as text', async () => {
    await vscode.commands.executeCommand('factorioPortal.showModDetails', 'markdown-mod');
    const explorer = await explorerApi();
    await explorer.portal();
    await explorer.portal('categories');
    const mod = await findInList(explorer.portal, 'category:utilities', 'category:utilities/markdown-mod');
    assert.ok(mod, 'markdown-mod is listed under Utilities');
    assert.match(plainText(mod.tooltip), /Markdown \*\*Mod\*\* <script>alert\(1\)<\/script>/, 'the title as it is written');
    const [release] = await explorer.portal(mod.id);
    assert.ok(release, 'a release node');
    const tooltip = release.tooltip ?? '';
    assert.match(plainText(tooltip), /markdown-mod 1\.0\.0\*\* for Factorio 2\.0/);
    assert.match(plainText(tooltip), /Dependencies: base >= 2\.0\.0/);
    assert.doesNotMatch(tooltip, /`/, 'no code span made of portal text');
  });
});

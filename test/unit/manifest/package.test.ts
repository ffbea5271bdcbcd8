// What the manifest promises a user who reads the palette, the menus and the extension page.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

interface Manifest {
  displayName: string;
  capabilities: { untrustedWorkspaces: { description: string } };
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
    viewsContainers: { activitybar: Array<{ title: string }> };
  };
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

test('one name for the extension: the view and every command’s category', () => {
  const name = manifest.displayName;
  assert.equal(manifest.contributes.viewsContainers.activitybar[0]!.title, name);
  for (const c of manifest.contributes.commands) assert.equal(c.category, name, c.command);
});

test('the palette offers only the deprecated-mods toggle that applies', () => {
  const when = (command: string) => manifest.contributes.menus.commandPalette!.filter((e) => e.command === command).map((e) => e.when);
  assert.deepEqual(when('factorioPortal.explorer.hideDeprecated'), ['!factorioPortal.explorer.hideDeprecated']);
  assert.deepEqual(when('factorioPortal.explorer.showDeprecated'), ['factorioPortal.explorer.hideDeprecated']);
});

test('Set Mods Folder… is a command, and on the Dependencies view', () => {
  assert.ok(manifest.contributes.commands.some((c) => c.command === 'factorioPortal.setModsFolder' && c.title === 'Set Mods Folder…'));
  assert.ok(manifest.contributes.menus['view/title']!.some((e) => e.command === 'factorioPortal.setModsFolder' && e.when === 'view == factorioPortal.dependencies'));
});

test('the Restricted Mode notice names everything that needs trust', () => {
  const text = manifest.capabilities.untrustedWorkspaces.description;
  for (const word of ['Downloading', 'installing', 'packaging', 'publishing']) assert.ok(text.includes(word), word);
});

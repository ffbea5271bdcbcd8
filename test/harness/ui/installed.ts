// The Dependencies tree of a workspace mod with a mods folder configured: each dependency
// shows whether it is installed, which version, enabled or not, and whether it satisfies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildZip } from '../../portal-server/zip';
import { openWorkbenchWithFile } from '../workbench';
import { openExplorer, treeRow } from './palette';
import { useModsFolder } from './steps';
import type { UiCheck } from './types';

function modZip(name: string, version: string): Buffer {
  const info = JSON.stringify({ name, version, title: name, author: 'someone', factorio_version: '2.0' });
  return buildZip([{ name: `${name}_${version}/` }, { name: `${name}_${version}/info.json`, data: Buffer.from(info) }], new Date(Date.UTC(2025, 0, 1)));
}

export const installedCheck: UiCheck = {
  name: 'the Dependencies tree shows installed versions from the mods folder',
  async run({ page, baseUrl, workspaceDir, machineSettingsFile, screenshot }) {
    const mods = mkdtempSync(path.join(tmpdir(), 'fmp-ui-installed-'));
    writeFileSync(path.join(mods, 'factorio-lib_1.3.0.zip'), modZip('factorio-lib', '1.3.0'));
    writeFileSync(path.join(mods, 'Mixed_Case-Mod_0.5.0.zip'), modZip('Mixed_Case-Mod', '0.5.0'));
    writeFileSync(
      path.join(mods, 'mod-list.json'),
      JSON.stringify({ mods: [{ name: 'base', enabled: true }, { name: 'factorio-lib', enabled: true }, { name: 'Mixed_Case-Mod', enabled: false }] }, null, 2),
    );
    // The machine's settings: a workspace's mods folder is never used.
    const restoreSettings = useModsFolder(machineSettingsFile, mods);
    try {
      await openWorkbenchWithFile(page, baseUrl, workspaceDir, path.join(workspaceDir, 'my-mod', 'info.json'));
      await openExplorer(page);
      await treeRow(page, 'Dependencies', 'Mods folder: 1.3.0 installed').waitFor({ state: 'visible', timeout: 45_000 });
      await treeRow(page, 'Dependencies', 'disabled').waitFor({ state: 'visible', timeout: 15_000 });
      // Widen the side bar by its sash, as a user would, so the descriptions are readable.
      const sidebar = await page.locator('.part.sidebar').first().boundingBox();
      if (sidebar) {
        const y = sidebar.y + sidebar.height / 2;
        await page.mouse.move(sidebar.x + sidebar.width - 1, y);
        await page.mouse.down();
        await page.mouse.move(sidebar.x + 900, y, { steps: 8 });
        await page.mouse.up();
      }
      await treeRow(page, 'Dependencies', 'Mods folder: 1.3.0 installed').waitFor({ state: 'visible', timeout: 15_000 });
    } finally {
      await screenshot('dependencies-installed.png');
      restoreSettings();
      rmSync(mods, { recursive: true, force: true });
    }
  },
};

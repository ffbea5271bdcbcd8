// A mod's changelog.txt with faults, as a user sees it: the file opens as a Factorio
// changelog (the language in the status bar), its lines coloured, the faults squiggled and
// listed in the Problems panel with their codes.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openWorkbenchWithFile } from '../workbench';
import type { UiCheck } from './types';

const SEP = '-'.repeat(99);

const CHANGELOG = [
  SEP,
  'Version: 1.1.0',
  'Date: 2026-11-30',
  '  Features:',
  '    - Added a faster inserter.',
  '      It unlocks with logistics.',
  '  Bugfixes',
  '   - Fixed a crash on load.',
  '\t- Fixed the icon.',
  '  Compatibility:',
  '    - Works with other mods.',
  '-'.repeat(98),
  'Version: 1.0.0',
  '  Major Features:',
  '    - First release.',
  '',
].join('\n');

const EXPECTED = ['A separator is exactly 99 dashes', 'A category line ends with a colon', 'An entry is indented by exactly 4 spaces', 'A tab in the indentation', 'is not one of the game', 'newer than the newest section'];

export const changelogCheck: UiCheck = {
  name: 'a changelog.txt shows its faults',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const dir = path.join(workspaceDir, 'changelog-ui-mod');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'info.json'), JSON.stringify({ name: 'changelog-ui-mod', version: '1.2.0', title: 'Changelog UI', author: 'Tester', factorio_version: '2.0' }, null, 2) + '\n');
    const file = path.join(dir, 'changelog.txt');
    writeFileSync(file, CHANGELOG);
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    try {
      await page.locator('.statusbar-item', { hasText: 'Factorio Changelog' }).first().waitFor({ state: 'visible', timeout: 45_000 });
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ state: 'visible', timeout: 15_000 });
      for (const text of EXPECTED) {
        await panel.locator('.monaco-list-row', { hasText: text }).first().waitFor({ state: 'visible', timeout: 30_000 });
      }
      await page.locator('.editor-instance .monaco-editor .squiggly-error').first().waitFor({ state: 'visible', timeout: 10_000 });
    } finally {
      await screenshot('changelog.png');
    }
  },
};

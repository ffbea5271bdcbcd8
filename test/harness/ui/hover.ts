// The hover card of a dependency, as a user sees it: shown from the keyboard
// (Ctrl+K Ctrl+I), with portal data from the local portal.
import * as path from 'node:path';
import { goToLineColumn, openWorkbenchWithFile } from '../workbench';
import { positionAfter } from './fixture-position';
import type { UiCheck } from './types';

const HOVER = '.monaco-hover:not(.hidden)';

export const hoverCheck: UiCheck = {
  name: 'hovering a dependency shows its portal card',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const file = path.join(workspaceDir, 'my-mod', 'info.json');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    const at = positionAfter(file, '"factorio-li');
    await goToLineColumn(page, at.line, at.column);
    const card = page.locator(HOVER, { hasText: 'Factorio Library' });
    const deadline = Date.now() + 45_000;
    try {
      // The first request may come while the extension host is still starting: ask again.
      for (;;) {
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        try {
          await card.first().waitFor({ state: 'visible', timeout: 4000 });
          break;
        } catch {
          if (Date.now() >= deadline) throw new Error('no hover card with "Factorio Library" appeared');
          await page.keyboard.press('Escape');
        }
      }
      await card.first().filter({ hasText: 'Latest for Factorio 2.0' }).waitFor({ timeout: 10_000 });
    } finally {
      await screenshot('hover.png');
    }
  },
};

// The Problems panel with an info.json full of problems: the extension's diagnostics
// must be listed there, portal-based ones included.
import * as path from 'node:path';
import { openWorkbenchWithFile } from '../workbench';
import type { UiCheck } from './types';

const EXPECTED = ['No mod named "no-such-mod-anywhere"', 'deprecated'];

export const problemsCheck: UiCheck = {
  name: 'the Problems panel lists info.json diagnostics',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const file = path.join(workspaceDir, 'problems-mod', 'info.json');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    try {
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ state: 'visible', timeout: 15_000 });
      for (const text of EXPECTED) {
        await panel.locator('.monaco-list-row', { hasText: text }).first().waitFor({ state: 'visible', timeout: 45_000 });
      }
    } finally {
      await screenshot('problems.png');
    }
  },
};

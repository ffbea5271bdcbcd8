// Search Mods…: the quick pick over the whole portal, filtered as the user types, with
// the matches highlighted, downloads on each row and the summary on the first rows.
import * as path from 'node:path';
import { openWorkbenchWithFile } from '../workbench';
import { QUICK_ROWS, quickRow, runFromPalette, typeIntoQuickPick } from './palette';
import type { UiCheck } from './types';

export const searchCheck: UiCheck = {
  name: 'Search Mods finds factorio-lib as typed, with highlights',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const file = path.join(workspaceDir, 'my-mod', 'info.json');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    try {
      await runFromPalette(page, 'Factorio Mod Portal: Search Mods…');
      await typeIntoQuickPick(page, 'Search the Mod Portal', 'factorio lib');
      const row = quickRow(page, 'Factorio Library');
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await row.locator('.highlight').first().waitFor({ state: 'visible', timeout: 10_000 });
      // The summaries of the first rows are read after the rows are shown.
      await page.locator(QUICK_ROWS).first().filter({ hasText: /commonly used utilities/ }).waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
      const first = (await page.locator(QUICK_ROWS).first().textContent()) ?? '';
      if (!first.includes('Factorio Library')) throw new Error(`the first row is not factorio-lib: ${first}`);
      if (!/commonly used utilities/.test(first)) throw new Error(`the row has no summary: ${first}`);
    } finally {
      await screenshot('search.png');
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  },
};

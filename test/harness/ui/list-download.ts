// The first download of the whole mod list shows a notification the user can cancel;
// cancelling stops it without calling the portal offline. Runs after the welcome check
// (which leaves the cache empty) and leaves the list loaded again.
import * as path from 'node:path';
import { openWorkbenchWithFile } from '../workbench';
import { runFromPalette, setPortalFaults } from './palette';
import type { UiCheck } from './types';

export const listDownloadCheck: UiCheck = {
  name: 'the first mod list download shows a cancellable notification',
  async run({ page, baseUrl, workspaceDir, portalUrl, screenshot }) {
    const file = path.join(workspaceDir, 'my-mod', 'info.json');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    try {
      // A slow list answer, so the download is still running when the notification shows.
      await setPortalFaults(portalUrl, { latencyMs: 20_000, match: 'page_size=max' });
      await runFromPalette(page, 'Factorio Mod Portal: Clear Cached Portal Data');
      await runFromPalette(page, 'Factorio Mod Portal: Refresh Portal Data');
      const toast = page.locator('.notification-toast', { hasText: 'Downloading the mod list' });
      await toast.waitFor({ state: 'visible', timeout: 30_000 });
      await screenshot('list-download.png');
      await toast.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
      await toast.waitFor({ state: 'hidden', timeout: 10_000 });
      const status = page.locator('.statusbar-item', { hasText: /Mod Portal/ });
      await status.first().waitFor({ state: 'visible', timeout: 10_000 });
      const text = (await status.first().textContent()) ?? '';
      if (/offline/i.test(text)) throw new Error(`a cancelled download must not read as offline: "${text}"`);
    } finally {
      await setPortalFaults(portalUrl, null);
      await runFromPalette(page, 'Factorio Mod Portal: Refresh Portal Data').catch(() => undefined);
    }
  },
};

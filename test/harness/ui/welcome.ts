// The Mod Portal view when the portal cannot be reached and nothing is cached: its
// welcome view with a Retry button, and Retry bringing the tree back once the portal answers.
// Runs last: it empties the extension's cache (later checks would load it again).
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbenchWithFile } from '../workbench';
import { openExplorer, runFromPalette, setPortalFaults, treeRow } from './palette';
import type { UiCheck } from './types';

function portalPane(page: Page) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Mod Portal' }) });
}

export const welcomeCheck: UiCheck = {
  name: 'the Mod Portal view offers Retry when the portal is down and nothing is cached',
  async run({ page, baseUrl, workspaceDir, portalUrl, screenshot }) {
    const file = path.join(workspaceDir, 'my-mod', 'info.json');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    try {
      await setPortalFaults(portalUrl, { status: 503 });
      await runFromPalette(page, 'Factorio Mod Portal: Clear Cached Portal Data');
      await openExplorer(page);
      const welcome = portalPane(page).locator('.welcome-view-content', { hasText: 'cannot be reached' });
      await welcome.waitFor({ state: 'visible', timeout: 45_000 });
      const retry = welcome.locator('.monaco-button', { hasText: 'Retry' }).first();
      await retry.waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot('welcome.png');

      await setPortalFaults(portalUrl, null);
      await retry.click();
      await treeRow(page, 'Mod Portal', 'Categories').waitFor({ state: 'visible', timeout: 45_000 });
      if (await welcome.isVisible()) throw new Error('the welcome view is still shown next to the tree');
    } finally {
      await setPortalFaults(portalUrl, null);
    }
  },
};

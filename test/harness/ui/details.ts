// Show Mod Details: the webview panel with a mod's description, releases and links.
import * as path from 'node:path';
import { openWorkbenchWithFile } from '../workbench';
import { quickRow, runFromPalette, typeIntoQuickPick } from './palette';
import type { UiCheck } from './types';

export const detailsCheck: UiCheck = {
  name: 'Show Mod Details opens the details panel',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    const file = path.join(workspaceDir, 'my-mod', 'info.json');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, file);
    try {
      await runFromPalette(page, 'Factorio Mod Portal: Show Mod Details');
      await typeIntoQuickPick(page, 'Show Mod Details: which mod?', 'factorio-lib');
      await quickRow(page, 'Factorio Library').waitFor({ state: 'visible', timeout: 30_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab', { hasText: 'Factorio Library' }).waitFor({ state: 'visible', timeout: 30_000 });
      const content = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await content.locator('h2', { hasText: 'Changelog' }).waitFor({ state: 'visible', timeout: 30_000 });
      await content.locator('h1', { hasText: 'Factorio Library' }).waitFor({ state: 'visible', timeout: 10_000 });
      await content.locator('table.releases tr', { hasText: '2.1.0' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      // The thumbnail comes from the local portal's /assets/: it must load, not show as broken.
      const thumb = content.locator('header img').first();
      await thumb.waitFor({ state: 'visible', timeout: 10_000 });
      // decode() settles once the image has loaded, and rejects when it is broken.
      const width = await thumb.evaluate(async (img: HTMLImageElement) => {
        await img.decode();
        return img.naturalWidth;
      });
      if (width !== 144) throw new Error(`the thumbnail is ${width} pixels wide, not 144: ${await thumb.getAttribute('src')}`);
    } finally {
      await screenshot('details.png');
    }
  },
};

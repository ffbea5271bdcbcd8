// Set Portal API Key… typed in, then Publish Mod Release… of a new mod as a user runs it:
// the preflight report, the new mod's questions, the confirmation, the one progress
// notification (the local portal reads the upload slowly so it stays on screen), the
// success message; then Edit Portal Details… and its diff.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_API_KEYS } from '../../portal-server/server';
import { openWorkbenchWithFile } from '../workbench';
import { QUICK_INPUT, runFromPalette, setPortalFaults } from './palette';
import { toast, waitForTitle } from './steps';
import type { UiCheck } from './types';

function dialog(page: Page, text: string) {
  return page.locator('.monaco-dialog-box', { hasText: text });
}

export const publishCheck: UiCheck = {
  name: 'Publish Mod Release…: preflight report, confirmation, progress, success; Edit Portal Details… diff',
  timeoutMs: 180_000,
  async run({ page, baseUrl, workspaceDir, portalUrl, screenshot }) {
    const name = `ui-published-${Date.now().toString(36)}`;
    const modDir = path.join(workspaceDir, name);
    mkdirSync(modDir, { recursive: true });
    const infoJson = path.join(modDir, 'info.json');
    writeFileSync(infoJson, JSON.stringify({ name, version: '0.1.0', title: 'UI Published Mod', author: 'test-user', factorio_version: '2.0', dependencies: ['base >= 2.0'], homepage: 'https://example.com/ui-mod' }, null, 2) + '\n');
    writeFileSync(path.join(modDir, 'changelog.txt'), '---------------------------------------------------------------------------------------------------\nVersion: 0.1.0\nDate: 2026-12-01\n  Features:\n    - First release.\n');
    writeFileSync(path.join(modDir, 'control.lua'), '-- nothing yet\n');
    // Incompressible, so the upload takes a while at the rate below.
    writeFileSync(path.join(modDir, 'graphics.bin'), randomBytes(768 * 1024));
    writeFileSync(path.join(modDir, 'README.md'), '# UI Published Mod\n\nWhat this mod does, at length.\n');
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, infoJson);
    try {
      await runFromPalette(page, 'Factorio Mod Portal: Set Portal API Key…');
      await waitForTitle(page, /^Mod Portal API key$/);
      const box = page.locator(`${QUICK_INPUT} input[type="password"]`);
      await box.waitFor({ state: 'visible', timeout: 10_000 });
      await box.fill(DEFAULT_API_KEYS[0]!.key);
      await page.keyboard.press('Enter');
      await toast(page, 'kept in VS Code’s secret storage').waitFor({ state: 'visible', timeout: 15_000 });

      await setPortalFaults(portalUrl, { uploadBytesPerSecond: 192 * 1024 });
      await runFromPalette(page, 'Factorio Mod Portal: Publish Mod Release…');
      // The local portal is not the official one: the key's first trip there is asked about.
      const send = dialog(page, 'Send your Mod Portal API key');
      const preflightTitle = page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: `Preflight for ${name} 0.1.0` });
      await Promise.race([send.waitFor({ state: 'visible', timeout: 30_000 }), preflightTitle.waitFor({ state: 'visible', timeout: 30_000 })]);
      if (await send.isVisible()) {
        await screenshot('publish-key-origin.png');
        await send.locator('.monaco-button', { hasText: 'Send the API Key' }).click();
      }
      await preflightTitle.waitFor({ state: 'visible', timeout: 30_000 });
      await screenshot('publish-preflight.png');
      await page.keyboard.press('Enter');
      await waitForTitle(page, `${name} is new on the Mod Portal: its category`);
      await page.locator(`${QUICK_INPUT} input`).fill('tweaks');
      await page.keyboard.press('Enter');
      await waitForTitle(page, `${name}: its license`);
      await page.keyboard.press('Enter');
      await waitForTitle(page, `${name}: source URL`);
      await page.keyboard.press('Enter');

      const confirm = dialog(page, `Publish the new mod ${name} 0.1.0`);
      await confirm.waitFor({ state: 'visible', timeout: 60_000 });
      for (const line of ['Factorio version: 2.0', `Zip: ${name}_0.1.0.zip`, 'Portal: http://127.0.0.1']) await confirm.locator(`text=${line}`).first().waitFor({ state: 'visible', timeout: 5_000 });
      await screenshot('publish-confirm.png');
      await confirm.locator('.monaco-button', { hasText: /^Publish$/ }).click();

      const progress = toast(page, `Publishing ${name} 0.1.0`);
      await progress.locator('text=/\\d+%/').waitFor({ state: 'visible', timeout: 30_000 });
      await progress.locator('.monaco-button', { hasText: 'Cancel' }).waitFor({ state: 'visible', timeout: 5_000 });
      await screenshot('publish-progress.png');
      const done = toast(page, `${name} 0.1.0 is published on the Mod Portal`);
      await done.waitFor({ state: 'visible', timeout: 60_000 });
      await done.locator('.monaco-button', { hasText: 'Open Mod Page' }).waitFor({ state: 'visible', timeout: 5_000 });
      await screenshot('publish-success.png');
      const entry = (await (await fetch(`${portalUrl}/api/mods/${name}/full`)).json()) as { category?: string; releases?: unknown[] };
      if (entry.category !== 'tweaks' || entry.releases?.length !== 1) throw new Error(`the portal has ${JSON.stringify(entry).slice(0, 300)}`);
      await setPortalFaults(portalUrl, null);

      await runFromPalette(page, 'Factorio Mod Portal: Edit Portal Details…');
      await waitForTitle(page, 'the description comes from');
      await page.keyboard.press('Enter');
      await waitForTitle(page, `Send these local values to the Mod Portal for ${name}`);
      await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 15_000 });
      await screenshot('details-diff.png');
      await page.keyboard.press('Enter');
      await toast(page, `The Mod Portal now has the local`).waitFor({ state: 'visible', timeout: 30_000 });
      const edited = (await (await fetch(`${portalUrl}/api/mods/${name}/full`)).json()) as { description?: string; homepage?: string };
      if (!edited.description?.includes('What this mod does') || edited.homepage !== 'https://example.com/ui-mod') throw new Error(`details not sent: ${JSON.stringify(edited).slice(0, 300)}`);
    } finally {
      await setPortalFaults(portalUrl, null).catch(() => undefined);
      await page.keyboard.press('Escape').catch(() => undefined);
      await runFromPalette(page, 'Factorio Mod Portal: Clear Portal API Key').catch(() => undefined);
      rmSync(modDir, { recursive: true, force: true });
    }
  },
};

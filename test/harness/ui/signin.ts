// Sign In for Downloads… with the username and token typed in (the input boxes only a
// real keyboard can fill), then Download Mod Release… from the palette into the mods
// folder the user configures, answering each question with Enter.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openWorkbenchWithFile } from '../workbench';
import { quickRow, runFromPalette, typeIntoQuickPick } from './palette';
import { signIn, signOut, toast, useModsFolder, waitForTitle } from './steps';
import type { UiCheck } from './types';

async function portalRequests(portalUrl: string, method: 'GET' | 'POST', endpoint: 'requests' | 'clear-requests'): Promise<unknown> {
  const response = await fetch(`${portalUrl}/__control/${endpoint}`, { method });
  if (!response.ok) throw new Error(`${method} /__control/${endpoint} answered ${response.status}`);
  return response.status === 204 ? undefined : response.json();
}

export const signInCheck: UiCheck = {
  name: 'Sign In with a typed username and token, then Download Mod Release… into the mods folder',
  timeoutMs: 120_000,
  async run({ page, baseUrl, workspaceDir, machineSettingsFile, portalUrl, screenshot }) {
    const mods = mkdtempSync(path.join(tmpdir(), 'fmp-ui-mods-'));
    // The machine's settings: a workspace's mods folder is never used.
    const restoreSettings = useModsFolder(machineSettingsFile, mods);
    await openWorkbenchWithFile(page, baseUrl, workspaceDir, path.join(workspaceDir, 'my-mod', 'info.json'));
    let signedIn = false;
    try {
      await signIn(page, () => screenshot('signin-token.png'));
      signedIn = true;

      await runFromPalette(page, 'Factorio Mod Portal: Download Mod Release…');
      await typeIntoQuickPick(page, 'Download Mod Release: which mod?', 'factorio-lib');
      await quickRow(page, 'Factorio Library').waitFor({ state: 'visible', timeout: 30_000 });
      await page.keyboard.press('Enter');
      await waitForTitle(page, 'Download factorio-lib: which release?');
      await page.keyboard.press('Enter');
      await waitForTitle(page, 'Save the release where?');
      await quickRow(page, mods).waitFor({ state: 'visible', timeout: 10_000 });
      await portalRequests(portalUrl, 'POST', 'clear-requests');
      await page.keyboard.press('Enter');
      // The local portal is not the official one: unless this profile agreed already (the
      // integration suite does, through Sign In's `trustPortal`), the download asks first.
      const send = page.locator('.monaco-dialog-box', { hasText: 'Send your Factorio username and token' });
      const saved = toast(page, 'Saved factorio-lib_');
      await Promise.race([send.waitFor({ state: 'visible', timeout: 30_000 }), saved.waitFor({ state: 'visible', timeout: 30_000 })]);
      if (await send.isVisible()) {
        await screenshot('token-origin.png');
        await send.locator('.monaco-button', { hasText: 'Send the Token' }).click();
      }
      await saved.waitFor({ state: 'visible', timeout: 30_000 });
      await toast(page, 'Downloading factorio-lib_').waitFor({ state: 'hidden', timeout: 10_000 });
      await screenshot('download.png');

      const files = readdirSync(mods);
      if (files.length !== 1) throw new Error(`expected one file in the mods folder, found: ${files.join(', ') || 'none'}`);
      const full = (await (await fetch(`${portalUrl}/api/mods/factorio-lib/full`)).json()) as { releases: Array<{ file_name: string; sha1: string }> };
      const release = full.releases.find((r) => r.file_name === files[0]);
      if (!release) throw new Error(`${files[0]} is no release of factorio-lib`);
      const sha1 = createHash('sha1').update(readFileSync(path.join(mods, files[0]!))).digest('hex');
      if (sha1 !== release.sha1) throw new Error(`${files[0]}: sha1 ${sha1}, expected ${release.sha1}`);
      // Through the portal's redirect, and the download host never saw the credentials.
      const seen = (await portalRequests(portalUrl, 'GET', 'requests')) as Array<{ host: string; credentials: boolean; url: string }>;
      const fromHost = seen.filter((r) => r.host === 'download');
      if (fromHost.length !== 1) throw new Error(`expected one request to the download host, saw: ${JSON.stringify(seen)}`);
      if (fromHost.some((r) => r.credentials)) throw new Error('the download host received the username or token');
    } finally {
      if (signedIn) await signOut(page);
      restoreSettings();
      rmSync(mods, { recursive: true, force: true });
    }
  },
};

// Install Dependencies into Mods Folder from the palette, as a user runs it on the sample's
// second mod (sample/sample-addon, what `npm run try` suggests): tick an optional
// dependency, read the plan in its dialog, install, watch the one progress notification
// (downloads slowed by the local portal so it stays on screen), then look at the
// Dependencies tree.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../proc';
import { openExplorer, QUICK_INPUT, QUICK_ROWS, quickRow, runFromPalette, setPortalFaults, treeRow } from './palette';
import { acceptInstallPlan, dialog, installSession, toast, waitForTitle } from './steps';
import type { UiCheck } from './types';

// The closure of sample/sample-addon/info.json for Factorio 2.0 (test/portal-server/cases.ts), with the optional pack-optional ticked.
const EXPECTED = ['Mixed_Case-Mod', 'factorio-lib', 'pack-core', 'pack-extras', 'pack-graphics', 'pack-optional'];

export const installCheck: UiCheck = {
  name: 'Install Dependencies into Mods Folder: the plan, one progress notification, the Dependencies tree after',
  timeoutMs: 150_000,
  async run(ctx) {
    const { page, workspaceDir, portalUrl, screenshot } = ctx;
    const mods = mkdtempSync(path.join(tmpdir(), 'fmp-ui-install-'));
    const modDir = path.join(workspaceDir, 'sample-addon');
    cpSync(path.join(REPO_ROOT, 'sample', 'sample-addon'), modDir, { recursive: true });
    const infoJson = path.join(modDir, 'info.json');
    try {
      await installSession(ctx, mods, infoJson, async () => {
        // Slow downloads, so the progress notification is on screen long enough to see.
        await setPortalFaults(portalUrl, { latencyMs: 1500, match: '/download/' });
        await runFromPalette(page, 'Factorio Mod Portal: Install Dependencies into Mods Folder');
        await waitForTitle(page, 'which optional ones too?');
        // factorio-libb is not on the portal: left out of the list, and said so.
        await page.locator(`${QUICK_INPUT} input[placeholder^="Left out: factorio-libb (not on the Mod Portal)"]`).waitFor({ state: 'visible', timeout: 10_000 });
        if ((await page.locator(QUICK_ROWS, { hasText: 'factorio-libb' }).count()) > 0) throw new Error('factorio-libb is offered though it is not on the portal');
        await quickRow(page, 'pack-optional').click();
        await screenshot('install-optional.png');
        await page.keyboard.press('Enter');

        const plan = dialog(page, 'Install the dependencies of sample-addon');
        await plan.waitFor({ state: 'visible', timeout: 60_000 });
        // One mod a line; every mod enabled is named, the game's space-age too.
        for (const line of ['pack-extras 2.0.0', 'pack-core 1.1.0', 'factorio-lib 1.4.2', 'pack-optional 0.1.0', 'Comes with the game:', 'Enabled in mod-list.json:', '• space-age', `Mods folder: ${mods}`]) {
          await plan.locator('text=' + line).first().waitFor({ state: 'visible', timeout: 5_000 });
        }
        await screenshot('install-plan.png');
        const progress = await acceptInstallPlan(page, 'sample-addon');
        // Part-way: some files done, the notification settled, its Cancel button showing.
        await progress.locator('text=/[1-5] of 6 files/').waitFor({ state: 'visible', timeout: 30_000 });
        await progress.locator('.monaco-button', { hasText: 'Cancel' }).waitFor({ state: 'visible', timeout: 5_000 });
        await screenshot('install-progress.png');

        await toast(page, 'Installed 6 mods').waitFor({ state: 'visible', timeout: 60_000 });
        await progress.waitFor({ state: 'hidden', timeout: 10_000 });

        const full = async (name: string) =>
          ((await (await fetch(`${portalUrl}/api/mods/${encodeURIComponent(name)}/full`)).json()) as { releases: Array<{ file_name: string; sha1: string }> }).releases;
        const zips = readdirSync(mods).filter((f) => f.endsWith('.zip')).sort();
        if (zips.length !== EXPECTED.length) throw new Error(`expected ${EXPECTED.length} zips, found: ${zips.join(', ') || 'none'}`);
        for (const name of EXPECTED) {
          const file = zips.find((z) => z.startsWith(`${name}_`));
          const release = file && (await full(name)).find((r) => r.file_name === file);
          if (!file || !release) throw new Error(`${name}: no zip of one of its releases in ${zips.join(', ')}`);
          const sha1 = createHash('sha1').update(readFileSync(path.join(mods, file))).digest('hex');
          if (sha1 !== release.sha1) throw new Error(`${file}: sha1 ${sha1}, expected ${release.sha1}`);
        }

        await openExplorer(page);
        await treeRow(page, 'Dependencies', 'pack-extras').waitFor({ state: 'visible', timeout: 30_000 });
        // The view's title bar shows its buttons under the pointer: the install button is one of them.
        const header = page.locator('.pane-header', { hasText: 'Dependencies' }).first();
        await header.hover();
        await header.locator('.action-label[aria-label="Install Dependencies into Mods Folder"]').waitFor({ state: 'visible', timeout: 10_000 });
        await screenshot('install-dependencies-tree.png');
      });
    } finally {
      rmSync(mods, { recursive: true, force: true });
      rmSync(modDir, { recursive: true, force: true });
    }
  },
};

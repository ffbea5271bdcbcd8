// The mod explorer in the activity bar, expanded down to a category's mods: the Mod
// Portal tree as a user sees it, with the Dependencies tree of the open info.json below.
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbenchWithFile } from '../workbench';
import { openExplorer, treeRow } from './palette';
import type { UiCheck } from './types';

/** The workbench on my-mod/info.json, the Factorio Mod Portal container open. */
async function openMyModWithExplorer(page: Page, baseUrl: string, workspaceDir: string): Promise<void> {
  await openWorkbenchWithFile(page, baseUrl, workspaceDir, path.join(workspaceDir, 'my-mod', 'info.json'));
  await openExplorer(page);
}

export const explorerCheck: UiCheck = {
  name: 'the mod explorer expands a category to its mods',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    await openMyModWithExplorer(page, baseUrl, workspaceDir);
    try {
      await treeRow(page, 'Mod Portal', 'Categories').waitFor({ state: 'visible', timeout: 45_000 });
      await treeRow(page, 'Mod Portal', 'Categories').click();
      const internal = treeRow(page, 'Mod Portal', 'Internal');
      await internal.waitFor({ state: 'visible', timeout: 30_000 });
      await internal.click();
      await treeRow(page, 'Mod Portal', 'Factorio Library').waitFor({ state: 'visible', timeout: 30_000 });
      // The Dependencies tree of my-mod/info.json: its incompatibility with a dependency is flagged.
      await treeRow(page, 'Dependencies', 'Conflicts').waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await screenshot('explorer.png');
    }
  },
};

export const tagsCheck: UiCheck = {
  name: 'the Tags view says its coverage once, on the Tags row',
  async run({ page, baseUrl, workspaceDir, screenshot }) {
    await openMyModWithExplorer(page, baseUrl, workspaceDir);
    try {
      const tags = treeRow(page, 'Mod Portal', 'Tags');
      await tags.waitFor({ state: 'visible', timeout: 45_000 });
      // Before the checks start there is nothing to count: no "0 of 0".
      if (/\b0 of 0\b/.test((await tags.textContent()) ?? '')) throw new Error(`the Tags row says "${await tags.textContent()}" before any check`);
      await tags.click();
      // factorio-lib is among the most downloaded and tagged logistics (test/portal-server/cases.ts).
      await treeRow(page, 'Mod Portal', 'logistics').waitFor({ state: 'visible', timeout: 60_000 });
      await tags.locator('.label-description', { hasText: /most downloaded/ }).waitFor({ state: 'visible', timeout: 10_000 });
      const rows = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Mod Portal' }) }).locator('.pane-body .monaco-list-row');
      const saying = await rows.filter({ hasText: 'most downloaded' }).count();
      if (saying !== 1) throw new Error(`${saying} rows speak of the most downloaded mods; only the Tags row should`);
      const tagRow = treeRow(page, 'Mod Portal', 'logistics');
      const description = ((await tagRow.locator('.label-description').textContent()) ?? '').trim();
      if (!/^\d[\d,]*$/.test(description)) throw new Error(`the logistics row says "${description}", not just its count`);
    } finally {
      await screenshot('explorer-tags.png');
    }
  },
};

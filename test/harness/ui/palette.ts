// Driving the workbench as a user does: the command palette, quick pick rows, tree rows.
import type { Locator, Page } from 'playwright-core';
import { focusEditor } from '../workbench';

export const QUICK_INPUT = '.quick-input-widget';
export const QUICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/** Runs a command by its palette title (e.g. "Factorio Mod Portal: Search Mods…"). */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  // A notification or a busy workbench can swallow the first F1 or the typed filter:
  // open the palette again until the command shows, within a deadline.
  const deadline = Date.now() + 30_000;
  for (;;) {
    await focusEditor(page);
    await page.keyboard.press('F1');
    const input = page.locator(`${QUICK_INPUT} input`);
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`);
      await page.locator(QUICK_ROWS, { hasText: title }).first().waitFor({ state: 'visible', timeout: 10_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/** Waits for a quick pick titled `title` to replace the palette, then types `text` into it. */
export async function typeIntoQuickPick(page: Page, title: string, text: string): Promise<void> {
  await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title }).waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator(`${QUICK_INPUT} input`).fill(text);
}

export function quickRow(page: Page, text: string): Locator {
  return page.locator(QUICK_ROWS, { hasText: text }).first();
}

/** A row of the tree in the view pane titled `pane`. */
export function treeRow(page: Page, pane: string, label: string): Locator {
  const body = page.locator('.pane', { has: page.locator('.pane-header', { hasText: pane }) }).locator('.pane-body');
  return body.locator('.monaco-list-row', { hasText: label }).first();
}

/** Opens the Factorio Mod Portal container from the activity bar. */
export async function openExplorer(page: Page): Promise<void> {
  const icon = page.locator('.activitybar .action-item a[aria-label^="Factorio Mod Portal"], .activitybar .action-item .action-label[aria-label^="Factorio Mod Portal"]').first();
  await icon.waitFor({ state: 'visible', timeout: 30_000 });
  await icon.click();
  await page.locator('.pane-header', { hasText: 'Mod Portal' }).first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Sets the local portal's faults through its control endpoint; `null` clears them. */
export async function setPortalFaults(portalUrl: string, faults: object | null): Promise<void> {
  const response = await fetch(`${portalUrl}/__control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`POST /__control/faults answered ${response.status}`);
}

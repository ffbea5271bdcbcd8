// Steps several UI checks share: quick-input titles, notifications, the machine's mods
// folder setting, and signing in and out as a user types it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_CREDENTIALS } from '../../portal-server/server';
import { QUICK_INPUT, quickRow, runFromPalette } from './palette';

/** Waits for the quick input titled `title` (a string matches part of the title, a RegExp as written). */
export async function waitForTitle(page: Page, title: string | RegExp): Promise<void> {
  await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title }).waitFor({ state: 'visible', timeout: 15_000 });
}

export function toast(page: Page, text: string) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/**
 * Sets `factorioPortal.modsFolder` in the machine's settings (a workspace's is never
 * used); returns what puts the file back as it was.
 */
export function useModsFolder(machineSettingsFile: string, mods: string): () => void {
  const saved = existsSync(machineSettingsFile) ? readFileSync(machineSettingsFile, 'utf8') : undefined;
  mkdirSync(path.dirname(machineSettingsFile), { recursive: true });
  writeFileSync(machineSettingsFile, JSON.stringify({ ...(JSON.parse(saved || '{}') as object), 'factorioPortal.modsFolder': mods }, null, 2));
  return () => {
    if (saved === undefined) rmSync(machineSettingsFile, { force: true });
    else writeFileSync(machineSettingsFile, saved);
  };
}

/**
 * Sign In for Downloads… with the local portal's account typed into the input boxes;
 * `beforeTokenSubmitted` runs with the (masked) token typed in.
 */
export async function signIn(page: Page, beforeTokenSubmitted?: () => Promise<unknown>): Promise<void> {
  const { username, token } = DEFAULT_CREDENTIALS;
  await runFromPalette(page, 'Factorio Mod Portal: Sign In for Downloads…');
  await waitForTitle(page, 'needs your Factorio username and token');
  await quickRow(page, 'Enter username and token').click();
  // Exact titles: the first pick's title also says "Factorio username".
  await waitForTitle(page, /^Factorio username$/);
  await page.locator(`${QUICK_INPUT} input`).fill(username);
  await page.keyboard.press('Enter');
  await waitForTitle(page, /^Factorio token$/);
  // The token box masks what is typed.
  const tokenBox = page.locator(`${QUICK_INPUT} input[type="password"]`);
  await tokenBox.waitFor({ state: 'visible', timeout: 10_000 });
  await tokenBox.fill(token);
  await beforeTokenSubmitted?.();
  await page.keyboard.press('Enter');
  await toast(page, `will use the account "${username}"`).waitFor({ state: 'visible', timeout: 15_000 });
}

/** Sign Out, as cleanup: never throws. */
export async function signOut(page: Page): Promise<void> {
  await page.keyboard.press('Escape').catch(() => undefined);
  await runFromPalette(page, 'Factorio Mod Portal: Sign Out').catch(() => undefined);
  await toast(page, 'were removed from VS Code').waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
}

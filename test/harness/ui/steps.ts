// Steps several UI checks share: quick-input titles, notifications, the machine's mods
// folder setting, and signing in and out as a user types it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_CREDENTIALS } from '../../portal-server/server';
import { openWorkbenchWithFile } from '../workbench';
import { QUICK_INPUT, quickRow, runFromPalette, setPortalFaults } from './palette';
import type { UiCheckContext } from './types';

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

/** A modal dialog showing `text`. */
export function dialog(page: Page, text: string) {
  return page.locator('.monaco-dialog-box', { hasText: text });
}

/**
 * Clicks Install in the plan dialog of `label`, answers the question asked before the
 * token first goes to the local portal (unless this profile agreed already), and gives
 * the install's progress notification once it shows.
 */
export async function acceptInstallPlan(page: Page, label: string) {
  await dialog(page, `Install the dependencies of ${label}`).locator('.monaco-button', { hasText: /^Install$/ }).click();
  const send = dialog(page, 'Send your Factorio username and token');
  const progress = toast(page, `Installing the dependencies of ${label}`);
  await Promise.race([send.waitFor({ state: 'visible', timeout: 30_000 }), progress.waitFor({ state: 'visible', timeout: 30_000 })]);
  if (await send.isVisible()) await send.locator('.monaco-button', { hasText: 'Send the Token' }).click();
  await progress.waitFor({ state: 'visible', timeout: 30_000 });
  return progress;
}

/**
 * Runs `body` in a workbench opened on `infoJson`, with `mods` as this machine's mods
 * folder and signed in; afterwards the portal's faults are cleared, the user signed out
 * and the settings put back, whatever happened.
 */
export async function installSession(ctx: UiCheckContext, mods: string, infoJson: string, body: () => Promise<void>): Promise<void> {
  const restoreSettings = useModsFolder(ctx.machineSettingsFile, mods);
  let signedIn = false;
  try {
    await openWorkbenchWithFile(ctx.page, ctx.baseUrl, ctx.workspaceDir, infoJson);
    await signIn(ctx.page);
    signedIn = true;
    await body();
  } finally {
    await setPortalFaults(ctx.portalUrl, null).catch(() => undefined);
    if (signedIn) await signOut(ctx.page);
    restoreSettings();
  }
}

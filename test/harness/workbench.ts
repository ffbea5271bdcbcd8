// Headless Chromium driving code-server's workbench: launch, workbench URLs, and the few
// user gestures the UI checks need.
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  return found;
}

/** Playwright's own browser download cannot work here, so the system Chromium is used. */
export function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    // The harness owns signal handling and closes the browser in its cleanup.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** A path on the code-server host, as the workbench addresses it. */
export function remoteUri(baseUrl: string, absPath: string): string {
  return `vscode-remote://${new URL(baseUrl).host}${absPath}`;
}

export type Payload = Array<[string, string]>;

export function workbenchUrl(baseUrl: string, folder: string, payload?: Payload): string {
  let url = `${baseUrl}/?folder=${encodeURIComponent(folder)}`;
  if (payload && payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

export const SUGGEST_WIDGET = '.editor-widget.suggest-widget.visible';

/** Opens the workbench on `folder` with `file` (absolute) in an editor, and waits for it. */
export async function openWorkbenchWithFile(
  page: Page,
  baseUrl: string,
  folder: string,
  file: string,
  extraPayload: Payload = [],
): Promise<void> {
  const payload: Payload = [['openFile', remoteUri(baseUrl, file)], ['skipWelcome', 'true'], ...extraPayload];
  await page.goto(workbenchUrl(baseUrl, folder, payload));
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  const name = file.split('/').pop()!;
  await page.waitForSelector(`.tabs-container .tab.active[data-resource-name="${name}"]`, { timeout: 30_000 });
  await page.waitForSelector('.editor-instance .monaco-editor .view-lines', { timeout: 30_000 });
}

/** Focuses the active text editor the way a click would. */
export async function focusEditor(page: Page): Promise<void> {
  await page.click('.editor-instance .monaco-editor .view-lines');
  await page.waitForSelector('.editor-instance .monaco-editor.focused', { timeout: 10_000 });
}

/** Moves the cursor with Go to Line/Column (1-based line and column). */
export async function goToLineColumn(page: Page, line: number, column: number): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  const status = page.locator('.statusbar-item[id="status.editor.selection"]');
  await status.filter({ hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: 10_000 });
}

/**
 * Presses Ctrl+Space until the suggest widget is visible. The first requests often come
 * back empty while the extension host is still starting, hence the retries.
 */
export async function triggerSuggest(page: Page, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const widget = page.locator(SUGGEST_WIDGET);
  for (;;) {
    await page.keyboard.press('Control+Space');
    try {
      await widget.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(2000, deadline - Date.now())) });
      return;
    } catch {
      if (Date.now() >= deadline) throw new Error(`suggest widget did not appear within ${timeoutMs} ms`);
      await page.keyboard.press('Escape');
    }
  }
}

/** Labels of the rows the suggest widget shows (only the rendered, visible ones). */
export async function suggestLabels(page: Page): Promise<string[]> {
  return page
    .locator(`${SUGGEST_WIDGET} .monaco-list-row .label-name`)
    .evaluateAll((nodes) => nodes.map((n) => (n.textContent ?? '').trim()));
}

/** Waits until the widget shows a row labelled `label`; returns what it shows otherwise. */
export async function waitForSuggestion(page: Page, label: string, timeoutMs = 15_000): Promise<string[]> {
  const row = page.locator(`${SUGGEST_WIDGET} .monaco-list-row .label-name`, { hasText: label });
  try {
    await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    const shown = await suggestLabels(page).catch(() => []);
    // With no rows the widget shows a message instead ("No suggestions.", "Loading...").
    const message = await page.locator(`${SUGGEST_WIDGET} .message`).textContent({ timeout: 1000 }).catch(() => null);
    const what = shown.length ? shown.join(', ') : `no rows (${message?.trim() || 'empty'})`;
    throw new Error(`suggest widget does not list "${label}"; it shows: ${what}`);
  }
  return suggestLabels(page);
}

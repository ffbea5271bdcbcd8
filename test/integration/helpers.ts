// Helpers for suites running inside VS Code: reach the local portal through its control
// endpoints (the server runs in the harness process, not here) and drive the editor.
import * as vscode from 'vscode';
// Types only: the server itself runs in the harness process.
import type { Faults, RequestRecord } from '../portal-server/server';

export type { Faults, RequestRecord };

export const EXTENSION_ID = 'factorio-portal-tools.factorio-mod-portal';

/** Base URL of the local portal server the harness started. */
export function portalUrl(): string {
  const url = process.env.FACTORIO_PORTAL_TEST_SERVER;
  if (!url) throw new Error('FACTORIO_PORTAL_TEST_SERVER is not set: run through `npm run test:integration`');
  return url.replace(/\/+$/, '');
}

async function control(method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${portalUrl()}/__control/${route}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} /__control/${route} answered ${response.status}`);
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** Sets the portal's faults (see test/portal-server/server.ts); `null` clears them. */
export async function setFaults(faults: Faults | null): Promise<void> {
  await control('POST', 'faults', faults);
}

/** A request the local portal received; `path` is `url` without its query. */
export interface RecordedRequest extends RequestRecord {
  path: string;
}

/** Every request the local portal received since the last clearRequests(), in order. */
export async function getRequests(): Promise<RecordedRequest[]> {
  const body = await control('GET', 'requests');
  if (!Array.isArray(body)) throw new Error(`unexpected /__control/requests body: ${JSON.stringify(body)}`);
  return (body as RequestRecord[]).map((record) => ({ ...record, path: record.url.split('?')[0]! }));
}

export async function clearRequests(): Promise<void> {
  await control('POST', 'clear-requests');
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri;
}

/** Opens a file of the test workspace (a temp copy of test/fixtures/workspace) in an editor. */
export async function openFixture(relPath: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), ...relPath.split('/'));
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  message?: string;
}

/**
 * Polls `fn` until it returns something other than undefined/null/false (returned), or
 * fails with `message` and the last error once the deadline passes.
 */
export async function waitFor<T>(
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`waitFor timed out after ${timeoutMs} ms (${options.message ?? 'condition'})${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

export function extension<T = unknown>(): vscode.Extension<T> {
  const ext = vscode.extensions.getExtension<T>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext;
}

/** Activates the extension (if needed) and returns its exported API. */
export async function extensionApi<T = unknown>(): Promise<T> {
  const ext = extension<T>();
  return ext.isActive ? ext.exports : ext.activate();
}

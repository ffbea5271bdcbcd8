// Helpers for suites running inside VS Code: reach the local portal through its control
// endpoints (the server runs in the harness process, not here) and drive the editor.
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExplorerApi } from '../../src/extension';
import type { TreeItemSnapshot } from '../../src/features/explorer/snapshot';
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

// ---- info.json: scratch files, and what the extension shows through the commands VS Code's UI uses ----

let counter = 0;

/** A fresh folder name under scratch/, so tests never share a file. */
export function scratchFolder(prefix = 'mod'): string {
  return `${prefix}-${Date.now()}-${counter++}`;
}

/** Writes `content` to a fresh `<folder>/info.json` in the test workspace. */
export async function writeInfoJson(content: string | object, folder?: string): Promise<vscode.Uri> {
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n';
  const dir = vscode.Uri.joinPath(workspaceRoot(), 'scratch', folder ?? scratchFolder());
  const uri = vscode.Uri.joinPath(dir, 'info.json');
  await vscode.workspace.fs.createDirectory(dir);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

/** Writes `content` to a fresh `<folder>/info.json` in the test workspace and opens it. */
export async function openInfoJson(content: string | object, folder?: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(await writeInfoJson(content, folder));
  return vscode.window.showTextDocument(document, { preview: false });
}

export function infoJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'scratch-mod',
    version: '1.0.0',
    title: 'Scratch Mod',
    author: 'Tester',
    factorio_version: '2.0',
    dependencies: ['base >= 2.0.0'],
    ...overrides,
  };
}

/** The position just after the first occurrence of `marker` (or before it, with `before`). */
export function positionOf(document: vscode.TextDocument, marker: string, options: { before?: boolean } = {}): vscode.Position {
  const offset = document.getText().indexOf(marker);
  if (offset < 0) throw new Error(`"${marker}" not found in ${document.uri.path}`);
  return document.positionAt(options.before ? offset : offset + marker.length);
}

/** Completion as the suggest widget asks for it; `resolve` items are resolved, as the widget does for the focused one. */
export async function completionsAt(document: vscode.TextDocument, position: vscode.Position, options: { resolve?: number } = {}): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    document.uri,
    position,
    undefined,
    options.resolve,
  );
  return list.items;
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

export async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    // Text appended to a MarkdownString comes back escaped: read it as a user sees it.
    .replace(/&nbsp;/g, ' ')
    .replace(/\\([\\`*_{}[\]()#+\-!~>.])/g, '$1');
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Factorio Mod Portal');
}

export function codesOf(uri: vscode.Uri): string[] {
  return ours(uri).map((d) => String(d.code));
}

/** Waits until the document's diagnostics satisfy `check`, and returns them. */
export async function diagnosticsWhere(
  uri: vscode.Uri,
  check: (diagnostics: vscode.Diagnostic[]) => boolean,
  message: string,
  timeoutMs = 15_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const list = ours(uri);
      return check(list) ? list : undefined;
    },
    { timeoutMs, message: `${message}; last seen: ${JSON.stringify(ours(uri).map((d) => [d.code, d.message]))}` },
  );
}

export async function codeActionsAt(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range);
}

export async function applyAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) {
    const ok = await vscode.workspace.applyEdit(action.edit);
    if (!ok) throw new Error(`applying "${action.title}" failed`);
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

// ---- the explorer API, the local portal's own answers to compare with, and quick picks answered as a user does ----

export type { TreeItemSnapshot };

export async function explorerApi(): Promise<ExplorerApi> {
  const api = await extensionApi<{ explorer?: ExplorerApi }>();
  if (!api.explorer) throw new Error('the extension exports no explorer API');
  return api.explorer;
}

/** A list entry as the local portal serves it. */
export interface WireMod {
  name: string;
  title: string;
  downloads_count: number;
  category?: string | { name: string };
  latest_release?: { released_at: string };
}

export async function portalJson<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${portalUrl()}${pathAndQuery}`);
  if (!response.ok) throw new Error(`GET ${pathAndQuery} answered ${response.status}`);
  return (await response.json()) as T;
}

export async function portalList(query = ''): Promise<WireMod[]> {
  const body = await portalJson<{ results: WireMod[] }>(`/api/mods?page_size=max${query}`);
  return body.results;
}

export function wireCategory(mod: WireMod): string {
  const c = mod.category;
  return typeof c === 'string' ? c : (c?.name ?? '');
}

/** Most downloaded first (a stable sort keeps the portal's order among equals): the explorer's order. */
export function byDownloads(a: WireMod, b: WireMod): number {
  return b.downloads_count - a.downloads_count;
}

/** A Markdown tooltip as plain text (appendText escapes spaces and punctuation). */
export function plainText(markdown: string | undefined): string {
  return (markdown ?? '').replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
}



/**
 * Runs a command that shows quick picks and answers each with `answer` (accept the
 * preselected item, or close the pick) until the command finishes. Answering while no
 * pick is open does nothing, so this needs no knowledge of when a pick appears.
 */
export async function answeringQuickPicks<T>(
  run: () => Thenable<T>,
  answer: 'accept' | 'close',
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  let settled = false;
  const result = Promise.resolve(run()).finally(() => (settled = true));
  const command = answer === 'accept' ? 'workbench.action.acceptSelectedQuickOpenItem' : 'workbench.action.closeQuickOpen';
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!settled) {
    if (Date.now() > deadline) throw new Error(`the command still waits after answering its quick picks with "${answer}"`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 150));
    if (!settled) await vscode.commands.executeCommand(command);
  }
  return result;
}

/** Children of a tree node, loading more pages until `name`'s node shows up (or the list ends). */
export async function findInList(
  list: (parentId?: string) => Promise<TreeItemSnapshot[]>,
  parentId: string,
  id: string,
): Promise<TreeItemSnapshot | undefined> {
  for (let round = 0; round < 200; round++) {
    const children = await list(parentId);
    const found = children.find((c) => c.id === id);
    if (found) return found;
    const more = children.find((c) => c.command?.command === 'factorioPortal.explorer.loadMore');
    if (!more) return undefined;
    await vscode.commands.executeCommand(more.command!.command, ...(more.command!.arguments ?? []));
  }
  return undefined;
}

/** A release as the local portal's /full record lists it. */
export interface FullRelease {
  version: string;
  sha1: string;
  file_name: string;
}

/** The local portal's own record of one release of `name` (to compare downloads against). */
export async function releaseOf(name: string, version: string): Promise<FullRelease> {
  const full = await portalJson<{ releases: FullRelease[] }>(`/api/mods/${encodeURIComponent(name)}/full`);
  const release = full.releases.find((r) => r.version === version);
  if (!release) throw new Error(`${name} has no release ${version}`);
  return release;
}

/** The extension's log file (its LogOutputChannel) under the harness's user-data folder, once it holds `marker`. */
export async function logContaining(marker: string): Promise<string> {
  const root = process.env.FACTORIO_PORTAL_TEST_USER_DATA;
  if (!root) throw new Error('FACTORIO_PORTAL_TEST_USER_DATA is not set: run through `npm run test:integration`');
  const logs = (): string[] =>
    readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => path.basename(f) === 'Factorio Mod Portal.log')
      .map((f) => path.join(root, f));
  // The channel writes in the background: wait for the line of this download.
  return waitFor(() => logs().map((f) => readFileSync(f, 'utf8')).find((text) => text.includes(marker)), {
    timeoutMs: 15_000,
    message: `a "Factorio Mod Portal.log" under ${root} that mentions ${marker} (found: ${logs().join(', ') || 'none'})`,
  });
}

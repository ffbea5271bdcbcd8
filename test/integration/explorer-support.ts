// Shared steps for the explorer, lookup and download suites: the extension's explorer
// API, the local portal's own answers to compare with, scratch info.json files, and a
// way to answer a quick pick the way a user does (Enter on the preselected item).
import * as vscode from 'vscode';
import type { ExplorerApi } from '../../src/features/explorer';
import type { TreeItemSnapshot } from '../../src/features/explorer/snapshot';
import { extensionApi, portalUrl, waitFor, workspaceRoot } from './helpers';

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

let counter = 0;

/** Writes a fresh `scratch/<folder>/info.json` in the test workspace, opens and shows it. */
export async function openScratchInfoJson(content: string | object, prefix = 'explorer'): Promise<vscode.TextEditor> {
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n';
  const dir = vscode.Uri.joinPath(workspaceRoot(), 'scratch', `${prefix}-${Date.now()}-${counter++}`);
  const uri = vscode.Uri.joinPath(dir, 'info.json');
  await vscode.workspace.fs.createDirectory(dir);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
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

export { waitFor };

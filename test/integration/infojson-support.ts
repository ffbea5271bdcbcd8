// Shared steps for the info.json suites: scratch files, and reading what the
// extension shows through the same commands VS Code's UI uses.
import * as vscode from 'vscode';
import { waitFor, workspaceRoot } from './helpers';

let counter = 0;

/** Writes `content` to a fresh `<folder>/info.json` in the test workspace. */
export async function writeInfoJson(content: string | object, folder?: string): Promise<vscode.Uri> {
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n';
  const dir = vscode.Uri.joinPath(workspaceRoot(), 'scratch', folder ?? `mod-${Date.now()}-${counter++}`);
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

export async function completionsAt(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    document.uri,
    position,
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

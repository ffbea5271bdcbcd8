import * as vscode from 'vscode';
import * as path from 'node:path';
import { parseInfoJson, type InfoJsonDocument } from '../../model/document';
import { isBuiltinMod } from '../../model/builtins';

/** The documents the extension works on: any JSON file named info.json. */
export const INFO_JSON_SELECTOR: vscode.DocumentSelector = [
  { language: 'json', pattern: '**/info.json' },
  { language: 'jsonc', pattern: '**/info.json' },
];

export function isInfoJson(document: vscode.TextDocument): boolean {
  return (
    (document.languageId === 'json' || document.languageId === 'jsonc') &&
    path.basename(document.uri.path).toLowerCase() === 'info.json'
  );
}

export function toRange(document: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(document.positionAt(start), document.positionAt(end));
}

/**
 * The info.json the user means among open documents: the active editor's, else one
 * that is open. Commands and panels that need "the mod" all ask here.
 */
export function openInfoJson(): vscode.TextDocument | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isInfoJson(active)) return active;
  return vscode.workspace.textDocuments.find(isInfoJson);
}

/** The info.json the user means (see openInfoJson), else the first one in the workspace. */
export async function findInfoJson(): Promise<vscode.TextDocument | undefined> {
  const open = openInfoJson();
  if (open) return open;
  const [uri] = await vscode.workspace.findFiles('**/info.json', '**/node_modules/**', 1);
  return uri ? vscode.workspace.openTextDocument(uri) : undefined;
}

/** The `factorio_version` of the open info.json the user means, from its cached model. */
export function openFactorioVersion(): string | undefined {
  const document = openInfoJson();
  return document ? infoJsonModel(document).factorioVersion : undefined;
}

/**
 * `compute` over a document's text, run once per document version: completion, hover,
 * diagnostics and code actions all ask for the same model on the same keystroke.
 */
export function perVersion<T>(compute: (text: string) => T): (document: vscode.TextDocument) => T {
  const cache = new WeakMap<vscode.TextDocument, { version: number; value: T }>();
  return (document) => {
    const hit = cache.get(document);
    if (hit && hit.version === document.version) return hit.value;
    const value = compute(document.getText());
    cache.set(document, { version: document.version, value });
    return value;
  };
}

/** The parsed model of an info.json document, once per version. */
export const infoJsonModel: (document: vscode.TextDocument) => InfoJsonDocument = perVersion(parseInfoJson);

/**
 * The mod named by the dependency under the cursor of the active info.json editor (not a
 * built-in mod, which has no portal page): what "this mod" means to a command run there.
 */
export function dependencyNameAtCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isInfoJson(editor.document)) return undefined;
  const offset = editor.document.offsetAt(editor.selection.active);
  const item = infoJsonModel(editor.document).dependencies?.items.find((i) => offset >= i.range.start && offset <= i.range.end);
  const name = item?.parsed?.name?.text;
  return name && !isBuiltinMod(name) ? name : undefined;
}

import * as vscode from 'vscode';
import * as path from 'node:path';
import { analyzeChangelog, type ChangelogAnalysis } from '../../model/changelog';
import { perVersion } from '../core/documents';

export const CHANGELOG_LANGUAGE = 'factorio-changelog';
export const CHANGELOG_SELECTOR: vscode.DocumentSelector = { language: CHANGELOG_LANGUAGE };
/** A sibling file larger than this is not read: no changelog or info.json comes near it. */
const MAX_SIBLING_BYTES = 10_000_000;

export function isChangelog(document: vscode.TextDocument): boolean {
  return document.languageId === CHANGELOG_LANGUAGE;
}

/** The file `name` in the same folder as `uri`. */
export function siblingUri(uri: vscode.Uri, name: string): vscode.Uri {
  return uri.with({ path: path.posix.join(path.posix.dirname(uri.path), name) });
}

/** The text of a sibling file: the open document's (unsaved edits included), else the file's; undefined when there is none. */
export async function readSibling(uri: vscode.Uri, name: string): Promise<{ uri: vscode.Uri; text: string } | undefined> {
  const target = siblingUri(uri, name);
  const key = target.toString();
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
  if (open) return { uri: target, text: open.getText() };
  try {
    const stat = await vscode.workspace.fs.stat(target);
    if (stat.type !== vscode.FileType.File || stat.size > MAX_SIBLING_BYTES) return undefined;
    return { uri: target, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(target)) };
  } catch {
    return undefined;
  }
}

/** A changelog's analysis, once per document version. */
export const changelogAnalysis: (document: vscode.TextDocument) => ChangelogAnalysis = perVersion(analyzeChangelog);

/**
 * A plain-text changelog.txt with an info.json beside it is a mod's changelog: it is
 * switched to the changelog language when it opens. Once per file and session, so that
 * a user who sets it back to plain text keeps it that way.
 */
export function adoptChangelogs(): vscode.Disposable {
  const adopted = new Set<string>();
  const adopt = async (document: vscode.TextDocument): Promise<void> => {
    if (document.languageId !== 'plaintext' || path.posix.basename(document.uri.path).toLowerCase() !== 'changelog.txt') return;
    const key = document.uri.toString();
    if (adopted.has(key)) return;
    try {
      await vscode.workspace.fs.stat(siblingUri(document.uri, 'info.json'));
    } catch {
      return;
    }
    adopted.add(key);
    if (!document.isClosed) await vscode.languages.setTextDocumentLanguage(document, CHANGELOG_LANGUAGE);
  };
  for (const document of vscode.workspace.textDocuments) void adopt(document);
  return vscode.workspace.onDidOpenTextDocument((document) => void adopt(document));
}

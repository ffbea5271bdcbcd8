import * as vscode from 'vscode';
import { formatChangelog } from '../../model/changelog';
import { toRange } from '../core/documents';
import { CHANGELOG_SELECTOR } from './documents';

/** Format Document: only white space, separators and line shapes change, never a word. */
export function registerChangelogFormatting(): vscode.Disposable {
  return vscode.languages.registerDocumentFormattingEditProvider(CHANGELOG_SELECTOR, {
    provideDocumentFormattingEdits(document) {
      return formatChangelog(document.getText()).map((edit) => vscode.TextEdit.replace(toRange(document, edit.start, edit.end), edit.text));
    },
  });
}

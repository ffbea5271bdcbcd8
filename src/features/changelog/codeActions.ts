import * as vscode from 'vscode';
import { isoDate, newSectionText, type ChangelogCode, type ChangelogFinding } from '../../model/changelog';
import { INFO_JSON_SELECTOR, toRange } from '../core/documents';
import { CHANGELOG_DIAGNOSTIC_SOURCE, type ChangelogDiagnostics, type MissingSection } from './diagnostics';
import { CHANGELOG_SELECTOR } from './documents';

/** The title of a finding's fix; each a literal for the translators. */
function fixTitle(code: ChangelogCode, finding: ChangelogFinding): string | undefined {
  switch (code) {
    case 'changelog-separator-length':
      return vscode.l10n.t('Make the separator 99 dashes');
    case 'changelog-missing-separator':
      return vscode.l10n.t('Insert a separator line');
    case 'changelog-trailing-separator':
      return vscode.l10n.t('Remove the separator at the end');
    case 'changelog-blank-after-separator':
      return vscode.l10n.t('Remove the empty lines');
    case 'changelog-version-syntax':
      return vscode.l10n.t('Put one space after "Version:"');
    case 'changelog-date-position':
      return vscode.l10n.t('Move the Date line under the Version line');
    case 'changelog-category-indent':
      return vscode.l10n.t('Indent the category by 2 spaces');
    case 'changelog-category-colon':
      return vscode.l10n.t('Add the colon');
    case 'changelog-unknown-category':
      return finding.replacement ? vscode.l10n.t('Change to "{0}"', finding.replacement) : undefined;
    case 'changelog-empty-category':
      return vscode.l10n.t('Remove the empty category');
    case 'changelog-entry-indent':
      return vscode.l10n.t('Indent the entry by 4 spaces');
    case 'changelog-entry-spacing':
      return vscode.l10n.t('Put one space after the dash');
    case 'changelog-continuation-indent':
      return vscode.l10n.t('Indent the line by 6 spaces');
    case 'changelog-whitespace-line':
      return vscode.l10n.t('Empty the line');
    case 'changelog-tab-indent':
      return vscode.l10n.t('Indent with spaces');
    case 'changelog-tab':
    case 'changelog-tab-in-text':
      return vscode.l10n.t('Replace the tabs with spaces');
    case 'changelog-trailing-whitespace':
    case 'changelog-trailing-whitespace-text':
      return vscode.l10n.t('Remove the trailing white space');
    case 'changelog-bom':
      return vscode.l10n.t('Remove the byte-order mark');
    default:
      return undefined;
  }
}

/** A new section for info.json's version at the top of changelog.txt, dated today. */
export function addSectionEdit(missing: MissingSection, today = new Date()): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(missing.changelog, new vscode.Position(missing.line, 0), newSectionText(missing.version, isoDate(today), missing.eol));
  return edit;
}

export class ChangelogCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: ChangelogDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const items = this.diagnostics.itemsFor(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== CHANGELOG_DIAGNOSTIC_SOURCE) continue;
      const item = items.find((i) => i.diagnostic.code === diagnostic.code && i.diagnostic.range.isEqual(diagnostic.range));
      if (item?.missing) {
        const action = new vscode.CodeAction(vscode.l10n.t('Add a section for {0} to changelog.txt', item.missing.version), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        action.edit = addSectionEdit(item.missing);
        actions.push(action);
      }
      const finding = item?.finding;
      const title = finding?.fix ? fixTitle(finding.code, finding) : undefined;
      if (finding?.fix && title) {
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of finding.fix) action.edit.replace(document.uri, toRange(document, edit.start, edit.end), edit.text);
        actions.push(action);
      }
    }
    return actions;
  }
}

export function registerChangelogCodeActions(diagnostics: ChangelogDiagnostics): vscode.Disposable {
  const provider = new ChangelogCodeActionProvider(diagnostics);
  const options = { providedCodeActionKinds: ChangelogCodeActionProvider.kinds };
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(CHANGELOG_SELECTOR, provider, options),
    // info.json carries the "no section for this version" finding too.
    vscode.languages.registerCodeActionsProvider(INFO_JSON_SELECTOR, provider, options),
  );
}

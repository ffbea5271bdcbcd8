import * as vscode from 'vscode';
import type { Finding, FindingCode } from '../../model/analysis';
import { formatDependency, isCanonical } from '../../model/dependency';
import { dependencyRange, type DependencyItem, type InfoJsonDocument } from '../../model/document';
import { bumpVersion, type VersionPart } from '../../model/version';
import type { CommandTable } from '../core/commandTable';
import type { Config } from '../core/config';
import type { DependencyDiagnostics } from './diagnostics';
import { INFO_JSON_SELECTOR, infoJsonModel, toRange } from '../core/documents';

export const IGNORE_COMMAND = 'factorioPortal.ignoreDependency';

/** Codes whose dependency can sensibly be removed as a fix. */
const REMOVABLE: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'unknown-mod',
  'deprecated-mod',
  'no-compatible-release',
  'duplicate-dependency',
  'self-dependency',
  'builtin-unavailable',
  'recommended-needs-2.1',
  'dependency-not-string',
]);

/** Codes that come from portal data, and so can be silenced per dependency. */
const PORTAL_BASED: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'unknown-mod',
  'deprecated-mod',
  'no-compatible-release',
  'unsatisfiable-constraint',
  'outdated-constraint',
  'outdated-minimum',
]);

function itemAt(doc: InfoJsonDocument, offset: number): DependencyItem | undefined {
  return doc.dependencies?.items.find((item) => offset >= item.range.start && offset <= item.range.end);
}

/** Replaces a dependency string's contents, leaving the quotes and everything around alone. */
export function replaceContents(edit: vscode.WorkspaceEdit, document: vscode.TextDocument, item: DependencyItem, contents: string): void {
  edit.replace(document.uri, toRange(document, item.contentStart, item.contentEnd), contents);
}

/** Deletes an array element with the comma and line it leaves behind, keeping the rest of the layout. */
export function deletionRange(doc: InfoJsonDocument, item: DependencyItem): { start: number; end: number } {
  const items = doc.dependencies!.items;
  const i = items.indexOf(item);
  if (i > 0) return { start: items[i - 1].range.end, end: item.range.end };
  if (i + 1 < items.length) return { start: item.range.start, end: items[i + 1].range.start };
  return item.range;
}

function action(title: string, kind: vscode.CodeActionKind, diagnostic: vscode.Diagnostic | undefined, preferred = false): vscode.CodeAction {
  const result = new vscode.CodeAction(title, kind);
  if (diagnostic) result.diagnostics = [diagnostic];
  result.isPreferred = preferred;
  return result;
}

export class DependencyCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  constructor(private readonly diagnostics: DependencyDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const doc = infoJsonModel(document);
    const findings = this.diagnostics.findingsFor(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const match = findings.find((f) => f.diagnostic.code === diagnostic.code && f.diagnostic.range.isEqual(diagnostic.range));
      if (match) actions.push(...this.fixesFor(document, doc, match.finding, diagnostic));
    }
    // Canonical form is offered on any dependency under the cursor, diagnostic or not.
    const item = itemAt(doc, document.offsetAt(range.start));
    if (item?.parsed && !item.parsed.error && item.value !== undefined && !isCanonical(item.value)) {
      const canonical = formatDependency(item.parsed);
      const rewrite = action(vscode.l10n.t('Rewrite as "{0}"', canonical), vscode.CodeActionKind.RefactorRewrite, undefined);
      rewrite.edit = new vscode.WorkspaceEdit();
      replaceContents(rewrite.edit, document, item, canonical);
      actions.push(rewrite);
    }
    return actions;
  }

  private fixesFor(document: vscode.TextDocument, doc: InfoJsonDocument, finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const item = itemAt(doc, finding.start);
    const data = finding.data;

    if (item && data?.replacement !== undefined) {
      const title =
        finding.code === 'outdated-constraint' || finding.code === 'outdated-minimum'
          ? vscode.l10n.t('Update to "{0}"', data.replacement)
          : vscode.l10n.t('Change to "{0}"', data.replacement);
      const fix = action(title, vscode.CodeActionKind.QuickFix, diagnostic, true);
      fix.edit = new vscode.WorkspaceEdit();
      replaceContents(fix.edit, document, item, data.replacement);
      actions.push(fix);
    }
    if (item && data?.minimum !== undefined && data.latestVersion !== undefined && data.minimum !== data.replacement) {
      const fix = action(vscode.l10n.t('Require at least {0}: "{1}"', data.latestVersion, data.minimum), vscode.CodeActionKind.QuickFix, diagnostic);
      fix.edit = new vscode.WorkspaceEdit();
      replaceContents(fix.edit, document, item, data.minimum);
      actions.push(fix);
    }
    if (item && data?.canonical !== undefined && data.canonical !== data.replacement) {
      const fix = action(vscode.l10n.t('Rewrite as "{0}"', data.canonical), vscode.CodeActionKind.QuickFix, diagnostic, !actions.length);
      fix.edit = new vscode.WorkspaceEdit();
      replaceContents(fix.edit, document, item, data.canonical);
      actions.push(fix);
    }
    if (item?.parsed?.name && finding.code === 'unknown-mod') {
      const name = item.parsed.name;
      for (const [i, suggestion] of (data?.suggestions ?? []).entries()) {
        const fix = action(vscode.l10n.t('Did you mean "{0}"?', suggestion), vscode.CodeActionKind.QuickFix, diagnostic, i === 0);
        fix.edit = new vscode.WorkspaceEdit();
        const at = dependencyRange(item, name);
        fix.edit.replace(document.uri, toRange(document, at.start, at.end), suggestion);
        actions.push(fix);
      }
    }
    if (item && REMOVABLE.has(finding.code)) {
      const fix = action(vscode.l10n.t('Remove this dependency'), vscode.CodeActionKind.QuickFix, diagnostic);
      const { start, end } = deletionRange(doc, item);
      fix.edit = new vscode.WorkspaceEdit();
      fix.edit.delete(document.uri, toRange(document, start, end));
      actions.push(fix);
    }
    if (finding.dependency && PORTAL_BASED.has(finding.code)) {
      const fix = action(vscode.l10n.t('Ignore "{0}" in portal checks', finding.dependency), vscode.CodeActionKind.QuickFix, diagnostic);
      fix.command = { title: fix.title, command: IGNORE_COMMAND, arguments: [finding.dependency] };
      actions.push(fix);
    }
    if (finding.code === 'already-published' && data?.latestVersion !== undefined) actions.push(...this.bumps(document, finding, diagnostic, data.latestVersion));
    if (finding.code === 'json-trailing-comma' || finding.code === 'json-comment') {
      const fix = action(
        finding.code === 'json-comment' ? vscode.l10n.t('Remove the comment') : vscode.l10n.t('Remove the trailing comma'),
        vscode.CodeActionKind.QuickFix,
        diagnostic,
        true,
      );
      fix.edit = new vscode.WorkspaceEdit();
      fix.edit.delete(document.uri, toRange(document, finding.start, finding.end));
      actions.push(fix);
    }
    return actions;
  }

  /** The version raised past the published one, one part at a time; the edit touches only the text inside the quotes. */
  private bumps(document: vscode.TextDocument, finding: Finding, diagnostic: vscode.Diagnostic, published: string): vscode.CodeAction[] {
    const parts: [VersionPart, (next: string) => string][] = [
      ['patch', (next) => vscode.l10n.t('Bump the patch number to {0}', next)],
      ['minor', (next) => vscode.l10n.t('Bump the minor number to {0}', next)],
      ['major', (next) => vscode.l10n.t('Bump the major number to {0}', next)],
    ];
    // The finding spans the string with its quotes.
    const inner = toRange(document, finding.start + 1, finding.end - 1);
    return parts.flatMap(([part, title], i) => {
      const next = bumpVersion(published, part);
      if (next === undefined) return [];
      const fix = action(title(next), vscode.CodeActionKind.QuickFix, diagnostic, i === 0);
      fix.edit = new vscode.WorkspaceEdit();
      fix.edit.replace(document.uri, inner, next);
      return [fix];
    });
  }
}

/** Every outdated constraint of a document brought up to date, as one edit. */
export function updateAllEdit(document: vscode.TextDocument, diagnostics: DependencyDiagnostics): { edit: vscode.WorkspaceEdit; count: number } {
  const doc = infoJsonModel(document);
  const edit = new vscode.WorkspaceEdit();
  const done = new Set<DependencyItem>();
  for (const { finding } of diagnostics.analyzeNow(document)) {
    if (finding.code !== 'outdated-constraint' && finding.code !== 'outdated-minimum') continue;
    const item = itemAt(doc, finding.start);
    if (!item || done.has(item) || finding.data?.replacement === undefined) continue;
    done.add(item);
    replaceContents(edit, document, item, finding.data.replacement);
  }
  return { edit, count: done.size };
}

export function registerCodeActions(diagnostics: DependencyDiagnostics): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(INFO_JSON_SELECTOR, new DependencyCodeActionProvider(diagnostics), {
    providedCodeActionKinds: DependencyCodeActionProvider.kinds,
  });
}

/** The command behind the "ignore" quick fix. */
export function codeActionCommands(config: Config): CommandTable {
  return { [IGNORE_COMMAND]: (name: string) => config.addIgnoredDependency(name) };
}

import * as vscode from 'vscode';
import * as path from 'node:path';
import { analyzeChangelog, VERSION_BEHIND_CODE, versionBehind, type ChangelogCode, type ChangelogFinding, type ChangelogSeverity } from '../../model/changelog';
import { parseInfoJson } from '../../model/document';
import type { Config } from '../core/config';
import { KeyedDebounce } from '../core/debounce';
import { infoJsonModel, isInfoJson, toRange } from '../core/documents';
import { SEVERITY } from '../infoJson/diagnostics';
import { changelogAnalysis, isChangelog, readSibling } from './documents';

const DEBOUNCE_MS = 300;
export const CHANGELOG_DIAGNOSTIC_SOURCE = 'Factorio changelog';

/** info.json's version has no section in changelog.txt: what the quick fix needs to add one. */
export interface MissingSection {
  version: string;
  changelog: vscode.Uri;
  /** Where the new section goes: the changelog's first section, or its start. */
  line: number;
  eol: string;
}

export interface ChangelogDiagnostic {
  diagnostic: vscode.Diagnostic;
  finding?: ChangelogFinding;
  missing?: MissingSection;
}

function isChangelogOrInfoJson(document: vscode.TextDocument): boolean {
  return isChangelog(document) || isInfoJson(document);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Checks open changelogs by the game's rules, and each changelog against the info.json
 * beside it: a version of info.json newer than every section is reported on both files.
 * Debounced while typing; a change to either file checks the other again.
 */
export class ChangelogDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('factorioPortal.changelog');
  private readonly results = new Map<string, { version: number; items: ChangelogDiagnostic[] }>();
  private readonly pending = new KeyedDebounce();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly config: Config) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{changelog.txt,info.json}');
    const onDisk = (uri: vscode.Uri) => this.scheduleFolder(uri);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(onDisk),
      watcher.onDidChange(onDisk),
      watcher.onDidDelete(onDisk),
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.schedule(e.document, DEBOUNCE_MS);
        if (isChangelogOrInfoJson(e.document)) this.scheduleFolder(e.document.uri, e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      config.onDidChange((e) => {
        if (e.affectsConfiguration('factorioPortal.diagnostics')) for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** The diagnostics of a document as last published, with what their fixes need. */
  itemsFor(document: vscode.TextDocument): ChangelogDiagnostic[] {
    const result = this.results.get(document.uri.toString());
    return result && result.version === document.version ? result.items : [];
  }

  /** The open changelog and info.json files in the folder of `uri`, but `except`. */
  private scheduleFolder(uri: vscode.Uri, except?: vscode.TextDocument): void {
    const folder = path.posix.dirname(uri.path);
    for (const document of vscode.workspace.textDocuments) {
      if (document !== except && path.posix.dirname(document.uri.path) === folder && document.uri.scheme === uri.scheme) this.schedule(document, DEBOUNCE_MS);
    }
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isChangelogOrInfoJson(document)) {
      // A changelog set back to plain text loses its findings.
      if (this.results.has(document.uri.toString())) this.forget(document.uri);
      return;
    }
    this.pending.schedule(document.uri.toString(), delay, () => void this.lint(document));
  }

  private diagnostic(range: vscode.Range, message: string, code: ChangelogCode | typeof VERSION_BEHIND_CODE, severity: ChangelogSeverity): vscode.Diagnostic | undefined {
    const setting = this.config.severityFor(code);
    if (setting === 'off') return undefined;
    const diagnostic = new vscode.Diagnostic(range, message, SEVERITY[setting ?? severity]);
    diagnostic.code = code;
    diagnostic.source = CHANGELOG_DIAGNOSTIC_SOURCE;
    return diagnostic;
  }

  private async lint(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    const version = document.version;
    const items = isChangelog(document) ? await this.lintChangelog(document) : await this.lintInfoJson(document);
    // Edits or a close while a sibling was read: that newer run publishes.
    if (document.isClosed || document.version !== version || !isChangelogOrInfoJson(document)) return;
    this.results.set(document.uri.toString(), { version, items });
    this.collection.set(
      document.uri,
      items.map((i) => i.diagnostic),
    );
  }

  private async lintChangelog(document: vscode.TextDocument): Promise<ChangelogDiagnostic[]> {
    const analysis = changelogAnalysis(document);
    const items: ChangelogDiagnostic[] = [];
    for (const finding of analysis.findings) {
      const diagnostic = this.diagnostic(toRange(document, finding.range.start, finding.range.end), finding.message, finding.code, finding.severity);
      if (diagnostic) items.push({ diagnostic, finding });
    }
    const info = await readSibling(document.uri, 'info.json');
    const behind = info ? versionBehind(parseInfoJson(info.text).modVersion, analysis.sections) : undefined;
    if (behind) {
      const first = analysis.sections[0];
      const at = first?.versionRange ? toRange(document, first.versionRange.start, first.versionRange.end) : new vscode.Range(0, 0, 0, 0);
      const message = behind.newest
        ? vscode.l10n.t('info.json is at version {0}, newer than the newest section here ({1}): add a section for {0}.', behind.version, behind.newest)
        : vscode.l10n.t('info.json is at version {0} and this changelog has no section for it.', behind.version);
      const diagnostic = this.diagnostic(at, message, VERSION_BEHIND_CODE, 'warning');
      const text = document.getText();
      if (diagnostic) items.push({ diagnostic, missing: { version: behind.version, changelog: document.uri, line: first?.line ?? 0, eol: eolOf(text) } });
    }
    return items;
  }

  private async lintInfoJson(document: vscode.TextDocument): Promise<ChangelogDiagnostic[]> {
    const model = infoJsonModel(document);
    const field = model.fields.get('version');
    if (!field?.valueRange || model.modVersion === undefined) return [];
    const changelog = await readSibling(document.uri, 'changelog.txt');
    // No changelog at all is the release checks' business: many mods have none.
    if (!changelog) return [];
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === changelog.uri.toString());
    const analysis = open && isChangelog(open) ? changelogAnalysis(open) : analyzeChangelog(changelog.text);
    const behind = versionBehind(model.modVersion, analysis.sections);
    if (!behind) return [];
    const message = behind.newest
      ? vscode.l10n.t('changelog.txt has no section for {0} yet (its newest is {1}).', behind.version, behind.newest)
      : vscode.l10n.t('changelog.txt has no section for {0} yet.', behind.version);
    const diagnostic = this.diagnostic(toRange(document, field.valueRange.start, field.valueRange.end), message, VERSION_BEHIND_CODE, 'warning');
    if (!diagnostic) return [];
    return [{ diagnostic, missing: { version: behind.version, changelog: changelog.uri, line: analysis.sections[0]?.line ?? 0, eol: eolOf(changelog.text) } }];
  }

  private forget(uri: vscode.Uri): void {
    this.pending.cancel(uri.toString());
    this.results.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    this.pending.dispose();
    this.collection.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

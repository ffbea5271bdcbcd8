import * as vscode from 'vscode';
import { analyzeDocument, type Finding, type FindingTag, type Severity } from '../../model/analysis';
import type { InfoJsonDocument } from '../../model/document';
import { changeConcerns, type CacheChange } from '../../portal/cache';
import type { Config } from '../core/config';
import type { DependencyData } from './dependencyData';
import { infoJsonModel, isInfoJson, toRange } from '../core/documents';
import type { SignedInUser } from '../services/credentials';
import type { WorkspaceModsService } from '../services/workspaceMods';

const DEBOUNCE_MS = 300;
/**
 * Portal data arrives in a few bursts (records, then the list), not keystroke by keystroke:
 * a short wait gathers a burst, and the first portal-based findings show without the typing delay.
 */
const DATA_DEBOUNCE_MS = 30;
export const DIAGNOSTIC_SOURCE = 'Factorio Mod Portal';

export const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const TAG: Record<FindingTag, vscode.DiagnosticTag> = {
  unnecessary: vscode.DiagnosticTag.Unnecessary,
  deprecated: vscode.DiagnosticTag.Deprecated,
};

/** The mods a document's dependencies name. */
function dependencyNames(doc: InfoJsonDocument): string[] {
  return doc.dependencies?.items.flatMap((item) => (item.parsed?.name ? [item.parsed.name.text] : [])) ?? [];
}

/** The mods whose data a document's findings depend on: its dependencies and its own name (what the portal has under it). */
function concernedNames(doc: InfoJsonDocument): string[] {
  const names = dependencyNames(doc);
  return doc.modName ? [...names, doc.modName] : names;
}

/** A diagnostic together with the finding it came from, for the quick fixes. */
export interface FindingDiagnostic {
  diagnostic: vscode.Diagnostic;
  finding: Finding;
}

/**
 * Lints open info.json files: at once from cached portal data, then again when
 * fresh data arrives. Debounced while typing; cleared when a file closes.
 */
export class DependencyDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('factorioPortal');
  private readonly results = new Map<string, { version: number; items: FindingDiagnostic[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** Set once the workspace's first scan is in. */
  private workspaceSeen = false;
  /** Fires after a document's diagnostics were updated. */
  readonly onDidUpdate = this.emitter.event;

  constructor(
    private readonly data: DependencyData,
    private readonly config: Config,
    private readonly local: { workspace: WorkspaceModsService; user: SignedInUser },
  ) {
    this.disposables.push(
      local.workspace.onDidChange((names) => {
        // An info.json opened during the first scan is heard before the scan ends: until
        // then facts are held back, and the scan's end lints every file anyway.
        if (!local.workspace.ready) return;
        // The first scan ends the wait on every file.
        if (this.workspaceSeen) this.scheduleNaming(names);
        else this.scheduleAll();
        this.workspaceSeen = true;
      }),
      local.user.onDidChange(() => this.scheduleAll()),
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      // Dirty-state changes (an edit, a save) come without content changes: the text is the same.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      // A new portal URL comes as a change of all portal data; other settings don't touch findings.
      config.onDidChange((e) => {
        if (e.affectsConfiguration('factorioPortal.diagnostics')) this.scheduleAll();
      }),
      data.onDidChange((change) => this.scheduleConcerned(change)),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** The findings behind the diagnostics of a document, as last computed. */
  findingsFor(document: vscode.TextDocument): FindingDiagnostic[] {
    const result = this.results.get(document.uri.toString());
    return result && result.version === document.version ? result.items : this.analyze(document, false);
  }

  /** Findings computed now from the current text and cached data, without publishing. */
  analyzeNow(document: vscode.TextDocument): FindingDiagnostic[] {
    return this.analyze(document, false);
  }

  /** Only the files that name a changed mod: a background check of one mod re-lints one file, not all. */
  private scheduleConcerned(change: CacheChange): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (isInfoJson(doc) && changeConcerns(change, concernedNames(infoJsonModel(doc)))) this.schedule(doc, DATA_DEBOUNCE_MS);
    }
  }

  /**
   * The files that name one of these local mods. A local mod changes keystroke by
   * keystroke while its info.json is typed in, and that file names itself: a file whose
   * check already waits for a pause in typing keeps waiting.
   */
  private scheduleNaming(names: readonly string[]): void {
    const changed = new Set(names);
    for (const doc of vscode.workspace.textDocuments) {
      if (this.timers.has(doc.uri.toString())) continue;
      if (isInfoJson(doc) && concernedNames(infoJsonModel(doc)).some((n) => changed.has(n))) this.schedule(doc, DATA_DEBOUNCE_MS);
    }
  }

  /** Not typing (a scan, a sign-in, a setting): no need to wait for a pause. */
  private scheduleAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, DATA_DEBOUNCE_MS);
  }

  /**
   * Resolves once the document's findings stand on the workspace's mods and on fresh
   * portal records for its names (as far as the portal answers): what should come first
   * when an info.json opens, before slower work such as reading the whole mod list.
   */
  async settled(document: vscode.TextDocument): Promise<void> {
    await this.local.workspace.start();
    if (document.isClosed) return;
    await this.data.ensure(concernedNames(infoJsonModel(document)), { full: false });
    // The records' arrival scheduled a lint; run it now rather than after the wait.
    if (this.timers.has(document.uri.toString())) this.lintNow(document);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isInfoJson(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => this.lintNow(document), delay));
  }

  /** Runs the document's lint now, in place of any that waits. */
  private lintNow(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (!document.isClosed) this.analyze(document, true);
  }

  private analyze(document: vscode.TextDocument, publish: boolean): FindingDiagnostic[] {
    const doc = infoJsonModel(document);
    const workspace = this.local.workspace;
    const findings = analyzeDocument(doc, {
      // Until the workspace is scanned, a name missing from the portal may still be local.
      facts: (name) => (workspace.ready ? this.data.facts(name) : { state: 'unknown' }),
      ignored: this.config.ignoredDependencies,
      suggest: (name) => this.data.suggest(name),
      workspaceMod: (name) => workspace.byName(name),
      signedInAs: this.local.user.username,
    });
    const items: FindingDiagnostic[] = [];
    for (const finding of findings) {
      const setting = this.config.severityFor(finding.code);
      if (setting === 'off') continue;
      const diagnostic = new vscode.Diagnostic(
        toRange(document, finding.start, finding.end),
        finding.message,
        SEVERITY[setting ?? finding.severity],
      );
      diagnostic.code = finding.code;
      diagnostic.source = DIAGNOSTIC_SOURCE;
      if (finding.tags?.length) diagnostic.tags = finding.tags.map((tag) => TAG[tag]);
      items.push({ diagnostic, finding });
    }
    if (publish) {
      this.results.set(document.uri.toString(), { version: document.version, items });
      this.collection.set(document.uri, items.map((i) => i.diagnostic));
      this.emitter.fire(document.uri);
      // Fetches what is missing or stale; the data's change event re-runs this.
      void this.data.ensure(concernedNames(doc));
    }
    return items;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.results.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.collection.dispose();
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

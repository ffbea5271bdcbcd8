import * as vscode from 'vscode';
import type { FindingCode, Severity } from '../model/analysis';

export type SeveritySetting = Severity | 'off';

const SECTION = 'factorioPortal';
const DEFAULT_PORTAL_URL = 'https://mods.factorio.com';

/** Every setting of the extension, read in one place. */
export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.ConfigurationChangeEvent>();
  /** Fires when any `factorioPortal.*` setting changes. */
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) this.emitter.fire(e);
    });
  }

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  get portalUrl(): string {
    const raw = this.section.get<string>('portalUrl', DEFAULT_PORTAL_URL).trim();
    return (raw || DEFAULT_PORTAL_URL).replace(/\/+$/, '');
  }

  get requestTimeoutMs(): number {
    return Math.max(1, this.section.get<number>('requestTimeoutSeconds', 20)) * 1000;
  }

  /** Dependency names the portal-based diagnostics leave alone. */
  get ignoredDependencies(): ReadonlySet<string> {
    return new Set(this.section.get<string[]>('diagnostics.ignore', []));
  }

  /** The severity the user chose for a diagnostic code, or undefined for the default. */
  severityFor(code: FindingCode): SeveritySetting | undefined {
    const table = this.section.get<Record<string, SeveritySetting>>('diagnostics.severity', {});
    const value = table[code];
    return value === 'error' || value === 'warning' || value === 'information' || value === 'hint' || value === 'off'
      ? value
      : undefined;
  }

  get completionLimit(): number {
    return Math.min(200, Math.max(5, this.section.get<number>('completion.maxResults', 50)));
  }

  async addIgnoredDependency(name: string): Promise<void> {
    const current = this.section.inspect<string[]>('diagnostics.ignore');
    const hasWorkspace = vscode.workspace.workspaceFolders !== undefined;
    const target = hasWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const existing = (hasWorkspace ? current?.workspaceValue : current?.globalValue) ?? [];
    if (existing.includes(name)) return;
    await this.section.update('diagnostics.ignore', [...existing, name], target);
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}

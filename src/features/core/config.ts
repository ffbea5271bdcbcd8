import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FindingCode, Severity } from '../../model/analysis';
import type { ChangelogCode, VERSION_BEHIND_CODE } from '../../model/changelog';
import { chooseModsFolder, factorioDataFolderCandidates, type ModsFolderChoice } from '../../mods/modsFolder';
import { checkPortalUrl, OFFICIAL_PORTAL_URL, type PortalUrlProblem } from '../../portal/portalUrl';

export type SeveritySetting = Severity | 'off';

const SECTION = 'factorioPortal';

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const PROBLEMS: Readonly<Record<PortalUrlProblem, string>> = {
  'no-scheme': 'it must start with https:// (or http:// for a local test portal)',
  scheme: 'only http and https are allowed',
  'not-a-url': 'it is not a URL',
  credentials: 'it must not carry a user name or password',
  query: 'it must not carry a query or fragment',
};

/**
 * Every setting of the extension, read in one place.
 *
 * The portal URL decides where the portal token goes and the mods folder where downloads
 * are written, so a cloned repository's `.vscode/settings.json` must not steer them: both
 * are application/machine scoped in package.json, and they are read here from the user's
 * own settings only, so a workspace or folder value is ignored even when present.
 */
export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.ConfigurationChangeEvent>();
  /** Fires when any `factorioPortal.*` setting changes. */
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;
  /** Bad portal URLs already reported: one message per value, not one per read. */
  private readonly reported = new Set<string>();

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) this.emitter.fire(e);
    });
  }

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** The user's value (user settings), else the default; never a workspace's. */
  private userValue<T>(key: string): T | undefined {
    const inspected = this.section.inspect<T>(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  }

  /** The portal base URL without a trailing slash; the official portal when the setting is malformed. */
  get portalUrl(): string {
    const raw = this.userValue<unknown>('portalUrl');
    const checked = checkPortalUrl(raw);
    if (checked.ok) return checked.url;
    this.reportBadPortalUrl(String(raw), checked.problem);
    return OFFICIAL_PORTAL_URL;
  }

  private reportBadPortalUrl(raw: string, problem: PortalUrlProblem): void {
    if (this.reported.has(raw)) return;
    this.reported.add(raw);
    const open = vscode.l10n.t('Open Settings');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          'The setting factorioPortal.portalUrl ("{0}") is not a usable portal address: {1}. Using {2} instead.',
          raw.length > 200 ? raw.slice(0, 200) + '…' : raw,
          vscode.l10n.t(PROBLEMS[problem]),
          OFFICIAL_PORTAL_URL,
        ),
        open,
      )
      .then((chosen) => {
        if (chosen === open) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.portalUrl`);
      });
  }

  get requestTimeoutMs(): number {
    return Math.max(1, this.section.get<number>('requestTimeoutSeconds', 20)) * 1000;
  }

  /** Dependency names the portal-based diagnostics leave alone. */
  get ignoredDependencies(): ReadonlySet<string> {
    return new Set(this.section.get<string[]>('diagnostics.ignore', []));
  }

  /** The severity the user chose for a diagnostic code, or undefined for the default. */
  severityFor(code: FindingCode | ChangelogCode | typeof VERSION_BEHIND_CODE): SeveritySetting | undefined {
    const table = this.section.get<Record<string, SeveritySetting>>('diagnostics.severity', {});
    const value = table[code];
    return value === 'error' || value === 'warning' || value === 'information' || value === 'hint' || value === 'off'
      ? value
      : undefined;
  }

  get completionLimit(): number {
    return Math.min(200, Math.max(5, this.section.get<number>('completion.maxResults', 50)));
  }

  /** How many of the most downloaded mods the explorer checks for tags. */
  get tagCheckLimit(): number {
    const value = this.section.get<number>('explorer.tagChecks', 500);
    return Number.isFinite(value) ? Math.max(0, Math.min(5000, Math.floor(value))) : 500;
  }

  /** The mods folder to read and install into: the user's setting (`~` expanded), else Factorio's default place. */
  get modsFolderChoice(): ModsFolderChoice {
    const raw = this.userValue<unknown>('modsFolder');
    return chooseModsFolder(typeof raw === 'string' ? raw : undefined, process.platform, process.env, os.homedir(), isFolder);
  }

  /** Where downloads go by default: the configured mods folder, else Factorio's own when it exists. */
  get modsFolder(): string | undefined {
    const choice = this.modsFolderChoice;
    return choice.source === 'setting' || isFolder(choice.folder) ? choice.folder : undefined;
  }

  /** Where player-data.json may be: next to the configured mods folder, then Factorio's default places. */
  playerDataCandidates(): string[] {
    const out: string[] = [];
    const choice = this.modsFolderChoice;
    if (choice.source === 'setting') out.push(path.join(path.dirname(choice.folder), 'player-data.json'));
    for (const folder of factorioDataFolderCandidates(process.platform, process.env, os.homedir())) out.push(path.join(folder, 'player-data.json'));
    return [...new Set(out)].filter((p) => existsSync(p));
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

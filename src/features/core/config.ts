import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FindingCode } from '../../model/analysis';
import type { ChangelogCode, VERSION_BEHIND_CODE } from '../../model/changelog';
import { chooseModsFolder, factorioDataFolderCandidates, type ModsFolderChoice } from '../../mods/modsFolder';
import { checkPortalUrl, OFFICIAL_PORTAL_URL, type PortalUrlProblem } from '../../portal/portalUrl';
import { checkNumber, checkSeverityTable, checkString, checkStringList, type Checked, type NumberRule, type SeveritySetting } from './settingValues';

export type { SeveritySetting } from './settingValues';

const SECTION = 'factorioPortal';

/** Whether `p` is a folder on this machine (false for anything unreadable). */
export function isFolder(p: string): boolean {
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

/** The ranges of package.json, enforced where the values are read. */
const RULES = {
  requestTimeoutSeconds: { default: 20, min: 1, max: 300 },
  completionMaxResults: { default: 50, min: 5, max: 200, integer: true },
  tagChecks: { default: 500, min: 0, max: 5000, integer: true },
} as const satisfies Record<string, NumberRule>;

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
  /** Bad values already reported: one message per value, not one per read. */
  private readonly reported = new Set<string>();
  private readonly problems: Array<{ setting: string; problem: string }> = [];
  /**
   * Checked values, until the next change of a setting. A lint reads the severity table
   * once per finding (10,000 in a big info.json): reading and checking it each time froze
   * the extension host while background work re-linted such a file.
   */
  private readonly memo = new Map<string, unknown>();

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.memo.clear();
      this.emitter.fire(e);
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

  /**
   * A setting's value after its check. A value that needed mending is reported once (per
   * setting and value), not on every read: getters run on every keystroke's lint.
   */
  private checked<T>(key: string, check: (raw: unknown) => Checked<T>, read: () => unknown = () => this.section.get<unknown>(key)): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const result = check(read());
    if (result.problem !== undefined) this.reportBadSetting(key, result.problem);
    this.memo.set(key, result.value);
    return result.value;
  }

  private reportBadSetting(key: string, problem: string): void {
    // The problem names the value (cut short), so a changed bad value is reported again.
    const id = `${key}\u0000${problem}`;
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.problems.push({ setting: `${SECTION}.${key}`, problem });
    const open = vscode.l10n.t('Open Settings');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('The setting {0} is not usable as it is: {1}.', `${SECTION}.${key}`, problem), open)
      .then((chosen) => {
        if (chosen === open) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${key}`);
      });
  }

  /** Every setting reported as not usable, for the exported API. */
  settingProblems(): ReadonlyArray<{ setting: string; problem: string }> {
    return this.problems;
  }

  get requestTimeoutMs(): number {
    // Beyond Node's timer range a timeout fires at once: the range keeps requests possible.
    return this.checked('requestTimeoutSeconds', (raw) => checkNumber(raw, RULES.requestTimeoutSeconds)) * 1000;
  }

  /** Dependency names the portal-based diagnostics leave alone. */
  get ignoredDependencies(): ReadonlySet<string> {
    return this.checked('diagnostics.ignore', (raw) => {
      const list = checkStringList(raw);
      return { ...list, value: new Set(list.value) };
    });
  }

  /** The severity the user chose for a diagnostic code, or undefined for the default. */
  severityFor(code: FindingCode | ChangelogCode | typeof VERSION_BEHIND_CODE): SeveritySetting | undefined {
    return this.checked('diagnostics.severity', checkSeverityTable).get(code);
  }

  get completionLimit(): number {
    return this.checked('completion.maxResults', (raw) => checkNumber(raw, RULES.completionMaxResults));
  }

  /** How many of the most downloaded mods the explorer checks for tags. */
  get tagCheckLimit(): number {
    return this.checked('explorer.tagChecks', (raw) => checkNumber(raw, RULES.tagChecks));
  }

  /** The mods folder to read and install into: the user's setting (`~` expanded), else Factorio's default place. */
  get modsFolderChoice(): ModsFolderChoice {
    const raw = this.checked('modsFolder', (value) => checkString(value, ''), () => this.userValue<unknown>('modsFolder'));
    return chooseModsFolder(raw === '' ? undefined : raw, process.platform, process.env, os.homedir(), isFolder);
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

  /** Where Package Mod writes zips: empty for the mod's workspace folder; relative to it otherwise. */
  get packageOutputFolder(): string {
    const value = this.section.get<unknown>('package.outputFolder', '');
    return typeof value === 'string' ? value : '';
  }

  async addIgnoredDependency(name: string): Promise<void> {
    const current = this.section.inspect<unknown>('diagnostics.ignore');
    const hasWorkspace = vscode.workspace.workspaceFolders !== undefined;
    const target = hasWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    // A value of the wrong type is replaced rather than spread into the new list.
    const existing = checkStringList(hasWorkspace ? current?.workspaceValue : current?.globalValue).value;
    if (existing.includes(name)) return;
    await this.section.update('diagnostics.ignore', [...existing, name], target);
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}

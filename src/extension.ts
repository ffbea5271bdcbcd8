import * as vscode from 'vscode';
import { registerChangelog } from './features/changelog';
import { codeActionCommands, registerCodeActions } from './features/infoJson/codeActions';
import { portalCommands } from './features/commands/portalData';
import { registerCommands } from './features/core/commandTable';
import { registerCompletion } from './features/infoJson/completion';
import { Config } from './features/core/config';
import { DependencyData } from './features/infoJson/dependencyData';
import { DependencyDiagnostics } from './features/infoJson/diagnostics';
import { isInfoJson } from './features/core/documents';
import { createExplorer, type ExplorerTreesApi } from './features/explorer';
import { registerHover } from './features/infoJson/hover';
import { registerLocalHover } from './features/infoJson/localHover';
import { SignedInUser } from './features/services/credentials';
import { ModsFolderService } from './features/services/modsFolder';
import { WorkspaceModsService } from './features/services/workspaceMods';
import { ListKeeper } from './features/services/listKeeper';
import { ListDownloadProgress } from './features/services/listProgress';
import { Logger } from './features/core/logger';
import { createLookups, type LookupsApi } from './features/commands';
import { PortalService } from './features/services/portalService';
import { PortalStatus } from './features/services/status';
import { createRelease, type ReleaseApi } from './features/release';
import { createPublishing } from './features/publish';

/** What the extension exports: a small, read-mostly view for other extensions and tests. */
export type ExplorerApi = ExplorerTreesApi & LookupsApi & ReleaseApi;

export interface FactorioPortalApi {
  /** The portal in use: the user's setting, or the official portal when that is unset or malformed. */
  readonly portalUrl: string;
  /** Where downloads go by default (the user's `factorioPortal.modsFolder`, else Factorio's), if anywhere. */
  readonly modsFolder: string | undefined;
  /** The mods folder as last scanned (scanning it first if it never was): installed mods and mod-list.json. */
  modsFolderScan(): Promise<{ folder: string; exists: boolean; mods: { name: string; version: string }[] }>;
  /** The mods of this workspace's info.json files, once scanned. */
  workspaceMods(): Promise<{ name: string; version: string | undefined }[]>;
  status(): { text: string; offline: boolean };
  /** Settings whose value was not usable as it is (each reported once, with a warning). */
  settingProblems(): ReadonlyArray<{ setting: string; problem: string }>;
  listState(): { status: string; modCount?: number; fetchedAt?: number };
  /** The mod explorer's trees and the details panel, as plain data. */
  /** The trees (explorer) and the details panel (lookups), as one object for tests and other extensions. */
  readonly explorer: ExplorerApi;
  /** For measurements (`npm run bench`): what activation cost, and the idle release of the mod list, now. */
  readonly performance: {
    readonly activationMs: number;
    /** CPU time of the extension host process meanwhile (on a busy machine, wall time is mostly waiting). */
    readonly activationCpuMs: number;
    releaseList(): 'released' | 'busy' | 'none';
  };
}

/** VS Code waits for deactivate's promise, not for disposables: pending cache writes finish here. */
let closing: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): FactorioPortalApi {
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const logger = new Logger('Factorio Mod Portal');
  const config = new Config();
  const portal = new PortalService({
    config,
    storageRoot: context.globalStorageUri,
    userAgent: `factorio-mod-portal-vscode/${version}`,
    logger,
  });
  const status = new PortalStatus(portal, logger, 'factorioPortal.refresh');
  const data = new DependencyData(portal, status);
  const workspaceMods = new WorkspaceModsService();
  const modsFolder = new ModsFolderService(config);
  const user = new SignedInUser(context.secrets);
  const diagnostics = new DependencyDiagnostics(data, config, { workspace: workspaceMods, user });
  const explorer = createExplorer(context, { portal, data, status, logger, workspace: workspaceMods, modsFolder });
  const lookups = createLookups({ portal, config, data, logger, secrets: context.secrets, globalState: context.globalState, storageFolder: context.globalStorageUri.fsPath, workspace: workspaceMods });
  const release = createRelease({ portal, config, workspace: workspaceMods, secrets: context.secrets, logger });
  const publishing = createPublishing({ portal, logger, secrets: context.secrets, globalState: context.globalState, userAgent: `factorio-mod-portal-vscode/${version}`, workspace: workspaceMods });
  closing = () => portal.close();

  context.subscriptions.push(
    logger,
    config,
    portal,
    status,
    new ListDownloadProgress(portal),
    new ListKeeper({
      release: () => portal.releaseList(),
      viewVisible: explorer.portalVisible,
      onDidChangeViewVisibility: explorer.onDidChangePortalVisibility,
    }),
    data,
    workspaceMods,
    modsFolder,
    user,
    diagnostics,
    registerCompletion(data, config, workspaceMods),
    registerHover(data, portal),
    registerLocalHover(data, portal, workspaceMods, modsFolder),
    registerCodeActions(diagnostics),
    registerChangelog({ config, data }),
    explorer.disposable,
    lookups.disposable,
    release.disposable,
    publishing.disposable,
    registerCommands([
      portalCommands({ portal, data, diagnostics, status, logger }),
      codeActionCommands(config),
      explorer.commands,
      lookups.commands,
      release.commands,
      publishing.commands,
    ]),
  );

  // Nothing is read at activation. Once an info.json is in sight: local mods (then they
  // keep themselves current), and, after the file's own findings are in, the mod list that
  // completion and "did you mean" search (reading 50,000 mods would hold the findings up).
  const warmUp = (document: vscode.TextDocument) => {
    if (!isInfoJson(document)) return;
    void workspaceMods.start();
    void modsFolder.scan();
    void diagnostics.settled(document).then(() => data.list());
  };
  vscode.workspace.textDocuments.forEach(warmUp);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(warmUp));

  const activationMs = performance.now() - started;
  const cpu = process.cpuUsage(startedCpu);
  const activationCpuMs = (cpu.user + cpu.system) / 1000;
  return {
    get portalUrl() {
      return portal.url;
    },
    get modsFolder() {
      return config.modsFolder;
    },
    modsFolderScan: async () => {
      const scan = await modsFolder.scan();
      return { folder: scan.folder, exists: scan.exists, mods: scan.mods.map((m) => ({ name: m.name, version: m.version })) };
    },
    workspaceMods: async () => {
      await workspaceMods.start();
      return workspaceMods.all().map((m) => ({ name: m.name, version: m.version }));
    },
    status: () => status.snapshot(),
    settingProblems: () => config.settingProblems(),
    listState: () => {
      const state = portal.listState;
      return { status: state.status, modCount: state.modCount, fetchedAt: state.fetchedAt };
    },
    explorer: { ...explorer.api, ...lookups.api, ...release.api },
    performance: { activationMs, activationCpuMs, releaseList: () => portal.releaseList() },
  };
}

export async function deactivate(): Promise<void> {
  await closing?.();
  closing = undefined;
}

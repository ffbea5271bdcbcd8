import * as vscode from 'vscode';
import { codeActionCommands, registerCodeActions } from './features/codeActions';
import { portalCommands, registerCommands } from './features/commands';
import { registerCompletion } from './features/completion';
import { Config } from './features/config';
import { DependencyData } from './features/dependencyData';
import { DependencyDiagnostics } from './features/diagnostics';
import { isInfoJson } from './features/documents';
import { createExplorer, type ExplorerApi } from './features/explorer';
import { registerHover } from './features/hover';
import { ListDownloadProgress } from './features/listProgress';
import { Logger } from './features/logger';
import { createLookups } from './features/lookups';
import { PortalService } from './features/portalService';
import { PortalStatus } from './features/status';

/** What the extension exports: a small, read-mostly view for other extensions and tests. */
export interface FactorioPortalApi {
  /** The portal in use: the user's setting, or the official portal when that is unset or malformed. */
  readonly portalUrl: string;
  /** Where downloads go by default (the user's `factorioPortal.modsFolder`, else Factorio's), if anywhere. */
  readonly modsFolder: string | undefined;
  status(): { text: string; offline: boolean };
  listState(): { status: string; modCount?: number; fetchedAt?: number };
  /** The mod explorer's trees and the details panel, as plain data. */
  readonly explorer: ExplorerApi;
}

/** VS Code waits for deactivate's promise, not for disposables: pending cache writes finish here. */
let closing: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): FactorioPortalApi {
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const logger = new Logger('Factorio Mod Portal');
  const config = new Config();
  const portal = new PortalService({
    config,
    storageRoot: context.globalStorageUri,
    userAgent: `factorio-mod-portal-vscode/${version}`,
    logger,
    // Called only once background checks run, after `status` exists.
    mayRequest: (): boolean => status.mayRequest(),
  });
  const status = new PortalStatus(portal, logger, 'factorioPortal.refresh');
  const data = new DependencyData(portal, status);
  const diagnostics = new DependencyDiagnostics(data, config);
  const explorer = createExplorer(context, { portal, data, status, logger });
  const lookups = createLookups({ portal, config, data, logger, secrets: context.secrets, globalState: context.globalState, storageFolder: context.globalStorageUri.fsPath });
  closing = () => portal.close();

  context.subscriptions.push(
    logger,
    config,
    portal,
    status,
    new ListDownloadProgress(portal),
    data,
    diagnostics,
    registerCompletion(data, config),
    registerHover(data, portal),
    registerCodeActions(diagnostics),
    explorer.disposable,
    lookups.disposable,
    registerCommands([
      portalCommands({ portal, data, diagnostics, status, logger }),
      codeActionCommands(config),
      explorer.commands,
      lookups.commands,
    ]),
  );

  // The mod list is what completion and "did you mean" search; load it as soon
  // as an info.json is in sight, not on every activation.
  const warmUp = (document: vscode.TextDocument) => {
    if (isInfoJson(document)) void data.index();
  };
  vscode.workspace.textDocuments.forEach(warmUp);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(warmUp));

  return {
    get portalUrl() {
      return portal.url;
    },
    get modsFolder() {
      return config.modsFolder;
    },
    status: () => status.snapshot(),
    listState: () => {
      const state = portal.cache.listState;
      return { status: state.status, modCount: state.modCount, fetchedAt: state.fetchedAt };
    },
    explorer: { ...explorer.api, ...lookups.api },
  };
}

export async function deactivate(): Promise<void> {
  await closing?.();
  closing = undefined;
}

import * as vscode from 'vscode';
import { registerCodeActions } from './features/codeActions';
import { registerCommands } from './features/commands';
import { registerCompletion } from './features/completion';
import { Config } from './features/config';
import { DependencyData } from './features/dependencyData';
import { DependencyDiagnostics } from './features/diagnostics';
import { isInfoJson } from './features/documents';
import { registerExplorer, type ExplorerApi } from './features/explorer';
import { registerHover } from './features/hover';
import { ListDownloadProgress } from './features/listProgress';
import { Logger } from './features/logger';
import { PortalService } from './features/portalService';
import { PortalStatus } from './features/status';

/** What the extension exports: a small, read-mostly view for other extensions and tests. */
export interface FactorioPortalApi {
  readonly portalUrl: string;
  status(): { text: string; offline: boolean };
  listState(): { status: string; modCount?: number; fetchedAt?: number };
  /** The mod explorer's trees and the details panel, as plain data. */
  readonly explorer: ExplorerApi;
}

export function activate(context: vscode.ExtensionContext): FactorioPortalApi {
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const logger = new Logger('Factorio Mod Portal');
  const config = new Config();
  const portal = new PortalService(config, context.globalStorageUri, `factorio-mod-portal-vscode/${version}`, logger);
  const status = new PortalStatus(portal, logger, 'factorioPortal.refresh');
  const data = new DependencyData(portal, status);
  const diagnostics = new DependencyDiagnostics(data, config);

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
    registerCodeActions(diagnostics, config),
    registerCommands({ data, diagnostics, status, logger }),
  );
  const explorer = registerExplorer(context, { portal, data, status, logger });

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
    status: () => status.snapshot(),
    listState: () => {
      const state = portal.cache.listState;
      return { status: state.status, modCount: state.modCount, fetchedAt: state.fetchedAt };
    },
    explorer,
  };
}

export function deactivate(): void {}

import * as vscode from 'vscode';
import type { CommandTable } from '../core/commandTable';
import { updateAllEdit } from '../infoJson/codeActions';
import type { DependencyData } from '../infoJson/dependencyData';
import type { DependencyDiagnostics } from '../infoJson/diagnostics';
import { findInfoJson, infoJsonModel } from '../core/documents';
import type { Logger } from '../core/logger';
import type { PortalService } from '../services/portalService';
import type { PortalStatus } from '../services/status';

export interface PortalCommandServices {
  portal: PortalService;
  data: DependencyData;
  diagnostics: DependencyDiagnostics;
  status: PortalStatus;
  logger: Logger;
}

/** Brings every outdated dependency of the info.json up to date, as one undoable edit. */
async function updateAllDependencies({ data, diagnostics }: PortalCommandServices): Promise<number> {
  const document = await findInfoJson();
  if (!document) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No info.json found in this workspace.'));
    return 0;
  }
  const names = infoJsonModel(document).dependencies?.items.flatMap((i) => (i.parsed?.name ? [i.parsed.name.text] : [])) ?? [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking dependencies on the Mod Portal…') },
    () => data.ensure(names, { full: false }),
  );
  const { edit, count } = updateAllEdit(document, diagnostics);
  if (count === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('All dependencies already allow their latest compatible release.'));
    return 0;
  }
  await vscode.workspace.applyEdit(edit);
  void vscode.window.showInformationMessage(vscode.l10n.t('Updated {0} dependencies.', count));
  return count;
}

async function refresh({ data, status }: PortalCommandServices): Promise<void> {
  status.resetBackoff();
  // A first download of the list shows its own cancellable notification (listProgress.ts).
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Refreshing Mod Portal data…') },
    () => data.refresh(),
  );
}

// Everything learnt from the portal goes, in memory and on disk: the mod list, mod
// records, tag checks and filter listings. The trees then load afresh.
async function clearCache({ portal, logger }: PortalCommandServices): Promise<void> {
  await portal.clear();
  logger.info('Cleared the cached Mod Portal data.');
  vscode.window.setStatusBarMessage(vscode.l10n.t('Cached Mod Portal data cleared'), 3000);
}

/** The commands about the portal's data as a whole. */
export function portalCommands(services: PortalCommandServices): CommandTable {
  return {
    'factorioPortal.updateAllDependencies': () => updateAllDependencies(services),
    'factorioPortal.refresh': () => refresh(services),
    'factorioPortal.clearCache': () => clearCache(services),
    'factorioPortal.showLog': () => services.logger.show(),
  };
}

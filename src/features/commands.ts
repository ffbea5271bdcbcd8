import * as vscode from 'vscode';
import { updateAllEdit } from './codeActions';
import type { DependencyData } from './dependencyData';
import type { DependencyDiagnostics } from './diagnostics';
import { findInfoJson, infoJsonModel } from './documents';
import type { Logger } from './logger';
import type { PortalStatus } from './status';

export interface CommandServices {
  data: DependencyData;
  diagnostics: DependencyDiagnostics;
  status: PortalStatus;
  logger: Logger;
}

type Handler = (services: CommandServices, ...args: never[]) => unknown;

/** Brings every outdated dependency of the info.json up to date, as one undoable edit. */
async function updateAllDependencies({ data, diagnostics }: CommandServices): Promise<number> {
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

async function refresh({ data, status }: CommandServices): Promise<void> {
  status.resetBackoff();
  // A first download of the list shows its own cancellable notification (listProgress.ts).
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Refreshing Mod Portal data…') },
    () => data.refresh(),
  );
}

/** Commands declared once, registered in one loop. */
export const COMMANDS: Record<string, Handler> = {
  'factorioPortal.updateAllDependencies': updateAllDependencies,
  'factorioPortal.refresh': refresh,
  'factorioPortal.showLog': ({ logger }) => logger.show(),
};

export function registerCommands(services: CommandServices): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(COMMANDS).map(([id, handler]) =>
      vscode.commands.registerCommand(id, (...args: never[]) => handler(services, ...args)),
    ),
  );
}

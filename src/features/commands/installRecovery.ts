import * as vscode from 'vscode';
import { recoverInstalls } from '../../mods/installRecovery';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import { messageOf } from '../../util/errors';

/**
 * Finishes or undoes an install a crash or a closed window cut short, and sweeps stale
 * temporary files from the mods folder. Started once per window; installs wait for it.
 * Never rejects.
 */
export async function recoverInstallsAtStart(storageFolder: string, config: Config, logger: Logger): Promise<void> {
  try {
    const folder = config.modsFolder;
    const report = await recoverInstalls(storageFolder, { folders: folder ? [folder] : [] });
    for (const run of report.finished) logger.info(`Finished an install that was interrupted in ${run.folder}: ${run.files.join(', ')}`);
    for (const run of report.undone) logger.info(`Undid an install that was interrupted in ${run.folder}; removed ${run.removed.length} temporary files`);
    if (report.stale.length > 0) logger.info(`Removed ${report.stale.length} stale temporary files: ${report.stale.join(', ')}`);
    for (const problem of report.problems) logger.warn(problem);
    if (report.finished.length > 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('An install that was interrupted was finished: {0}.', report.finished.flatMap((r) => r.files).join(', ')));
    } else if (report.undone.length > 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('An install that was interrupted while downloading was undone: the mods folder is as it was before it.'));
    }
  } catch (err) {
    logger.warn(`Recovering interrupted installs failed: ${messageOf(err)}`);
  }
}

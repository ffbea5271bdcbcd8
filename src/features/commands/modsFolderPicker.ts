// Where the mods folder is asked for: Set Mods Folder…, Install and Download. The setting
// is machine-scoped (a workspace can't steer downloads), so under code-server it hides in
// the Remote tab of the settings editor: the command sets it instead of sending the user
// there, and every place that asks for the folder offers it.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { isFolder, type Config } from '../core/config';
import { pickOne, type Choice } from '../core/quickPick';
import type { WorkspaceModsService } from '../services/workspaceMods';

/**
 * Where a folder picker opens: the configured mods folder, else Factorio's own for this
 * platform, else its nearest existing parent (a fresh machine has no mods folder yet). Never
 * the workspace: that is the mod's source, the one place the mods must not go.
 */
export function pickerStart(config: Config): vscode.Uri {
  let folder = config.modsFolderChoice.folder;
  while (!isFolder(folder)) {
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return vscode.Uri.file(folder);
}

/** The names of the workspace's mods whose info.json lies in `folder` (or below it). */
export async function workspaceModsIn(folder: string, workspace: WorkspaceModsService): Promise<string[]> {
  const root = path.resolve(folder) + path.sep;
  const names: string[] = [];
  for (const mod of await workspace.current()) {
    const uri = vscode.Uri.parse(mod.path);
    if (uri.scheme === 'file' && path.resolve(uri.fsPath).startsWith(root) && !names.includes(mod.name)) names.push(mod.name);
  }
  return names;
}

/** The warning for a folder that holds the workspace's own mods, if it does. */
export async function sourceFolderWarning(folder: string, workspace: WorkspaceModsService): Promise<string | undefined> {
  const names = await workspaceModsIn(folder, workspace);
  if (names.length === 0) return undefined;
  return vscode.l10n.t(
    '{0} holds the info.json of {1} from this workspace: it looks like a mod’s source folder, not Factorio’s mods folder.',
    folder,
    names.slice(0, 3).join(', ') + (names.length > 3 ? '…' : ''),
  );
}

async function openFolderDialog(config: Config, openLabel: string, title: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: pickerStart(config),
    openLabel,
    title,
  });
  return picked?.[0]?.fsPath;
}

/**
 * Set Mods Folder…: picks a folder (starting at the current one) and stores it in the
 * user's settings, after a warning when it holds the workspace's own mods. Returns the folder.
 */
export async function setModsFolder(config: Config, workspace: WorkspaceModsService): Promise<string | undefined> {
  const folder = await openFolderDialog(config, vscode.l10n.t('Use as Mods Folder'), vscode.l10n.t('Factorio mods folder: where installs and downloads go'));
  if (!folder) return undefined;
  const warning = await sourceFolderWarning(folder, workspace);
  if (warning) {
    const use = vscode.l10n.t('Use It Anyway');
    const chosen = await vscode.window.showWarningMessage(warning, { modal: true }, use);
    if (chosen !== use) return undefined;
  }
  await vscode.workspace.getConfiguration('factorioPortal').update('modsFolder', folder, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(vscode.l10n.t('Mods folder set to {0}.', folder));
  return folder;
}

/**
 * The folder for one install or download when none is configured: pick one for this time,
 * or set it for good (Set Mods Folder…). Both start at Factorio's mods folder.
 */
export async function askModsFolder(config: Config, workspace: WorkspaceModsService, purpose: { title: string; openLabel: string }): Promise<string | undefined> {
  const once: Choice<'once' | 'set'> = { label: `$(folder-opened) ${vscode.l10n.t('Choose a Folder…')}`, description: vscode.l10n.t('for this time only'), value: 'once' };
  const set: Choice<'once' | 'set'> = { label: `$(gear) ${vscode.l10n.t('Set Mods Folder…')}`, description: vscode.l10n.t('remembered in your settings'), value: 'set' };
  const choice = await pickOne([once, set], { title: purpose.title, placeholder: vscode.l10n.t('No Factorio mods folder is set or found'), active: once });
  if (choice === 'set') return setModsFolder(config, workspace);
  return choice === 'once' ? openFolderDialog(config, purpose.openLabel, purpose.title) : undefined;
}

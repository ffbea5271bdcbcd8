import * as vscode from 'vscode';
import type { CommandTable } from '../core/commandTable';
import type { Config } from '../core/config';
import type { DependencyData } from '../infoJson/dependencyData';
import type { Logger } from '../core/logger';
import type { PortalService } from '../services/portalService';
import { openWebPage, requireTrustedWorkspace, untrustedWorkspaceMessage } from '../core/safety';
import { dependencyNameAtCursor } from '../core/documents';
import { addDependency } from './addDependency';
import { booleanArg, modNameArg, stringArg } from './args';
import { Credentials } from '../services/credentials';
import { DetailsPanel, type DetailsSnapshot } from './details';
import { downloadRelease, type DownloadOutcome } from './downloadRelease';
import { installDependencies, installModWithDependencies, type InstallServices } from './installDependencies';
import { recoverInstallsAtStart } from './installRecovery';
import { pickMod, type ItemButton } from './pickers';
import { setModsFolder } from './modsFolderPicker';
import type { WorkspaceModsService } from '../services/workspaceMods';

export interface LookupServices {
  portal: PortalService;
  config: Config;
  data: DependencyData;
  logger: Logger;
  secrets: vscode.SecretStorage;
  /** Where the portals the user agreed to send the token to are remembered. */
  globalState?: vscode.Memento;
  /** The extension's global storage folder (the record of what was installed lives there). */
  storageFolder: string;
  /** The workspace's own mods (Install Dependencies uses them as they are). */
  workspace: WorkspaceModsService;
}

export interface LookupsApi {
  /** The details panel's mod and page, while it is open. */
  details(): DetailsSnapshot | undefined;
}

const OPEN_BUTTON: ItemButton = { id: 'open', iconPath: new vscode.ThemeIcon('link-external'), tooltip: vscode.l10n.t('Open on Mod Portal') };
const ADD_BUTTON: ItemButton = { id: 'add', iconPath: new vscode.ThemeIcon('add'), tooltip: vscode.l10n.t('Add as Dependency') };
const INSTALL_BUTTON: ItemButton = { id: 'install', iconPath: new vscode.ThemeIcon('desktop-download'), tooltip: vscode.l10n.t('Install Mod with Dependencies…') };

/** The lookups: search, details, add, open, copy, download, sign in/out; their panel, commands and API. */
export function createLookups(services: LookupServices): { disposable: vscode.Disposable; commands: CommandTable; api: LookupsApi } {
  const { portal, config, data } = services;
  const details = new DetailsPanel(portal, data, () => portal.tags);
  const credentials = new Credentials(services.secrets, () => config.playerDataCandidates(), services.globalState);

  const recovered = recoverInstallsAtStart(services.storageFolder, config, services.logger);
  const installServices: InstallServices = { portal, config, data, logger: services.logger, credentials, storageFolder: services.storageFolder, workspace: services.workspace, recovered };

  const askForMod = async (arg: unknown, title: string): Promise<string | undefined> =>
    modNameArg(arg) ?? (await pickMod(data, { title }))?.name;

  const openOnPortal = async (arg?: unknown): Promise<string | undefined> => {
    const name = await askForMod(arg, vscode.l10n.t('Open on Mod Portal: which mod?'));
    if (!name) return undefined;
    const url = portal.modPageUrl(name);
    return (await openWebPage(url)) ? url : undefined;
  };

  const commands: Record<string, (arg?: unknown) => unknown> = {
    'factorioPortal.searchMods': async (arg) => {
      const query = typeof arg === 'string' ? arg : stringArg(arg, 'query');
      const mod = await pickMod(data, {
        title: vscode.l10n.t('Search the Mod Portal'),
        ...(query ? { query } : {}),
        buttons: [OPEN_BUTTON, ADD_BUTTON, ...(vscode.workspace.isTrusted ? [INSTALL_BUTTON] : [])],
        onButton: (picked, id) => {
          if (id === 'open') void openOnPortal(picked.name);
          else if (id === 'install') void vscode.commands.executeCommand('factorioPortal.installModWithDependencies', { name: picked.name });
          else void vscode.commands.executeCommand('factorioPortal.addDependency', { name: picked.name });
        },
      });
      if (!mod) return undefined;
      await details.show(mod.name);
      return mod.name;
    },
    'factorioPortal.showModDetails': async (arg) => {
      // From the palette with the cursor on a dependency, that dependency is the mod meant.
      const name = modNameArg(arg) ?? dependencyNameAtCursor() ?? (await askForMod(arg, vscode.l10n.t('Show Mod Details: which mod?')));
      return name ? details.show(name) : false;
    },
    'factorioPortal.addDependency': (arg) => addDependency(data, arg),
    'factorioPortal.openOnPortal': openOnPortal,
    'factorioPortal.copyModName': async (arg) => {
      const name = await askForMod(arg, vscode.l10n.t('Copy Mod Name: which mod?'));
      if (!name) return undefined;
      await vscode.env.clipboard.writeText(name);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied "{0}"', name), 3000);
      return name;
    },
    'factorioPortal.downloadRelease': (arg): Promise<DownloadOutcome> | DownloadOutcome => {
      const action = vscode.l10n.t('Downloading a mod release');
      if (!requireTrustedWorkspace(action)) return { status: 'failed', code: 'untrusted', message: untrustedWorkspaceMessage(action) };
      return downloadRelease({ portal, config, data, logger: services.logger, credentials, workspace: services.workspace }, arg);
    },
    'factorioPortal.setModsFolder': () => setModsFolder(config, services.workspace),
    'factorioPortal.installDependencies': (arg) => installDependencies(installServices, arg),
    'factorioPortal.installModWithDependencies': (arg) => installModWithDependencies(installServices, arg),
    'factorioPortal.signIn': async (arg) => {
      const username = stringArg(arg, 'username');
      const token = stringArg(arg, 'token');
      let stored: string | undefined;
      if (username && token) {
        await credentials.store({ username, token });
        // Named by the caller along with the credentials, so no question is needed for it.
        if (booleanArg(arg, 'trustPortal') === true) await credentials.trustOrigin(portal.url);
        stored = username;
      } else {
        stored = (await credentials.ask())?.username;
      }
      if (stored) void vscode.window.showInformationMessage(vscode.l10n.t('Mod Portal downloads will use the account "{0}".', stored));
      return stored !== undefined;
    },
    'factorioPortal.signOut': async () => {
      const had = (await credentials.get()) !== undefined;
      await credentials.clear();
      void vscode.window.showInformationMessage(
        had ? vscode.l10n.t('Your Factorio username and token were removed from VS Code.') : vscode.l10n.t('No Factorio credentials were stored.'),
      );
      return had;
    },
  };

  return { disposable: details, commands, api: { details: () => details.snapshot() } };
}

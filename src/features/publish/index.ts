import * as vscode from 'vscode';
import type { CommandTable } from '../core/commandTable';
import type { Logger } from '../core/logger';
import { requireTrustedWorkspace } from '../core/safety';
import { ApiKeyStore } from '../services/apiKey';
import type { PortalService } from '../services/portalService';
import type { WorkspaceModsService } from '../services/workspaceMods';
import { DetailSheets, editPortalDetails, type EditOutcome } from './editDetails';
import { publishRelease, type PublishOutcome } from './publishRelease';

export interface PublishingServices {
  portal: PortalService;
  logger: Logger;
  secrets: vscode.SecretStorage;
  /** Where the portals the user agreed to send the key to are remembered. */
  globalState: vscode.Memento;
  userAgent: string;
  workspace: WorkspaceModsService;
}

function keyArg(arg: unknown): { key?: string; trustPortal?: boolean } {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  return { ...(typeof a.key === 'string' && a.key.trim() !== '' ? { key: a.key } : {}), ...(a.trustPortal === true ? { trustPortal: true } : {}) };
}

/** Publishing: the API key, Publish Mod Release…, Edit Portal Details…. */
export function createPublishing(services: PublishingServices): { disposable: vscode.Disposable; commands: CommandTable } {
  const keys = new ApiKeyStore(services.secrets, services.globalState);
  const sheets = new DetailSheets();
  const { portal, logger, secrets, userAgent, workspace } = services;
  const untrusted = (what: string) => ({ status: 'failed' as const, code: 'untrusted', message: vscode.l10n.t('{0} needs a trusted workspace.', what) });

  const commands: Record<string, (arg?: unknown) => unknown> = {
    'factorioPortal.setApiKey': async (arg) => {
      const given = keyArg(arg);
      let stored: string | undefined;
      if (given.key) {
        await keys.store(given.key);
        // Named by the caller along with the key, so no question is needed for it.
        if (given.trustPortal) await keys.trustOrigin(portal.url);
        stored = given.key;
      } else {
        stored = await keys.ask();
      }
      if (stored) void vscode.window.showInformationMessage(vscode.l10n.t('The Mod Portal API key is kept in VS Code’s secret storage; it goes only to {0}/api/v2/.', portal.url));
      return stored !== undefined;
    },
    'factorioPortal.clearApiKey': async () => {
      const had = await keys.clear();
      void vscode.window.showInformationMessage(had ? vscode.l10n.t('The Mod Portal API key was removed from VS Code.') : vscode.l10n.t('No Mod Portal API key was stored.'));
      return had;
    },
    'factorioPortal.publishRelease': (arg): Promise<PublishOutcome> | PublishOutcome => {
      if (!requireTrustedWorkspace(vscode.l10n.t('Publishing a mod release'))) return untrusted(vscode.l10n.t('Publishing'));
      return publishRelease({ portal, keys, logger, secrets, userAgent, workspace }, arg);
    },
    'factorioPortal.editPortalDetails': (arg): Promise<EditOutcome> | EditOutcome => {
      if (!requireTrustedWorkspace(vscode.l10n.t('Editing a mod’s portal details'))) return untrusted(vscode.l10n.t('Editing portal details'));
      return editPortalDetails({ portal, keys, logger, userAgent, sheets, workspace }, arg);
    },
  };
  return { disposable: sheets, commands };
}

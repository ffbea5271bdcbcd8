import * as vscode from 'vscode';
import { latestCompatibleRelease, newestFirst } from '../../model/releases';
import { downloadRelease as saveRelease, isDownloadError, releaseFileName, type DownloadErrorKind } from '../../portal/download';
import { isBadCredentials, isDownloadForbidden } from '../../portal/client';
import { isPortalError } from '../../portal/errors';
import type { Release } from '../../portal/types';
import type { Config } from '../core/config';
import type { DependencyData } from '../infoJson/dependencyData';
import { openFactorioVersion } from '../core/documents';
import type { Logger } from '../core/logger';
import type { PortalService } from '../services/portalService';
import { modNameArg, stringArg } from './args';
import type { Credentials } from '../services/credentials';
import { pickMod } from './pickers';
import { pickOne, type Choice } from '../core/quickPick';
import type { WorkspaceModsService } from '../services/workspaceMods';
import { askModsFolder, pickerStart, setModsFolder } from './modsFolderPicker';

export type DownloadFailure =
  | DownloadErrorKind
  | 'untrusted'
  | 'no-credentials'
  | 'bad-credentials'
  | 'forbidden'
  | 'untrusted-portal'
  | 'not-found'
  | 'no-release'
  | 'network';

/** What the download command returns, for callers and tests; the user sees messages. */
export type DownloadOutcome =
  | { status: 'saved'; path: string; sha1: string; bytes: number }
  | { status: 'failed'; code: DownloadFailure; message: string }
  | { status: 'cancelled' };

export interface DownloadServices {
  portal: PortalService;
  config: Config;
  data: DependencyData;
  logger: Logger;
  credentials: Credentials;
  workspace: WorkspaceModsService;
}

async function chooseRelease(name: string, releases: readonly Release[]): Promise<Release | undefined> {
  const sorted = newestFirst(releases);
  const factorioVersion = openFactorioVersion();
  const preferred = (factorioVersion && latestCompatibleRelease(releases, factorioVersion)) || sorted[0];
  const items: Choice<Release>[] = sorted.map((r) => ({
    label: r.version,
    description: `Factorio ${r.info_json.factorio_version}${r.released_at ? ` · ${r.released_at.slice(0, 10)}` : ''}`,
    ...(r === preferred ? { detail: factorioVersion ? vscode.l10n.t('Latest release for Factorio {0}', factorioVersion) : vscode.l10n.t('Latest release') } : {}),
    value: r,
  }));
  const active = items.find((i) => i.value === preferred);
  return pickOne(items, { title: vscode.l10n.t('Download {0}: which release?', name), ...(active ? { active } : {}) });
}

async function chooseFolder(services: DownloadServices): Promise<string | undefined> {
  const { config, workspace } = services;
  const title = vscode.l10n.t('Save the release where?');
  const fallback = config.modsFolder;
  if (!fallback) return askModsFolder(config, workspace, { title, openLabel: vscode.l10n.t('Save Here') });
  const here: Choice<'default' | 'other' | 'set'> = { label: `$(folder) ${fallback}`, description: vscode.l10n.t('Factorio mods folder'), value: 'default' };
  const other: Choice<'default' | 'other' | 'set'> = { label: `$(folder-opened) ${vscode.l10n.t('Choose another folder…')}`, value: 'other' };
  const set: Choice<'default' | 'other' | 'set'> = { label: `$(gear) ${vscode.l10n.t('Set Mods Folder…')}`, description: vscode.l10n.t('remembered in your settings'), value: 'set' };
  const choice = await pickOne([here, other, set], { title, active: here });
  if (choice === 'default') return fallback;
  if (choice === 'set') return setModsFolder(config, workspace);
  if (choice !== 'other') return undefined;
  const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: vscode.l10n.t('Save Here'), defaultUri: pickerStart(config) });
  return picked?.[0]?.fsPath;
}

function fail(code: DownloadFailure, message: string, actions: Array<{ title: string; run: () => void }> = []): DownloadOutcome {
  // Not awaited: the command must not wait for the user to dismiss a message.
  void vscode.window.showErrorMessage(message, ...actions.map((a) => a.title)).then((chosen) => actions.find((a) => a.title === chosen)?.run());
  return { status: 'failed', code, message };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Download Mod Release…: `{ name, version, folder }` answer the questions in advance;
 * whatever is missing is asked. The token stays in SecretStorage and the request URL.
 */
export async function downloadRelease(services: DownloadServices, arg?: unknown): Promise<DownloadOutcome> {
  const { portal, data, logger, credentials } = services;
  const name =
    modNameArg(arg) ??
    (await pickMod(data, { title: vscode.l10n.t('Download Mod Release: which mod?') }))?.name;
  if (!name) return { status: 'cancelled' };

  await data.ensure([name], { full: false });
  const mod = data.mod(name);
  if (!mod) {
    const known = portal.cache.peekMods([name]).get(name);
    return known?.state === 'missing'
      ? fail('not-found', vscode.l10n.t('The mod "{0}" is not on the Mod Portal.', name))
      : fail('network', vscode.l10n.t('Could not load the releases of "{0}" from the Mod Portal (see Show Log).', name));
  }
  const releases = mod.releases ?? [];
  const version = stringArg(arg, 'version');
  const release = version !== undefined ? releases.find((r) => r.version === version) : await chooseRelease(name, releases);
  if (!release) {
    return version !== undefined
      ? fail('no-release', vscode.l10n.t('"{0}" has no release {1}.', name, version))
      : { status: 'cancelled' };
  }

  const folder = stringArg(arg, 'folder') ?? (await chooseFolder(services));
  if (!folder) return { status: 'cancelled' };

  const signIn = { title: vscode.l10n.t('Sign In…'), run: () => void vscode.commands.executeCommand('factorioPortal.signIn') };
  const creds = (await credentials.get()) ?? (await credentials.ask());
  if (!creds) {
    return fail('no-credentials', vscode.l10n.t('Downloading from the Mod Portal needs your Factorio username and token. Nothing was downloaded.'), [signIn]);
  }

  const consent = await credentials.allowOrigin(portal.url);
  if (consent !== 'yes') {
    return fail(
      'untrusted-portal',
      consent === 'refused'
        ? vscode.l10n.t('Your Factorio token is sent only to https portals (or a test portal on this machine), not to {0}. Nothing was downloaded.', portal.url)
        : vscode.l10n.t('Your Factorio token was not sent to {0}. Nothing was downloaded.', portal.url),
    );
  }

  const fileName = releaseFileName(name, release);
  try {
    const saved = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', fileName), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        let shown = 0;
        try {
          return await saveRelease(portal.client, release, {
            folder,
            fileName,
            credentials: creds,
            signal: controller.signal,
            onProgress: (received, total) => {
              // A message per whole percent (or per MiB when the size is unknown) is plenty.
              if (total) {
                const percent = Math.min(100, Math.floor((received / total) * 100));
                if (percent <= reported && received !== total) return;
                progress.report({ increment: percent - reported, message: `${formatBytes(received)} / ${formatBytes(total)} (${percent}%)` });
                reported = percent;
              } else if (received - shown >= 1024 * 1024 || received === 0) {
                progress.report({ message: formatBytes(received) });
                shown = received;
              }
            },
          });
        } finally {
          subscription.dispose();
        }
      },
    );
    logger.info(`Downloaded ${fileName} (${saved.bytes} bytes, sha1 verified) to ${saved.path}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0} in {1}.', fileName, folder));
    return { status: 'saved', ...saved };
  } catch (e) {
    if (isDownloadError(e)) {
      if (e.kind === 'cancelled') return { status: 'cancelled' };
      logger.warn(`Download of ${fileName} failed: ${e.message}`);
      return fail(e.kind, e.message);
    }
    if (isPortalError(e)) {
      if (e.kind === 'cancelled') return { status: 'cancelled' };
      logger.warn(`Download of ${fileName} failed: ${e.message}`);
      if (e.kind === 'not-found') {
        return fail('not-found', vscode.l10n.t('The Mod Portal has no release {0} of "{1}" to download. Nothing was saved.', release.version, name));
      }
      if (isDownloadForbidden(e)) {
        return fail(
          'forbidden',
          vscode.l10n.t('The Mod Portal refused the download: this Factorio account may not download mods (downloading needs an account that owns the game). Nothing was saved.'),
          [signIn],
        );
      }
      if (isBadCredentials(e)) {
        return fail(
          'bad-credentials',
          vscode.l10n.t('The Mod Portal refused the download: the username or token is wrong. Nothing was saved.'),
          [signIn],
        );
      }
      return fail('network', vscode.l10n.t('Downloading {0} failed: {1}. Nothing was saved.', fileName, e.message));
    }
    const message = e instanceof Error ? e.message : String(e);
    logger.warn(`Download of ${fileName} failed: ${message}`);
    return fail('network', vscode.l10n.t('Downloading {0} failed: {1}. Nothing was saved.', fileName, message));
  }
}

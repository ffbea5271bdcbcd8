import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { latestCompatibleRelease, newestFirst } from '../../model/releases';
import { downloadRelease as saveRelease, isDownloadError, releaseFileName, type DownloadErrorKind, type SavedRelease } from '../../portal/download';
import { fileSha1 } from '../../util/fileHash';
import { isBadCredentials, isDownloadForbidden, type PortalClient, type PortalCredentials } from '../../portal/client';
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
import { messageOf } from '../../util/errors';
import { formatSize } from '../../util/text';
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
  /** The same file was already there: nothing was downloaded. */
  | { status: 'present'; path: string }
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

/** Why the token was not sent, ending with `nothing` (what did not happen). */
export function consentRefusal(consent: 'declined' | 'refused' | 'changed', portalUrl: string, nothing: string): string {
  if (consent === 'refused') return vscode.l10n.t('Your Factorio token is sent only to https portals (or a test portal on this machine), not to {0}. {1}', portalUrl, nothing);
  if (consent === 'changed') return vscode.l10n.t('The Mod Portal setting changed while you were asked about {0}, so your Factorio token was not sent. {1}', portalUrl, nothing);
  return vscode.l10n.t('Your Factorio token was not sent to {0}. {1}', portalUrl, nothing);
}

/** The release the user means: from the argument or a picker. */
async function chooseModRelease(services: DownloadServices, arg: unknown): Promise<{ name: string; release: Release } | DownloadOutcome> {
  const { portal, data } = services;
  const name = modNameArg(arg) ?? (await pickMod(data, { title: vscode.l10n.t('Download Mod Release: which mod?') }))?.name;
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
  if (!release) return version !== undefined ? fail('no-release', vscode.l10n.t('"{0}" has no release {1}.', name, version)) : { status: 'cancelled' };
  return { name, release };
}

type ExistingChoice = 'replace' | 'keep-both' | 'cancel';

/** A name beside `fileName` that is free in `folder`: `x_1.0.0 (2).zip`, `(3)`… */
async function freeName(folder: string, fileName: string): Promise<string> {
  const stem = fileName.replace(/\.zip$/i, '');
  for (let n = 2; n < 1000; n++) {
    const candidate = `${stem} (${n}).zip`;
    if (!(await fs.lstat(path.join(folder, candidate)).then(() => true, () => false))) return candidate;
  }
  throw new Error(`no free name beside ${fileName} in ${folder}`);
}

/**
 * Where the download goes when a file of its name is already there: the same bytes need
 * no download; other bytes are replaced only when the user says so, or kept with the new
 * one beside them. `existing` in the argument answers in advance.
 */
async function placeFor(folder: string, fileName: string, release: Release, arg: unknown): Promise<{ fileName: string; replace: boolean } | DownloadOutcome> {
  const target = path.join(folder, fileName);
  let sha1: string | undefined;
  try {
    sha1 = await fileSha1(target);
  } catch (e) {
    return fail('write', vscode.l10n.t('Could not read {0}: {1}. Nothing was downloaded.', target, messageOf(e)));
  }
  if (sha1 === undefined) return { fileName, replace: false };
  if (sha1 === release.sha1.toLowerCase()) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is already in {1}, with the same content. Nothing was downloaded.', fileName, folder));
    return { status: 'present', path: target };
  }
  const given = stringArg(arg, 'existing');
  const replace = vscode.l10n.t('Replace');
  const keepBoth = vscode.l10n.t('Keep Both');
  const choice: ExistingChoice =
    given === 'replace' || given === 'keep-both' || given === 'cancel'
      ? given
      : await vscode.window
          .showWarningMessage(
            vscode.l10n.t('{0} is already in {1}, with other content.', fileName, folder),
            { modal: true, detail: vscode.l10n.t('Replace it with the release from the Mod Portal, or keep both (the download is saved under another name)?') },
            replace,
            keepBoth,
          )
          .then((picked) => (picked === replace ? 'replace' : picked === keepBoth ? 'keep-both' : 'cancel'));
  if (choice === 'cancel') return { status: 'cancelled' };
  if (choice === 'replace') return { fileName, replace: true };
  return { fileName: await freeName(folder, fileName), replace: false };
}

/** The download with its progress notification: a message per whole percent, sizes as people read them. */
function saveWithProgress(client: PortalClient, release: Release, options: { folder: string; fileName: string; replace: boolean; credentials: PortalCredentials }): Thenable<SavedRelease> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', options.fileName), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      let shown = 0;
      try {
        return await saveRelease(client, release, {
          ...options,
          signal: controller.signal,
          onProgress: (received, total) => {
            // A message per whole percent (or per MB when the size is unknown) is plenty.
            if (total) {
              const percent = Math.min(100, Math.floor((received / total) * 100));
              if (percent <= reported && received !== total) return;
              progress.report({ increment: percent - reported, message: `${formatSize(received)} / ${formatSize(total)} (${percent}%)` });
              reported = percent;
            } else if (received - shown >= 1024 * 1024 || received === 0) {
              progress.report({ message: formatSize(received) });
              shown = received;
            }
          },
        });
      } finally {
        subscription.dispose();
      }
    },
  );
}

/** What a failed download tells the user. */
function downloadFailure(e: unknown, context: { name: string; release: Release; fileName: string; logger: Logger; signIn: { title: string; run: () => void } }): DownloadOutcome {
  const { name, release, fileName, logger, signIn } = context;
  if (isDownloadError(e)) {
    logger.warn(`Download of ${fileName} failed: ${e.message}`);
    return fail(e.kind, e.message);
  }
  if (isPortalError(e)) {
    if (e.kind === 'cancelled') return { status: 'cancelled' };
    logger.warn(`Download of ${fileName} failed: ${e.message}`);
    if (e.kind === 'not-found') return fail('not-found', vscode.l10n.t('The Mod Portal has no release {0} of "{1}" to download. Nothing was saved.', release.version, name));
    if (isDownloadForbidden(e)) {
      return fail('forbidden', vscode.l10n.t('The Mod Portal refused the download: this Factorio account may not download mods (downloading needs an account that owns the game). Nothing was saved.'), [signIn]);
    }
    if (isBadCredentials(e)) return fail('bad-credentials', vscode.l10n.t('The Mod Portal refused the download: the username or token is wrong. Nothing was saved.'), [signIn]);
    return fail('network', vscode.l10n.t('Downloading {0} failed: {1}. Nothing was saved.', fileName, e.message));
  }
  const message = messageOf(e);
  logger.warn(`Download of ${fileName} failed: ${message}`);
  return fail('network', vscode.l10n.t('Downloading {0} failed: {1}. Nothing was saved.', fileName, message));
}

/**
 * Download Mod Release…: `{ name, version, folder, existing }` answer the questions in
 * advance (`existing`: 'replace', 'keep-both' or 'cancel' when a different file of that
 * name is there); whatever is missing is asked. The token stays in SecretStorage and the
 * request URL.
 */
export async function downloadRelease(services: DownloadServices, arg?: unknown): Promise<DownloadOutcome> {
  const { portal, logger, credentials } = services;
  const chosen = await chooseModRelease(services, arg);
  if ('status' in chosen) return chosen;
  const { name, release } = chosen;
  let fileName: string;
  try {
    fileName = releaseFileName(name, release);
  } catch (e) {
    logger.warn(messageOf(e));
    return isDownloadError(e) ? fail(e.kind, e.message) : fail('unsafe-name', messageOf(e));
  }

  const folder = stringArg(arg, 'folder') ?? (await chooseFolder(services));
  if (!folder) return { status: 'cancelled' };
  const place = await placeFor(folder, fileName, release, arg);
  if ('status' in place) return place;

  const signIn = { title: vscode.l10n.t('Sign In…'), run: () => void vscode.commands.executeCommand('factorioPortal.signIn') };
  const creds = (await credentials.get()) ?? (await credentials.ask());
  if (!creds) {
    return fail('no-credentials', vscode.l10n.t('Downloading from the Mod Portal needs your Factorio username and token. Nothing was downloaded.'), [signIn]);
  }
  // The client asked about is the one that sends the token, whatever the setting says by then.
  const client = portal.client;
  const consent = await credentials.allowClient(client, () => portal.client);
  if (consent !== 'yes') return fail('untrusted-portal', consentRefusal(consent, client.baseUrl, vscode.l10n.t('Nothing was downloaded.')));

  try {
    const saved = await saveWithProgress(client, release, { folder, fileName: place.fileName, replace: place.replace, credentials: creds });
    logger.info(`Downloaded ${place.fileName} (${saved.bytes} bytes, sha1 verified) to ${saved.path}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0} in {1}.', place.fileName, folder));
    return { status: 'saved', ...saved };
  } catch (e) {
    return downloadFailure(e, { name, release, fileName: place.fileName, logger, signIn });
  }
}

import * as vscode from 'vscode';
import type { ManagementError } from '../../portal/management';
import { clip } from '../core/portalText';

/** Portal text on one line, cut before anything else reads it. */
function plainPortalText(text: string, max: number): string {
  return clip(text.slice(0, max * 2).replace(/\s+/g, ' ').trim(), max);
}

/** What the user can do next, as a button. */
export type NextStep = 'set-key' | 'open-info-json' | 'open-log' | 'retry';

export interface Explained {
  message: string;
  next: NextStep[];
}

/**
 * Each of the portal's answers as a sentence a person understands, with the next step.
 * The portal's own text is added as text (quoted, shortened), never as markup.
 */
export function explainFailure(error: ManagementError, mod: string, version?: string): Explained {
  const said = error.portalMessage ? ` ${vscode.l10n.t('The portal said: “{0}”', plainPortalText(error.portalMessage, 300))}` : '';
  switch (error.code) {
    case 'InvalidApiKey':
      return {
        message: vscode.l10n.t('The Mod Portal refused the API key: it is wrong, expired, or this key lacks {0}. Create a key with that scope on your factorio.com profile page and set it here.', error.scope) + said,
        next: ['set-key'],
      };
    case 'Forbidden':
      return {
        message: vscode.l10n.t('The Mod Portal refused: the API key’s account does not own “{0}”. Only the mod’s owner (or a co-maintainer’s own key) can publish it.', mod) + said,
        next: ['set-key'],
      };
    case 'UnknownMod':
      return { message: vscode.l10n.t('The Mod Portal has no mod named “{0}”. Check the name in info.json.', mod) + said, next: ['open-info-json'] };
    case 'ModAlreadyExists':
      return {
        message: vscode.l10n.t('The name “{0}” is already taken on the Mod Portal by someone else. Choose another name in info.json (and rename the folder and zip with it).', mod) + said,
        next: ['open-info-json'],
      };
    case 'InvalidModUpload':
      return {
        message:
          vscode.l10n.t('The Mod Portal refused the zip of {0} {1}: its layout, name, version or factorio_version is not what the portal expects. The preflight’s “info.json” and “Version” checks catch these before uploading.', mod, version ?? '') + said,
        next: ['open-info-json'],
      };
    case 'InvalidModRelease':
      return {
        message: vscode.l10n.t('The Mod Portal refused the release data in info.json (version, factorio_version or dependencies). The preflight’s “info.json” check shows what is wrong.') + said,
        next: ['open-info-json'],
      };
    case 'InvalidRequest':
      return { message: vscode.l10n.t('The Mod Portal refused the request as invalid.') + said, next: ['open-log'] };
    case 'InternalError':
    case 'Unknown':
      return { message: vscode.l10n.t('The Mod Portal had a problem of its own ({0}). Nothing was changed on your side; try again later.', error.code) + said, next: ['retry'] };
    case 'network':
      return { message: vscode.l10n.t('Could not reach the Mod Portal ({0}). Check the connection and try again.', plainPortalText(error.portalMessage, 120)), next: ['retry'] };
    case 'timeout':
      return { message: vscode.l10n.t('The Mod Portal did not answer in time. The upload may or may not have arrived: look at the mod’s page before trying again.'), next: ['retry'] };
    case 'http':
      return { message: vscode.l10n.t('The Mod Portal answered with an error page (HTTP {0}) instead of an answer. Try again later.', String(error.status ?? '?')), next: ['retry'] };
    case 'malformed':
      return { message: vscode.l10n.t('The Mod Portal’s answer could not be read.') + said, next: ['open-log'] };
    case 'refused-origin':
      return {
        message: vscode.l10n.t('The API key is sent only over https (or to a test portal on this machine); the configured portal or its upload address is not one of those.'),
        next: [],
      };
    case 'cancelled':
      return { message: vscode.l10n.t('Cancelled.'), next: [] };
  }
}

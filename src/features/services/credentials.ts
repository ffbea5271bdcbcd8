import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import type { PortalCredentials } from '../../portal/client';
import { consentForClient } from '../../portal/tokenOrigin';
import { TrustedOrigins, type OriginConsent } from './trustedOrigins';
import { pickOne, type Choice } from '../core/quickPick';

const SECRET_KEY = 'factorioPortal.credentials';
/** Origins other than the official portal the user agreed to send the token to. */
const ORIGINS_KEY = 'factorioPortal.tokenOrigins';

/** Whether the token may go to a portal: 'yes', 'declined' by the user, or 'refused' outright (plain http to another machine). */
export type { OriginConsent };

/** Reads `service-username` and `service-token` from Factorio's player-data.json. */
export async function readPlayerData(file: string): Promise<PortalCredentials | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as Record<string, unknown>;
  const username = record['service-username'];
  const token = record['service-token'];
  if (typeof username !== 'string' || typeof token !== 'string' || username === '' || token === '') return undefined;
  return { username, token };
}

function isCredentials(v: unknown): v is PortalCredentials {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.username === 'string' && c.username !== '' && typeof c.token === 'string' && c.token !== '';
}

/**
 * The portal username and token, kept only in VS Code's SecretStorage (the OS keychain
 * where there is one): never in settings, never in a log or a message.
 */
export class Credentials {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    /** Existing player-data.json files to offer (Config.playerDataCandidates). */
    private readonly playerDataFiles: () => string[],
    /** Where the portals the user agreed to send the token to are remembered; without it, asked every time. */
    memento?: vscode.Memento,
  ) {
    this.origins = new TrustedOrigins(ORIGINS_KEY, memento);
  }

  private readonly origins: TrustedOrigins;

  /**
   * May the token go to the portal at `portalUrl`? The official portal, yes; another
   * https portal or a test portal on this machine, once the user said so (asked in a
   * modal the first time, remembered per origin); anything else, never.
   */
  allowOrigin(portalUrl: string): Promise<OriginConsent> {
    return this.origins.allow(portalUrl, {
      message: (origin) => vscode.l10n.t('Send your Factorio username and token to {0}?', origin),
      detail: (origin) =>
        vscode.l10n.t(
          'The configured Mod Portal is not the official one (https://mods.factorio.com). Whoever runs {0} can use your token as you. Send it only to a portal you trust; the answer is remembered for this address.',
          origin,
        ),
      button: vscode.l10n.t('Send the Token'),
    });
  }

  /**
   * Consent for `client` to send the token (see consentForClient): `current` gives the
   * client in use once the question is answered.
   */
  allowClient<C extends { readonly baseUrl: string }>(client: C, current: () => C): Promise<OriginConsent | 'changed'> {
    return consentForClient(client, current, (url) => this.allowOrigin(url));
  }

  /** Remembers that the user agreed to send the token to this portal's origin. */
  trustOrigin(portalUrl: string): Promise<boolean> {
    return this.origins.trust(portalUrl);
  }

  async get(): Promise<PortalCredentials | undefined> {
    const raw = await this.secrets.get(SECRET_KEY);
    if (raw === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      return isCredentials(parsed) ? { username: parsed.username, token: parsed.token } : undefined;
    } catch {
      return undefined;
    }
  }

  async store(credentials: PortalCredentials): Promise<void> {
    await this.secrets.store(SECRET_KEY, JSON.stringify({ username: credentials.username.trim(), token: credentials.token.trim() }));
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  /**
   * Asks the user: from player-data.json (when Factorio's is found) or typed in. Stores
   * and returns what was given; undefined when the user backs out.
   */
  async ask(): Promise<PortalCredentials | undefined> {
    type How = { from: 'file'; file: string } | { from: 'input' };
    const choices: Choice<How>[] = this.playerDataFiles().map((file) => ({
      label: `$(file) ${vscode.l10n.t('Read them from Factorio’s player-data.json')}`,
      description: file,
      value: { from: 'file' as const, file },
    }));
    choices.push({ label: `$(key) ${vscode.l10n.t('Enter username and token…')}`, description: vscode.l10n.t('the token is on your factorio.com profile page'), value: { from: 'input' } });
    const how = await pickOne(choices, {
      title: vscode.l10n.t('Downloading from the Mod Portal needs your Factorio username and token'),
      placeholder: vscode.l10n.t('They are kept in VS Code’s secret storage'),
    });
    if (!how) return undefined;
    let credentials: PortalCredentials | undefined;
    if (how.from === 'file') {
      credentials = await readPlayerData(how.file);
      if (!credentials) {
        void vscode.window.showErrorMessage(vscode.l10n.t('{0} holds no service-username and service-token: log in to Factorio once, or enter them.', how.file));
        return undefined;
      }
    } else {
      const username = await vscode.window.showInputBox({
        title: vscode.l10n.t('Factorio username'),
        prompt: vscode.l10n.t('The name you log in to factorio.com with'),
        ignoreFocusOut: true,
      });
      if (!username) return undefined;
      const token = await vscode.window.showInputBox({
        title: vscode.l10n.t('Factorio token'),
        prompt: vscode.l10n.t('Your token, from your factorio.com profile or player-data.json (service-token)'),
        password: true,
        ignoreFocusOut: true,
      });
      if (!token) return undefined;
      credentials = { username: username.trim(), token: token.trim() };
    }
    await this.store(credentials);
    return credentials;
  }
}

/**
 * The username of the stored credentials, kept at hand for synchronous readers (the
 * diagnostics); the token is never read into it.
 */
export class SignedInUser implements vscode.Disposable {
  private current: string | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.listener = secrets.onDidChange((e) => {
      if (e.key === SECRET_KEY) void this.reload();
    });
    void this.reload();
  }

  get username(): string | undefined {
    return this.current;
  }

  private async reload(): Promise<void> {
    const credentials = await new Credentials(this.secrets, () => []).get();
    if (credentials?.username === this.current) return;
    this.current = credentials?.username;
    this.emitter.fire();
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}

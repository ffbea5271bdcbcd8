import * as vscode from 'vscode';
import { TrustedOrigins, type OriginConsent } from './trustedOrigins';

/** Apart from the download token's entry: clearing one never touches the other. */
const SECRET_KEY = 'factorioPortal.apiKey';
/** Origins other than the official portal the user agreed to send the API key to. */
const ORIGINS_KEY = 'factorioPortal.apiKeyOrigins';

/**
 * The Mod Portal API key (publishing), kept only in VS Code's SecretStorage: never in
 * settings, a message or the log. The management client decides where it may be sent;
 * this asks the user before the first time it goes to a portal other than the official one.
 */
export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    /** The user's global state; without it, the question is asked every time. */
    memento?: vscode.Memento,
  ) {
    this.origins = new TrustedOrigins(ORIGINS_KEY, memento);
  }

  private readonly origins: TrustedOrigins;

  async get(): Promise<string | undefined> {
    const key = (await this.secrets.get(SECRET_KEY))?.trim();
    return key ? key : undefined;
  }

  async store(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<boolean> {
    const had = (await this.get()) !== undefined;
    await this.secrets.delete(SECRET_KEY);
    return had;
  }

  /** Asks for a key (a password box); stores and returns it, or undefined when the user backs out. */
  async ask(reason?: string): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Mod Portal API key'),
      prompt:
        reason ??
        vscode.l10n.t('Create one on your factorio.com profile page with the scopes ModPortal: Upload Mods, Publish Mods and Edit Mods. It is kept in VS Code’s secret storage.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (/\s/.test(value.trim()) ? vscode.l10n.t('An API key has no spaces') : undefined),
    });
    if (!key || key.trim() === '') return undefined;
    await this.store(key);
    return key.trim();
  }

  /**
   * May the key go to this portal? The official one, yes; another https portal or a test
   * portal on this machine once the user said so (remembered per origin); else never.
   */
  allowOrigin(portalUrl: string): Promise<OriginConsent> {
    return this.origins.allow(portalUrl, {
      message: (origin) => vscode.l10n.t('Send your Mod Portal API key to {0}?', origin),
      detail: (origin) =>
        vscode.l10n.t(
          'The configured Mod Portal is not the official one (https://mods.factorio.com). Whoever runs {0} can publish and edit your mods with this key. Send it only to a portal you trust; the answer is remembered for this address.',
          origin,
        ),
      button: vscode.l10n.t('Send the API Key'),
    });
  }

  trustOrigin(portalUrl: string): Promise<boolean> {
    return this.origins.trust(portalUrl);
  }
}

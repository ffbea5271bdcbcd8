import * as vscode from 'vscode';
import { tokenOrigin, tokenOriginKind } from '../../portal/tokenOrigin';

/** Whether a secret may go to a portal: 'yes', 'declined' by the user, or 'refused' outright (plain http to another machine). */
export type OriginConsent = 'yes' | 'declined' | 'refused';

export interface OriginQuestion {
  message: (origin: string) => string;
  detail: (origin: string) => string;
  button: string;
}

/**
 * The portals other than the official one the user agreed to send a secret to, one list
 * per secret, in the user's global state: a workspace's settings cannot answer for the
 * user. The official portal needs no answer; plain http to another machine gets none.
 */
export class TrustedOrigins {
  constructor(
    private readonly key: string,
    /** Without it, the question is asked every time. */
    private readonly memento?: vscode.Memento,
  ) {}

  /** Asks in a modal the first time for an origin, and remembers a yes. */
  async allow(portalUrl: string, question: OriginQuestion): Promise<OriginConsent> {
    const kind = tokenOriginKind(portalUrl);
    const origin = tokenOrigin(portalUrl);
    if (kind === 'refused' || origin === undefined) return 'refused';
    if (kind === 'official' || this.trusted().includes(origin)) return 'yes';
    const answer = await vscode.window.showWarningMessage(question.message(origin), { modal: true, detail: question.detail(origin) }, question.button);
    if (answer !== question.button) return 'declined';
    await this.trust(portalUrl);
    return 'yes';
  }

  async trust(portalUrl: string): Promise<boolean> {
    const origin = tokenOrigin(portalUrl);
    if (origin === undefined || tokenOriginKind(portalUrl) === 'refused') return false;
    const known = this.trusted();
    if (!known.includes(origin)) await this.memento?.update(this.key, [...known, origin]);
    return true;
  }

  private trusted(): string[] {
    const value: unknown = this.memento?.get(this.key);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}

import * as vscode from 'vscode';
import type { PortalError } from '../../portal/errors';
import type { Logger } from '../core/logger';
import type { PortalService } from './portalService';
import { isInfoJson } from '../core/documents';

export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return vscode.l10n.t('just now');
  if (minutes < 60) return vscode.l10n.t('{0} min ago', minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return vscode.l10n.t('{0} h ago', hours);
  return vscode.l10n.t('{0} days ago', Math.floor(hours / 24));
}

/**
 * The portal's reachability as the user sees it: a status bar item and one message per
 * outage (never one per dependency). The back-off itself belongs to the portal in use
 * (PortalService): this only shows it and reports to it.
 */
export class PortalStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private pinned = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the portal comes back after an outage, or the state changes. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly portal: PortalService,
    private readonly logger: Logger,
    refreshCommand: string,
  ) {
    this.item = vscode.window.createStatusBarItem('factorioPortal.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('Factorio Mod Portal');
    this.item.command = refreshCommand;
    this.disposables.push(
      portal.onDidChange(() => this.render()),
      portal.onDidChangeReachability((change) => {
        this.render();
        // A failure changes only what is shown; the others let requests through again.
        if (change !== 'failed') this.emitter.fire();
      }),
      vscode.workspace.onDidOpenTextDocument(() => this.render()),
      vscode.workspace.onDidCloseTextDocument(() => this.render()),
    );
    // Keeps "updated N min ago" honest.
    this.timer = setInterval(() => this.render(), 60_000);
    this.render();
  }

  /** Whether features may send requests now, or should wait out the back-off. */
  mayRequest(): boolean {
    return this.portal.mayRequest();
  }

  get lastFailure(): PortalError | undefined {
    return this.portal.lastFailure;
  }

  reportSuccess(): void {
    if (this.portal.reportSuccess()) this.logger.info('The Mod Portal answers again.');
  }

  reportFailure(error: PortalError): void {
    this.logger.warn(`Mod Portal request failed (${error.kind}): ${error.message}`);
    if (this.portal.reportFailure(error)) {
      const retry = vscode.l10n.t('Retry');
      const log = vscode.l10n.t('Show Log');
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t(
            'Factorio Mod Portal: cannot reach {0} ({1}). Checks that need the portal use cached data until it answers again.',
            this.portal.url,
            error.message,
          ),
          retry,
          log,
        )
        .then((choice) => {
          if (choice === retry) this.resetBackoff();
          else if (choice === log) this.logger.show();
        });
    }
  }

  /** Lets the next request through at once (the user asked for it). */
  resetBackoff(): void {
    this.portal.resetBackoff();
  }

  /** Keeps the item visible without an open info.json (the mod explorer uses the portal too). */
  pin(): void {
    this.pinned = true;
    this.render();
  }

  private render(): void {
    // Activation also happens for JSON files in unrelated projects: stay out of their status bar.
    if (!this.pinned && !vscode.workspace.textDocuments.some(isInfoJson)) {
      this.item.hide();
      return;
    }
    const state = this.portal.listState;
    const item = this.item;
    const failure = this.portal.lastFailure;
    if (failure) {
      const since = state.fetchedAt ? vscode.l10n.t('cached data from {0}', formatAge(Date.now() - state.fetchedAt)) : vscode.l10n.t('no cached data');
      item.text = `$(cloud-offline) ${vscode.l10n.t('Mod Portal offline')}`;
      item.tooltip = vscode.l10n.t('{0} cannot be reached: {1}. Using {2}. Click to retry.', this.portal.url, failure.message, since);
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else if (state.status === 'loading' || state.refreshing) {
      item.text = `$(sync~spin) ${vscode.l10n.t('Mod Portal')}`;
      item.tooltip = vscode.l10n.t('Loading the mod list from {0}…', this.portal.url);
      item.backgroundColor = undefined;
    } else if (state.status === 'ready' && state.fetchedAt !== undefined) {
      item.text = `$(package) ${vscode.l10n.t('{0} mods · updated {1}', (state.modCount ?? 0).toLocaleString('en-US'), formatAge(Date.now() - state.fetchedAt))}`;
      item.tooltip = vscode.l10n.t('Mod list from {0}. Click to refresh.', this.portal.url);
      item.backgroundColor = undefined;
    } else if (state.status === 'error') {
      item.text = `$(warning) ${vscode.l10n.t('Mod Portal')}`;
      item.tooltip = vscode.l10n.t('The mod list could not be loaded: {0}. Click to retry.', state.error?.message ?? '');
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      item.text = `$(package) ${vscode.l10n.t('Mod Portal')}`;
      item.tooltip = vscode.l10n.t('Mod list not loaded yet. Click to load it.');
      item.backgroundColor = undefined;
    }
    item.show();
  }

  /** A plain snapshot for tests and the exported API. */
  snapshot(): { text: string; offline: boolean } {
    return { text: this.item.text, offline: this.portal.lastFailure !== undefined };
  }

  dispose(): void {
    clearInterval(this.timer);
    this.item.dispose();
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

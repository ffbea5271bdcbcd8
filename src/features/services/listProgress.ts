import * as vscode from 'vscode';
import type { PortalService } from './portalService';

/** Quick downloads (a local portal, a fast line) finish before a notification is worth showing. */
const SHOW_AFTER_MS = 800;

/**
 * The first download of the whole mod list can be tens of megabytes: while nothing
 * is cached it shows a notification the user can cancel. Background refreshes of a
 * list already held stay in the status bar.
 */
export class ListDownloadProgress implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private finish: (() => void) | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly portal: PortalService) {
    this.subscription = portal.onDidChange(() => this.update());
    this.update();
  }

  private get downloading(): boolean {
    return this.portal.listState.status === 'loading';
  }

  private update(): void {
    if (!this.downloading) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.finish?.();
      return;
    }
    if (this.timer || this.finish) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.downloading) this.show();
    }, SHOW_AFTER_MS);
  }

  private show(): void {
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Factorio Mod Portal'),
        cancellable: true,
      },
      (progress, token) => {
        progress.report({ message: vscode.l10n.t('Downloading the mod list from {0}…', this.portal.url) });
        token.onCancellationRequested(() => this.portal.cache.cancelListDownload());
        return new Promise<void>((resolve) => {
          this.finish = () => {
            this.finish = undefined;
            resolve();
          };
          if (!this.downloading) this.finish();
        });
      },
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.finish?.();
    this.subscription.dispose();
  }
}

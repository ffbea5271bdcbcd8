import * as vscode from 'vscode';
import { isInfoJson } from '../core/documents';

/** How long the mod list stays in memory once nothing shows or checks it. */
export const IDLE_RELEASE_MS = 3 * 60_000;

export interface ListKeeperOptions {
  /** Drops the list from memory if it is safely on disk; 'busy' when it cannot yet. */
  release: () => 'released' | 'busy' | 'none';
  /** Whether a view that reads the list (the Mod Portal tree) is visible. */
  viewVisible: () => boolean;
  onDidChangeViewVisibility: vscode.Event<unknown>;
  idleMs?: number;
}

/**
 * At 50,000 mods the list and its index take megabytes of the extension host's heap that
 * a window without an info.json or the explorer never reads. Once neither has been in
 * sight for a while, the list is dropped; the next info.json or the explorer reads it back
 * from the disk cache, which takes a fraction of a second.
 */
export class ListKeeper implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[];
  private readonly idleMs: number;

  constructor(private readonly options: ListKeeperOptions) {
    this.idleMs = options.idleMs ?? IDLE_RELEASE_MS;
    this.disposables = [
      vscode.workspace.onDidOpenTextDocument(() => this.update()),
      vscode.workspace.onDidCloseTextDocument(() => this.update()),
      options.onDidChangeViewVisibility(() => this.update()),
    ];
    this.update();
  }

  private inUse(): boolean {
    return this.options.viewVisible() || vscode.workspace.textDocuments.some(isInfoJson);
  }

  private update(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inUse()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Busy (a download, a pending write): try again after another while.
      if (!this.inUse() && this.options.release() === 'busy') this.update();
    }, this.idleMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

import * as vscode from 'vscode';
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { readModsFolder, type ModsFolderChoice, type ModsFolderScan } from '../../mods/modsFolder';
import type { Config } from '../core/config';

/** The game and other tools write several files in a burst: scan once they are done. */
const RESCAN_DELAY_MS = 400;

/**
 * Factorio's mods folder as the editor features see it: the last scan, kept fresh by a
 * watch on the folder. Nothing is read before the first `scan()` (asked for when an
 * info.json or the Dependencies view is shown), and a missing folder is just an empty
 * scan with `exists: false`: no message.
 */
export class ModsFolderService implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ModsFolderScan>();
  /** Fires after each new scan (the folder changed, or the setting points elsewhere). */
  readonly onDidChange = this.emitter.event;
  private current: ModsFolderScan | undefined;
  private running: Promise<ModsFolderScan> | undefined;
  private watcher: FSWatcher | undefined;
  private watched: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listener: vscode.Disposable;
  private started = false;
  private disposed = false;

  constructor(private readonly config: Config) {
    this.listener = config.onDidChange((e) => {
      if (this.started && e.affectsConfiguration('factorioPortal.modsFolder')) void this.rescan();
    });
  }

  /** Which folder, and whether it comes from the setting or the platform's default. */
  get choice(): ModsFolderChoice {
    return this.config.modsFolderChoice;
  }

  /** The last scan, if one has finished. */
  peek(): ModsFolderScan | undefined {
    return this.current;
  }

  /** The current scan: the last one while it is fresh, else a new one. Never throws. */
  scan(): Promise<ModsFolderScan> {
    this.started = true;
    if (this.current && this.current.folder === this.choice.folder && !this.timer) return Promise.resolve(this.current);
    return this.rescan();
  }

  private rescan(): Promise<ModsFolderScan> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running ??= (async () => {
      try {
        const folder = this.choice.folder;
        const result = await readModsFolder(folder);
        if (this.disposed) return result;
        // A missing folder may be created (Factorio's first start): its parent says when.
        if (result.exists) this.watch(folder);
        else this.watch(path.dirname(folder), path.basename(folder));
        this.current = result;
        this.emitter.fire(result);
        return result;
      } finally {
        this.running = undefined;
      }
    })().then((result) => (this.disposed || result.folder === this.choice.folder ? result : this.rescan()));
    return this.running;
  }

  /** Watches `folder` (only the entry `only` in it, when given); one watch at a time. */
  private watch(folder: string, only?: string): void {
    const key = `${folder}\u0000${only ?? ''}`;
    if (key === this.watched) return;
    this.watcher?.close();
    this.watcher = undefined;
    this.watched = key;
    try {
      this.watcher = watch(folder, { persistent: false }, (_event, file) => {
        if (only === undefined || file === null || String(file) === only) this.changedSoon();
      });
      // The folder went away (or the watch broke): the next scan says what is there now.
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
        this.watched = undefined;
        this.changedSoon();
      });
    } catch {
      // Nothing to watch (the parent is missing too): the setting or the next scan() looks again.
      this.watched = undefined;
    }
  }

  private changedSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.rescan();
    }, RESCAN_DELAY_MS);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.watcher?.close();
    this.listener.dispose();
    this.emitter.dispose();
  }
}

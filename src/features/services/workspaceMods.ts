import * as vscode from 'vscode';
import { MAX_INFO_JSON_BYTES } from '../../mods/zipInfo';
import { WorkspaceMods, type WorkspaceMod } from '../../mods/workspaceMods';
import { isInfoJson } from '../core/documents';

const INFO_JSON_GLOB = '**/info.json';
const EXCLUDE_GLOB = '**/node_modules/**';

/**
 * The mods developed in the workspace: every info.json of every workspace folder, kept
 * up to date as files are added, edited (in an editor or on disk) and deleted. An open
 * document's live text wins over the file on disk, so a dependent mod sees an edit as
 * it is typed. Nothing is read until `start()`: activation stays cheap.
 */
export class WorkspaceModsService implements vscode.Disposable {
  private readonly mods = new WorkspaceMods();
  private readonly emitter = new vscode.EventEmitter<string[]>();
  /** Fires with the names whose local mod appeared, disappeared or changed. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private started: Promise<void> | undefined;
  private scanned = false;

  /** True once the first scan of the workspace is done: until then "not local" is not known. */
  get ready(): boolean {
    return this.scanned;
  }

  /** Scans the workspace once and starts watching; later calls wait for the same scan. */
  start(): Promise<void> {
    this.started ??= this.scanAll();
    return this.started;
  }

  byName(name: string): WorkspaceMod | undefined {
    return this.mods.byName(name);
  }

  has(name: string): boolean {
    return this.mods.has(name);
  }

  all(): WorkspaceMod[] {
    return this.mods.all();
  }

  private async scanAll(): Promise<void> {
    const watcher = vscode.workspace.createFileSystemWatcher(INFO_JSON_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.readFromDisk(uri)),
      watcher.onDidChange((uri) => void this.readFromDisk(uri)),
      watcher.onDidDelete((uri) => this.apply(this.mods.delete(uri.toString()).names)),
      vscode.workspace.onDidChangeTextDocument((e) => this.fromDocument(e.document)),
      vscode.workspace.onDidOpenTextDocument((document) => this.fromDocument(document)),
      // Unsaved edits are gone with the editor: the file on disk speaks again.
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.tracks(document.uri)) void this.readFromDisk(document.uri);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        const names = e.removed.flatMap((folder) => this.mods.deleteUnder(folder.uri.toString().replace(/\/?$/, '/')).names);
        this.apply(names);
        for (const folder of e.added) void this.scanFolder(folder);
      }),
    );
    const uris = await vscode.workspace.findFiles(INFO_JSON_GLOB, EXCLUDE_GLOB);
    const names = new Set<string>();
    await Promise.all(
      uris.map(async (uri) => {
        const text = await this.textOf(uri);
        if (text !== undefined) for (const n of this.mods.set(uri.toString(), text).names) names.add(n);
      }),
    );
    this.scanned = true;
    this.emitter.fire([...names]);
  }

  /**
   * The workspace's mods as the files are now: an action the user asked for (installing)
   * reads them afresh rather than trusting that the watcher has caught up.
   */
  async current(): Promise<WorkspaceMod[]> {
    await this.start();
    const uris = await vscode.workspace.findFiles(INFO_JSON_GLOB, EXCLUDE_GLOB);
    const seen = new Set(uris.map((u) => u.toString()));
    const stale = this.mods.all().filter((m) => !seen.has(m.path));
    for (const mod of stale) this.apply(this.mods.delete(mod.path).names);
    await Promise.all(uris.map((uri) => this.readFromDisk(uri)));
    return this.mods.all();
  }

  private async scanFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, INFO_JSON_GLOB), EXCLUDE_GLOB);
    await Promise.all(uris.map((uri) => this.readFromDisk(uri)));
  }

  /** An info.json inside a workspace folder, outside node_modules. */
  private tracks(uri: vscode.Uri): boolean {
    return (
      uri.path.toLowerCase().endsWith('/info.json') &&
      !uri.path.includes('/node_modules/') &&
      vscode.workspace.getWorkspaceFolder(uri) !== undefined
    );
  }

  private fromDocument(document: vscode.TextDocument): void {
    if (!this.scanned || !isInfoJson(document) || !this.tracks(document.uri)) return;
    this.apply(this.mods.set(document.uri.toString(), document.getText()).names);
  }

  private async readFromDisk(uri: vscode.Uri): Promise<void> {
    if (!this.tracks(uri)) return;
    const text = await this.textOf(uri);
    if (text === undefined) this.apply(this.mods.delete(uri.toString()).names);
    else this.apply(this.mods.set(uri.toString(), text).names);
  }

  /** The open document's text, else the file's; undefined when it can't be read or is too large to be an info.json. */
  private async textOf(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_INFO_JSON_BYTES || (stat.type & vscode.FileType.File) === 0) return undefined;
      return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)).replace(/^\uFEFF/, '');
    } catch {
      return undefined;
    }
  }

  private apply(names: readonly string[]): void {
    if (names.length > 0) this.emitter.fire([...names]);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}

// Package Mod and the release checks: choose the mod, show what goes into its zip and
// what the checks say in one panel, then write the zip when the user asks. The walking,
// zipping and checking are plain code (src/release/); this file asks and shows.

import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseInfoJson } from '../../model/document';
import { parseModVersion } from '../../model/version';
import { packageKeys, planPackage, type PackagePlan } from '../../release/contents';
import { isWithin, zipFolder } from '../../release/destination';
import { CHANGELOG_FILE, folderFiles, runPreflight, type PortalLookup, type PreflightFix, type PreflightReport } from '../../release/preflight';
import { writeModZip, ZipCancelled, type WrittenZip } from '../../release/zip';
import { messageOf } from '../../util/errors';
import type { CommandTable } from '../core/commandTable';
import type { Config } from '../core/config';
import { openInfoJson } from '../core/documents';
import { requireTrustedWorkspace, untrustedWorkspaceMessage } from '../core/safety';
import type { Logger } from '../core/logger';
import { pickOne, type Choice } from '../core/quickPick';
import { Credentials } from '../services/credentials';
import type { PortalService } from '../services/portalService';
import type { WorkspaceModsService } from '../services/workspaceMods';
import { ReleasePanel, type PanelMessage } from './releasePanel';
import type { ReleaseView } from './releaseHtml';

export interface ReleaseServices {
  portal: PortalService;
  config: Config;
  workspace: WorkspaceModsService;
  /** Where the portal credentials are kept: the checks read the username at the moment they run. */
  secrets: vscode.SecretStorage;
  logger: Logger;
}

/** What Package Mod did, for callers and tests; the user sees the panel and messages. */
export interface PackageOutcome {
  status: 'written' | 'cancelled' | 'blocked' | 'failed';
  /** Set when refused in Restricted Mode. */
  code?: 'untrusted';
  file?: string;
  bytes?: number;
  sha1?: string;
  message?: string;
  report?: PreflightReport;
  /** Paths inside the top folder, as planned. */
  entries?: string[];
  excluded?: Array<{ path: string; reason: string }>;
}

/** The panel as plain data, for tests and other extensions. */
export interface ReleaseSnapshot {
  mode: ReleaseView['mode'];
  state: ReleaseView['state'];
  name: string;
  version: string;
  destination?: string;
  report?: PreflightReport;
}

export interface ReleaseApi {
  releasePanel(): ReleaseSnapshot | undefined;
}

type Answer = 'write' | 'write-anyway' | 'cancel';

const SEPARATOR = '-'.repeat(99);
/** Above this, writing shows a cancellable notification; below, the status bar. */
const LARGE_ZIP_BYTES = 20 * 1024 * 1024;

function stringField(arg: unknown, key: string): string | undefined {
  const value = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function toUri(text: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(text) ? vscode.Uri.parse(text) : vscode.Uri.file(text);
}

/** The mod whose folder holds this file, the deepest one when mods nest. */
function modContaining(file: vscode.Uri, mods: readonly { path: string }[]): vscode.Uri | undefined {
  let best: vscode.Uri | undefined;
  for (const mod of mods) {
    const uri = vscode.Uri.parse(mod.path);
    const folder = path.dirname(uri.fsPath);
    if (uri.scheme === file.scheme && isWithin(file.fsPath, folder) && (!best || folder.length > path.dirname(best.fsPath).length)) best = uri;
  }
  return best;
}

/** The info.json the user means: given, the active editor's mod, the only one, or a pick. */
export async function chooseInfoJson(workspace: WorkspaceModsService, arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  // From the explorer's or an editor tab's context menu: the info.json clicked on.
  if (arg instanceof vscode.Uri) return arg;
  const given = stringField(arg, 'infoJson');
  if (given) return toUri(given);
  const open = openInfoJson();
  if (open && vscode.window.activeTextEditor?.document === open) return open.uri;
  const mods = await workspace.current();
  const active = vscode.window.activeTextEditor?.document.uri;
  const around = active ? modContaining(active, mods) : undefined;
  if (around) return around;
  if (mods.length === 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No info.json in this workspace: open a mod’s folder first.'));
    return undefined;
  }
  if (mods.length === 1) return vscode.Uri.parse(mods[0].path);
  const items: Choice<string>[] = mods.map((m) => ({
    label: m.name,
    description: m.version ?? '',
    detail: vscode.workspace.asRelativePath(vscode.Uri.parse(m.path)),
    value: m.path,
  }));
  const picked = await pickOne(items, { title, placeholder: vscode.l10n.t('Which mod?') });
  return picked ? vscode.Uri.parse(picked) : undefined;
}

/** The portal's answers for the checks, fetched afresh in one batch: a release check wants today's data. */
export function portalLookup(portal: PortalService) {
  return async (names: readonly string[]): Promise<ReadonlyMap<string, PortalLookup>> => {
    const records = await portal.cache.fetchMods(names, { force: true });
    const out = new Map<string, PortalLookup>();
    for (const name of names) {
      const record = records.get(name);
      if (!record || record.error || record.state === 'unknown') {
        out.set(name, { state: 'unreachable', message: record?.error?.message ?? vscode.l10n.t('no answer') });
      } else if (record.state === 'missing') out.set(name, { state: 'missing' });
      else out.set(name, { state: 'found', releases: record.mod.releases, owner: record.mod.owner, title: record.mod.title });
    }
    return out;
  };
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

interface Session {
  uri: vscode.Uri;
  folder: string;
  text: string;
  name: string;
  version: string;
}

export function createRelease(services: ReleaseServices): { disposable: vscode.Disposable; commands: CommandTable; api: ReleaseApi } {
  const { portal, config, workspace, logger } = services;
  const credentials = new Credentials(services.secrets, () => []);
  const panel = new ReleasePanel();
  /** The command waiting on the panel, ended when another one starts. */
  let waiting: ((message: PanelMessage) => void) | undefined;
  const listener = panel.onMessage((message) => waiting?.(message));

  const nextMessage = (): Promise<PanelMessage> => {
    waiting?.({ action: 'cancel' });
    return new Promise((resolve) => {
      waiting = (message) => {
        waiting = undefined;
        resolve(message);
      };
    });
  };

  const readSession = async (uri: vscode.Uri): Promise<Session | string> => {
    if (uri.scheme !== 'file') return vscode.l10n.t('{0} is not on this machine’s disk: a zip can only be made from local files.', uri.toString());
    let text: string;
    try {
      text = (await fs.readFile(uri.fsPath, 'utf8')).replace(/^\uFEFF/, '');
    } catch (error) {
      return vscode.l10n.t('{0} cannot be read: {1}', uri.fsPath, messageOf(error));
    }
    const doc = parseInfoJson(text);
    const name = doc.modName;
    const version = doc.modVersion;
    if (!name || !/^[A-Za-z0-9_-]+$/.test(name)) return vscode.l10n.t('{0} has no usable "name": fix it before packaging.', uri.fsPath);
    if (!version || !parseModVersion(version) || version.trim() !== version) return vscode.l10n.t('{0} has no valid "version" (A.B.C): fix it before packaging.', uri.fsPath);
    return { uri, folder: path.dirname(uri.fsPath), text, name, version };
  };

  const unsavedIn = (folder: string): string[] =>
    vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && isWithin(d.uri.fsPath, folder)).map((d) => path.relative(folder, d.uri.fsPath).replace(/\\/g, '/'));

  const check = async (session: Session): Promise<PreflightReport> => {
    // An action the user asked for reads the workspace's mods afresh, not as the watcher last heard.
    await workspace.current();
    return runPreflight({
      infoJson: session.text,
      files: folderFiles(session.folder),
      lookup: portalLookup(portal),
      signedInAs: (await credentials.get())?.username,
      workspaceMod: (name) => workspace.byName(name),
      ignored: config.ignoredDependencies,
      severityFor: (code) => config.severityFor(code),
      changelogSeverityFor: (code) => config.severityFor(code),
    });
  };

  const plan = async (session: Session): Promise<PackagePlan> => {
    let info: unknown;
    try {
      info = JSON.parse(session.text);
    } catch {
      info = undefined;
    }
    return planPackage({ folder: session.folder, name: session.name, version: session.version, keys: packageKeys(info) });
  };

  const applyFix = async (session: Session, fix: PreflightFix): Promise<void> => {
    switch (fix.kind) {
      case 'show-info-json':
        await vscode.window.showTextDocument(session.uri, { viewColumn: vscode.ViewColumn.Beside });
        return;
      case 'sign-in':
        await vscode.commands.executeCommand('factorioPortal.signIn');
        return;
      case 'show-changelog':
        await vscode.window.showTextDocument(vscode.Uri.file(path.join(session.folder, CHANGELOG_FILE)), { viewColumn: vscode.ViewColumn.Beside });
        return;
      case 'set-version': {
        // The zip takes info.json from disk: the new version is saved, as one undoable edit.
        const document = await vscode.workspace.openTextDocument(session.uri);
        const field = parseInfoJson(document.getText()).fields.get('version');
        if (!field?.valueRange) return;
        const edit = new vscode.WorkspaceEdit();
        edit.replace(document.uri, new vscode.Range(document.positionAt(field.valueRange.start), document.positionAt(field.valueRange.end)), JSON.stringify(fix.version));
        if (await vscode.workspace.applyEdit(edit)) await document.save();
        return;
      }
      case 'add-changelog-section': {
        const uri = vscode.Uri.file(path.join(session.folder, CHANGELOG_FILE));
        const exists = await fs.stat(uri.fsPath).then(() => true, () => false);
        const edit = new vscode.WorkspaceEdit();
        if (!exists) edit.createFile(uri, { ignoreIfExists: true });
        const section = `${SEPARATOR}\nVersion: ${fix.version}\nDate: ${today()}\n  Changes:\n    - `;
        edit.insert(uri, new vscode.Position(0, 0), exists ? `${section}\n` : `${section}\n`);
        if (!(await vscode.workspace.applyEdit(edit))) return;
        // Left unsaved, the cursor where the entry's words go: the author writes them.
        const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside });
        const at = new vscode.Position(4, 6);
        editor.selection = new vscode.Selection(at, at);
        return;
      }
    }
  };

  /** Runs the plan and the checks, showing each as it arrives. */
  const refresh = async (session: Session, mode: ReleaseView['mode'], destination: ReturnType<typeof zipFolder> | undefined): Promise<{ plan?: PackagePlan; report: PreflightReport } | string> => {
    const base: ReleaseView = {
      mode,
      name: session.name,
      version: session.version,
      state: 'checking',
      unsaved: unsavedIn(session.folder),
      ...(destination ? { destination: path.join(destination.folder, `${session.name}_${session.version}.zip`) } : {}),
      ...(destination && !destination.ok ? { destinationProblem: destination.problem } : {}),
    };
    panel.show(base);
    try {
      const planned = mode === 'package' ? plan(session) : Promise.resolve(undefined);
      const checked = check(session);
      const p = await planned;
      if (p) panel.update({ plan: p });
      const report = await checked;
      panel.update({ report, state: 'ready' });
      return { plan: p, report };
    } catch (error) {
      const message = messageOf(error);
      logger.error(`release checks of ${session.uri.fsPath}: ${message}`);
      panel.update({ state: 'failed', error: message });
      return message;
    }
  };

  const write = async (p: PackagePlan, file: string): Promise<WrittenZip | 'cancelled' | string> => {
    panel.update({ state: 'writing', progressPercent: 0 });
    const controller = new AbortController();
    const stop = panel.onMessage((m) => {
      if (m.action === 'cancel') controller.abort();
    });
    try {
      return await vscode.window.withProgress(
        // A small mod is written in a blink: a notification would only flash.
        { location: p.totalBytes > LARGE_ZIP_BYTES ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title: vscode.l10n.t('Writing {0}', p.zipName), cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          const written = await writeModZip(p, file, {
            signal: controller.signal,
            onProgress: (x) => {
              const percent = x.totalBytes > 0 ? Math.floor((x.bytesRead / x.totalBytes) * 100) : 100;
              if (percent >= reported + 5) {
                progress.report({ increment: percent - reported, message: `${percent}%` });
                reported = percent;
              }
            },
          });
          return written;
        },
      );
    } catch (error) {
      if (error instanceof ZipCancelled) return 'cancelled';
      return messageOf(error);
    } finally {
      stop.dispose();
    }
  };

  const packageMod = async (arg?: unknown): Promise<PackageOutcome> => {
    // The zip may go beside the workspace, or wherever the setting says: a stranger's
    // folder waits for trust, as downloads do. The checks alone need none.
    const action = vscode.l10n.t('Packaging a mod');
    if (!requireTrustedWorkspace(action)) return { status: 'failed', code: 'untrusted', message: untrustedWorkspaceMessage(action) };
    const uri = await chooseInfoJson(workspace, arg, vscode.l10n.t('Package Mod'));
    if (!uri) return { status: 'cancelled' };
    const answer = stringField(arg, 'answer') as Answer | undefined;
    for (;;) {
      const session = await readSession(uri);
      if (typeof session === 'string') {
        void vscode.window.showErrorMessage(session);
        return { status: 'failed', message: session };
      }
      const workspaceFolder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
      const destination = zipFolder({ setting: config.packageOutputFolder, workspaceFolder, modFolder: session.folder, home: os.homedir() });
      const file = path.join(destination.folder, `${session.name}_${session.version}.zip`);
      const result = await refresh(session, 'package', destination);
      if (typeof result === 'string') return { status: 'failed', message: result };
      const { report } = result;
      const p = result.plan!;
      const summary = { report, entries: p.entries.map((e) => e.path), excluded: p.excluded.map((e) => ({ path: e.path, reason: e.reason })) };
      // Callers that already showed the user what happens (tests, other extensions) answer in advance.
      const message: PanelMessage = answer ? { action: answer } : await nextMessage();
      if (message.action === 'recheck') continue;
      if (message.action === 'fix') {
        const fix = message.index !== undefined ? report.checks[message.index]?.fix : undefined;
        if (fix) await applyFix(session, fix);
        continue;
      }
      if (message.action !== 'write' && message.action !== 'write-anyway') {
        panel.close();
        return { status: 'cancelled', ...summary };
      }
      if (report.blocked && message.action !== 'write-anyway') return { status: 'blocked', ...summary };
      if (!destination.ok) {
        void vscode.window.showErrorMessage(destination.problem);
        return { status: 'failed', message: destination.problem, ...summary };
      }
      try {
        await fs.mkdir(destination.folder, { recursive: true });
      } catch (error) {
        const text = vscode.l10n.t('{0} cannot be created: {1}', destination.folder, messageOf(error));
        panel.update({ state: 'failed', error: text });
        return { status: 'failed', message: text, ...summary };
      }
      const written = await write(p, file);
      if (written === 'cancelled') {
        panel.update({ state: 'ready' });
        return { status: 'cancelled', ...summary };
      }
      if (typeof written === 'string') {
        const text = vscode.l10n.t('{0} was not written: {1}', p.zipName, written);
        logger.error(text);
        panel.update({ state: 'failed', error: text });
        void vscode.window.showErrorMessage(text);
        return { status: 'failed', message: text, ...summary };
      }
      logger.info(`wrote ${written.file} (${written.bytes} bytes, sha1 ${written.sha1})`);
      panel.update({ state: 'written', written });
      const reveal = vscode.l10n.t('Reveal in File Explorer');
      void vscode.window.showInformationMessage(vscode.l10n.t('Wrote {0}', written.file), reveal).then((chosen) => {
        if (chosen === reveal) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(written.file));
      });
      // The panel's Reveal button keeps working until the panel is closed or reused.
      if (!answer) void revealOnClick(written.file, uri);
      return { status: 'written', file: written.file, bytes: written.bytes, sha1: written.sha1, ...summary };
    }
  };

  /** After writing, the panel's buttons: Reveal shows the zip, Check Again starts over. */
  const revealOnClick = async (file: string, infoJson: vscode.Uri): Promise<void> => {
    for (;;) {
      const message = await nextMessage();
      if (message.action === 'reveal') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
      else {
        if (message.action === 'recheck') void vscode.commands.executeCommand('factorioPortal.packageMod', { infoJson: infoJson.toString() });
        return;
      }
    }
  };

  const checkRelease = async (arg?: unknown): Promise<PreflightReport | undefined> => {
    const uri = await chooseInfoJson(workspace, arg, vscode.l10n.t('Release Checks'));
    if (!uri) return undefined;
    for (;;) {
      const session = await readSession(uri);
      if (typeof session === 'string') {
        void vscode.window.showErrorMessage(session);
        return undefined;
      }
      const result = await refresh(session, 'checks', undefined);
      if (typeof result === 'string') return undefined;
      if (stringField(arg, 'answer') === 'close') return result.report;
      const message = await nextMessage();
      if (message.action === 'recheck') continue;
      if (message.action === 'fix') {
        const fix = message.index !== undefined ? result.report.checks[message.index]?.fix : undefined;
        if (fix) await applyFix(session, fix);
        continue;
      }
      if (message.action === 'package') void vscode.commands.executeCommand('factorioPortal.packageMod', { infoJson: uri.toString() });
      return result.report;
    }
  };

  const commands: Record<string, (arg?: unknown) => unknown> = {
    'factorioPortal.packageMod': packageMod,
    'factorioPortal.checkRelease': checkRelease,
  };

  const api: ReleaseApi = {
    releasePanel: () => {
      const view = panel.current;
      if (!view) return undefined;
      return { mode: view.mode, state: view.state, name: view.name, version: view.version, destination: view.destination, report: view.report };
    },
  };

  return { disposable: vscode.Disposable.from(panel, listener), commands, api };
}

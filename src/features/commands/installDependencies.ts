// Install Dependencies into Mods Folder, and Install Mod with Dependencies…: resolve the
// closure with the solver, show the plan, ask, then download it all with one progress
// notification. Resolving, planning and installing are pure code (src/model/solver.ts,
// src/mods/install.ts); this file asks the questions and says what happened.

import * as vscode from 'vscode';
import { newestFirst } from '../../model/releases';
import { solveDependencies, type SolverWorkspaceMod, type SolveResult, type SolveWarning } from '../../model/solver';
import { cacheSolverSource } from './solverSource';
import { parseVersion, releaseMatchesFactorioVersion } from '../../model/version';
import { portalDownloader, prepareInstall, runInstall, type DownloadRelease, type InstallPlan, type InstallProgress, type InstallResult, type PreparedInstall } from '../../mods/install';
import { planFromSolution, type KeptMod } from '../../mods/installPlan';
import { MOD_LIST_BACKUP_FILE, MOD_LIST_FILE } from '../../mods/modList';
import { readModsFolder } from '../../mods/modsFolder';
import type { Release } from '../../portal/types';
import type { Config } from '../core/config';
import type { DependencyData } from '../infoJson/dependencyData';
import { findInfoJson, infoJsonModel, openFactorioVersion } from '../core/documents';
import type { Logger } from '../core/logger';
import type { PortalService } from '../services/portalService';
import { requireTrustedWorkspace, untrustedWorkspaceMessage } from '../core/safety';
import { booleanArg, modNameArg, stringArg } from './args';
import { consentRefusal } from './downloadRelease';
import { formatSize } from '../../util/text';
import type { Credentials } from '../services/credentials';
import { pickMod } from './pickers';
import { pickOne, type Choice } from '../core/quickPick';
import type { WorkspaceModsService } from '../services/workspaceMods';
import { dependencyNames, installability, type Installability, type PortalAnswer } from '../../model/installable';
import { isRequiredKind, type ParsedDependency } from '../../model/dependency';
import { askModsFolder, sourceFolderWarning } from './modsFolderPicker';

export type InstallFailureCode =
  | 'untrusted'
  | 'missing'
  | 'no-info-json'
  | 'no-factorio-version'
  | 'not-found'
  | 'no-release'
  | 'impossible'
  | 'conflict'
  | 'portal'
  | 'no-credentials'
  | 'untrusted-portal'
  | 'install';

/** What both install commands return, for callers and tests; the user sees messages. */
export interface InstallOutcome {
  status: 'installed' | 'nothing-to-do' | 'cancelled' | 'failed';
  /** The mods folder, once known. */
  folder?: string;
  /** Downloaded by this run (`from`: the version an update replaced). */
  installed: Array<{ name: string; version: string; file: string; from?: string }>;
  /** Used as they are: already installed, in the workspace, or part of the game. */
  kept: KeptMod[];
  /** Names newly added or switched on in mod-list.json. */
  enabled: string[];
  failure?: { code: InstallFailureCode; message: string; /** The solver's explanation of a conflict. */ explanation?: string };
}

export interface InstallServices {
  portal: PortalService;
  config: Config;
  data: DependencyData;
  logger: Logger;
  credentials: Credentials;
  /** The extension's global storage folder: the install record lives there. */
  storageFolder: string;
  /** The workspace's own mods, used as they are and never downloaded. */
  workspace: WorkspaceModsService;
  /** Settles once an install an earlier window left unfinished is finished or undone. */
  recovered?: Promise<void>;
}

/** What the solver is asked for: the root's dependencies, for one Factorio version. */
interface Root {
  /** Shown in titles and messages. */
  label: string;
  name?: string;
  version?: string;
  factorioVersion: string;
  dependencies: readonly string[];
  /** With Install Mod with Dependencies: the mod's own release, installed with the rest. */
  release?: Release;
  /** The info.json file, not itself a workspace mod to resolve against. */
  infoJsonUri?: string;
}

const OPTIONAL_KINDS = new Set(['optional', 'hidden-optional']);

function outcome(status: InstallOutcome['status'], extra: Partial<InstallOutcome> = {}): InstallOutcome {
  return { status, installed: [], kept: [], enabled: [], ...extra };
}

function fail(code: InstallFailureCode, message: string, extra: Partial<InstallOutcome> = {}, explained?: { explanation: string; details: string; logger: Logger }): InstallOutcome {
  const show = vscode.l10n.t('Show Details');
  // The details go to the log, where they stay readable: an untitled editor would ask to be saved.
  if (explained) explained.logger.warn(explained.details);
  // Not awaited: the command must not wait for the user to dismiss a message.
  void vscode.window.showErrorMessage(message, ...(explained ? [show] : [])).then((chosen) => {
    if (chosen === show && explained) explained.logger.show();
  });
  return outcome('failed', { ...extra, failure: { code, message, ...(explained ? { explanation: explained.explanation } : {}) } });
}

function cancelledBy(arg: unknown): vscode.CancellationToken | undefined {
  // Callers in the extension host (tests, other extensions) may pass a token to cancel the
  // downloads, as the notification's Cancel button does.
  const token = typeof arg === 'object' && arg !== null ? (arg as { cancel?: unknown }).cancel : undefined;
  return token && typeof (token as vscode.CancellationToken).onCancellationRequested === 'function' ? (token as vscode.CancellationToken) : undefined;
}

function stringListArg(arg: unknown, key: string): string[] | undefined {
  const value = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** What the portal says of each dependency, asked for together (each answer is cached). */
async function portalAnswers(services: InstallServices, deps: readonly ParsedDependency[]): Promise<Map<string, PortalAnswer>> {
  const answers = new Map<string, PortalAnswer>();
  await Promise.all(
    deps.map(async (d) => {
      const name = d.name!.text;
      const record = await services.portal.cache.fetchFullMod(name);
      answers.set(name, record.state === 'found' ? { state: 'found', mod: record.mod } : record.state === 'missing' ? { state: 'missing' } : { state: 'unknown' });
    }),
  );
  return answers;
}

/** Each dependency with whether it can be installed for the root's Factorio version. */
async function checkDependencies(services: InstallServices, root: Root, keep: (d: ParsedDependency) => boolean): Promise<Array<{ dependency: ParsedDependency; check: Installability }>> {
  const deps = dependencyNames(root.dependencies, keep);
  if (deps.length === 0) return [];
  const local = new Set((await workspaceMods(services.workspace, root.infoJsonUri)).map((m) => m.name).filter((n) => n !== root.name));
  const answers = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking the dependencies of {0}…', root.label) },
    () => portalAnswers(services, deps.filter((d) => !local.has(d.name!.text))),
  );
  return deps.map((dependency) => ({
    dependency,
    check: installability(dependency, root.factorioVersion, answers.get(dependency.name!.text) ?? { state: 'unknown' }, (n) => local.has(n)),
  }));
}

function whyNot(name: string, text: string, reason: Exclude<Installability, { ok: true }>['reason'], factorioVersion: string): string {
  switch (reason) {
    case 'not-on-portal':
      return vscode.l10n.t('"{0}" is not on the Mod Portal', name);
    case 'no-release':
      return vscode.l10n.t('{0} has no release for Factorio {1}', name, factorioVersion);
    case 'no-satisfying-release':
      return vscode.l10n.t('no release of {0} for Factorio {1} satisfies "{2}"', name, factorioVersion, text);
    case 'builtin-unavailable':
      return vscode.l10n.t('{0} does not exist in Factorio {1}', name, factorioVersion);
  }
}

/** whyNot in a few words, for a list. */
function shortWhyNot(reason: Exclude<Installability, { ok: true }>['reason'], factorioVersion: string): string {
  switch (reason) {
    case 'not-on-portal':
      return vscode.l10n.t('not on the Mod Portal');
    case 'no-release':
      return vscode.l10n.t('no release for {0}', factorioVersion);
    case 'no-satisfying-release':
      return vscode.l10n.t('no release satisfies it');
    case 'builtin-unavailable':
      return vscode.l10n.t('not in Factorio {0}', factorioVersion);
  }
}

/**
 * A required dependency that can never be installed ends the command before any question:
 * asking about optional mods and the folder first would only waste the user's answers.
 */
async function impossibleRequired(services: InstallServices, root: Root): Promise<InstallOutcome | undefined> {
  const checked = await checkDependencies(services, root, (d) => isRequiredKind(d.kind));
  const reasons = checked.flatMap(({ dependency, check }) => (check.ok ? [] : [whyNot(dependency.name!.text, dependency.text, check.reason, root.factorioVersion)]));
  if (reasons.length === 0) return undefined;
  const text = reasons.join('; ');
  services.logger.warn(`Install of the dependencies of ${root.label} stopped before any question: ${text}`);
  return fail('impossible', vscode.l10n.t('Cannot install the dependencies of {0}: {1}. Nothing was installed.', root.label, text));
}

/**
 * The optional dependencies (`?`, `(?)`) of the root the user wants installed too. Those
 * that can't be installed are left out (and named), deprecated ones are marked.
 */
async function chooseOptional(services: InstallServices, root: Root, arg: unknown): Promise<string[] | undefined> {
  const checked = await checkDependencies(services, root, (d) => OPTIONAL_KINDS.has(d.kind));
  const installable = checked.filter((c) => c.check.ok);
  const given = stringListArg(arg, 'optional');
  if (given) return given.filter((n) => installable.some((o) => o.dependency.name!.text === n));
  if (installable.length === 0) return [];
  const leftOut = checked.flatMap(({ dependency, check }) => (check.ok ? [] : [`${dependency.name!.text} (${shortWhyNot(check.reason, root.factorioVersion)})`]));
  const picked = await vscode.window.showQuickPick(
    installable.map(({ dependency, check }) => ({
      label: dependency.name!.text,
      description: dependency.text,
      ...(check.ok && check.deprecated ? { detail: `$(warning) ${vscode.l10n.t('deprecated on the Mod Portal')}` } : {}),
      name: dependency.name!.text,
    })),
    {
      canPickMany: true,
      title: vscode.l10n.t('Install the dependencies of {0}: which optional ones too?', root.label),
      // The placeholder is one short line: what is left out comes first, so it is what shows.
      placeHolder:
        leftOut.length > 0
          ? vscode.l10n.t('Left out: {0}', leftOut.join(', '))
          : vscode.l10n.t('Tick the optional dependencies to install; required ones are always installed'),
      ignoreFocusOut: true,
    },
  );
  return picked?.map((p) => p.name);
}

async function chooseFolder(services: InstallServices): Promise<string | undefined> {
  return (
    services.config.modsFolder ??
    askModsFolder(services.config, services.workspace, { title: vscode.l10n.t('Install into which Factorio mods folder?'), openLabel: vscode.l10n.t('Install Here') })
  );
}

/** The other info.json files of the workspace: mods used as they are, never downloaded. */
async function workspaceMods(service: WorkspaceModsService, exceptUri: string | undefined): Promise<SolverWorkspaceMod[]> {
  const out: SolverWorkspaceMod[] = [];
  for (const mod of await service.current()) {
    if (mod.path === exceptUri || mod.version === undefined || !parseVersion(mod.version)) continue;
    if (out.some((m) => m.name === mod.name)) continue;
    out.push({ name: mod.name, version: mod.version, dependencies: mod.dependencies ?? ['base'] });
  }
  return out;
}

async function rootFromInfoJson(): Promise<Root | InstallOutcome> {
  const document = await findInfoJson();
  if (!document) return fail('no-info-json', vscode.l10n.t('No info.json found: open the info.json of the mod whose dependencies to install.'));
  const model = infoJsonModel(document);
  if (!model.factorioVersion) {
    return fail('no-factorio-version', vscode.l10n.t('{0} has no factorio_version: add one, so the releases for that Factorio version are chosen.', vscode.workspace.asRelativePath(document.uri)));
  }
  const dependencies = model.dependencies?.items.flatMap((i) => (i.value === undefined ? [] : [i.value])) ?? ['base'];
  return {
    label: model.modName ?? vscode.workspace.asRelativePath(document.uri),
    ...(model.modName ? { name: model.modName } : {}),
    ...(model.modVersion ? { version: model.modVersion } : {}),
    factorioVersion: model.factorioVersion,
    dependencies,
    infoJsonUri: document.uri.toString(),
  };
}

async function rootFromMod(services: InstallServices, arg: unknown): Promise<Root | InstallOutcome | undefined> {
  const { portal, data } = services;
  const name = modNameArg(arg) ?? (await pickMod(data, { title: vscode.l10n.t('Install Mod with Dependencies: which mod?') }))?.name;
  if (!name) return undefined;
  const record = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading {0} from the Mod Portal…', name) },
    () => portal.cache.fetchFullMod(name),
  );
  if (record.state === 'missing') return fail('not-found', vscode.l10n.t('The mod "{0}" is not on the Mod Portal.', name));
  if (record.state !== 'found') {
    return fail('portal', vscode.l10n.t('Could not read "{0}" from the Mod Portal: {1}. Nothing was installed.', name, record.error?.message ?? vscode.l10n.t('no answer')));
  }
  const releases = newestFirst(record.mod.releases ?? []);
  const versions = [...new Set(releases.map((r) => r.info_json?.factorio_version).filter((v): v is string => typeof v === 'string' && v !== ''))];
  const factorioVersion =
    stringArg(arg, 'factorioVersion') ??
    openFactorioVersion() ??
    (versions.length === 1
      ? versions[0]
      : await pickOne(
          versions.map((v): Choice<string> => ({ label: `Factorio ${v}`, value: v })),
          { title: vscode.l10n.t('Install {0} for which Factorio version?', name) },
        ));
  if (!factorioVersion) return undefined;
  const release = releases.find((r) => releaseMatchesFactorioVersion(r.info_json?.factorio_version ?? '', factorioVersion));
  if (!release) return fail('no-release', vscode.l10n.t('"{0}" has no release for Factorio {1}.', name, factorioVersion));
  return {
    label: `${name} ${release.version}`,
    name,
    version: release.version,
    factorioVersion,
    dependencies: release.info_json?.dependencies ?? ['base'],
    release,
  };
}

function isOutcome(value: Root | InstallOutcome): value is InstallOutcome {
  return 'status' in value;
}

function planText(plan: InstallPlan, kept: InstallOutcome['kept'], toEnable: readonly string[], warnings: readonly SolveWarning[]): string {
  const lines: string[] = [];
  // One mod a line, indented under its heading: the dialog keeps the line breaks.
  const section = (title: string, items: string[]): void => {
    if (items.length === 0) return;
    lines.push(title, ...items.map((i) => `    • ${i}`), '');
  };
  section(vscode.l10n.t('Install:'), plan.steps.flatMap((s) => (s.action === 'install' ? [`${s.name} ${s.version}`] : [])));
  section(vscode.l10n.t('Update:'), plan.steps.flatMap((s) => (s.action === 'update' ? [`${s.name} ${s.from} → ${s.version}`] : [])));
  section(vscode.l10n.t('Keep (installed):'), kept.filter((k) => k.origin === 'installed').map((k) => `${k.name} ${k.version}`));
  section(vscode.l10n.t('From the workspace (not installed):'), kept.filter((k) => k.origin === 'workspace').map((k) => `${k.name} ${k.version}`));
  section(vscode.l10n.t('Comes with the game:'), kept.filter((k) => k.origin === 'builtin').map((k) => k.name));
  section(vscode.l10n.t('Enabled in mod-list.json:'), [...toEnable]);
  lines.push(vscode.l10n.t('Mods folder: {0}', plan.folder));
  // The game refuses a mod with a malformed dependency; the solver could only skip it.
  section(vscode.l10n.t('Warnings:'), warnings.slice(0, 10).map((w) => w.message).concat(warnings.length > 10 ? [vscode.l10n.t('and {0} more (see the log)', warnings.length - 10)] : []));
  return lines.join('\n');
}

function progressMessage(p: InstallProgress): string {
  const bytes = p.totalBytes !== undefined ? `${formatSize(p.bytes)} / ${formatSize(p.totalBytes)}` : formatSize(p.bytes);
  return vscode.l10n.t('{0} of {1} files · {2}', p.filesDone, p.filesTotal, bytes);
}

async function solve(
  services: InstallServices,
  root: Root,
  chosenOptional: readonly string[],
  installed: Array<{ name: string; version: string }>,
  external: vscode.CancellationToken | undefined,
): Promise<SolveResult<Release>> {
  const workspace = await workspaceMods(services.workspace, root.infoJsonUri);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Resolving the dependencies of {0}…', root.label), cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const subscriptions = [token.onCancellationRequested(() => controller.abort()), ...(external ? [external.onCancellationRequested(() => controller.abort())] : [])];
      if (external?.isCancellationRequested) controller.abort();
      try {
        return await solveDependencies<Release>({
          ...(root.name ? { rootName: root.name } : {}),
          ...(root.version ? { rootVersion: root.version } : {}),
          factorioVersion: root.factorioVersion,
          dependencies: root.dependencies,
          chosenOptional,
          source: cacheSolverSource((name, options) => services.portal.cache.fetchFullMod(name, options)),
          // The root is resolved as itself, not as a workspace copy of itself.
          workspace: workspace.filter((m) => m.name !== root.name),
          installed,
          signal: controller.signal,
        });
      } finally {
        for (const s of subscriptions) s.dispose();
      }
    },
  );
}

/** What the user is told when no set of releases can be installed, or the portal failed. */
function solveFailure(services: InstallServices, root: Root, failure: Extract<SolveResult<Release>, { ok: false }>['failure'], folder: string): InstallOutcome {
  if (failure.kind === 'cancelled') return outcome('cancelled', { folder });
  services.logger.warn(`Resolving the dependencies of ${root.label} failed: ${failure.message}`);
  if (failure.kind === 'conflict') {
    const text = failure.explanation.text;
    // The message shows the cause and a few facts; the details (in the log) have them all.
    const details = [
      vscode.l10n.t('No set of releases for Factorio {0} satisfies every dependency of {1}:', root.factorioVersion, root.label),
      '',
      ...failure.explanation.full.split('\n').map((line) => `- ${line}`),
    ].join('\n');
    return fail('conflict', vscode.l10n.t('Cannot install the dependencies of {0}: {1}. Nothing was installed.', root.label, text), { folder }, { explanation: text, details, logger: services.logger });
  }
  if (failure.kind === 'missing') {
    const details = failure.missing.map((m) => `- ${m.name}: ${m.requiredBy.map((r) => (r.mod ? `${r.mod} ${r.version ?? ''} (${r.dependency})`.trim() : `${root.label} (${r.dependency})`)).join(', ')}`).join('\n');
    return fail('missing', vscode.l10n.t('Cannot install the dependencies of {0}: {1}. Nothing was installed.', root.label, failure.message), { folder }, { explanation: failure.message, details, logger: services.logger });
  }
  return fail('portal', vscode.l10n.t('Cannot install the dependencies of {0}: {1}. Nothing was installed.', root.label, failure.message), { folder });
}

/** Shows the plan and asks (or takes the `confirm` answer given in advance). */
async function confirmPlan(services: InstallServices, root: Root, plan: InstallPlan, kept: KeptMod[], newlyEnabled: readonly string[], warnings: readonly SolveWarning[], arg: unknown): Promise<boolean> {
  const detail = planText(plan, kept, newlyEnabled, warnings);
  const install = vscode.l10n.t('Install');
  // Installing into a folder that holds one of the workspace's own mods is allowed, but said loudly.
  const warning = await sourceFolderWarning(plan.folder, services.workspace);
  if (warning) services.logger.warn(warning);
  const question = vscode.l10n.t('Install the dependencies of {0} for Factorio {1}?', root.label, root.factorioVersion);
  return (
    booleanArg(arg, 'confirm') ??
    (await (warning ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
      warning ? `${warning} ${question}` : question,
      { modal: true, detail: `${detail}\n\n${vscode.l10n.t('If Factorio is running, it may overwrite mod-list.json when it exits.')}` },
      install,
    )) === install
  );
}

/** The downloader, once the credentials are at hand and the user agreed to send them to this portal's client. */
async function downloaderFor(services: InstallServices, extra: Partial<InstallOutcome>): Promise<DownloadRelease | InstallOutcome> {
  const creds = (await services.credentials.get()) ?? (await services.credentials.ask());
  if (!creds) {
    return fail('no-credentials', vscode.l10n.t('Downloading from the Mod Portal needs your Factorio username and token (Sign In for Downloads…). Nothing was installed.'), extra);
  }
  // The client asked about is the one that sends the token, whatever the setting says by then.
  const client = services.portal.client;
  const consent = await services.credentials.allowClient(client, () => services.portal.client);
  if (consent !== 'yes') return fail('untrusted-portal', consentRefusal(consent, client.baseUrl, vscode.l10n.t('Nothing was installed.')), extra);
  return portalDownloader(client, creds);
}

/** Runs the install under one cancellable progress notification (and the caller's `cancel` token). */
function installWithProgress(services: InstallServices, root: Root, prepared: PreparedInstall, download: DownloadRelease, arg: unknown): Thenable<InstallResult> {
  const external = cancelledBy(arg);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Installing the dependencies of {0}', root.label), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscriptions = [token.onCancellationRequested(() => controller.abort()), ...(external ? [external.onCancellationRequested(() => controller.abort())] : [])];
      if (external?.isCancellationRequested) controller.abort();
      let shownPercent = 0;
      try {
        return await runInstall(prepared, {
          download,
          storageFolder: services.storageFolder,
          signal: controller.signal,
          onProgress: (p) => {
            // The bar follows the bytes once every size is known, else the files.
            const percent = Math.floor(p.totalBytes ? (p.bytes / p.totalBytes) * 100 : p.filesTotal > 0 ? (p.filesDone / p.filesTotal) * 100 : 0);
            const increment = Math.max(0, Math.min(100, percent) - shownPercent);
            shownPercent += increment;
            progress.report({ message: progressMessage(p), ...(increment > 0 ? { increment } : {}) });
          },
        });
      } finally {
        for (const s of subscriptions) s.dispose();
      }
    },
  );
}

/** Says what the install did, in the log and a message, and gives the command's outcome. */
function tellResult(services: InstallServices, root: Root, plan: InstallPlan, kept: KeptMod[], result: InstallResult): InstallOutcome {
  const { logger } = services;
  const folder = plan.folder;
  if (result.status === 'nothing-to-do') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to install: every dependency of {0} is already in {1} and enabled.', root.label, folder));
    return outcome('nothing-to-do', { folder, kept });
  }
  if (result.status === 'cancelled') {
    logger.info(`Install cancelled; removed ${result.removed.length} files it had written.`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Install cancelled: nothing was installed and mod-list.json is unchanged.'));
    return outcome('cancelled', { folder, kept });
  }
  if (result.status === 'failed') {
    logger.warn(`Install into ${folder} failed: ${result.error}`);
    return fail('install', vscode.l10n.t('Installing the dependencies of {0} failed: {1}. Nothing was installed and mod-list.json is unchanged.', root.label, result.error), { folder, kept });
  }

  const installedOut = result.installed.map((i) => {
    const step = plan.steps.find((s) => s.name === i.name && s.action === 'update');
    return { name: i.name, version: i.version, file: i.file, ...(step?.action === 'update' ? { from: step.from } : {}) };
  });
  const enabled = [...result.modList.added, ...result.modList.enabled];
  logger.info(
    `Installed into ${folder}: ${installedOut.map((i) => `${i.name} ${i.version}`).join(', ') || 'nothing new'}; ` +
      `enabled in ${MOD_LIST_FILE}: ${enabled.join(', ') || 'none'}` +
      (result.modList.backupPath ? `; previous list kept as ${MOD_LIST_BACKUP_FILE}` : '') +
      (result.modList.backupSkipped ? `; ${result.modList.backupSkipped}` : '') +
      (result.removedOld.length > 0 ? `; removed older zips: ${result.removedOld.join(', ')}` : '') +
      (result.recordProblem ? `; ${result.recordProblem}` : ''),
  );
  const keptInstalled = kept.filter((k) => k.origin === 'installed').length;
  const enabledText = enabled.length > 0 ? enabled.join(', ') : vscode.l10n.t('nothing new');
  void vscode.window.showInformationMessage(
    keptInstalled > 0
      ? vscode.l10n.t('Installed {0} mods into {1} and kept {2} already there; enabled in mod-list.json: {3}.', installedOut.length, folder, keptInstalled, enabledText)
      : vscode.l10n.t('Installed {0} mods into {1}; enabled in mod-list.json: {2}.', installedOut.length, folder, enabledText),
  );
  return outcome('installed', { folder, installed: installedOut, kept, enabled });
}

/** Both commands, once the root is known: resolve, plan, ask, install, tell. */
async function installClosure(services: InstallServices, root: Root, arg: unknown): Promise<InstallOutcome> {
  const impossible = await impossibleRequired(services, root);
  if (impossible) return impossible;
  const chosenOptional = await chooseOptional(services, root, arg);
  if (chosenOptional === undefined) return outcome('cancelled');
  const folder = await chooseFolder(services);
  if (!folder) return outcome('cancelled');

  await services.recovered;
  const scan = await readModsFolder(folder);
  for (const bad of scan.unreadable) services.logger.warn(`Mods folder: ${bad.path}: ${bad.reason}`);
  // The root of Install Mod with Dependencies is planned separately, so it is not "installed" to the solver.
  const installed = scan.mods.filter((m) => m.name !== (root.release ? root.name : undefined)).map((m) => ({ name: m.name, version: m.version }));
  const installedRoot = root.release ? scan.mods.filter((m) => m.name === root.name).map((m) => m.version) : [];

  const solved = await solve(services, root, chosenOptional, installed, cancelledBy(arg));
  if (!solved.ok) return solveFailure(services, root, solved.failure, folder);
  for (const w of solved.warnings) services.logger.warn(`${root.label}: ${w.message}`);

  const { plan, kept } = planFromSolution(folder, solved.mods, root.release && root.name ? { name: root.name, release: root.release, installedVersions: installedRoot } : undefined);
  const preparation = await prepareInstall(plan);
  if (!preparation.ok) {
    return preparation.problem === 'mod-list'
      ? fail('install', vscode.l10n.t('{0} in {1} cannot be read ({2}); fix or remove it, then try again. Nothing was installed.', MOD_LIST_FILE, folder, preparation.error), { folder })
      : fail('install', vscode.l10n.t('Installing the dependencies of {0} failed: {1}. Nothing was installed and mod-list.json is unchanged.', root.label, preparation.error), { folder, kept });
  }
  const prepared = preparation.prepared;
  if (prepared.nothingToDo) return tellResult(services, root, plan, kept, { status: 'nothing-to-do' });
  if (!(await confirmPlan(services, root, plan, kept, prepared.newlyEnabled, solved.warnings, arg))) return outcome('cancelled', { folder, kept });

  let download: DownloadRelease = () => Promise.reject(new Error('no downloads in this plan'));
  if (prepared.pending.length > 0) {
    const downloader = await downloaderFor(services, { folder, kept });
    if (typeof downloader !== 'function') return downloader;
    download = downloader;
  }
  return tellResult(services, root, plan, kept, await installWithProgress(services, root, prepared, download, arg));
}

/**
 * Install Dependencies into Mods Folder: for the info.json the user means. Callers may
 * answer the questions in advance: `optional` (names of the `?` dependencies to include),
 * `confirm` (true installs without showing the plan, false declines it), `cancel` (a
 * CancellationToken that works as the notification's Cancel). The mods folder always
 * comes from the user's settings or the user's choice, never from an argument.
 */
export async function installDependencies(services: InstallServices, arg?: unknown): Promise<InstallOutcome> {
  const action = vscode.l10n.t('Installing dependencies');
  if (!requireTrustedWorkspace(action)) return outcome('failed', { failure: { code: 'untrusted', message: untrustedWorkspaceMessage(action) } });
  const root = await rootFromInfoJson();
  return isOutcome(root) ? root : installClosure(services, root, arg);
}

/**
 * Install Mod with Dependencies…: a portal mod (a modpack, say), its newest release for the
 * Factorio version, and everything it needs. Takes a mod name (string, `{ name }` or a tree
 * node), `factorioVersion`, and the answers installDependencies takes.
 */
export async function installModWithDependencies(services: InstallServices, arg?: unknown): Promise<InstallOutcome> {
  const action = vscode.l10n.t('Installing a mod');
  if (!requireTrustedWorkspace(action)) return outcome('failed', { failure: { code: 'untrusted', message: untrustedWorkspaceMessage(action) } });
  const root = await rootFromMod(services, arg);
  if (!root) return outcome('cancelled');
  return isOutcome(root) ? root : installClosure(services, root, arg);
}

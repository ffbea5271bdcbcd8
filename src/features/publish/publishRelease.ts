// Publish Mod Release…: preflight, package, confirm, then init_upload (or init_publish for
// a name the portal does not have) and the streamed upload, with one progress
// notification and Cancel. Arguments answer the questions in advance (tests, other
// extensions); whatever is missing is asked.
import * as vscode from 'vscode';
import { createReadStream } from 'node:fs';
import { execFile } from 'node:child_process';
import { DEFAULT_LICENSES, ManagementClient, ManagementError, PORTAL_CATEGORIES, isLicenseId, type UploadSource } from '../../portal/management';
import { isPortalError } from '../../portal/errors';
import type { PreflightReport } from '../../release/preflight';
import { formatSize } from '../../util/text';
import type { Logger } from '../core/logger';
import { pickOne, type Choice } from '../core/quickPick';
import { openWebPage } from '../core/safety';
import type { ApiKeyStore } from '../services/apiKey';
import { Credentials } from '../services/credentials';
import type { PortalService } from '../services/portalService';
import type { WorkspaceModsService } from '../services/workspaceMods';
import { explainFailure, type NextStep } from './failures';
import { chooseInfoJson } from '../release';
import { packageToTemp, preflight, readModInfo, type ModInfo } from './modRelease';

export type PublishOutcome =
  | { status: 'published'; name: string; version: string; url: string; bytes: number; newMod: boolean; tagged?: boolean }
  | { status: 'failed'; code: string; message: string }
  | { status: 'cancelled'; stage: string };

export interface PublishServices {
  portal: PortalService;
  keys: ApiKeyStore;
  logger: Logger;
  secrets: vscode.SecretStorage;
  userAgent: string;
  workspace: WorkspaceModsService;
}

/** What a caller may answer in advance. */
interface PublishArgs {
  /** The modal confirmation, answered (no test can click a modal). */
  confirm?: boolean;
  /** Go on after a failed preflight check. */
  continueOnFailure?: boolean;
  /** The questions for a new mod. */
  category?: string;
  license?: string;
  sourceUrl?: string;
  /** Create the git tag `<version>` without asking (when the folder is in a repository). */
  createTag?: boolean;
  /** Cancels like the notification's Cancel button. */
  cancellation?: vscode.CancellationToken;
}

function argsOf(arg: unknown): PublishArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  const out: PublishArgs = {};
  if (typeof a.confirm === 'boolean') out.confirm = a.confirm;
  if (typeof a.continueOnFailure === 'boolean') out.continueOnFailure = a.continueOnFailure;
  if (typeof a.category === 'string') out.category = a.category;
  if (typeof a.license === 'string') out.license = a.license;
  if (typeof a.sourceUrl === 'string') out.sourceUrl = a.sourceUrl;
  if (typeof a.createTag === 'boolean') out.createTag = a.createTag;
  const token = a.cancellation as vscode.CancellationToken | undefined;
  if (token && typeof token.onCancellationRequested === 'function') out.cancellation = token;
  return out;
}

const ZIP_CHUNK = 64 * 1024;

function fileSource(file: string, fileName: string, size: number): UploadSource {
  return { fileName, size, chunks: () => createReadStream(file, { highWaterMark: ZIP_CHUNK }) };
}

const STATUS_ICON: Record<string, string> = { passed: '$(pass)', warning: '$(warning)', failed: '$(error)', unknown: '$(question)' };

/** The preflight's report as a list; answers whether to go on. */
async function showPreflight(report: PreflightReport, info: ModInfo, args: PublishArgs): Promise<boolean> {
  const { passed, warning, failed, unknown } = report.counts;
  // Answered in advance: go on unless a check failed and the caller did not say to go on anyway.
  if (args.continueOnFailure !== undefined || args.confirm !== undefined) return !report.blocked || args.continueOnFailure === true;
  type Answer = 'go' | 'stop' | 'check';
  const items: Choice<Answer>[] = [
    report.blocked
      ? { label: `$(warning) ${vscode.l10n.t('Publish anyway')}`, description: vscode.l10n.t('the portal may refuse it, or players get a broken release'), value: 'go' }
      : { label: `$(cloud-upload) ${vscode.l10n.t('Continue')}`, description: vscode.l10n.t('package and confirm'), value: 'go' },
    { label: `$(close) ${vscode.l10n.t('Stop')}`, value: 'stop' },
    { label: '', kind: vscode.QuickPickItemKind.Separator, value: 'check' },
    ...report.checks.map((check): Choice<Answer> => ({
      label: `${STATUS_ICON[check.status] ?? ''} ${check.title}`,
      description: check.message,
      detail: check.details?.slice(0, 5).join(' · '),
      value: 'check',
    })),
  ];
  for (;;) {
    const answer = await pickOne(items, {
      title: vscode.l10n.t('Preflight for {0} {1}: {2} passed, {3} warnings, {4} failed, {5} unknown', info.name, info.version, passed, warning, failed, unknown),
      placeholder: report.blocked ? vscode.l10n.t('A check failed: fix it first, or publish anyway') : vscode.l10n.t('Ready to package and publish'),
      active: report.blocked ? items[1] : items[0],
    });
    if (answer === 'check') continue;
    return answer === 'go';
  }
}

/** The git remote of the folder, as a web address, for the source URL's default. */
function gitRemote(folder: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', folder, 'remote', 'get-url', 'origin'], { timeout: 5000 }, (error, stdout) => {
      if (error) return resolve(undefined);
      const raw = stdout.trim();
      const ssh = /^git@([^:]+):(.+?)(\.git)?$/.exec(raw);
      const url = ssh ? `https://${ssh[1]}/${ssh[2]}` : raw.replace(/\.git$/, '');
      resolve(/^https:\/\/\S+$/.test(url) && url.length <= 256 ? url : undefined);
    });
  });
}

interface NewModAnswers {
  category: string;
  license: string;
  source_url?: string;
}

/** The first release of a new mod: category, license and source URL, asked before anything is sent. */
async function askNewMod(info: ModInfo, args: PublishArgs): Promise<NewModAnswers | undefined> {
  const category =
    args.category ??
    (await pickOne(
      PORTAL_CATEGORIES.map((c) => ({ label: c, value: c })),
      { title: vscode.l10n.t('{0} is new on the Mod Portal: its category', info.name) },
    ));
  if (!category) return undefined;
  let license = args.license;
  if (license === undefined) {
    const custom = '__custom__';
    const picked = await pickOne(
      [...DEFAULT_LICENSES.map((l) => ({ label: l.title, description: l.id, value: l.id })), { label: vscode.l10n.t('A license of your own on factorio.com…'), description: 'custom_…', value: custom }],
      { title: vscode.l10n.t('{0}: its license', info.name) },
    );
    if (!picked) return undefined;
    license =
      picked !== custom
        ? picked
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Custom license id'),
            prompt: vscode.l10n.t('As shown on your licenses page: custom_ followed by 24 hexadecimal digits'),
            validateInput: (v) => (isLicenseId(v.trim()) ? undefined : vscode.l10n.t('Expected custom_ and 24 hexadecimal digits')),
            ignoreFocusOut: true,
          });
    if (!license) return undefined;
    license = license.trim();
  }
  let source = args.sourceUrl;
  if (source === undefined) {
    const suggested = info.homepage && /^https?:\/\//.test(info.homepage) ? info.homepage : await gitRemote(info.folder);
    source = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0}: source URL (optional)', info.name),
      prompt: vscode.l10n.t('Where the code lives; leave empty for none'),
      value: suggested ?? '',
      validateInput: (v) => (v.trim() === '' || (/^https?:\/\/\S+$/.test(v.trim()) && v.trim().length <= 256) ? undefined : vscode.l10n.t('An http(s) address of at most 256 characters')),
      ignoreFocusOut: true,
    });
    if (source === undefined) return undefined;
  }
  const answers: NewModAnswers = { category, license };
  if (source.trim() !== '') answers.source_url = source.trim();
  return answers;
}

/** Creates the git tag `<version>` through VS Code's git extension, when the folder is in a repository. */
async function createTag(folder: vscode.Uri, version: string, message: string): Promise<'tagged' | 'no-repo' | 'declined'> {
  interface GitRepository {
    rootUri: vscode.Uri;
    /** A message makes an annotated tag; the ref defaults to HEAD. */
    tag(name: string, message: string, ref?: string): Promise<void>;
  }
  interface GitApi {
    getRepository(uri: vscode.Uri): GitRepository | null;
  }
  const git = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  if (!git) return 'no-repo';
  const api = (git.isActive ? git.exports : await git.activate()).getAPI(1);
  const repository = api.getRepository(folder);
  return repository ? await tagInto(repository, version) : 'no-repo';

  async function tagInto(repo: GitRepository, tag: string): Promise<'tagged' | 'declined'> {
    try {
      await repo.tag(tag, message);
      return 'tagged';
    } catch (error) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The git tag {0} was not created: {1}', tag, error instanceof Error ? error.message.slice(0, 300) : String(error)));
      return 'declined';
    }
  }
}

export async function publishRelease(services: PublishServices, arg?: unknown): Promise<PublishOutcome> {
  const { portal, keys, logger } = services;
  const args = argsOf(arg);
  const fail = (code: string, message: string, next: NextStep[] = [], info?: ModInfo): PublishOutcome => {
    void showFailure(message, next, services, info);
    return { status: 'failed', code, message };
  };

  const uri = await chooseInfoJson(services.workspace, arg, vscode.l10n.t('Publish Mod Release: which mod?'));
  if (!uri) return { status: 'cancelled', stage: 'choose' };
  const info = await readModInfo(uri);
  if (typeof info === 'string') return fail('info-json', info);

  const portalUrl = portal.url;
  const consent = await keys.allowOrigin(portalUrl);
  if (consent === 'refused') return fail('refused-origin', vscode.l10n.t('The API key is sent only over https (or to a test portal on this machine); {0} is neither. Nothing was sent.', portalUrl));
  if (consent === 'declined') return { status: 'cancelled', stage: 'origin' };
  const apiKey = (await keys.get()) ?? (await keys.ask());
  if (!apiKey) return { status: 'cancelled', stage: 'key' };

  const signedInAs = (await new Credentials(services.secrets, () => []).get())?.username;
  const report = await preflight(info, portal, signedInAs);
  if (!(await showPreflight(report, info, args))) {
    if (!report.blocked) return { status: 'cancelled', stage: 'preflight' };
    const failed = report.checks.filter((c) => c.status === 'failed').map((c) => `${c.title}: ${c.message}`);
    return { status: 'failed', code: 'preflight', message: vscode.l10n.t('Not published: the preflight found {0}. Nothing was sent.', failed.join('; ')) };
  }

  // The portal's own answer decides between a new release and a new mod; a failed request decides nothing.
  let existing: { releases: string[] } | undefined;
  try {
    const mod = await portal.client.getMod(info.name);
    existing = { releases: (mod.releases ?? []).map((r) => r.version) };
  } catch (error) {
    if (!isPortalError(error) || error.kind !== 'not-found') {
      const message = isPortalError(error) ? error.message : String(error);
      return fail('unreachable', vscode.l10n.t('Could not ask the Mod Portal whether {0} exists ({1}). Nothing was sent.', info.name, message), ['retry'], info);
    }
  }
  if (existing?.releases.includes(info.version)) {
    return fail(
      'version-exists',
      vscode.l10n.t('{0} {1} is already on the Mod Portal: a release cannot be replaced. Raise the version in info.json (and add a changelog entry), then publish again. Nothing was sent.', info.name, info.version),
      ['open-info-json'],
      info,
    );
  }
  const newMod = existing === undefined;
  let answers: NewModAnswers | undefined;
  if (newMod) {
    answers = await askNewMod(info, args);
    if (!answers) return { status: 'cancelled', stage: 'new-mod' };
  }

  let zip;
  try {
    zip = await packageToTemp(info);
  } catch (error) {
    return fail('package', vscode.l10n.t('Packaging {0} failed: {1}', info.name, error instanceof Error ? error.message : String(error)), [], info);
  }
  try {
    const origin = new URL(portalUrl).host;
    if (args.confirm === false) return { status: 'cancelled', stage: 'confirm' };
    if (args.confirm !== true) {
      const publish = vscode.l10n.t('Publish');
      const answer = await vscode.window.showInformationMessage(
        newMod ? vscode.l10n.t('Publish the new mod {0} {1} on {2}?', info.name, info.version, origin) : vscode.l10n.t('Publish {0} {1} on {2}?', info.name, info.version, origin),
        {
          modal: true,
          detail: [
            vscode.l10n.t('Portal: {0}', portalUrl),
            vscode.l10n.t('Mod: {0}{1}', info.name, newMod ? vscode.l10n.t(' (first release, category {0}, license {1})', answers!.category, answers!.license) : ''),
            vscode.l10n.t('Version: {0}', info.version),
            vscode.l10n.t('Factorio version: {0}', info.factorioVersion),
            vscode.l10n.t('Zip: {0}, {1}', zip.fileName, formatSize(zip.bytes)),
            vscode.l10n.t('A published release cannot be replaced or reused.'),
          ].join('\n'),
        },
        publish,
      );
      if (answer !== publish) return { status: 'cancelled', stage: 'confirm' };
    }

    const client = new ManagementClient({ baseUrl: portalUrl, apiKey, userAgent: services.userAgent });
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Publishing {0} {1}', info.name, info.version), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const subscriptions = [token.onCancellationRequested(() => controller.abort()), args.cancellation?.onCancellationRequested(() => controller.abort())];
        let reported = 0;
        try {
          progress.report({ message: vscode.l10n.t('Asking the portal for an upload address…') });
          const uploadUrl = newMod ? await client.initPublish(info.name, controller.signal) : await client.initUpload(info.name, controller.signal);
          const answer = await client.upload(uploadUrl, fileSource(zip.file, zip.fileName, zip.bytes), {
            signal: controller.signal,
            ...(answers ? { fields: answers } : {}),
            onProgress: (sent, total) => {
              const percent = Math.min(100, Math.floor((sent / total) * 100));
              if (percent <= reported && sent !== total) return;
              progress.report({ increment: percent - reported, message: `${formatSize(sent)} / ${formatSize(total)} (${percent}%)` });
              reported = percent;
            },
          });
          return { ok: true as const, answer };
        } catch (error) {
          return { ok: false as const, error };
        } finally {
          for (const s of subscriptions) s?.dispose();
        }
      },
    );
    if (!result.ok) {
      const error = result.error;
      if (error instanceof ManagementError) {
        if (error.code === 'cancelled') {
          void vscode.window.showInformationMessage(vscode.l10n.t('Publishing {0} {1} was cancelled; the portal received no complete upload.', info.name, info.version));
          return { status: 'cancelled', stage: 'upload' };
        }
        logger.warn(`Publishing ${info.name} ${info.version} failed at ${error.step}: ${error.code}${error.status ? ` (HTTP ${error.status})` : ''}`);
        const explained = explainFailure(error, info.name, info.version);
        return fail(error.code, explained.message, explained.next, info);
      }
      return fail('internal', error instanceof Error ? error.message : String(error), ['open-log'], info);
    }

    logger.info(`Published ${info.name} ${info.version} (${zip.bytes} bytes)`);
    // The new release is shown at once by hover, completion and already-published.
    await Promise.all([portal.cache.fetchMods([info.name], { force: true }), portal.cache.fetchFullMod(info.name, { force: true })]);
    const pageUrl = portal.modPageUrl(info.name);
    const outcome: PublishOutcome = { status: 'published', name: info.name, version: info.version, url: pageUrl, bytes: zip.bytes, newMod };
    if (args.createTag === true) {
      outcome.tagged = (await createTag(vscode.Uri.file(info.folder), info.version, `${info.name} ${info.version}`)) === 'tagged';
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} {1} is published on the Mod Portal: {2}', info.name, info.version, pageUrl));
    } else {
      void announce(info, pageUrl);
    }
    return outcome;
  } finally {
    await zip.dispose();
  }
}

async function announce(info: ModInfo, pageUrl: string): Promise<void> {
  const open = vscode.l10n.t('Open Mod Page');
  const tag = vscode.l10n.t('Create Git Tag {0}', info.version);
  const folder = vscode.Uri.file(info.folder);
  const inRepo = await isInRepository(folder);
  const chosen = await vscode.window.showInformationMessage(
    vscode.l10n.t('{0} {1} is published on the Mod Portal: {2}', info.name, info.version, pageUrl),
    ...(inRepo ? [open, tag] : [open]),
  );
  if (chosen === open) await openWebPage(pageUrl);
  else if (chosen === tag) {
    if ((await createTag(folder, info.version, `${info.name} ${info.version}`)) === 'tagged') void vscode.window.showInformationMessage(vscode.l10n.t('Created the git tag {0}.', info.version));
  }
}

async function isInRepository(folder: vscode.Uri): Promise<boolean> {
  const git = vscode.extensions.getExtension<{ getAPI(v: 1): { getRepository(uri: vscode.Uri): unknown } }>('vscode.git');
  if (!git) return false;
  try {
    const exports = git.isActive ? git.exports : await git.activate();
    return exports.getAPI(1).getRepository(folder) !== null;
  } catch {
    return false;
  }
}

async function showFailure(message: string, next: NextStep[], services: PublishServices, info?: ModInfo): Promise<void> {
  const labels: Record<NextStep, string> = {
    'set-key': vscode.l10n.t('Set Another API Key…'),
    'open-info-json': vscode.l10n.t('Open info.json'),
    'open-log': vscode.l10n.t('Show Log'),
    retry: vscode.l10n.t('Try Again'),
  };
  const chosen = await vscode.window.showErrorMessage(message, ...next.map((n) => labels[n]));
  const step = next.find((n) => labels[n] === chosen);
  if (step === 'set-key') await services.keys.ask();
  else if (step === 'open-info-json' && info) await vscode.window.showTextDocument(info.uri);
  else if (step === 'open-log') services.logger.show();
  else if (step === 'retry' && info) void vscode.commands.executeCommand('factorioPortal.publishRelease', info.uri);
}

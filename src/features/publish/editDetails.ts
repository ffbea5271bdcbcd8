// Edit Portal Details…: what the portal has for a mod beside what the workspace says
// (title and homepage from info.json, the description from a Markdown file, the FAQ from
// one if there is one), as a diff; then edit_details with only the fields that differ and
// that the user keeps. Limits are checked before anything is sent.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ManagementClient, ManagementError, detailsProblems, type DetailsEdit } from '../../portal/management';
import { isPortalError } from '../../portal/errors';
import type { FullModEntry } from '../../portal/types';
import type { Logger } from '../core/logger';
import type { ApiKeyStore } from '../services/apiKey';
import type { PortalService } from '../services/portalService';
import type { WorkspaceModsService } from '../services/workspaceMods';
import { explainFailure } from './failures';
import { chooseInfoJson } from '../release';
import { readModInfo, type ModInfo } from './modRelease';

export type EditOutcome =
  | { status: 'sent'; fields: string[] }
  | { status: 'unchanged' }
  | { status: 'failed'; code: string; message: string }
  | { status: 'cancelled'; stage: string };

export interface EditServices {
  portal: PortalService;
  keys: ApiKeyStore;
  logger: Logger;
  userAgent: string;
  sheets: DetailSheets;
  workspace: WorkspaceModsService;
}

/** The fields that have a local value; the rest are shown as the portal has them. */
type LocalField = 'title' | 'homepage' | 'description' | 'faq';
const LOCAL_FIELDS: readonly LocalField[] = ['title', 'homepage', 'description', 'faq'];
/** A Markdown file read for a description or a FAQ; the portal's pages are far smaller. */
const MAX_TEXT_BYTES = 512 * 1024;

const SCHEME = 'factorio-portal-details';

/** The two sides of the diff, as read-only virtual documents. */
export class DetailSheets implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);

  set(side: 'portal' | 'local', mod: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${side}/${mod}.md` });
    this.texts.set(uri.toString(), text);
    this.emitter.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.emitter.dispose();
  }
}

interface EditArgs {
  descriptionFile?: string;
  faqFile?: string;
  /** Which differing fields to send, answered in advance. */
  keep?: string[];
}

function argsOf(arg: unknown): EditArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  const out: EditArgs = {};
  if (typeof a.descriptionFile === 'string') out.descriptionFile = a.descriptionFile;
  if (typeof a.faqFile === 'string') out.faqFile = a.faqFile;
  if (Array.isArray(a.keep)) out.keep = a.keep.filter((v): v is string => typeof v === 'string');
  return out;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > MAX_TEXT_BYTES) return undefined;
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A file in the mod's folder, matched without regard to case (README.md, Readme.md…). */
async function findInFolder(folder: string, name: string): Promise<string | undefined> {
  try {
    const entry = (await fs.readdir(folder)).find((f) => f.toLowerCase() === name.toLowerCase());
    return entry ? path.join(folder, entry) : undefined;
  } catch {
    return undefined;
  }
}

async function chooseDescriptionFile(info: ModInfo, args: EditArgs, interactive: boolean): Promise<string | undefined | null> {
  if (args.descriptionFile !== undefined) return args.descriptionFile === '' ? undefined : path.resolve(info.folder, args.descriptionFile);
  const readme = await findInFolder(info.folder, 'README.md');
  if (!interactive) return readme;
  type Pick = vscode.QuickPickItem & { file?: string; other?: boolean };
  const items: Pick[] = [];
  if (readme) items.push({ label: path.basename(readme), description: vscode.l10n.t('the mod folder’s README'), file: readme });
  items.push({ label: vscode.l10n.t('Another Markdown file…'), other: true }, { label: vscode.l10n.t('Leave the description as it is on the portal') });
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Edit Portal Details: the description comes from…') });
  if (!picked) return null;
  if (picked.file) return picked.file;
  if (!picked.other) return undefined;
  const chosen = await vscode.window.showOpenDialog({ defaultUri: vscode.Uri.file(info.folder), filters: { Markdown: ['md', 'markdown', 'txt'] }, canSelectMany: false });
  return chosen?.[0]?.fsPath ?? null;
}

/** Trailing whitespace aside, the portal keeps what it is sent. */
function same(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').replace(/\s+$/, '') === (b ?? '').replace(/\s+$/, '');
}

function sheet(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .map(([field, value]) => `## ${field}\n\n${value === undefined || value === '' ? '(none)' : value.replace(/\s+$/, '')}\n`)
    .join('\n');
}

function portalValues(mod: FullModEntry): Record<string, string | undefined> {
  return {
    title: mod.title,
    summary: mod.summary,
    description: mod.description,
    category: mod.category,
    tags: mod.tags?.join(', '),
    license: mod.license?.id ?? mod.license?.title,
    homepage: mod.homepage,
    source_url: mod.source_url,
    faq: mod.faq,
    deprecated: mod.deprecated ? 'true' : 'false',
  };
}

export async function editPortalDetails(services: EditServices, arg?: unknown): Promise<EditOutcome> {
  const { portal, keys } = services;
  const args = argsOf(arg);
  const interactive = args.keep === undefined;
  const failed = (code: string, message: string, setKey = false): EditOutcome => {
    const setAnother = vscode.l10n.t('Set Another API Key…');
    void vscode.window.showErrorMessage(message, ...(setKey ? [setAnother] : [])).then((c) => (c === setAnother ? keys.ask() : undefined));
    return { status: 'failed', code, message };
  };

  const uri = await chooseInfoJson(services.workspace, arg, vscode.l10n.t('Edit Portal Details: which mod?'));
  if (!uri) return { status: 'cancelled', stage: 'choose' };
  const info = await readModInfo(uri);
  if (typeof info === 'string') return failed('info-json', info);

  let mod: FullModEntry;
  try {
    mod = await portal.client.getFullMod(info.name);
  } catch (error) {
    if (isPortalError(error) && error.kind === 'not-found') return failed('UnknownMod', vscode.l10n.t('{0} is not on the Mod Portal yet: publish its first release, then edit its details.', info.name));
    return failed('unreachable', vscode.l10n.t('Could not read {0} from the Mod Portal ({1}).', info.name, error instanceof Error ? error.message : String(error)));
  }

  const descriptionFile = await chooseDescriptionFile(info, args, interactive);
  if (descriptionFile === null) return { status: 'cancelled', stage: 'description' };
  const faqFile = args.faqFile !== undefined ? (args.faqFile === '' ? undefined : path.resolve(info.folder, args.faqFile)) : await findInFolder(info.folder, 'FAQ.md');
  const local: Partial<Record<LocalField, string>> = {};
  if (info.title !== undefined) local.title = info.title;
  if (info.homepage !== undefined) local.homepage = info.homepage;
  if (descriptionFile) {
    const text = await readText(descriptionFile);
    if (text === undefined) return failed('file', vscode.l10n.t('{0} could not be read (or is larger than 512 KiB).', descriptionFile));
    local.description = text;
  }
  if (faqFile) {
    const text = await readText(faqFile);
    if (text !== undefined) local.faq = text;
  }

  const onPortal = portalValues(mod);
  const differing = LOCAL_FIELDS.filter((f) => local[f] !== undefined && !same(local[f], onPortal[f]));
  if (differing.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The Mod Portal’s details of {0} already match the local ones. Nothing was sent.', info.name));
    return { status: 'unchanged' };
  }

  const localSheet = { ...onPortal, ...local };
  const left = services.sheets.set('portal', info.name, sheet(onPortal));
  const right = services.sheets.set('local', info.name, sheet(localSheet));
  await vscode.commands.executeCommand('vscode.diff', left, right, vscode.l10n.t('{0}: on the Mod Portal ↔ local', info.name), { preview: true });

  let keep: string[];
  if (args.keep !== undefined) keep = differing.filter((f) => args.keep!.includes(f));
  else {
    const picked = await vscode.window.showQuickPick(
      differing.map((f) => ({ label: f, description: vscode.l10n.t('{0} characters on the portal → {1} local', String((onPortal[f] ?? '').length), String(local[f]!.length)), picked: true })),
      { canPickMany: true, title: vscode.l10n.t('Send these local values to the Mod Portal for {0}?', info.name), placeHolder: vscode.l10n.t('Unticked fields stay as the portal has them'), ignoreFocusOut: true },
    );
    if (!picked) return { status: 'cancelled', stage: 'keep' };
    keep = picked.map((p) => p.label);
  }
  if (keep.length === 0) return { status: 'unchanged' };

  const edit: DetailsEdit = {};
  for (const field of keep as LocalField[]) edit[field] = local[field];
  const problems = detailsProblems(edit);
  if (problems.length > 0) return failed('limits', vscode.l10n.t('Not sent: over the Mod Portal’s limits: {0}', problems.join('; ')));

  const consent = await keys.allowOrigin(portal.url);
  if (consent === 'refused') return failed('refused-origin', vscode.l10n.t('The API key is sent only over https (or to a test portal on this machine). Nothing was sent.'));
  if (consent === 'declined') return { status: 'cancelled', stage: 'origin' };
  const apiKey = (await keys.get()) ?? (await keys.ask());
  if (!apiKey) return { status: 'cancelled', stage: 'key' };
  try {
    await new ManagementClient({ baseUrl: portal.url, apiKey, userAgent: services.userAgent }).editDetails(info.name, edit);
  } catch (error) {
    if (error instanceof ManagementError) {
      services.logger.warn(`Editing the details of ${info.name} failed: ${error.code}`);
      const explained = explainFailure(error, info.name);
      return failed(error.code, explained.message, explained.next.includes('set-key'));
    }
    throw error;
  }
  await portal.cache.fetchFullMod(info.name, { force: true });
  services.logger.info(`Sent ${keep.join(', ')} of ${info.name} to the Mod Portal`);
  void vscode.window.showInformationMessage(vscode.l10n.t('The Mod Portal now has the local {0} of {1}.', keep.join(', '), info.name));
  return { status: 'sent', fields: keep };
}

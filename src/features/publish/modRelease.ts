// The mod a release is made from: which info.json, what it says, its preflight, and its
// zip. Packaging and the checks are those of Package Mod (src/release): one zip writer,
// one preflight.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageKeys, planPackage } from '../../release/contents';
import { folderFiles, runPreflight, type PreflightReport } from '../../release/preflight';
import { writeModZip } from '../../release/zip';
import type { PortalService } from '../services/portalService';
import { portalLookup } from '../release';

/** info.json is small; anything far larger is not one. */
const MAX_INFO_JSON_BYTES = 1024 * 1024;

export interface ModInfo {
  uri: vscode.Uri;
  folder: string;
  text: string;
  parsed: Record<string, unknown>;
  name: string;
  version: string;
  factorioVersion: string;
  title?: string;
  homepage?: string;
}

/** Reads and checks the fields a release needs; a message saying what is wrong otherwise. */
export async function readModInfo(uri: vscode.Uri): Promise<ModInfo | string> {
  // Unsaved edits are saved first (they are what the user sees); then the file on disk is
  // what gets packaged, so it is what is read.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty && !(await open.save())) return vscode.l10n.t('{0} has unsaved changes that could not be saved.', vscode.workspace.asRelativePath(uri));
  let text: string;
  try {
    const stat = await fs.stat(uri.fsPath);
    if (stat.size > MAX_INFO_JSON_BYTES) return vscode.l10n.t('{0} is too large to be an info.json.', uri.fsPath);
    text = await fs.readFile(uri.fsPath, 'utf8');
  } catch {
    return vscode.l10n.t('{0} could not be read.', uri.fsPath);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return vscode.l10n.t('{0} is not valid JSON.', vscode.workspace.asRelativePath(uri));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return vscode.l10n.t('info.json is not a JSON object.');
  const record = parsed as Record<string, unknown>;
  const str = (key: string): string | undefined => (typeof record[key] === 'string' && (record[key] as string).trim() !== '' ? (record[key] as string) : undefined);
  const name = str('name');
  const version = str('version');
  const factorioVersion = str('factorio_version');
  if (!name || !version) return vscode.l10n.t('info.json needs a "name" and a "version" to be published.');
  const info: ModInfo = { uri, folder: path.dirname(uri.fsPath), text, parsed: record, name, version, factorioVersion: factorioVersion ?? '0.12' };
  const title = str('title');
  if (title) info.title = title;
  const homepage = str('homepage');
  if (homepage) info.homepage = homepage;
  return info;
}

export function preflight(info: ModInfo, portal: PortalService, signedInAs: string | undefined): Promise<PreflightReport> {
  return runPreflight({
    infoJson: info.text,
    files: folderFiles(info.folder),
    lookup: portalLookup(portal),
    ...(signedInAs ? { signedInAs } : {}),
  });
}

export interface PackagedZip {
  file: string;
  fileName: string;
  bytes: number;
  /** Removes the temporary folder holding it. */
  dispose(): Promise<void>;
}

/** The same zip Package Mod makes, in a temporary folder (the upload reads it from there). */
export async function packageToTemp(info: ModInfo, signal?: AbortSignal): Promise<PackagedZip> {
  const plan = await planPackage({ folder: info.folder, name: info.name, version: info.version, keys: packageKeys(info.parsed) });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'factorio-publish-'));
  const dispose = (): Promise<void> => fs.rm(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, plan.zipName);
    const written = await writeModZip(plan, file, signal ? { signal } : {});
    return { file, fileName: plan.zipName, bytes: written.bytes, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

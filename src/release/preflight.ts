// The checks before a release: one list, run the same way by Package Mod and by
// publishing. Each check says passed, warning, failed, or unknown (what could not be
// checked, such as the portal's side while it cannot be reached: never "passed").
// Everything outside comes in through PreflightInput, so the checks are plain code.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, portalNameProblems, type FindingCode, type ModFacts, type Severity } from '../model/analysis';
import type { ChangelogCode } from '../model/changelog';
import { builtinAvailableIn, isBuiltinMod } from '../model/builtins';
import { isRequiredKind } from '../model/dependency';
import { parseInfoJson, type InfoJsonDocument } from '../model/document';
import { compatibleReleases, latestRelease, newestSatisfying } from '../model/releases';
import { bumpVersion, compareVersions, parseFactorioVersion, parseModVersion, parseVersion } from '../model/version';
import type { Release } from '../portal/types';
import { messageOf } from '../util/errors';
import { checkChangelog } from './changelogCheck';

export type CheckStatus = 'passed' | 'warning' | 'failed' | 'unknown';

export type CheckId = 'info-json' | 'portal-forms' | 'version-new' | 'name-owner' | 'changelog' | 'thumbnail' | 'dependencies';

/** What the editor can do about a check; the glue turns it into a button. */
export type PreflightFix =
  | { kind: 'show-info-json' }
  | { kind: 'set-version'; version: string }
  | { kind: 'sign-in' }
  | { kind: 'add-changelog-section'; version: string }
  | { kind: 'show-changelog' };

export interface PreflightCheck {
  id: CheckId;
  title: string;
  status: CheckStatus;
  message: string;
  /** One line per item at fault (a finding, a dependency, a changelog line). */
  details?: string[];
  fix?: PreflightFix;
}

export interface PreflightReport {
  name: string | undefined;
  version: string | undefined;
  checks: PreflightCheck[];
  counts: Record<CheckStatus, number>;
  /** A failure: the release would be refused or broken; packaging asks before going on. */
  blocked: boolean;
}

/** What the portal answered for a name: the mod, no such mod, or no answer. */
export type PortalLookup =
  | { state: 'found'; releases: Release[] | undefined; owner?: string; title?: string }
  | { state: 'missing' }
  | { state: 'unreachable'; message: string };

/** The mod's other files, read with a size cap (they are the workspace's, not trusted). */
export interface ModFiles {
  /** The file's text, or undefined when absent; `tooLarge` when over `maxBytes`. */
  readText(name: string, maxBytes: number): Promise<string | undefined | 'tooLarge'>;
  /** The first `bytes` bytes, or undefined when absent. */
  readHead(name: string, bytes: number): Promise<Uint8Array | undefined>;
}

export interface PreflightInput {
  infoJson: string;
  files: ModFiles;
  /** One batched question for all the names (the mod's own and its dependencies). */
  lookup(names: readonly string[]): Promise<ReadonlyMap<string, PortalLookup>>;
  /** The portal user the extension is signed in as. */
  signedInAs?: string;
  workspaceMod?(name: string): { version: string | undefined } | undefined;
  ignored?: ReadonlySet<string>;
  /** The user's severity for a finding code (as the editor shows it), or undefined for the default. */
  severityFor?(code: FindingCode): Severity | 'off' | undefined;
  /** The same for changelog.txt's finding codes. */
  changelogSeverityFor?(code: ChangelogCode): Severity | 'off' | undefined;
}

export const CHANGELOG_FILE = 'changelog.txt';
export const THUMBNAIL_FILE = 'thumbnail.png';
export const THUMBNAIL_SIZE = 144;
const MAX_CHANGELOG_BYTES = 4 * 1024 * 1024;
const MAX_DETAILS = 20;

/** Reads files of a mod folder on disk. */
export function folderFiles(folder: string): ModFiles {
  return {
    async readText(name, maxBytes) {
      try {
        const file = path.join(folder, name);
        const stat = await fs.stat(file);
        if (!stat.isFile()) return undefined;
        if (stat.size > maxBytes) return 'tooLarge';
        return await fs.readFile(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    async readHead(name, bytes) {
      let handle;
      try {
        handle = await fs.open(path.join(folder, name), 'r');
        const buffer = Buffer.alloc(bytes);
        const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
        return buffer.subarray(0, bytesRead);
      } catch {
        return undefined;
      } finally {
        await handle?.close();
      }
    },
  };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's header (signature, then the IHDR chunk); undefined when it is not a PNG. */
export function pngSize(head: Uint8Array): { width: number; height: number } | undefined {
  if (head.length < 24 || PNG_SIGNATURE.some((b, i) => head[i] !== b)) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (String.fromCharCode(head[12], head[13], head[14], head[15]) !== 'IHDR') return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function check(id: CheckId, title: string, status: CheckStatus, message: string, extra: { details?: string[]; fix?: PreflightFix } = {}): PreflightCheck {
  const details = extra.details && extra.details.length > MAX_DETAILS ? [...extra.details.slice(0, MAX_DETAILS), `… and ${extra.details.length - MAX_DETAILS} more`] : extra.details;
  return { id, title, status, message, ...(details && details.length > 0 ? { details } : {}), ...(extra.fix ? { fix: extra.fix } : {}) };
}

function factsOf(lookup: PortalLookup | undefined): ModFacts {
  if (!lookup || lookup.state === 'unreachable') return { state: 'unknown' };
  if (lookup.state === 'missing') return { state: 'missing' };
  return { state: 'found', releases: lookup.releases, owner: lookup.owner, title: lookup.title };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function infoJsonCheck(input: PreflightInput, doc: InfoJsonDocument, lookups: ReadonlyMap<string, PortalLookup>): PreflightCheck {
  const title = 'info.json has no errors';
  const findings = analyzeDocument(doc, {
    facts: (name) => factsOf(lookups.get(name)),
    ignored: input.ignored,
    workspaceMod: input.workspaceMod,
    signedInAs: input.signedInAs,
  });
  const errors = findings.filter((f) => {
    const setting = input.severityFor?.(f.code);
    return (setting === undefined ? f.severity : setting) === 'error';
  });
  if (errors.length === 0) return check('info-json', title, 'passed', 'No error in info.json.');
  return check('info-json', title, 'failed', errors.length === 1 ? '1 error in info.json.' : `${errors.length} errors in info.json.`, {
    details: errors.map((f) => `line ${lineOf(input.infoJson, f.start)}: ${f.message} (${f.code})`),
    fix: { kind: 'show-info-json' },
  });
}

function formsCheck(doc: InfoJsonDocument): PreflightCheck {
  const title = 'name, version and factorio_version as the portal wants them';
  const problems: string[] = [];
  const name = doc.modName;
  if (name === undefined || name === '') problems.push('name: missing');
  else {
    const wrong = portalNameProblems(name);
    if (wrong.length > 0) problems.push(`name "${name}": needs ${wrong.join(' and ')}`);
  }
  const version = doc.modVersion;
  if (version === undefined) problems.push('version: missing');
  else if (!parseModVersion(version) || version.trim() !== version) problems.push(`version "${version}": must be A.B.C, numbers 0 to 65535`);
  const fv = doc.factorioVersion;
  if (fv === undefined) problems.push('factorio_version: missing (the portal needs A.B, such as "2.0")');
  else {
    const parsed = parseFactorioVersion(fv);
    if (!parsed.ok) problems.push(`factorio_version "${fv}": ${parsed.message}`);
  }
  if (problems.length === 0) return check('portal-forms', title, 'passed', `${name} ${version} for Factorio ${fv}.`);
  return check('portal-forms', title, 'failed', 'The portal would refuse the upload.', { details: problems, fix: { kind: 'show-info-json' } });
}

function versionCheck(doc: InfoJsonDocument, own: PortalLookup | undefined): PreflightCheck {
  const title = 'the version is new on the portal';
  const local = doc.modVersion !== undefined ? parseModVersion(doc.modVersion) : undefined;
  if (!doc.modName || !local) return check('version-new', title, 'unknown', 'No valid name and version to compare.');
  if (!own || own.state === 'unreachable') {
    return check('version-new', title, 'unknown', `The portal could not be reached: not checked${own?.state === 'unreachable' ? ` (${own.message})` : ''}.`);
  }
  if (own.state === 'missing') return check('version-new', title, 'passed', `${doc.modName} is not on the portal yet: this is its first release.`);
  if (own.releases === undefined) return check('version-new', title, 'unknown', 'The portal did not say which releases it has.');
  const newest = latestRelease(own.releases);
  const newestVersion = newest ? parseVersion(newest.version) : undefined;
  if (!newest || !newestVersion) return check('version-new', title, 'passed', 'The portal has no release of it yet.');
  if (compareVersions(local, newestVersion) > 0) return check('version-new', title, 'passed', `${doc.modVersion} is newer than the portal's newest, ${newest.version}.`);
  const same = own.releases.some((r) => {
    const v = parseVersion(r.version);
    return v !== undefined && compareVersions(v, local) === 0;
  });
  const bumped = bumpVersion(newest.version, 'patch');
  return check(
    'version-new',
    title,
    'failed',
    same
      ? `${doc.modVersion} is already published${newest.version !== doc.modVersion ? ` (newest ${newest.version})` : ''}: the portal refuses it again.`
      : `${doc.modVersion} is older than the portal's newest, ${newest.version}: the portal refuses it.`,
    bumped ? { fix: { kind: 'set-version', version: bumped } } : {},
  );
}

function ownerCheck(doc: InfoJsonDocument, own: PortalLookup | undefined, signedInAs: string | undefined): PreflightCheck {
  const title = 'the name is yours or free';
  const name = doc.modName;
  if (!name) return check('name-owner', title, 'unknown', 'No name to look up.');
  if (!own || own.state === 'unreachable') return check('name-owner', title, 'unknown', 'The portal could not be reached: not checked.');
  if (own.state === 'missing') return check('name-owner', title, 'passed', `"${name}" is free on the portal.`);
  if (!own.owner) return check('name-owner', title, 'unknown', `The portal did not say who owns "${name}".`);
  if (!signedInAs) {
    return check('name-owner', title, 'unknown', `"${name}" belongs to ${own.owner} on the portal; sign in to check that it is you.`, { fix: { kind: 'sign-in' } });
  }
  if (own.owner.toLowerCase() === signedInAs.toLowerCase()) return check('name-owner', title, 'passed', `"${name}" is yours (${own.owner}).`);
  return check('name-owner', title, 'failed', `"${name}" belongs to ${own.owner} on the portal, not to ${signedInAs}: it will refuse your upload.`);
}

async function changelogCheck(doc: InfoJsonDocument, files: ModFiles, severityFor: PreflightInput['changelogSeverityFor']): Promise<PreflightCheck> {
  const title = 'changelog.txt is well-formed and has this version';
  const text = await files.readText(CHANGELOG_FILE, MAX_CHANGELOG_BYTES);
  const version = doc.modVersion;
  if (text === undefined) {
    return check('changelog', title, 'warning', 'No changelog.txt: players see no changes in the game or on the portal.', version ? { fix: { kind: 'add-changelog-section', version } } : {});
  }
  if (text === 'tooLarge') return check('changelog', title, 'unknown', `changelog.txt is over ${MAX_CHANGELOG_BYTES / 1024 / 1024} MB: not checked.`);
  const result = checkChangelog(text, severityFor);
  if (result.errors.length > 0) {
    return check('changelog', title, 'failed', `${result.errors.length === 1 ? '1 error' : `${result.errors.length} errors`}: the game shows no changelog at all.`, {
      details: result.errors.map((e) => `line ${e.line + 1}: ${e.message}`),
      fix: { kind: 'show-changelog' },
    });
  }
  if (version !== undefined && result.newestVersion !== version) {
    return check(
      'changelog',
      title,
      'warning',
      result.newestVersion ? `The newest section is ${result.newestVersion}, not ${version}.` : `No section for ${version}.`,
      { fix: { kind: 'add-changelog-section', version } },
    );
  }
  return check('changelog', title, 'passed', `The newest section is ${result.newestVersion}.`);
}

async function thumbnailCheck(files: ModFiles): Promise<PreflightCheck> {
  const title = 'thumbnail.png is 144×144';
  const head = await files.readHead(THUMBNAIL_FILE, 24);
  if (head === undefined) return check('thumbnail', title, 'warning', 'No thumbnail.png: the portal and the game show a blank picture.');
  const size = pngSize(head);
  if (!size) return check('thumbnail', title, 'warning', 'thumbnail.png is not a PNG file.');
  if (size.width !== THUMBNAIL_SIZE || size.height !== THUMBNAIL_SIZE) {
    return check('thumbnail', title, 'warning', `thumbnail.png is ${size.width}×${size.height}; the portal shows it at 144×144.`);
  }
  return check('thumbnail', title, 'passed', 'thumbnail.png is 144×144.');
}

interface NamedDependency {
  name: string;
  text: string;
  required: boolean;
  kind: string;
  op?: Parameters<typeof newestSatisfying>[1][number]['op'];
  bound?: Parameters<typeof newestSatisfying>[1][number]['bound'];
}

function namedDependencies(doc: InfoJsonDocument): NamedDependency[] {
  const items = doc.dependencies?.isArray ? doc.dependencies.items : [];
  return items.flatMap((item): NamedDependency[] => {
    const parsed = item.parsed;
    if (!parsed || parsed.error || !parsed.name || item.value === undefined) return [];
    return [{
      name: parsed.name.text,
      text: item.value,
      required: isRequiredKind(parsed.kind),
      kind: parsed.kind,
      ...(parsed.operator && parsed.version ? { op: parsed.operator.value, bound: parsed.version.value } : {}),
    }];
  });
}

function dependenciesCheck(doc: InfoJsonDocument, lookups: ReadonlyMap<string, PortalLookup>, input: PreflightInput): PreflightCheck {
  const title = 'every dependency resolves for the factorio_version';
  const fvResult = doc.factorioVersion !== undefined ? parseFactorioVersion(doc.factorioVersion) : undefined;
  if (!fvResult?.ok) return check('dependencies', title, 'unknown', 'No valid factorio_version to resolve the dependencies for.');
  const fv = fvResult.text;
  const failed: string[] = [];
  const warned: string[] = [];
  const unreachable: string[] = [];
  let checked = 0;
  for (const dep of namedDependencies(doc)) {
    if (dep.kind === 'incompatible' || input.ignored?.has(dep.name)) continue;
    const fault = (message: string) => (dep.required ? failed : warned).push(`${dep.text}: ${message}`);
    if (isBuiltinMod(dep.name)) {
      if (builtinAvailableIn(dep.name, fv) === false) fault(`not part of Factorio ${fv}`);
      continue;
    }
    checked++;
    const found = lookups.get(dep.name);
    const local = input.workspaceMod?.(dep.name);
    if (!found || found.state === 'unreachable') {
      unreachable.push(dep.text);
      continue;
    }
    if (found.state === 'missing') {
      fault(local ? 'only in this workspace: players cannot download it until it is on the portal' : 'no such mod on the portal');
      continue;
    }
    if (found.releases === undefined) {
      unreachable.push(dep.text);
      continue;
    }
    const compatible = compatibleReleases(found.releases, fv);
    if (compatible.length === 0) {
      fault(`no release for Factorio ${fv}`);
      continue;
    }
    if (dep.op && dep.bound && !newestSatisfying(compatible, [{ op: dep.op, bound: dep.bound }])) {
      fault(`no release for Factorio ${fv} matches (newest is ${compatible[0].version})`);
    }
  }
  const details = [...failed, ...warned, ...unreachable.map((d) => `${d}: not checked, the portal could not be reached`)];
  if (failed.length > 0) return check('dependencies', title, 'failed', `${failed.length} required ${failed.length === 1 ? 'dependency does' : 'dependencies do'} not resolve for Factorio ${fv}.`, { details, fix: { kind: 'show-info-json' } });
  if (unreachable.length > 0) return check('dependencies', title, 'unknown', 'The portal could not be reached for some dependencies.', { details });
  if (warned.length > 0) return check('dependencies', title, 'warning', `${warned.length} optional ${warned.length === 1 ? 'dependency does' : 'dependencies do'} not resolve for Factorio ${fv}.`, { details, fix: { kind: 'show-info-json' } });
  return check('dependencies', title, 'passed', checked === 0 ? 'Only built-in mods: nothing to fetch.' : checked === 1 ? `The portal dependency resolves for Factorio ${fv}.` : `All ${checked} portal dependencies resolve for Factorio ${fv}.`);
}

/** Runs every check; never throws for what the portal or the files say. */
export async function runPreflight(input: PreflightInput): Promise<PreflightReport> {
  const doc = parseInfoJson(input.infoJson);
  const names = [...new Set([...(doc.modName ? [doc.modName] : []), ...namedDependencies(doc).map((d) => d.name)])].filter((n) => !isBuiltinMod(n));
  let lookups: ReadonlyMap<string, PortalLookup>;
  try {
    lookups = names.length > 0 ? await input.lookup(names) : new Map();
  } catch (error) {
    const message = messageOf(error);
    lookups = new Map(names.map((n) => [n, { state: 'unreachable', message } as const]));
  }
  const own = doc.modName ? lookups.get(doc.modName) : undefined;
  const [changelog, thumbnail] = await Promise.all([changelogCheck(doc, input.files, input.changelogSeverityFor), thumbnailCheck(input.files)]);
  const checks = [
    infoJsonCheck(input, doc, lookups),
    formsCheck(doc),
    versionCheck(doc, own),
    ownerCheck(doc, own, input.signedInAs),
    changelog,
    thumbnail,
    dependenciesCheck(doc, lookups, input),
  ];
  const counts: Record<CheckStatus, number> = { passed: 0, warning: 0, failed: 0, unknown: 0 };
  for (const c of checks) counts[c.status]++;
  return { name: doc.modName, version: doc.modVersion, checks, counts, blocked: counts.failed > 0 };
}

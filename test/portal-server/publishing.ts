// The portal's management API (v2) as the real one behaves: API keys with scopes and an
// owner, `init_upload`/`init_publish` handing out a single-use upload URL on the second
// listener, the uploaded zip checked the way the portal checks it, and `edit_details`
// with its limits. What is accepted becomes part of the served data at once.
import { createHash, randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import busboy from 'busboy';
import type { License, Release } from '../../src/portal/types';
import { CURRENT_CATEGORIES, CURRENT_TAGS } from '../../src/portal/types';
import type { DatasetMod } from './records';
import { portalTime } from './records';
import { readZip } from './zip';

export const SCOPES = {
  upload: 'ModPortal: Upload Mods',
  publish: 'ModPortal: Publish Mods',
  edit: 'ModPortal: Edit Mods',
} as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export interface ApiKey {
  key: string;
  /** The account the key belongs to: it may only touch mods this account owns. */
  owner: string;
  scopes: Scope[];
}

/** The local portal's keys unless told others: one with every scope, one that may only upload, one of another account. */
export const DEFAULT_API_KEYS: readonly ApiKey[] = [
  { key: 'test-api-key-all-7c2f9a1e', owner: 'test-user', scopes: [SCOPES.upload, SCOPES.publish, SCOPES.edit] },
  { key: 'test-api-key-upload-4b8d03', owner: 'test-user', scopes: [SCOPES.upload] },
  { key: 'test-api-key-rival-91e6c5', owner: 'rival', scopes: [SCOPES.upload, SCOPES.publish, SCOPES.edit] },
];

export const LICENSES: Readonly<Record<string, { name: string; title: string; url: string }>> = {
  default_mit: { name: 'mit', title: 'MIT', url: 'https://opensource.org/licenses/MIT' },
  default_gnugplv3: { name: 'gnugplv3', title: 'GNU GPLv3', url: 'https://opensource.org/licenses/gpl-3.0' },
  default_gnulgplv3: { name: 'gnulgplv3', title: 'GNU LGPLv3', url: 'https://opensource.org/licenses/lgpl-3.0' },
  default_mozilla2: { name: 'mozilla2', title: 'Mozilla Public License 2.0', url: 'https://opensource.org/licenses/MPL-2.0' },
  default_apache2: { name: 'apache2', title: 'Apache License 2.0', url: 'https://opensource.org/licenses/Apache-2.0' },
  default_unlicense: { name: 'unlicense', title: 'The Unlicense', url: 'https://unlicense.org/' },
};

export const LIMITS = { title: 250, summary: 500, url: 256 } as const;
/** No limit is documented; this one keeps a runaway test from filling memory. */
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const MAX_FORM_BYTES = 1024 * 1024;

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface PublishingHost {
  /** The upload listener's base URL. */
  uploadBase(): string;
  find(name: string): DatasetMod | undefined;
  /** A new mod was published: serve it from now on. */
  add(mod: DatasetMod): void;
  /** A mod changed in place: drop cached answers. */
  changed(): void;
  now(): number;
}

interface PendingUpload {
  kind: 'upload' | 'publish';
  mod: string;
  owner: string;
}

interface Form {
  fields: Map<string, string[]>;
  file?: { name: string; filename: string; data: Buffer };
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const fail = (status: number, code: string, message: string): never => {
  throw new ApiError(status, code, message);
};

/** Reads a urlencoded or multipart body with caps; rejects when the client goes away before the end. */
function readForm(req: http.IncomingMessage, bytesPerSecond?: number): Promise<Form> {
  return new Promise((resolve, reject) => {
    const type = req.headers['content-type'] ?? '';
    if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type)) {
      req.resume();
      reject(new ApiError(400, 'InvalidRequest', 'Expected a form (multipart/form-data or application/x-www-form-urlencoded)'));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 200, fieldSize: MAX_FORM_BYTES } });
    } catch (error) {
      req.resume();
      reject(new ApiError(400, 'InvalidRequest', `Unreadable form: ${(error as Error).message}`));
      return;
    }
    const form: Form = { fields: new Map() };
    let settled = false;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(form);
    };
    parser.on('field', (name, value) => {
      const list = form.fields.get(name) ?? [];
      list.push(value);
      form.fields.set(name, list);
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => settle(new ApiError(400, 'InvalidModUpload', 'The file is too large')));
      stream.on('end', () => {
        form.file = { name, filename: info.filename ?? '', data: Buffer.concat(chunks) };
      });
    });
    parser.on('close', () => settle());
    parser.on('error', (error) => settle(new ApiError(400, 'InvalidRequest', `Unreadable form: ${(error as Error).message}`)));
    req.on('close', () => {
      if (!req.complete) settle(new ApiError(400, 'InvalidRequest', 'The request ended before its body'));
    });
    if (bytesPerSecond !== undefined && bytesPerSecond > 0) {
      // A slow link: each chunk waits as long as it takes at this rate before the next is read.
      req.on('data', (chunk: Buffer) => {
        req.pause();
        parser.write(chunk);
        setTimeout(() => req.resume(), (chunk.length / bytesPerSecond) * 1000).unref();
      });
      req.on('end', () => parser.end());
    } else {
      req.pipe(parser);
    }
  });
}

function one(form: Form, name: string): string | undefined {
  return form.fields.get(name)?.[0];
}

const MOD_NAME = /^[A-Za-z0-9_-]{1,100}$/;
const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;
const FACTORIO_VERSION = /^\d+\.\d+$/;
const CUSTOM_LICENSE = /^custom_[0-9a-f]{24}$/;

function licenseOf(id: string): License {
  const known = LICENSES[id];
  if (known) return { id, name: known.name, title: known.title, url: known.url, description: '' };
  return { id, name: id, title: 'Custom license', url: '', description: '' };
}

function checkLicense(id: string): void {
  if (!(id in LICENSES) && !CUSTOM_LICENSE.test(id)) fail(400, 'InvalidRequest', `Unknown license "${id}"`);
}

function checkCategory(id: string): void {
  if (!(CURRENT_CATEGORIES as readonly string[]).includes(id)) fail(400, 'InvalidRequest', `Unknown category "${id}"`);
}

function checkUrl(field: string, value: string): void {
  if (value.length > LIMITS.url) fail(400, 'InvalidRequest', `${field} is longer than ${LIMITS.url} characters`);
  if (value !== '' && !/^https?:\/\/\S+$/i.test(value)) fail(400, 'InvalidRequest', `${field} is not a URL`);
}

interface CheckedZip {
  name: string;
  version: string;
  title: string;
  factorioVersion: string;
  dependencies: string[];
}

/** The zip as the portal checks it: its file name, one top folder with info.json, name and version inside, factorio_version as A.B. */
function checkZip(filename: string, data: Buffer): CheckedZip {
  const bad = (message: string): never => fail(400, 'InvalidModUpload', message);
  if (!filename.toLowerCase().endsWith('.zip')) bad(`The file "${filename}" is not a .zip`);
  let entries;
  try {
    entries = readZip(data);
  } catch (error) {
    return bad(`The file is not a readable zip (${(error as Error).message})`);
  }
  const tops = new Set(entries.map((e) => e.name.split('/')[0]));
  if (tops.size !== 1 || entries.every((e) => !e.name.includes('/'))) bad('The zip must hold exactly one folder with the mod in it');
  const top = [...tops][0];
  const info = entries.find((e) => e.name === `${top}/info.json`);
  if (!info) return bad(`No info.json in the zip's folder "${top}/"`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(info.data.toString('utf8'));
  } catch {
    return bad('info.json is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return bad('info.json is not a JSON object');
  const record = parsed as Record<string, unknown>;
  const { name, version, title, factorio_version: factorioVersion, dependencies } = record;
  if (typeof name !== 'string' || !MOD_NAME.test(name)) return bad('info.json: "name" is missing or not a valid mod name');
  if (typeof version !== 'string' || !VERSION.test(version)) return fail(400, 'InvalidModRelease', 'info.json: "version" must be three numbers such as 1.0.0');
  if (typeof factorioVersion !== 'string' || !FACTORIO_VERSION.test(factorioVersion)) {
    return bad(`info.json: "factorio_version" must be two numbers such as 2.0, not ${JSON.stringify(factorioVersion)}`);
  }
  if (dependencies !== undefined && (!Array.isArray(dependencies) || dependencies.some((d) => typeof d !== 'string'))) {
    return fail(400, 'InvalidModRelease', 'info.json: "dependencies" must be a list of strings');
  }
  if (filename !== `${name}_${version}.zip`) bad(`The zip is named "${filename}", but info.json says ${name}_${version}.zip`);
  return {
    name,
    version,
    title: typeof title === 'string' && title !== '' ? title : name,
    factorioVersion,
    dependencies: (dependencies as string[] | undefined) ?? ['base'],
  };
}

export class Publishing {
  private readonly pending = new Map<string, PendingUpload>();
  /** Uploaded zips by their release's download_url: the portal serves what it was given. */
  readonly zips = new Map<string, Buffer>();

  constructor(
    private readonly keys: readonly ApiKey[],
    private readonly host: PublishingHost,
  ) {}

  /** Whether a request's text holds one of the keys (for the request log's `credentials`). */
  holdsKey(text: string): boolean {
    return this.keys.some((k) => text.includes(k.key));
  }

  /** `/api/v2/...`; `fields` receives the names of the form fields sent (never their values). */
  async api(req: http.IncomingMessage, pathname: string, fields: (names: string[]) => void): Promise<ApiAnswer> {
    try {
      if (req.method !== 'POST') return fail(405, 'InvalidRequest', 'Use POST');
      const endpoint = ENDPOINTS[pathname.slice('/api/v2/'.length)];
      if (!endpoint) return fail(404, 'InvalidRequest', 'Unknown endpoint');
      // The key is checked before the body is read, as the real portal does.
      const key = this.keyOf(req, endpoint.scope);
      const form = await readForm(req);
      fields([...form.fields.keys()]);
      return { status: 200, body: this[endpoint.run](key, form) };
    } catch (error) {
      req.resume();
      return answerOf(error);
    }
  }

  /** `POST <upload_url>` on the upload listener: the URL is its own authorization, used once. */
  async upload(req: http.IncomingMessage, pathname: string, bytesPerSecond?: number): Promise<ApiAnswer> {
    try {
      const token = pathname.slice('/upload/'.length);
      const pending = this.pending.get(token);
      if (req.method !== 'POST') return fail(405, 'InvalidRequest', 'Use POST');
      if (!pending) return fail(403, 'Forbidden', 'This upload URL is not valid (it is used once)');
      this.pending.delete(token);
      const form = await readForm(req, bytesPerSecond);
      if (!form.file || form.file.name !== 'file') return fail(400, 'InvalidRequest', 'No "file" field in the upload');
      const zip = checkZip(form.file.filename, form.file.data);
      if (zip.name !== pending.mod) return fail(400, 'InvalidModUpload', `The zip holds "${zip.name}", but the upload was for "${pending.mod}"`);
      return { status: 200, body: pending.kind === 'upload' ? this.addRelease(zip, form.file.data) : this.publish(pending, zip, form) };
    } catch (error) {
      req.resume();
      return answerOf(error);
    }
  }

  private keyOf(req: http.IncomingMessage, scope: Scope): ApiKey {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) return fail(401, 'InvalidApiKey', 'Missing API key');
    const key = this.keys.find((k) => k.key === match[1]);
    if (!key) return fail(401, 'InvalidApiKey', 'Invalid API key');
    if (!key.scopes.includes(scope)) return fail(403, 'InvalidApiKey', `The API key does not have the scope "${scope}"`);
    return key;
  }

  private modName(form: Form): string {
    const name = one(form, 'mod');
    if (name === undefined || name === '') return fail(400, 'InvalidRequest', 'Missing "mod"');
    return name;
  }

  private owned(key: ApiKey, name: string): DatasetMod {
    const mod = this.host.find(name);
    if (!mod) return fail(404, 'UnknownMod', `Mod "${name}" does not exist`);
    if (mod.owner !== key.owner) return fail(403, 'Forbidden', `You are not the owner of "${name}"`);
    return mod;
  }

  private uploadUrl(pending: PendingUpload): { upload_url: string } {
    const token = randomBytes(16).toString('hex');
    this.pending.set(token, pending);
    return { upload_url: `${this.host.uploadBase()}/upload/${token}` };
  }

  initUpload(key: ApiKey, form: Form): unknown {
    const name = this.modName(form);
    this.owned(key, name);
    return this.uploadUrl({ kind: 'upload', mod: name, owner: key.owner });
  }

  initPublish(key: ApiKey, form: Form): unknown {
    const name = this.modName(form);
    if (!MOD_NAME.test(name)) return fail(400, 'InvalidRequest', `"${name}" is not a valid mod name`);
    if (this.host.find(name)) return fail(400, 'ModAlreadyExists', `A mod named "${name}" already exists`);
    return this.uploadUrl({ kind: 'publish', mod: name, owner: key.owner });
  }

  editDetails(key: ApiKey, form: Form): unknown {
    const mod = this.owned(key, this.modName(form));
    const value = (field: string): string | undefined => one(form, field);
    const title = value('title');
    const summary = value('summary');
    if (title !== undefined && (title.trim() === '' || title.length > LIMITS.title)) fail(400, 'InvalidRequest', `title must be 1 to ${LIMITS.title} characters`);
    if (summary !== undefined && summary.length > LIMITS.summary) fail(400, 'InvalidRequest', `summary is longer than ${LIMITS.summary} characters`);
    for (const field of ['homepage', 'source_url']) {
      const url = value(field);
      if (url !== undefined) checkUrl(field, url);
    }
    const category = value('category');
    if (category !== undefined) checkCategory(category);
    const license = value('license');
    if (license !== undefined) checkLicense(license);
    const tags = form.fields.get('tags');
    for (const tag of tags ?? []) if (!(CURRENT_TAGS as readonly string[]).includes(tag)) fail(400, 'InvalidRequest', `Unknown tag "${tag}"`);
    const deprecated = value('deprecated');
    if (deprecated !== undefined && deprecated !== 'true' && deprecated !== 'false') fail(400, 'InvalidRequest', 'deprecated must be true or false');
    // Every check passed: apply all or nothing.
    if (title !== undefined) mod.title = title;
    if (summary !== undefined) mod.summary = summary;
    const description = value('description');
    if (description !== undefined) mod.description = description;
    if (category !== undefined) {
      mod.category = category;
      if (mod.wire) delete mod.wire.category;
    }
    if (tags !== undefined) {
      mod.tags = tags.filter((t) => t !== '');
      if (mod.wire) delete mod.wire.tag;
    }
    if (license !== undefined) mod.license = licenseOf(license);
    const homepage = value('homepage');
    if (homepage !== undefined) mod.homepage = homepage;
    const sourceUrl = value('source_url');
    if (sourceUrl !== undefined) mod.source_url = sourceUrl;
    const faq = value('faq');
    if (faq !== undefined) mod.faq = faq;
    if (deprecated !== undefined) mod.deprecated = deprecated === 'true';
    if (summary !== undefined && mod.wire?.omit) delete mod.wire.omit;
    mod.updated_at = portalTime(this.host.now());
    this.host.changed();
    return { success: true, url: `/mod/${encodeURIComponent(mod.name)}` };
  }

  private release(zip: CheckedZip, data: Buffer): Release {
    const downloadUrl = `/download/${encodeURIComponent(zip.name)}/${randomBytes(12).toString('hex')}`;
    this.zips.set(downloadUrl, data);
    return {
      download_url: downloadUrl,
      file_name: `${zip.name}_${zip.version}.zip`,
      info_json: { factorio_version: zip.factorioVersion, dependencies: zip.dependencies },
      released_at: portalTime(this.host.now()),
      version: zip.version,
      sha1: createHash('sha1').update(data).digest('hex'),
    };
  }

  private addRelease(zip: CheckedZip, data: Buffer): unknown {
    const mod = this.host.find(zip.name);
    // Published meanwhile by nobody else: the mod existed at init_upload and cannot vanish here.
    if (!mod) return fail(404, 'UnknownMod', `Mod "${zip.name}" does not exist`);
    if (mod.releases.some((r) => r.version === zip.version)) return fail(400, 'InvalidModUpload', `Version ${zip.version} of ${zip.name} already exists`);
    const release = this.release(zip, data);
    mod.releases.push(release);
    mod.updated_at = release.released_at;
    this.host.changed();
    return { success: true };
  }

  private publish(pending: PendingUpload, zip: CheckedZip, form: Form): unknown {
    if (this.host.find(zip.name)) return fail(400, 'ModAlreadyExists', `A mod named "${zip.name}" already exists`);
    const category = one(form, 'category');
    if (category !== undefined) checkCategory(category);
    const license = one(form, 'license');
    if (license !== undefined) checkLicense(license);
    const sourceUrl = one(form, 'source_url');
    if (sourceUrl !== undefined) checkUrl('source_url', sourceUrl);
    if (zip.title.length > LIMITS.title) fail(400, 'InvalidModRelease', `info.json: "title" is longer than ${LIMITS.title} characters`);
    const release = this.release(zip, form.file!.data);
    const mod: DatasetMod = {
      name: zip.name,
      title: zip.title,
      owner: pending.owner,
      summary: '',
      downloads_count: 0,
      category: category ?? 'no-category',
      releases: [release],
      created_at: release.released_at,
      updated_at: release.released_at,
      description: one(form, 'description') ?? '',
      license: license !== undefined ? licenseOf(license) : undefined,
      source_url: sourceUrl,
      tags: [],
      thumbnail: '/assets/.thumb.png',
    };
    this.host.add(mod);
    return { success: true, url: `/mod/${encodeURIComponent(zip.name)}` };
  }
}

type Runner = 'initUpload' | 'initPublish' | 'editDetails';
const ENDPOINTS: Readonly<Record<string, { scope: Scope; run: Runner }>> = {
  'mods/releases/init_upload': { scope: SCOPES.upload, run: 'initUpload' },
  'mods/init_publish': { scope: SCOPES.publish, run: 'initPublish' },
  'mods/edit_details': { scope: SCOPES.edit, run: 'editDetails' },
};

function answerOf(error: unknown): ApiAnswer {
  if (error instanceof ApiError) return { status: error.status, body: { error: error.code, message: error.message } };
  console.error(error);
  return { status: 500, body: { error: 'InternalError', message: 'Internal error' } };
}

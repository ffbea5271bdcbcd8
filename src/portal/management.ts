// The portal's management API (v2): starting an upload or a first publication, sending
// the zip to the upload URL the portal hands out, and editing a mod's details.
//
// The API key is worth the author's mods: it goes only in the Authorization header of
// POSTs to `<portal>/api/v2/`, under the token's origin rules (https, or a test portal
// on this machine), and never to the upload URL, which carries its own authorization.
// Nothing here is retried: a POST that may have changed the portal is not sent twice.

import { isModNotFoundAnswer, looksLikeHtml } from './decode';
import { withoutTrailingSlashes } from '../util/text';
import { isLoopbackHost, tokenOriginKind } from './tokenOrigin';

export const API_KEY_SCOPES = {
  upload: 'ModPortal: Upload Mods',
  publish: 'ModPortal: Publish Mods',
  edit: 'ModPortal: Edit Mods',
} as const;

/** The steps of publishing, each with the scope its key needs. */
export type ManagementStep = 'init_upload' | 'init_publish' | 'upload' | 'edit_details';

export const STEP_SCOPE: Readonly<Record<ManagementStep, string>> = {
  init_upload: API_KEY_SCOPES.upload,
  init_publish: API_KEY_SCOPES.publish,
  // The upload URL carries its own authorization; the scope that got it was init_*'s.
  upload: API_KEY_SCOPES.upload,
  edit_details: API_KEY_SCOPES.edit,
};

/** The portal's error codes; `Unknown` also stands for a code this client does not know. */
export const PORTAL_ERROR_CODES = [
  'InvalidApiKey',
  'InvalidRequest',
  'InternalError',
  'Forbidden',
  'Unknown',
  'InvalidModRelease',
  'InvalidModUpload',
  'UnknownMod',
  'ModAlreadyExists',
] as const;
export type PortalErrorCode = (typeof PORTAL_ERROR_CODES)[number];

/** What went wrong: one of the portal's codes, or what happened on the way. */
export type ManagementErrorCode = PortalErrorCode | 'network' | 'timeout' | 'cancelled' | 'http' | 'malformed' | 'refused-origin';

export class ManagementError extends Error {
  constructor(
    readonly code: ManagementErrorCode,
    readonly step: ManagementStep,
    /** The portal's own text, shown as text; never holds the key. */
    readonly portalMessage: string,
    readonly status?: number,
  ) {
    super(`${step}: ${code}${portalMessage ? ` (${portalMessage})` : ''}`);
    this.name = 'ManagementError';
  }

  /** The scope the failed step needed (for InvalidApiKey). */
  get scope(): string {
    return STEP_SCOPE[this.step];
  }
}

export const DETAIL_LIMITS = { title: 250, summary: 500, url: 256 } as const;

export const PORTAL_CATEGORIES = ['no-category', 'content', 'overhaul', 'tweaks', 'utilities', 'scenarios', 'mod-packs', 'localizations', 'internal'] as const;

export const DEFAULT_LICENSES: ReadonlyArray<{ id: string; title: string }> = [
  { id: 'default_mit', title: 'MIT' },
  { id: 'default_gnugplv3', title: 'GNU GPLv3' },
  { id: 'default_gnulgplv3', title: 'GNU LGPLv3' },
  { id: 'default_mozilla2', title: 'Mozilla Public License 2.0' },
  { id: 'default_apache2', title: 'Apache License 2.0' },
  { id: 'default_unlicense', title: 'The Unlicense' },
];

/** A license the author defined on the site is named by its id, `custom_` and 24 hex digits. */
export function isLicenseId(id: string): boolean {
  return DEFAULT_LICENSES.some((l) => l.id === id) || /^custom_[0-9a-f]{24}$/.test(id);
}

/** The fields edit_details takes; only those present are sent. */
export interface DetailsEdit {
  title?: string;
  summary?: string;
  description?: string;
  category?: string;
  tags?: readonly string[];
  license?: string;
  homepage?: string;
  source_url?: string;
  faq?: string;
  deprecated?: boolean;
}

/** Why an edit would be refused for its limits, before anything is sent (empty when fine). */
export function detailsProblems(edit: DetailsEdit): string[] {
  const problems: string[] = [];
  if (edit.title !== undefined && (edit.title.trim() === '' || edit.title.length > DETAIL_LIMITS.title)) {
    problems.push(`title: 1 to ${DETAIL_LIMITS.title} characters (it has ${edit.title.length})`);
  }
  if (edit.summary !== undefined && edit.summary.length > DETAIL_LIMITS.summary) {
    problems.push(`summary: at most ${DETAIL_LIMITS.summary} characters (it has ${edit.summary.length})`);
  }
  for (const field of ['homepage', 'source_url'] as const) {
    const url = edit[field];
    if (url === undefined) continue;
    if (url.length > DETAIL_LIMITS.url) problems.push(`${field}: at most ${DETAIL_LIMITS.url} characters (it has ${url.length})`);
    else if (url !== '' && !/^https?:\/\/\S+$/i.test(url)) problems.push(`${field}: not an http(s) URL`);
  }
  if (edit.category !== undefined && !(PORTAL_CATEGORIES as readonly string[]).includes(edit.category)) problems.push(`category: unknown "${edit.category}"`);
  if (edit.license !== undefined && !isLicenseId(edit.license)) problems.push(`license: unknown "${edit.license}"`);
  return problems;
}

/** The file to upload, read as it is sent. */
export interface UploadSource {
  /** `<name>_<version>.zip`. */
  fileName: string;
  size: number;
  chunks(): AsyncIterable<Uint8Array>;
}

export interface UploadOptions {
  signal?: AbortSignal;
  /** Bytes of the file sent so far, out of its size. */
  onProgress?: (sent: number, total: number) => void;
  /** init_publish's upload also takes these. */
  fields?: { description?: string; category?: string; license?: string; source_url?: string };
}

export interface ManagementClientOptions {
  /** The configured portal, e.g. https://mods.factorio.com. */
  baseUrl: string;
  apiKey: string;
  userAgent: string;
  fetch?: typeof globalThis.fetch;
  /** Silence allowed for an answer, default 30000 (an upload may take long; this is for the answer). */
  timeoutMs?: number;
  /** For the multipart boundary. */
  random?: () => number;
}

/** Whether a management request may go to this portal: as for the token. */
export const keyOriginKind = tokenOriginKind;

/**
 * Where an upload URL may point: https, or anywhere on a loopback test portal (its upload
 * listener is another port). It never gets the key either way.
 */
export function mayUploadTo(portalUrl: string, uploadUrl: string): boolean {
  let target: URL;
  let portal: URL;
  try {
    target = new URL(uploadUrl);
    portal = new URL(portalUrl);
  } catch {
    return false;
  }
  if (target.username !== '' || target.password !== '') return false;
  if (target.protocol === 'https:') return true;
  return target.protocol === 'http:' && isLoopbackHost(portal.hostname) && isLoopbackHost(target.hostname);
}

const encoder = new TextEncoder();

function quoteHeader(value: string): string {
  return value.replace(/[\r\n"\\]/g, '_');
}

export class ManagementClient {
  private readonly base: string;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly timeoutMs: number;
  private readonly random: () => number;

  constructor(private readonly options: ManagementClientOptions) {
    this.base = withoutTrailingSlashes(options.baseUrl);
    if (keyOriginKind(this.base) === 'refused') {
      throw new ManagementError('refused-origin', 'init_upload', 'The API key goes only over https, or to a test portal on this machine');
    }
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /** A new release of a mod the key's owner has: where to send its zip. */
  initUpload(mod: string, signal?: AbortSignal): Promise<string> {
    return this.initStep('init_upload', 'mods/releases/init_upload', mod, signal);
  }

  /** The first release of a new mod: where to send its zip. */
  initPublish(mod: string, signal?: AbortSignal): Promise<string> {
    return this.initStep('init_publish', 'mods/init_publish', mod, signal);
  }

  async editDetails(mod: string, edit: DetailsEdit, signal?: AbortSignal): Promise<void> {
    const problems = detailsProblems(edit);
    if (problems.length > 0) throw new ManagementError('InvalidRequest', 'edit_details', problems.join('; '));
    const form = new URLSearchParams({ mod });
    for (const [field, value] of Object.entries(edit) as Array<[keyof DetailsEdit, DetailsEdit[keyof DetailsEdit]]>) {
      if (value === undefined) continue;
      if (field === 'tags') {
        const tags = value as readonly string[];
        // An empty tag list is one empty field: no field at all would leave the tags as they are.
        if (tags.length === 0) form.append('tags', '');
        for (const tag of tags) form.append('tags', tag);
      } else {
        form.append(field, typeof value === 'boolean' ? String(value) : (value as string));
      }
    }
    await this.post('edit_details', 'mods/edit_details', form, signal);
  }

  /**
   * Sends the zip to the upload URL, streamed, as multipart field `file` (with init_publish's
   * fields before it). No key goes with it. Answers the portal's page path when it gives one.
   */
  async upload(uploadUrl: string, source: UploadSource, options: UploadOptions = {}): Promise<{ url?: string }> {
    if (!mayUploadTo(this.base, uploadUrl)) throw new ManagementError('refused-origin', 'upload', 'The portal gave an upload URL that is not https');
    const boundary = `----factorio-mod-${Math.floor(this.random() * 2 ** 48).toString(16)}${Date.now().toString(16)}`;
    const head: string[] = [];
    for (const [name, value] of Object.entries(options.fields ?? {})) {
      if (value === undefined) continue;
      head.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    }
    head.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoteHeader(source.fileName)}"\r\nContent-Type: application/zip\r\n\r\n`);
    const prefix = encoder.encode(head.join(''));
    const suffix = encoder.encode(`\r\n--${boundary}--\r\n`);
    const total = source.size;
    const signal = options.signal;
    let sent = 0;
    let bodyDone: () => void = () => undefined;
    const whenSent = new Promise<void>((resolve) => (bodyDone = resolve));
    const iterator = (async function* () {
      yield prefix;
      for await (const chunk of source.chunks()) {
        // Never let a cancelled upload end as a complete body.
        if (signal?.aborted) throw new Error('cancelled');
        sent += chunk.length;
        options.onProgress?.(sent, total);
        yield chunk;
      }
      if (sent !== total) throw new Error(`the file changed while it was sent (${sent} of ${total} bytes)`);
      yield suffix;
      bodyDone();
    })();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await iterator.return(undefined);
      },
    });
    const answer = await this.send('upload', uploadUrl, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(prefix.length + total + suffix.length),
        'User-Agent': this.options.userAgent,
      },
      body,
      duplex: 'half',
    } as RequestInit, signal, whenSent);
    const url = answer.url;
    return typeof url === 'string' ? { url } : {};
  }

  private async initStep(step: ManagementStep, endpoint: string, mod: string, signal?: AbortSignal): Promise<string> {
    const answer = await this.post(step, endpoint, new URLSearchParams({ mod }), signal);
    const url = answer.upload_url;
    if (typeof url !== 'string' || url === '') throw new ManagementError('malformed', step, 'The answer has no upload_url');
    return url;
  }

  private post(step: ManagementStep, endpoint: string, form: URLSearchParams, signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.send(step, `${this.base}/api/v2/${endpoint}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.options.apiKey}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': this.options.userAgent,
      },
      body: form,
      // A redirect would carry the key elsewhere.
      redirect: 'manual',
    }, signal);
  }

  /** `bodySent`: a streamed body; the answer's clock starts once it is all out. */
  private async send(step: ManagementStep, url: string, init: RequestInit, signal?: AbortSignal, bodySent?: Promise<void>): Promise<Record<string, unknown>> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort);
    let timedOut = false;
    // The clock runs for the answer: while a streamed body goes out, the user has Cancel.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    const arm = (): void => {
      if (finished) return;
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutMs);
    };
    if (bodySent) void bodySent.then(arm);
    else arm();
    try {
      if (signal?.aborted) throw new ManagementError('cancelled', step, '');
      let response: Response;
      try {
        response = await this.fetchFn(url, { ...init, signal: controller.signal });
      } catch (error) {
        if (error instanceof ManagementError) throw error;
        if (signal?.aborted) throw new ManagementError('cancelled', step, '');
        if (timedOut) throw new ManagementError('timeout', step, '');
        const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
        const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : (error as Error).message;
        throw new ManagementError('network', step, String(detail ?? ''));
      }
      let text: string;
      try {
        text = await response.text();
      } catch {
        throw new ManagementError(signal?.aborted ? 'cancelled' : timedOut ? 'timeout' : 'network', step, '', response.status);
      }
      return this.decode(step, response, text);
    } finally {
      finished = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private decode(step: ManagementStep, response: Response, text: string): Record<string, unknown> {
    const status = response.status;
    const contentType = response.headers.get('content-type');
    let body: unknown;
    if (!looksLikeHtml(contentType, text)) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    const code = record?.error;
    if (typeof code === 'string') {
      const known = (PORTAL_ERROR_CODES as readonly string[]).includes(code) ? (code as PortalErrorCode) : 'Unknown';
      const message = typeof record?.message === 'string' ? this.withoutKey(record.message.slice(0, 2000)) : '';
      throw new ManagementError(known, step, message, status);
    }
    if (status >= 300 && status < 400) throw new ManagementError('http', step, 'The portal answered with a redirect', status);
    if (status !== 200 || !record) {
      // A 404 with the API's own not-found answer still is one; anything else is a failed request.
      if (status === 404 && isModNotFoundAnswer(contentType, text)) throw new ManagementError('UnknownMod', step, '', status);
      throw new ManagementError(status === 200 ? 'malformed' : 'http', step, '', status);
    }
    if (record.success === false) throw new ManagementError('Unknown', step, typeof record.message === 'string' ? this.withoutKey(record.message.slice(0, 2000)) : '', status);
    return record;
  }

  /** A portal (or a proxy) that echoes the request must not put the key into a message. */
  private withoutKey(text: string): string {
    const key = this.options.apiKey;
    return key.length >= 4 ? text.split(key).join('***') : text;
  }
}

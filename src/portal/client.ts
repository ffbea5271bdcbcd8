// The Mod Portal's API and downloads, over the one HTTP path in http.ts (named
// User-Agent, bounded concurrency, backoff with jitter, Retry-After, coalescing).

import { decodeErrorMessage, decodeFullModEntry, decodeModEntry, decodeModListResponse, isModNotFoundAnswer, looksLikeHtml } from './decode';
import { PortalError, displayUrl, httpError } from './errors';
import { Attempt, Http, discardBody, type HttpOptions, type Outcome, type TextResponse } from './http';
import { withoutTrailingSlashes } from '../util/text';
import { parseRetryAfter } from './retry';
import { isLoopbackHost, mayFollowDownload, tokenOriginKind } from './tokenOrigin';
import type { FullModEntry, ListQuery, ModEntry, ModListResponse, Release } from './types';

export interface PortalCredentials {
  username: string;
  token: string;
}

/** The HTTP etiquette (retries, backoff, concurrency, fetch, log) comes from `HttpOptions`. */
export interface PortalClientOptions extends HttpOptions {
  /** e.g. https://mods.factorio.com (a trailing slash is tolerated). */
  baseUrl: string;
  /** e.g. 'factorio-mod-portal-vscode/0.1.0'. */
  userAgent: string;
  /** Per attempt, default 15000. */
  timeoutMs?: number;
  /** Per attempt for the whole list (`getAllMods`), default 60000. */
  listTimeoutMs?: number;
  /** Used to turn a Retry-After HTTP date into a delay. */
  now?: () => number;
  /**
   * Hosts the portal may send a download to (https only). Default: dl-mod.factorio.com
   * and the portal's own host; a loopback test portal may send it anywhere.
   */
  downloadHosts?: readonly string[];
}

/** What a conditional request sends back: `ETag` and `Last-Modified` of the last answer. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** A conditional request's answer: unchanged since the validators, or the new value with its validators. */
export type Conditional<T> = { notModified: true } | { notModified: false; value: T; validators: Validators };

/** The body of a download as it arrives; the receiver writes it somewhere. */
export interface DownloadBody {
  /** Content-Length when the download host sent one. */
  total: number | undefined;
  /**
   * The chunks. Iterating throws a PortalError when the transfer breaks ('network', then
   * the whole download is tried again with a new receiver), stalls ('timeout') or is
   * cancelled; the body ending short of `total` counts as broken.
   */
  chunks: AsyncIterable<Uint8Array>;
}

export interface DownloadOptions {
  signal?: AbortSignal;
}

/** Names per namelist request; the portal copes with more but long URLs get rejected by proxies. */
export const NAMELIST_BATCH_SIZE = 50;
/** Bound on the encoded namelist value, well under common 8 KiB URL limits. */
export const NAMELIST_MAX_CHARS = 1800;

const OFFICIAL_DOWNLOAD_HOST = 'dl-mod.factorio.com';

interface JsonRequest<T> {
  url: string;
  timeoutMs: number;
  /** Single-mod endpoints: the portal's own "Mod not found" answer means the mod does not exist. */
  notFoundMod?: string;
  validators?: Validators;
  decode: (body: unknown, url: string) => T;
}

function validatorsOf(headers: Headers): Validators {
  const validators: Validators = {};
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  if (etag !== null && etag !== '') validators.etag = etag;
  if (lastModified !== null && lastModified !== '') validators.lastModified = lastModified;
  return validators;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

export class PortalClient {
  private readonly base: string;
  private readonly origin: string;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly listTimeoutMs: number;
  private readonly now: () => number;
  private readonly http: Http;
  private readonly downloadHosts: ReadonlySet<string>;
  private readonly loopback: boolean;

  constructor(options: PortalClientOptions) {
    this.base = withoutTrailingSlashes(options.baseUrl);
    const parsed = new URL(this.base);
    this.origin = parsed.origin;
    this.loopback = isLoopbackHost(parsed.hostname);
    this.userAgent = options.userAgent;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.listTimeoutMs = options.listTimeoutMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.downloadHosts = new Set((options.downloadHosts ?? [OFFICIAL_DOWNLOAD_HOST, parsed.hostname]).map((h) => h.toLowerCase()));
    const { baseUrl: _b, userAgent: _u, timeoutMs: _t, listTimeoutMs: _l, now: _n, downloadHosts: _d, ...http } = options;
    this.http = new Http(http);
  }

  get baseUrl(): string {
    return this.base;
  }

  listMods(query: ListQuery = {}, signal?: AbortSignal): Promise<ModListResponse> {
    return this.getJson({ url: this.listUrl(query), timeoutMs: this.timeoutMs, decode: decodeModListResponse }, signal);
  }

  /** Every page of a listing, following `pagination.links.next`. */
  listAllPages(query: ListQuery, signal?: AbortSignal): AsyncGenerator<ModListResponse> {
    return this.pages(query, this.timeoutMs, signal);
  }

  /** The whole list in one response (`page_size=max`); later pages are followed should the portal paginate anyway. */
  async getAllMods(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ModEntry[]> {
    const answer = await this.getAllModsIfChanged(options);
    return answer.notModified ? [] : answer.value;
  }

  /**
   * The whole list, unless it has not changed since `validators` (then one small 304
   * answer instead of megabytes).
   */
  async getAllModsIfChanged(
    options: { signal?: AbortSignal; timeoutMs?: number; validators?: Validators } = {},
  ): Promise<Conditional<ModEntry[]>> {
    const timeoutMs = options.timeoutMs ?? this.listTimeoutMs;
    const query: ListQuery = { page_size: 'max' };
    const first = await this.getJsonIfChanged(
      { url: this.listUrl(query), timeoutMs, decode: decodeModListResponse, ...(options.validators ? { validators: options.validators } : {}) },
      options.signal,
    );
    if (first.notModified) return first;
    const all = first.value.results;
    for await (const page of this.pages(query, timeoutMs, options.signal, first.value)) {
      for (const mod of page.results) all.push(mod);
    }
    return { notModified: false, value: all, validators: first.validators };
  }

  /**
   * Mods by name through `namelist`, in batches sent in parallel under the concurrency
   * limit. A name absent from the map is one the portal says does not exist.
   */
  async getModsByName(names: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Map<string, ModEntry>> {
    const result = new Map<string, ModEntry>();
    const answers = await Promise.all(namelistBatches(names).map((batch) => this.getModBatchIfChanged(batch, options)));
    for (const answer of answers) if (!answer.notModified) for (const mod of answer.value) result.set(mod.name, mod);
    return result;
  }

  /**
   * One `namelist` batch (see namelistBatches), unless the portal's answer for it has not
   * changed since `validators`: then one small 304 instead of every release of every mod.
   */
  async getModBatchIfChanged(
    batch: readonly string[],
    options: { signal?: AbortSignal; validators?: Validators } = {},
  ): Promise<Conditional<ModEntry[]>> {
    const query: ListQuery = { namelist: [...batch], page_size: 'max' };
    const first = await this.getJsonIfChanged(
      { url: this.listUrl(query), timeoutMs: this.timeoutMs, decode: decodeModListResponse, ...(options.validators ? { validators: options.validators } : {}) },
      options.signal,
    );
    if (first.notModified) return first;
    const all = first.value.results;
    for await (const page of this.pages(query, this.timeoutMs, options.signal, first.value)) {
      for (const mod of page.results) all.push(mod);
    }
    return { notModified: false, value: all, validators: first.validators };
  }

  getMod(name: string, signal?: AbortSignal): Promise<ModEntry> {
    const url = `${this.base}/api/mods/${encodeURIComponent(name)}`;
    return this.getJson({ url, timeoutMs: this.timeoutMs, notFoundMod: name, decode: (b, u) => decodeModEntry(b, u) }, signal);
  }

  getFullMod(name: string, signal?: AbortSignal): Promise<FullModEntry> {
    return this.getJson(this.fullModRequest(name), signal);
  }

  /** The full record, unless it has not changed since `validators`. */
  getFullModIfChanged(name: string, options: { signal?: AbortSignal; validators?: Validators } = {}): Promise<Conditional<FullModEntry>> {
    return this.getJsonIfChanged({ ...this.fullModRequest(name), ...(options.validators ? { validators: options.validators } : {}) }, options.signal);
  }

  /**
   * The portal's download URL with the credentials. Refused for an origin the token
   * must never go to (plain http other than a loopback test portal).
   */
  downloadUrl(release: Pick<Release, 'download_url'>, credentials: PortalCredentials): string {
    if (tokenOriginKind(this.base) === 'refused') {
      throw new PortalError('http', `Refusing to send the Factorio token to ${this.origin}: only https portals (or a local test portal) receive it`, {
        url: this.base,
      });
    }
    const path = release.download_url.startsWith('/') ? release.download_url : `/${release.download_url}`;
    const separator = path.includes('?') ? '&' : '?';
    return (
      `${this.base}${path}${separator}username=${encodeURIComponent(credentials.username)}` +
      `&token=${encodeURIComponent(credentials.token)}`
    );
  }

  /**
   * Downloads a release as the portal serves it: the portal answers a redirect to a
   * signed URL on the download host, which is fetched without the credentials. `receive`
   * consumes the body (streaming it to disk, say) and its result is returned; when the
   * transfer breaks, the whole download is tried again with a fresh `receive`. Errors
   * `receive` throws that are not PortalErrors end the download unchanged.
   */
  download<T>(
    release: Pick<Release, 'download_url'>,
    credentials: PortalCredentials,
    receive: (body: DownloadBody) => Promise<T>,
    options: DownloadOptions = {},
  ): Promise<T> {
    const url = this.downloadUrl(release, credentials);
    return this.http.withRetries(url, options.signal, (outer) => this.downloadAttempt(url, receive, outer));
  }

  // ---- internals ----

  private fullModRequest(name: string): JsonRequest<FullModEntry> {
    const url = `${this.base}/api/mods/${encodeURIComponent(name)}/full`;
    return { url, timeoutMs: this.timeoutMs, notFoundMod: name, decode: decodeFullModEntry };
  }

  private listUrl(query: ListQuery): string {
    const parts: string[] = [];
    if (query.namelist !== undefined) parts.push(`namelist=${query.namelist.map(encodeURIComponent).join(',')}`);
    if (query.hide_deprecated !== undefined) parts.push(`hide_deprecated=${query.hide_deprecated ? 'true' : 'false'}`);
    if (query.version !== undefined) parts.push(`version=${encodeURIComponent(query.version)}`);
    if (query.sort !== undefined) parts.push(`sort=${query.sort}`);
    if (query.sort_order !== undefined) parts.push(`sort_order=${query.sort_order}`);
    if (query.page_size !== undefined) parts.push(`page_size=${query.page_size}`);
    if (query.page !== undefined) parts.push(`page=${query.page}`);
    return `${this.base}/api/mods${parts.length ? `?${parts.join('&')}` : ''}`;
  }

  /** The pages of a listing; with `first`, that page was fetched already and only the later ones are. */
  private async *pages(query: ListQuery, timeoutMs: number, signal?: AbortSignal, first?: ModListResponse): AsyncGenerator<ModListResponse> {
    let url = this.listUrl(query);
    let page = query.page ?? 1;
    const seen = new Set<string>();
    for (;;) {
      seen.add(url);
      let response: ModListResponse;
      if (first !== undefined) {
        response = first;
        first = undefined;
      } else {
        response = await this.getJson({ url, timeoutMs, decode: decodeModListResponse }, signal);
        yield response;
      }
      const pagination = response.pagination;
      if (pagination === null || response.results.length === 0) return;
      const current = pagination.page || page;
      const link = pagination.links.next;
      let next: string | undefined;
      if (link !== null) {
        // Following a link to another host would send our traffic wherever the answer says.
        next = this.isOwnUrl(link) ? link : this.listUrl({ ...query, page: current + 1 });
      } else if (current < pagination.page_count) {
        next = this.listUrl({ ...query, page: current + 1 });
      }
      if (next === undefined || seen.has(next)) return;
      url = next;
      page = current + 1;
    }
  }

  private isOwnUrl(link: string): boolean {
    try {
      const u = new URL(link);
      return u.origin === this.origin && (u.origin + u.pathname).startsWith(this.base);
    } catch {
      return false;
    }
  }

  private async getJson<T>(request: JsonRequest<T>, signal?: AbortSignal): Promise<T> {
    const answer = await this.getJsonIfChanged(request, signal);
    // Without validators the portal has nothing to compare, so a 304 here is a broken answer.
    if (answer.notModified) throw malformedError('it answered 304 to a request that was not conditional', request.url);
    return answer.value;
  }

  private getJsonIfChanged<T>(request: JsonRequest<T>, signal?: AbortSignal): Promise<Conditional<T>> {
    const v = request.validators;
    const key = v ? `${request.url}\n${v.etag ?? ''}\n${v.lastModified ?? ''}` : request.url;
    return this.http.coalesce(key, request.url, signal, (shared) =>
      this.http.withRetries(request.url, shared, async (outer) => {
        const started = this.now();
        const raw = await this.http.getText(request.url, this.headers(request.validators), request.timeoutMs, outer);
        this.http.trace(`GET ${displayUrl(request.url)} → ${raw.status} in ${this.now() - started} ms`);
        return this.interpret(raw, request);
      }),
    );
  }

  private headers(validators?: Validators): Record<string, string> {
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, Accept: 'application/json' };
    if (validators?.etag !== undefined) headers['If-None-Match'] = validators.etag;
    if (validators?.lastModified !== undefined) headers['If-Modified-Since'] = validators.lastModified;
    return headers;
  }

  private interpret<T>(raw: TextResponse, request: JsonRequest<T>): Outcome<Conditional<T>> {
    const { url } = request;
    const { status } = raw;
    if (status === 304 && request.validators !== undefined) return { ok: true, value: { notModified: true } };
    if (status === 404 && request.notFoundMod !== undefined && !raw.truncated && isModNotFoundAnswer(raw.headers.get('content-type'), raw.text)) {
      return {
        ok: false,
        retry: false,
        error: new PortalError('not-found', `The mod "${request.notFoundMod}" does not exist on the Mod Portal`, {
          status,
          url,
        }),
      };
    }
    if (status < 200 || status >= 300) {
      const retryAfterMs = parseRetryAfter(raw.headers.get('retry-after'), this.now());
      const error = httpError(status, url, retryAfterMs);
      const portalMessage = status === 404 ? undefined : safeErrorMessage(raw.text);
      if (portalMessage !== undefined) this.http.log(`The Mod Portal said: ${portalMessage}`);
      return { ok: false, error, retry: status === 429 || status === 408 || status >= 500 };
    }
    if (raw.truncated) {
      return { ok: false, retry: true, error: malformedError(`the answer was cut off`, url) };
    }
    if (looksLikeHtml(raw.headers.get('content-type'), raw.text)) {
      return { ok: false, retry: true, error: malformedError('it sent a web page instead of data', url) };
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.text);
    } catch {
      const what = raw.text.trim() === '' ? 'the answer was empty' : 'the answer is not valid JSON (probably cut off)';
      return { ok: false, retry: true, error: malformedError(what, url) };
    }
    try {
      return { ok: true, value: { notModified: false, value: request.decode(body, displayUrl(url)), validators: validatorsOf(raw.headers) } };
    } catch (e) {
      if (e instanceof PortalError) return { ok: false, retry: false, error: e };
      return { ok: false, retry: false, error: malformedError(String(e), url) };
    }
  }

  private mayFollow(target: URL): boolean {
    return mayFollowDownload(this.loopback, this.downloadHosts, target);
  }

  private async downloadAttempt<T>(url: string, receive: (body: DownloadBody) => Promise<T>, outer: AbortSignal): Promise<Outcome<T>> {
    // An idle timeout: a large zip on a slow line may take long, but must keep moving.
    const attempt = new Attempt(this.timeoutMs, outer);
    let disposeAttempt = true;
    try {
      const init: RequestInit = { headers: { 'User-Agent': this.userAgent }, signal: attempt.signal, redirect: 'manual' };
      let response: Response;
      try {
        response = await this.http.fetch(url, init);
      } catch (e) {
        throw attempt.error(e, url, STALLED);
      }
      let at = url;
      if (isRedirect(response.status) || response.type === 'opaqueredirect') {
        const followed = await this.followDownloadRedirect(response, url, init, attempt);
        if (!followed.ok) return followed;
        ({ response, at } = followed.value);
      }
      const refused = await downloadRefusal(response, url, at, this.now());
      if (refused) return refused;
      const lengthHeader = response.headers.get('content-length');
      const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
      const body = response.body;
      disposeAttempt = false;
      try {
        return { ok: true, value: await receive({ total, chunks: bodyChunks(body, total, attempt, at) }) };
      } finally {
        attempt.dispose();
        // A receiver that gave up before reading (a size cap, a missing folder) leaves the body unread.
        if (body !== null && !body.locked) await body.cancel().catch(() => undefined);
      }
    } finally {
      if (disposeAttempt) attempt.dispose();
    }
  }

  /**
   * The portal's answer to a download is a redirect to the download host: followed only to
   * an expected host, never with the credentials, and never a second time. A redirect to
   * the login page means the credentials are wrong.
   */
  private async followDownloadRedirect(response: Response, url: string, init: RequestInit, attempt: Attempt): Promise<Outcome<{ response: Response; at: string }>> {
    await discardBody(response);
    const location = response.headers.get('location');
    let target: URL;
    try {
      target = new URL(location ?? '', url);
    } catch {
      return { ok: false, retry: false, error: malformedError('it redirected the download to an invalid address', url) };
    }
    if (location === null) return { ok: false, retry: false, error: malformedError('it redirected the download without saying where', url) };
    // The portal sends missing or wrong credentials to its login page. Only the
    // Location's path can say so: a mod may well be called "login-tools".
    if (target.pathname === '/login' || target.pathname.startsWith('/login/')) return { ok: false, retry: false, error: badCredentials(url) };
    if (!this.mayFollow(target)) {
      return {
        ok: false,
        retry: false,
        error: new PortalError('http', `The Mod Portal sent the download to an unexpected address (${target.protocol}//${target.host}); it was not followed`, {
          status: response.status,
          url,
        }),
      };
    }
    // The download host gets no credentials, even should the Location echo them.
    if (target.searchParams.has('username') || target.searchParams.has('token')) {
      target.searchParams.delete('username');
      target.searchParams.delete('token');
    }
    const at = target.href;
    let next: Response;
    try {
      next = await this.http.fetch(at, { ...init, headers: { 'User-Agent': this.userAgent } });
    } catch (e) {
      throw attempt.error(e, at, STALLED);
    }
    if (isRedirect(next.status)) {
      await discardBody(next);
      return { ok: false, retry: false, error: malformedError('the download host redirected again', at) };
    }
    return { ok: true, value: { response: next, at } };
  }
}

const STALLED = 'The download stalled for';

/** The failure a download's non-2xx answer is (from the portal at `url` or the download host at `at`), or undefined for a 2xx. */
async function downloadRefusal(response: Response, url: string, at: string, now: number): Promise<Outcome<never> | undefined> {
  const status = response.status;
  if (status >= 200 && status < 300) return undefined;
  await discardBody(response);
  if (status === 401) return { ok: false, retry: false, error: badCredentials(at) };
  if (status === 403 && at === url) return { ok: false, retry: false, error: new PortalError('http', DOWNLOAD_FORBIDDEN, { status: 403, url }) };
  if (status === 404 && at === url) {
    return { ok: false, retry: false, error: new PortalError('not-found', `The Mod Portal has no such release (${displayUrl(url)})`, { status, url }) };
  }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  // A refused signed URL (expired, say) gets a fresh one on the next attempt.
  const retry = status === 429 || status === 408 || status >= 500 || (at !== url && (status === 403 || status === 410));
  return { ok: false, error: httpError(status, at, retryAfterMs), retry };
}

/** A download's body as chunks; each chunk re-arms the idle timeout, and a body shorter than its length is cut off. */
async function* bodyChunks(body: ReadableStream<Uint8Array> | null, total: number | undefined, attempt: Attempt, source: string): AsyncGenerator<Uint8Array> {
  let received = 0;
  if (body) {
    const reader = body.getReader();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (e) {
          if (attempt.signal.aborted) throw attempt.error(e, source, STALLED);
          throw cutOff(source);
        }
        if (chunk.done) break;
        attempt.arm();
        received += chunk.value.byteLength;
        yield chunk.value;
      }
    } finally {
      if (!attempt.signal.aborted) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  if (total !== undefined && received < total) throw cutOff(source);
}

const DOWNLOAD_FORBIDDEN = 'The Mod Portal refused the download: this account may not download mods (does it own the game?)';
const BAD_CREDENTIALS = 'The Mod Portal refused the download: username or token is wrong';

/** The portal refused a download because of the account (403), not the credentials. */
export function isDownloadForbidden(e: PortalError): boolean {
  return e.status === 403 && e.message === DOWNLOAD_FORBIDDEN;
}

/** The portal sent a download to its login page (or answered 401): wrong or missing credentials. */
export function isBadCredentials(e: PortalError): boolean {
  return e.status === 401 && e.message === BAD_CREDENTIALS;
}

function badCredentials(url: string): PortalError {
  return new PortalError('http', BAD_CREDENTIALS, { status: 401, url });
}

function cutOff(url: string): PortalError {
  return new PortalError('network', `The download was cut off (${displayUrl(url)})`, { url });
}

function malformedError(what: string, url: string): PortalError {
  return new PortalError('malformed', `The Mod Portal sent an unexpected answer for ${displayUrl(url)}: ${what}`, { url });
}

function safeErrorMessage(text: string): string | undefined {
  try {
    const message = decodeErrorMessage(JSON.parse(text));
    return message === undefined ? undefined : message.slice(0, 200);
  } catch {
    return undefined;
  }
}

/**
 * Splits names (deduplicated, order kept) into namelist batches of at most
 * NAMELIST_BATCH_SIZE names and NAMELIST_MAX_CHARS encoded characters.
 */
export function namelistBatches(names: readonly string[]): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let chars = 0;
  for (const name of new Set(names)) {
    if (name === '') continue;
    const length = encodeURIComponent(name).length + 1;
    if (batch.length > 0 && (batch.length >= NAMELIST_BATCH_SIZE || chars + length > NAMELIST_MAX_CHARS)) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(name);
    chars += length;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

// HTTP access to the Mod Portal with the etiquette its operators ask for: a named
// User-Agent, bounded concurrency, exponential backoff with jitter, Retry-After honoured,
// and identical concurrent requests sent once.

import { decodeErrorMessage, decodeFullModEntry, decodeModEntry, decodeModListResponse } from './decode';
import { PortalError, displayUrl, httpError, redactSecrets } from './errors';
import { abortableSleep, backoffDelay, parseRetryAfter } from './retry';
import { Semaphore } from './semaphore';
import type { FullModEntry, ListQuery, ModEntry, ModListResponse, Release } from './types';

export interface PortalCredentials {
  username: string;
  token: string;
}

export interface PortalClientOptions {
  /** e.g. https://mods.factorio.com (a trailing slash is tolerated). */
  baseUrl: string;
  /** e.g. 'factorio-mod-portal-vscode/0.1.0'. */
  userAgent: string;
  fetch?: typeof globalThis.fetch;
  /** Per attempt, default 15000. */
  timeoutMs?: number;
  /** Per attempt for the whole list (`getAllMods`), default 60000. */
  listTimeoutMs?: number;
  /** Default 3. */
  maxRetries?: number;
  /** Backoff: exponential with full jitter. Defaults 500 and 20000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After the client waits for; longer ones fail at once. Default 60000. */
  maxRetryAfterMs?: number;
  /** Maximum requests in flight, default 4. */
  concurrency?: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Used to turn a Retry-After HTTP date into a delay. */
  now?: () => number;
  /** Never receives a token. */
  log?: (message: string) => void;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (received: number, total?: number) => void;
}

/** Names per namelist request; the portal copes with more but long URLs get rejected by proxies. */
export const NAMELIST_BATCH_SIZE = 50;
/** Bound on the encoded namelist value, well under common 8 KiB URL limits. */
export const NAMELIST_MAX_CHARS = 1800;

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body ended early (connection cut mid-body). */
  truncated: boolean;
}

interface JsonRequest<T> {
  url: string;
  timeoutMs: number;
  /** Single-mod endpoints: a 404 means the mod does not exist. */
  notFoundMod?: string;
  decode: (body: unknown, url: string) => T;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: PortalError; retry: boolean };

interface Shared<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

const NO_SIGNAL = new AbortController().signal;

function cancelledError(url: string): PortalError {
  return new PortalError('cancelled', `The request to the Mod Portal was cancelled (${displayUrl(url)})`, { url });
}

function networkError(url: string, e: unknown): PortalError {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = code ?? (e instanceof Error ? e.message : String(e));
  return new PortalError('network', `Could not reach the Mod Portal (${redactSecrets(detail)}) for ${displayUrl(url)}`, {
    url,
  });
}

function looksLikeHtml(contentType: string | null, text: string): boolean {
  if (contentType !== null && /html/i.test(contentType)) return true;
  const start = text.trimStart().slice(0, 15).toLowerCase();
  return start.startsWith('<!doctype') || start.startsWith('<html') || start.startsWith('<');
}

export class PortalClient {
  private readonly base: string;
  private readonly origin: string;
  private readonly userAgent: string;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly timeoutMs: number;
  private readonly listTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly semaphore: Semaphore;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly inflight = new Map<string, Shared<unknown>>();

  constructor(options: PortalClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.base).origin;
    this.userAgent = options.userAgent;
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.listTimeoutMs = options.listTimeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 20_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.semaphore = new Semaphore(options.concurrency ?? 4);
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
    const log = options.log;
    this.log = log ? (message) => log(redactSecrets(message)) : () => undefined;
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
    let all: ModEntry[] | undefined;
    for await (const page of this.pages({ page_size: 'max' }, options.timeoutMs ?? this.listTimeoutMs, options.signal)) {
      if (all === undefined) all = page.results;
      else for (const mod of page.results) all.push(mod);
    }
    return all ?? [];
  }

  /**
   * Mods by name through `namelist`, in batches sent in parallel under the concurrency
   * limit. A name absent from the map is one the portal says does not exist.
   */
  async getModsByName(names: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Map<string, ModEntry>> {
    const result = new Map<string, ModEntry>();
    const batches = namelistBatches(names);
    const answers = await Promise.all(
      batches.map(async (batch) => {
        const mods: ModEntry[] = [];
        for await (const page of this.pages({ namelist: batch, page_size: 'max' }, this.timeoutMs, options.signal)) {
          for (const mod of page.results) mods.push(mod);
        }
        return mods;
      }),
    );
    for (const mods of answers) for (const mod of mods) result.set(mod.name, mod);
    return result;
  }

  getMod(name: string, signal?: AbortSignal): Promise<ModEntry> {
    const url = `${this.base}/api/mods/${encodeURIComponent(name)}`;
    return this.getJson({ url, timeoutMs: this.timeoutMs, notFoundMod: name, decode: (b, u) => decodeModEntry(b, u) }, signal);
  }

  getFullMod(name: string, signal?: AbortSignal): Promise<FullModEntry> {
    const url = `${this.base}/api/mods/${encodeURIComponent(name)}/full`;
    return this.getJson({ url, timeoutMs: this.timeoutMs, notFoundMod: name, decode: decodeFullModEntry }, signal);
  }

  downloadUrl(release: Release, credentials: PortalCredentials): string {
    const path = release.download_url.startsWith('/') ? release.download_url : `/${release.download_url}`;
    const separator = path.includes('?') ? '&' : '?';
    return (
      `${this.base}${path}${separator}username=${encodeURIComponent(credentials.username)}` +
      `&token=${encodeURIComponent(credentials.token)}`
    );
  }

  /** The release's zip. Checking it against `release.sha1` is the caller's job. */
  async download(release: Release, credentials: PortalCredentials, options: DownloadOptions = {}): Promise<Uint8Array> {
    const url = this.downloadUrl(release, credentials);
    const signal = options.signal ?? NO_SIGNAL;
    for (let attempt = 0; ; attempt++) {
      let outcome: Outcome<Uint8Array>;
      const release_ = await this.acquire(url, signal);
      try {
        outcome = await this.downloadOnce(url, signal, options.onProgress);
      } catch (e) {
        const error = e as PortalError;
        outcome = { ok: false, error, retry: isRetryableKind(error.kind) };
      } finally {
        release_();
      }
      if (outcome.ok) return outcome.value;
      await this.beforeRetry(outcome, attempt, url, outcome.error.retryAfterMs, signal);
    }
  }

  // ---- internals ----

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

  private async *pages(query: ListQuery, timeoutMs: number, signal?: AbortSignal): AsyncGenerator<ModListResponse> {
    let url = this.listUrl(query);
    let page = query.page ?? 1;
    const seen = new Set<string>();
    for (;;) {
      seen.add(url);
      const response = await this.getJson({ url, timeoutMs, decode: decodeModListResponse }, signal);
      yield response;
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

  /** Coalesces identical concurrent GETs; the shared request is aborted only when every waiter has gone. */
  private getJson<T>(request: JsonRequest<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelledError(request.url));
    let shared = this.inflight.get(request.url) as Shared<T> | undefined;
    if (shared === undefined) {
      const controller = new AbortController();
      const promise = this.requestJson(request, controller.signal);
      const entry: Shared<T> = { promise, controller, waiters: 0 };
      shared = entry;
      this.inflight.set(request.url, entry as Shared<unknown>);
      const forget = (): void => {
        if (this.inflight.get(request.url) === (entry as Shared<unknown>)) this.inflight.delete(request.url);
      };
      promise.then(forget, forget);
    }
    return this.wait(shared, request.url, signal);
  }

  private wait<T>(shared: Shared<T>, url: string, signal?: AbortSignal): Promise<T> {
    shared.waiters++;
    if (signal === undefined) return shared.promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        shared.waiters--;
        if (shared.waiters === 0) shared.controller.abort();
        reject(cancelledError(url));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      shared.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private async requestJson<T>(request: JsonRequest<T>, signal: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const release = await this.acquire(request.url, signal);
      let outcome: Outcome<T>;
      const started = this.now();
      try {
        const raw = await this.fetchText(request.url, request.timeoutMs, signal);
        outcome = this.interpret(raw, request);
        this.log(`GET ${displayUrl(request.url)} → ${raw.status} in ${this.now() - started} ms`);
      } catch (e) {
        const error = e as PortalError;
        outcome = { ok: false, error, retry: isRetryableKind(error.kind) };
      } finally {
        release();
      }
      if (outcome.ok) return outcome.value;
      await this.beforeRetry(outcome, attempt, request.url, outcome.error.retryAfterMs, signal);
    }
  }

  /** Throws when no retry should happen; otherwise waits the backoff (or Retry-After) delay. */
  private async beforeRetry(
    outcome: { error: PortalError; retry: boolean },
    attempt: number,
    url: string,
    retryAfterMs: number | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const { error } = outcome;
    const malformedSpent = error.kind === 'malformed' && attempt >= 1;
    if (!outcome.retry || attempt >= this.maxRetries || malformedSpent) {
      this.log(`${error.message}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`);
      throw error;
    }
    if (retryAfterMs !== undefined && retryAfterMs > this.maxRetryAfterMs) {
      this.log(`${error.message}; Retry-After ${Math.round(retryAfterMs / 1000)} s is too long to wait`);
      throw error;
    }
    const delay = Math.max(retryAfterMs ?? 0, backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs, this.random));
    this.log(`${error.message}; retry ${attempt + 1} of ${this.maxRetries} in ${delay} ms`);
    try {
      await this.sleep(delay, signal);
    } catch {
      throw cancelledError(url);
    }
    if (signal.aborted) throw cancelledError(url);
  }

  private async acquire(url: string, signal: AbortSignal): Promise<() => void> {
    try {
      return await this.semaphore.acquire(signal);
    } catch {
      throw cancelledError(url);
    }
  }

  private headers(): Record<string, string> {
    return { 'User-Agent': this.userAgent, Accept: 'application/json' };
  }

  /**
   * One attempt, headers and body. The timeout is for silence, not for the whole
   * transfer: it restarts with every chunk, so a slow line can still download the
   * full mod list while a portal that stops answering is given up on.
   */
  private async fetchText(url: string, timeoutMs: number, outer: AbortSignal): Promise<RawResponse> {
    const attempt = new Attempt(timeoutMs, outer);
    const { controller, arm } = attempt;
    try {
      const response = await this.fetchFn(url, { headers: this.headers(), signal: controller.signal });
      arm();
      let text = '';
      let truncated = false;
      try {
        text = await readBody(response, arm);
      } catch (e) {
        if (controller.signal.aborted) throw e;
        truncated = true;
      }
      return { status: response.status, headers: response.headers, text, truncated };
    } catch (e) {
      if (outer.aborted) throw cancelledError(url);
      if (attempt.timedOut) {
        throw new PortalError('timeout', `The Mod Portal did not answer within ${formatSeconds(timeoutMs)} for ${displayUrl(url)}`, {
          url,
        });
      }
      throw networkError(url, e);
    } finally {
      attempt.dispose();
    }
  }

  private interpret<T>(raw: RawResponse, request: JsonRequest<T>): Outcome<T> {
    const { url } = request;
    const { status } = raw;
    if (status === 404 && request.notFoundMod !== undefined) {
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
      if (portalMessage !== undefined) this.log(`The Mod Portal said: ${portalMessage}`);
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
      return { ok: true, value: request.decode(body, displayUrl(url)) };
    } catch (e) {
      if (e instanceof PortalError) return { ok: false, retry: false, error: e };
      return { ok: false, retry: false, error: malformedError(String(e), url) };
    }
  }

  private async downloadOnce(
    url: string,
    outer: AbortSignal,
    onProgress?: (received: number, total?: number) => void,
  ): Promise<Outcome<Uint8Array>> {
    // An idle timeout: a large zip on a slow line may take long, but must keep moving.
    const attempt = new Attempt(this.timeoutMs, outer);
    const { controller, arm } = attempt;
    try {
      const response = await this.fetchFn(url, {
        headers: { 'User-Agent': this.userAgent },
        signal: controller.signal,
        redirect: 'manual',
      });
      const status = response.status;
      const toLogin = response.type === 'opaqueredirect' || (status >= 300 && status < 400) || /\/login/.test(response.url);
      if (toLogin || status === 401 || status === 403) {
        await response.body?.cancel().catch(() => undefined);
        return {
          ok: false,
          retry: false,
          error: new PortalError('http', 'The Mod Portal refused the download: username or token is wrong', {
            status: 401,
            url,
          }),
        };
      }
      if (status < 200 || status >= 300) {
        await response.body?.cancel().catch(() => undefined);
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now());
        return { ok: false, error: httpError(status, url, retryAfterMs), retry: status === 429 || status >= 500 };
      }
      const lengthHeader = response.headers.get('content-length');
      const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
      const chunks: Uint8Array[] = [];
      let received = 0;
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch (e) {
            if (controller.signal.aborted) throw e;
            return { ok: false, retry: true, error: malformedError('the download was cut off', url) };
          }
          if (chunk.done) break;
          arm();
          chunks.push(chunk.value);
          received += chunk.value.byteLength;
          onProgress?.(received, total);
        }
      }
      if (total !== undefined && received < total) {
        return { ok: false, retry: true, error: malformedError('the download was cut off', url) };
      }
      const bytes = new Uint8Array(received);
      let offset = 0;
      for (const c of chunks) {
        bytes.set(c, offset);
        offset += c.byteLength;
      }
      return { ok: true, value: bytes };
    } catch (e) {
      if (outer.aborted) throw cancelledError(url);
      if (attempt.timedOut) {
        throw new PortalError('timeout', `The download stalled for ${formatSeconds(this.timeoutMs)} (${displayUrl(url)})`, { url });
      }
      throw networkError(url, e);
    } finally {
      attempt.dispose();
    }
  }
}

function isRetryableKind(kind: PortalError['kind']): boolean {
  return kind === 'network' || kind === 'timeout';
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

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/**
 * Splits names (deduplicated, order kept) into namelist batches of at most
 * NAMELIST_BATCH_SIZE names and NAMELIST_MAX_CHARS encoded characters.
 */
/**
 * One request attempt's abort controller: aborted by the caller's signal, or by
 * `timeoutMs` of silence (`arm` restarts the clock whenever data arrives).
 */
class Attempt {
  readonly controller = new AbortController();
  timedOut = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onOuterAbort = (): void => this.controller.abort();

  constructor(
    private readonly timeoutMs: number,
    private readonly outer: AbortSignal,
  ) {
    outer.addEventListener('abort', this.onOuterAbort, { once: true });
    if (outer.aborted) this.controller.abort();
    this.arm();
  }

  readonly arm = (): void => {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  };

  dispose(): void {
    clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onOuterAbort);
  }
}

/** The body as text, calling `onChunk` as data arrives. */
async function readBody(response: Response, onChunk: () => void): Promise<string> {
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    onChunk();
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

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

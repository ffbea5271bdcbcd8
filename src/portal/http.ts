// The one HTTP path to the Mod Portal: an attempt with a silence timeout, reading a
// body, coalescing identical concurrent GETs, and the retry loop (exponential backoff
// with full jitter, Retry-After honoured). JSON requests and downloads both go through it,
// so the etiquette the portal's operators ask for holds for every request.

import { unlessAborted } from './abort';
import { PortalError, cancelledError, displayUrl, redactSecrets, toPortalError } from './errors';
import { abortableSleep, backoffDelay } from './retry';
import { Limiter } from '../util/limit';

export interface HttpOptions {
  fetch?: typeof globalThis.fetch;
  /** Default 3. */
  maxRetries?: number;
  /** Backoff: exponential with full jitter. Defaults 500 and 20000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After waited for; longer ones fail at once. Default 60000. */
  maxRetryAfterMs?: number;
  /** Maximum attempts in flight, default 4. */
  concurrency?: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Never receives a token (messages are redacted first). */
  log?: (message: string) => void;
  /** Each request as it ends: too many for `log` (a short session makes hundreds). Redacted too. */
  trace?: (message: string) => void;
}

/** What one attempt came to: a value, or an error and whether another attempt may help. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: PortalError; retry: boolean };

export interface TextResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body ended early (connection cut mid-body). */
  truncated: boolean;
}

interface Shared<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

const NO_SIGNAL = new AbortController().signal;

/**
 * One request attempt's abort controller: aborted by the caller's signal, or by
 * `timeoutMs` of silence (`arm` restarts the clock whenever data arrives), so a slow
 * line can still fetch the whole list while a portal that stops answering is given up on.
 */
export class Attempt {
  readonly controller = new AbortController();
  timedOut = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onOuterAbort = (): void => this.controller.abort();

  constructor(
    readonly timeoutMs: number,
    private readonly outer: AbortSignal,
  ) {
    outer.addEventListener('abort', this.onOuterAbort, { once: true });
    if (outer.aborted) this.controller.abort();
    this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  readonly arm = (): void => {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  };

  /** The PortalError for `e` thrown during this attempt (cancelled, timed out, or whatever it was). */
  error(e: unknown, url: string, what = 'The Mod Portal did not answer within'): PortalError {
    if (this.outer.aborted) return toPortalError(new DOMException('aborted', 'AbortError'), url);
    if (this.timedOut) {
      return new PortalError('timeout', `${what} ${formatSeconds(this.timeoutMs)} for ${displayUrl(url)}`, { url });
    }
    return toPortalError(e, url);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onOuterAbort);
  }
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
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

/** Drops a body nobody will read, so the connection is freed. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

export class Http {
  readonly fetch: typeof globalThis.fetch;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly limiter: Limiter;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly log: (message: string) => void;
  readonly trace: (message: string) => void;
  private readonly inflight = new Map<string, Shared<unknown>>();

  constructor(options: HttpOptions = {}) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.maxRetries = options.maxRetries ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 20_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.limiter = new Limiter(options.concurrency ?? 4);
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? abortableSleep;
    const log = options.log;
    this.log = log ? (message) => log(redactSecrets(message)) : () => undefined;
    const trace = options.trace ?? log;
    this.trace = trace ? (message) => trace(redactSecrets(message)) : () => undefined;
  }

  /**
   * Runs `attempt` until it succeeds, fails for good, or the retries are spent. Each
   * attempt holds a concurrency slot. PortalErrors it throws are outcomes (network and
   * timeout ones are retried); any other error ends the loop unchanged.
   */
  async withRetries<T>(url: string, signal: AbortSignal | undefined, attempt: (signal: AbortSignal) => Promise<Outcome<T>>): Promise<T> {
    const outer = signal ?? NO_SIGNAL;
    for (let n = 0; ; n++) {
      const release = await this.acquire(url, outer);
      let outcome: Outcome<T>;
      try {
        outcome = await attempt(outer);
      } catch (e) {
        // The attempt converts what fetch throws; anything else is the caller's own error.
        if (!(e instanceof PortalError)) throw e;
        outcome = { ok: false, error: e, retry: e.kind === 'network' || e.kind === 'timeout' };
      } finally {
        release();
      }
      if (outcome.ok) return outcome.value;
      await this.beforeRetry(outcome, n, url, outer);
    }
  }

  /**
   * Identical concurrent requests (same `key`) are sent once; the shared request is
   * aborted only when every waiter has gone.
   */
  coalesce<T>(key: string, url: string, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelledError(url));
    let shared = this.inflight.get(key) as Shared<T> | undefined;
    if (shared === undefined) {
      const controller = new AbortController();
      const promise = run(controller.signal);
      const entry: Shared<T> = { promise, controller, waiters: 0 };
      shared = entry;
      this.inflight.set(key, entry as Shared<unknown>);
      const forget = (): void => {
        if (this.inflight.get(key) === (entry as Shared<unknown>)) this.inflight.delete(key);
      };
      promise.then(forget, forget);
    }
    return wait(shared, url, signal);
  }

  /** One GET attempt, headers and whole body as text. */
  async getText(url: string, headers: Record<string, string>, timeoutMs: number, outer: AbortSignal): Promise<TextResponse> {
    const attempt = new Attempt(timeoutMs, outer);
    try {
      const response = await this.fetch(url, { headers, signal: attempt.signal });
      attempt.arm();
      let text = '';
      let truncated = false;
      try {
        text = await readBody(response, attempt.arm);
      } catch (e) {
        if (attempt.signal.aborted) throw e;
        truncated = true;
      }
      return { status: response.status, headers: response.headers, text, truncated };
    } catch (e) {
      throw attempt.error(e, url);
    } finally {
      attempt.dispose();
    }
  }

  /** Throws when no retry should happen; otherwise waits the backoff (or Retry-After) delay. */
  private async beforeRetry(outcome: { error: PortalError; retry: boolean }, attempt: number, url: string, signal: AbortSignal): Promise<void> {
    const { error } = outcome;
    const retryAfterMs = error.retryAfterMs;
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
      return await this.limiter.acquire(signal);
    } catch {
      throw cancelledError(url);
    }
  }
}

function wait<T>(shared: Shared<T>, url: string, signal?: AbortSignal): Promise<T> {
  shared.waiters++;
  return unlessAborted(shared.promise, signal, {
    url,
    // The last caller to stop waiting stops the request itself.
    onAbort: () => {
      shared.waiters--;
      if (shared.waiters === 0) shared.controller.abort();
    },
  });
}

// Every failure that reaches the rest of the extension is a PortalError, so callers can
// switch on `kind` instead of guessing from TypeErrors or fetch internals.

import { messageOf } from '../util/errors';

export type PortalErrorKind = 'not-found' | 'network' | 'timeout' | 'http' | 'malformed' | 'cancelled';

export interface PortalErrorOptions {
  status?: number;
  url?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class PortalError extends Error {
  readonly kind: PortalErrorKind;
  readonly status?: number;
  /** Always redacted: never holds a token. */
  readonly url: string;
  readonly retryAfterMs?: number;

  /** `options` may be just the URL. */
  constructor(kind: PortalErrorKind, message: string, options: PortalErrorOptions | string = {}) {
    if (typeof options === 'string') options = { url: options };
    super(redactSecrets(message), options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'PortalError';
    this.kind = kind;
    this.url = redactSecrets(options.url ?? '');
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export function isPortalError(e: unknown): e is PortalError {
  return e instanceof PortalError;
}

/**
 * The one conversion of anything thrown around a request into a PortalError: a
 * PortalError stays as it is, an abort is 'cancelled', anything else is 'network' with
 * the system's error code (ECONNREFUSED, ENOTFOUND...) when there is one.
 */
export function toPortalError(e: unknown, url = ''): PortalError {
  if (e instanceof PortalError) return e;
  const name = (e as { name?: unknown } | undefined)?.name;
  if (name === 'AbortError') {
    const where = url === '' ? '' : ` (${displayUrl(url)})`;
    return new PortalError('cancelled', `The request to the Mod Portal was cancelled${where}`, { url });
  }
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = code ?? messageOf(e);
  const where = url === '' ? '' : ` for ${displayUrl(url)}`;
  return new PortalError('network', `Could not reach the Mod Portal (${redactSecrets(detail)})${where}`, { url });
}

/** The error every wait, request or download gives when its caller cancels it. */
export function cancelledError(url = ''): PortalError {
  return toPortalError(new DOMException('aborted', 'AbortError'), url);
}

/**
 * Replaces secrets with `***`: the value of every `token=` (and `password=`) query
 * parameter, and `service-token`/`token` values as player-data.json writes them.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/([?&;](?:token|password)=)[^&#\s"']*/gi, '$1***')
    .replace(/("(?:service-token|token|password)"\s*:\s*")[^"]*/gi, '$1***');
}

/** The path and query of a URL, redacted, for messages; the whole string if it is not a URL. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return redactSecrets(u.pathname + u.search);
  } catch {
    return redactSecrets(url);
  }
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : 'Unexpected Status');
}

export function httpError(status: number, url: string, retryAfterMs?: number): PortalError {
  const hint = status === 429 ? ': too many requests, try again later' : status === 403 ? ': access refused' : '';
  const options: PortalErrorOptions = { status, url };
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  return new PortalError(
    'http',
    `The Mod Portal answered ${status} (${statusText(status)}) for ${displayUrl(url)}${hint}`,
    options,
  );
}

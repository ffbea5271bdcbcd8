// A local Factorio Mod Portal on 127.0.0.1: the API over a generated or loaded dataset
// (with ETag / Last-Modified and 304 answers), release downloads as the real portal
// serves them (a 302 to a signed, expiring URL on a second listener that plays the
// download host), fault injection, and a control API for tests that cannot reach this
// object (integration tests inside VS Code).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { Release, SortKey, SortOrder } from '../../src/portal/types';
import { generateDataset } from './dataset';
import { ListIndex, type ListFilter } from './list-index';
import { attachReleaseHashes, type DatasetMod, type PortalDataset } from './records';
import { assetPng } from './png';
import { buildReleaseZip } from './release-zip';
import { DEFAULT_API_KEYS, Publishing, type ApiAnswer, type ApiKey } from './publishing';

export { DEFAULT_API_KEYS, LICENSES, LIMITS, SCOPES, type ApiKey, type Scope } from './publishing';

export interface Faults {
  /** Added before every matching response. */
  latencyMs?: number;
  /** Bodies of matching responses are sent at this rate (a slow link), in bytes per second. */
  bytesPerSecond?: number;
  /** Answer with this status instead (404: an HTML page, as a proxy or a wrong base path gives). */
  status?: 500 | 503 | 429 | 403 | 404;
  /** Retry-After header (with 429/503). */
  retryAfterSeconds?: number;
  /** 200 with correct headers, only part of the body, then the socket ends. */
  truncate?: boolean;
  /** 200 text/html error page instead of JSON. */
  html?: boolean;
  /** Accept the request and never answer (until close()). */
  hang?: boolean;
  /** Downloads succeed with the right length but flipped bytes, so the sha1 mismatches. */
  corruptDownload?: boolean;
  /** The download host answers 403 to the signed URL (as for an expired signature). */
  expiredDownload?: boolean;
  /** Management API (`/api/v2/`) and upload requests: answer 500 `{"error": apiError}` (as for InternalError or Unknown). */
  apiError?: string;
  /** Uploads to an upload URL are read at this rate, in bytes per second (a slow uplink). */
  uploadBytesPerSecond?: number;
  /** Apply to this many matching requests, then behave normally (default: every request). */
  times?: number;
  /** Only requests whose path+query contains this substring (default: all /api/ and /download/ requests). */
  match?: string;
}

export interface RequestRecord {
  method: string;
  /** Path and query. */
  url: string;
  userAgent?: string;
  at: number;
  /** Which listener answered: the portal, or the second host (downloads it redirects to, upload URLs it hands out). */
  host: 'portal' | 'download';
  /** The request carried the username, the token or an API key (query, header or cookie). */
  credentials: boolean;
  /** Every header as it came (lower-case names). */
  headers: Record<string, string>;
  /** Management API requests: the names of the form fields sent (never their values). */
  fields?: string[];
}

export interface PortalServer {
  /** e.g. http://127.0.0.1:43219 (no trailing slash). */
  readonly url: string;
  /** The download host, another port on 127.0.0.1 (no trailing slash). */
  readonly downloadUrl: string;
  readonly dataset: PortalDataset;
  readonly credentials: { username: string; token: string };
  /** Valid credentials of an account that may not download (answered 403). */
  readonly forbiddenCredentials: { username: string; token: string };
  /** Keys the management API (`/api/v2/`) accepts, with their owner and scopes. */
  readonly apiKeys: readonly ApiKey[];
  setFaults(faults: Faults | undefined): void;
  /** Every request to either listener except the control API, in order. */
  readonly requests: RequestRecord[];
  clearRequests(): void;
  /** Serves another dataset from now on (drops every cache). */
  setDataset(dataset: PortalDataset): void;
  /** Drops cached responses; call after changing the dataset's objects in place. */
  invalidate(): void;
  /** Also ends hanging requests and open sockets. */
  close(): Promise<void>;
}

export interface PortalServerOptions {
  /** 0 (default) = any free port. */
  port?: number;
  dataset?: PortalDataset;
  /** Generated mods when no dataset is given (default 200, plus the fixed CASES). */
  mods?: number;
  seed?: number;
  faults?: Faults;
  credentials?: { username: string; token: string };
  /** An account that may not download (for example one that does not own the game). */
  forbiddenCredentials?: { username: string; token: string };
  /** Keys of the management API, default DEFAULT_API_KEYS. */
  apiKeys?: readonly ApiKey[];
  /** How long a signed download URL stays valid, default 3600 s. */
  signedUrlSeconds?: number;
  /** Clock for RequestRecord.at and signed URL expiry. */
  now?: () => number;
}

export const DEFAULT_CREDENTIALS = { username: 'test-user', token: 'test-token-123' } as const;
export const FORBIDDEN_CREDENTIALS = { username: 'no-game-user', token: 'no-game-token-456' } as const;

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

class BadRequest extends Error {}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=900, public' };
/** The real portal's thumbnails are 144 pixels square. */
export const THUMB_SIZE = 144;
export const IMAGE_SIZE = 320;
const SORT_KEYS: readonly string[] = ['name', 'created_at', 'updated_at'];

function jsonReply(status: number, body: string | Buffer): Reply {
  return { status, headers: { ...JSON_HEADERS }, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body };
}

function apiReply(answer: ApiAnswer): Reply {
  return { status: answer.status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: Buffer.from(JSON.stringify(answer.body), 'utf8') };
}

function messageReply(status: number, message: string): Reply {
  return jsonReply(status, JSON.stringify({ message }));
}

function htmlReply(status: number, title: string, text: string): Reply {
  const page = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: Buffer.from(page, 'utf8') };
}

const STATUS_TEXT: Record<number, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function faultReply(faults: Faults): Reply {
  const status = faults.status ?? 500;
  const text = STATUS_TEXT[status] ?? 'Error';
  // Gateways answer 5xx with HTML pages, and so does anything that is not the API for a
  // 404 (a proxy, a wrong base path); the application itself answers other 4xx in JSON.
  const reply =
    status >= 500 || status === 404
      ? htmlReply(status, `${status} ${text}`, status === 404 ? 'The page you are looking for does not exist.' : 'The server is temporarily unable to answer.')
      : messageReply(status, text);
  if (faults.retryAfterSeconds !== undefined) reply.headers['Retry-After'] = String(faults.retryAfterSeconds);
  return reply;
}

/** `?hide_deprecated` alone counts as true; false, 0 and no as false. */
function parseBoolean(value: string): boolean {
  return !['false', '0', 'no'].includes(value.toLowerCase());
}

function parsePositiveInt(key: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new BadRequest(`${key}: expected a positive integer, got "${value}"`);
  return Number(value);
}

const FAULT_FIELD_TYPES: Record<keyof Faults, 'number' | 'boolean' | 'string'> = {
  latencyMs: 'number',
  bytesPerSecond: 'number',
  status: 'number',
  retryAfterSeconds: 'number',
  truncate: 'boolean',
  html: 'boolean',
  hang: 'boolean',
  corruptDownload: 'boolean',
  expiredDownload: 'boolean',
  apiError: 'string',
  uploadBytesPerSecond: 'number',
  times: 'number',
  match: 'string',
};

/** Why a control request's body is not a Faults object, or undefined when it is one. */
function faultsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object or null';
  for (const [key, field] of Object.entries(value)) {
    const expected = FAULT_FIELD_TYPES[key as keyof Faults];
    if (!expected) return `unknown field "${key}"`;
    if (field !== undefined && field !== null && typeof field !== expected) return `"${key}" must be a ${expected}`;
  }
  return undefined;
}

interface FileFaults {
  corrupt: boolean;
  truncate: boolean;
  expired: boolean;
}

/** The real download host's path for a release: `/files/<xx>/<hex>`. */
function filePath(downloadUrl: string): string {
  const hex = createHash('sha1').update(downloadUrl).digest('hex');
  return `/files/${hex.slice(0, 2)}/${hex}`;
}

function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

class LocalPortal implements PortalServer {
  url = '';
  downloadUrl = '';
  readonly requests: RequestRecord[] = [];
  private index: ListIndex;
  private downloads = new Map<string, { mod: DatasetMod; release: Release }>();
  private files = new Map<string, { mod: DatasetMod; release: Release }>();
  /** Faults a /download/ request took that the download host acts on, by signature. */
  private readonly fileFaults = new Map<string, FileFaults>();
  private readonly secret = randomBytes(32);
  /** Last-Modified of every API answer: when the current data began to be served. */
  private lastModified: number;
  private faults: Faults | undefined;
  private remaining: number | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: http.Server;
  private readonly downloadServer: http.Server;
  private closed = false;
  private readonly publishing: Publishing;

  constructor(
    dataset: PortalDataset,
    readonly credentials: { username: string; token: string },
    readonly forbiddenCredentials: { username: string; token: string },
    readonly apiKeys: readonly ApiKey[],
    private readonly signedUrlSeconds: number,
    private readonly now: () => number,
  ) {
    this.lastModified = now();
    this.publishing = new Publishing(apiKeys, {
      uploadBase: () => this.downloadUrl,
      find: (name) => this.index.find(name),
      add: (mod) => {
        this.dataset.mods.push(mod);
        this.invalidate();
      },
      changed: () => this.invalidate(),
      now: () => this.now(),
    });
    this.index = this.indexFor(dataset);
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.downloadServer = http.createServer((req, res) => this.handleFile(req, res));
    for (const server of [this.server, this.downloadServer]) {
      server.on('connection', (socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      });
    }
  }

  get dataset(): PortalDataset {
    return this.index.dataset;
  }

  async listen(port: number): Promise<void> {
    const listen = (server: http.Server, at: number): Promise<string> =>
      new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(at, '127.0.0.1', () => {
          server.off('error', reject);
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        });
      });
    this.url = await listen(this.server, port);
    this.downloadUrl = await listen(this.downloadServer, 0);
  }

  setFaults(faults: Faults | undefined): void {
    this.faults = faults ? { ...faults } : undefined;
    this.remaining = faults?.times;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  setDataset(dataset: PortalDataset): void {
    this.index.dispose();
    this.index = this.indexFor(dataset);
    // Strictly later, so a client's If-Modified-Since from the old data does not match.
    this.lastModified = Math.max(this.now(), this.lastModified + 1000);
  }

  invalidate(): void {
    this.setDataset(this.index.dataset);
  }

  close(): Promise<void> {
    this.closed = true;
    this.index.dispose();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closing = [this.server, this.downloadServer].map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    for (const socket of this.sockets) socket.destroy();
    return Promise.all(closing).then(() => undefined);
  }

  private indexFor(dataset: PortalDataset): ListIndex {
    attachReleaseHashes(dataset, true);
    const index = new ListIndex(dataset);
    index.warmUp();
    this.downloads = new Map();
    this.files = new Map();
    for (const mod of dataset.mods) {
      for (const release of mod.releases) {
        this.downloads.set(release.download_url, { mod, release });
        this.files.set(filePath(release.download_url), { mod, release });
      }
    }
    return index;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      this.dispatch(req, res);
    } catch (error) {
      console.error(error);
      if (!res.headersSent) this.send(res, messageReply(500, 'Internal error'), false);
    }
  }

  private dispatch(req: http.IncomingMessage, res: http.ServerResponse): void {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://127.0.0.1');
    if (url.pathname.startsWith('/__control/')) {
      this.control(req, res, url.pathname);
      return;
    }
    const record = this.record(req, 'portal');

    const faults = this.takeFaults(url.pathname, rawUrl);
    const respond = (): void => {
      if (this.closed) return;
      if (faults?.hang) return;
      if (faults?.status !== undefined) return this.send(res, faultReply(faults), false);
      if (faults?.html) return this.send(res, htmlReply(200, 'Mod Portal', 'Something went wrong. Please try again later.'), false);
      if (faults?.apiError !== undefined && url.pathname.startsWith('/api/v2/')) {
        req.resume();
        return this.send(res, apiReply({ status: 500, body: { error: faults.apiError, message: 'Something went wrong' } }), false);
      }
      if (url.pathname.startsWith('/api/v2/')) {
        void this.publishing.api(req, url.pathname, (names) => (record.fields = names)).then((answer) => this.send(res, apiReply(answer), faults?.truncate === true));
        return;
      }
      let reply: Reply;
      const isDownload = url.pathname.startsWith('/download/');
      try {
        reply = this.route(req.method ?? 'GET', url, {
          corrupt: faults?.corruptDownload === true,
          truncate: faults?.truncate === true,
          expired: faults?.expiredDownload === true,
        });
        reply = this.conditional(req, url, reply);
      } catch (error) {
        reply = error instanceof BadRequest ? messageReply(400, error.message) : messageReply(500, 'Internal error');
        if (!(error instanceof BadRequest)) console.error(error);
      }
      if ((faults?.bytesPerSecond ?? 0) > 0 && !faults?.truncate) return this.sendPaced(res, reply, faults!.bytesPerSecond!);
      // A download's truncation happens at the download host, on the zip.
      this.send(res, reply, faults?.truncate === true && !isDownload);
    };
    if (faults?.latencyMs !== undefined && faults.latencyMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        respond();
      }, faults.latencyMs);
      this.timers.add(timer);
    } else {
      respond();
    }
  }

  /** The faults that apply to this request, counting it against `times`. */
  private takeFaults(pathname: string, rawUrl: string): Faults | undefined {
    const faults = this.faults;
    if (!faults) return undefined;
    const isApi = pathname.startsWith('/api/') || pathname === '/api';
    const isDownload = pathname.startsWith('/download/');
    const isUpload = pathname.startsWith('/upload/');
    if (!isApi && !isDownload && !isUpload) return undefined;
    if (faults.match !== undefined && !rawUrl.includes(faults.match)) return undefined;
    const affectsAny =
      (faults.latencyMs ?? 0) > 0 || (faults.bytesPerSecond ?? 0) > 0 || faults.status !== undefined || faults.truncate === true || faults.html === true || faults.hang === true;
    const affectsDownload = faults.corruptDownload === true || faults.expiredDownload === true;
    const affectsManagement = (faults.apiError !== undefined && (pathname.startsWith('/api/v2/') || isUpload)) || ((faults.uploadBytesPerSecond ?? 0) > 0 && isUpload);
    if (isUpload && !affectsManagement) return undefined;
    if (!affectsAny && !(affectsDownload && isDownload) && !affectsManagement) return undefined;
    if (this.remaining !== undefined) {
      if (this.remaining <= 0) return undefined;
      this.remaining--;
    }
    return faults;
  }

  private record(req: http.IncomingMessage, host: RequestRecord['host']): RequestRecord {
    const rawUrl = req.url ?? '/';
    const query = new URL(rawUrl, 'http://127.0.0.1').searchParams;
    const secrets = [this.credentials.username, this.credentials.token, this.forbiddenCredentials.username, this.forbiddenCredentials.token];
    const headerText = Object.entries(req.headers)
      .filter(([key]) => key !== 'host')
      .map(([, value]) => String(value))
      .join('\n');
    const credentials =
      query.has('username') ||
      query.has('token') ||
      req.headers.authorization !== undefined ||
      secrets.some((secret) => headerText.includes(secret)) ||
      this.publishing.holdsKey(`${rawUrl}\n${headerText}`);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : String(value)]));
    const record: RequestRecord = { method: req.method ?? 'GET', url: rawUrl, at: this.now(), host, credentials, headers };
    const userAgent = req.headers['user-agent'];
    if (userAgent !== undefined) record.userAgent = userAgent;
    this.requests.push(record);
    return record;
  }

  /** ETag and Last-Modified on the API's answers, and 304 when the client's copy is current. */
  private conditional(req: http.IncomingMessage, url: URL, reply: Reply): Reply {
    if (!url.pathname.startsWith('/api/') || reply.status !== 200 || (req.method !== 'GET' && req.method !== 'HEAD')) return reply;
    const etag = `"${createHash('sha1').update(reply.body).digest('hex')}"`;
    const lastModified = httpDate(this.lastModified);
    const validators = { ETag: etag, 'Last-Modified': lastModified };
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    let fresh = false;
    if (ifNoneMatch !== undefined) {
      const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
      fresh = tags.includes('*') || tags.includes(etag);
    } else if (ifModifiedSince !== undefined) {
      const since = Date.parse(ifModifiedSince);
      fresh = !Number.isNaN(since) && Math.floor(this.lastModified / 1000) * 1000 <= since;
    }
    if (fresh) return { status: 304, headers: { 'Cache-Control': JSON_HEADERS['Cache-Control'], ...validators }, body: Buffer.alloc(0) };
    return { ...reply, headers: { ...reply.headers, ...validators } };
  }

  private send(res: http.ServerResponse, reply: Reply, truncate: boolean): void {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(reply.body.length) });
    if (!truncate) {
      res.end(reply.body);
      return;
    }
    // Promise the whole body, deliver part of it, then drop the connection.
    const part = reply.body.subarray(0, Math.max(1, Math.floor(reply.body.length / 2)));
    res.write(part, () => res.socket?.destroy());
  }

  /** The body in slices, each after the time it takes at `bytesPerSecond`. */
  private sendPaced(res: http.ServerResponse, reply: Reply, bytesPerSecond: number): void {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(reply.body.length) });
    const slice = Math.max(1, Math.floor(bytesPerSecond / 50));
    let at = 0;
    const next = (): void => {
      if (this.closed || res.destroyed) return;
      const part = reply.body.subarray(at, at + slice);
      at += part.length;
      if (at >= reply.body.length) {
        res.end(part);
        return;
      }
      res.write(part);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        next();
      }, (part.length / bytesPerSecond) * 1000);
      this.timers.add(timer);
    };
    next();
  }

  private route(method: string, url: URL, fileFaults: FileFaults): Reply {
    const { pathname } = url;
    if (pathname === '/api/mods' || pathname === '/api/mods/') {
      if (method !== 'GET' && method !== 'HEAD') return messageReply(405, 'Method not allowed');
      return this.list(url);
    }
    if (pathname.startsWith('/api/mods/')) {
      if (method !== 'GET' && method !== 'HEAD') return messageReply(405, 'Method not allowed');
      return this.modDetails(pathname.slice('/api/mods/'.length));
    }
    if (pathname.startsWith('/api/')) return messageReply(404, 'Not found');
    if (pathname.startsWith('/download/')) return this.download(url, fileFaults);
    if (pathname.startsWith('/assets/')) {
      if (method !== 'GET' && method !== 'HEAD') return messageReply(405, 'Method not allowed');
      return this.asset(pathname);
    }
    if (pathname === '/login') return htmlReply(200, 'Log in', 'Log in to the Factorio Mod Portal to download mods.');
    return htmlReply(404, 'Not found', 'The page you are looking for does not exist.');
  }

  private modDetails(rest: string): Reply {
    const parts = rest.split('/');
    const full = parts.length === 2 && parts[1] === 'full';
    if (parts.length > 2 || (parts.length === 2 && !full && parts[1] !== '')) return messageReply(404, 'Not found');
    let name: string;
    try {
      name = decodeURIComponent(parts[0]);
    } catch {
      return messageReply(404, 'Mod not found');
    }
    const mod = this.index.find(name);
    if (!mod) return messageReply(404, 'Mod not found');
    return jsonReply(200, full ? this.index.fullJson(mod) : this.index.shortJson(mod));
  }

  private list(url: URL): Reply {
    const params = url.searchParams;
    const filter: ListFilter = { hideDeprecated: false };
    const hide = params.get('hide_deprecated');
    if (hide !== null) filter.hideDeprecated = parseBoolean(hide);
    const version = params.get('version');
    if (version !== null && version !== '') {
      if (!/^\d+\.\d+$/.test(version)) throw new BadRequest(`version: expected a Factorio version such as 2.0, got "${version}"`);
      filter.version = version;
    }
    const namelist = params
      .getAll('namelist')
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (params.has('namelist')) filter.namelist = namelist;

    const sortParam = params.get('sort') ?? 'name';
    if (!SORT_KEYS.includes(sortParam)) throw new BadRequest(`sort: expected name, created_at or updated_at, got "${sortParam}"`);
    const orderParam = params.get('sort_order') ?? 'desc';
    if (orderParam !== 'asc' && orderParam !== 'desc') throw new BadRequest(`sort_order: expected asc or desc, got "${orderParam}"`);
    const pageSizeParam = params.get('page_size');
    const max = pageSizeParam === 'max';
    const pageSize = pageSizeParam === null || max ? 25 : parsePositiveInt('page_size', pageSizeParam);
    const pageParam = params.get('page');
    const page = pageParam === null ? 1 : parsePositiveInt('page', pageParam);

    if (filter.namelist) {
      const entries = this.index.select(filter).map((m) => this.index.namelistEntryJson(m));
      return jsonReply(200, `{"pagination":null,"results":[${entries.join(',')}]}`);
    }
    if (max) return jsonReply(200, this.index.maxBody(filter));

    const mods = this.index.select(filter, sortParam as SortKey, orderParam as SortOrder);
    const count = mods.length;
    const pageCount = Math.ceil(count / pageSize);
    const slice = mods.slice((page - 1) * pageSize, page * pageSize);
    const link = (target: number): string => {
      const query = new URLSearchParams();
      for (const [key, value] of params) if (key !== 'page') query.append(key, value);
      if (target > 1) query.append('page', String(target));
      const text = query.toString();
      return `${this.url}/api/mods${text ? `?${text}` : ''}`;
    };
    const pagination = {
      count,
      page,
      page_count: pageCount,
      page_size: pageSize,
      links: {
        first: page > 1 ? link(1) : null,
        prev: page > 1 ? link(page - 1) : null,
        next: page < pageCount ? link(page + 1) : null,
        last: page < pageCount ? link(pageCount) : null,
      },
    };
    const results = slice.map((m) => this.index.listEntryJson(m)).join(',');
    return jsonReply(200, `{"pagination":${JSON.stringify(pagination)},"results":[${results}]}`);
  }

  /** Thumbnails (`<sha1>.thumb.png`) and full images (`<sha1>.png`); `/assets/.thumb.png`, the portal's "none", is not found. */
  private asset(pathname: string): Reply {
    const match = /^\/assets\/([0-9a-f]{40})(\.thumb)?\.png$/.exec(pathname);
    if (!match) return htmlReply(404, 'Not found', 'No such file.');
    return {
      status: 200,
      headers: { 'Content-Type': 'image/png', 'Cache-Control': 'max-age=86400, public' },
      body: assetPng(match[1], match[2] ? THUMB_SIZE : IMAGE_SIZE),
    };
  }

  private signature(path: string, expiry: number): string {
    return createHmac('sha256', this.secret).update(`${path},${expiry}`).digest('base64url').slice(0, 22);
  }

  /** The portal's side: check the credentials, then send the client to a signed URL on the download host. */
  private download(url: URL, fileFaults: FileFaults): Reply {
    const found = this.downloads.get(url.pathname);
    if (!found) return htmlReply(404, 'Not found', 'No such file.');
    const username = url.searchParams.get('username');
    const token = url.searchParams.get('token');
    if (username === this.forbiddenCredentials.username && token === this.forbiddenCredentials.token) {
      return htmlReply(403, 'Forbidden', 'This account may not download mods.');
    }
    if (username !== this.credentials.username || token !== this.credentials.token) {
      return {
        status: 302,
        headers: { Location: `${this.url}/login?next=${encodeURIComponent(url.pathname)}`, 'Content-Type': 'text/html; charset=utf-8' },
        body: Buffer.from('<p>Redirecting to the login page.</p>\n', 'utf8'),
      };
    }
    const path = filePath(found.release.download_url);
    const expiry = Math.floor(this.now() / 1000) + this.signedUrlSeconds;
    const signature = this.signature(path, expiry);
    if (fileFaults.corrupt || fileFaults.truncate || fileFaults.expired) this.fileFaults.set(signature, fileFaults);
    return {
      status: 302,
      headers: { Location: `${this.downloadUrl}${path}?secure=${signature},${expiry}`, 'Content-Type': 'text/html; charset=utf-8' },
      body: Buffer.from('<p>Redirecting to the download.</p>\n', 'utf8'),
    };
  }

  /** The download host: serves a zip for a valid, unexpired signature, and never looks at credentials. */
  private handleFile(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.closed) return;
    this.record(req, 'download');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/upload/')) {
      const faults = this.takeFaults(url.pathname, req.url ?? '/');
      if (faults?.apiError !== undefined) {
        req.resume();
        this.send(res, apiReply({ status: 500, body: { error: faults.apiError, message: 'Something went wrong' } }), false);
        return;
      }
      void this.publishing.upload(req, url.pathname, faults?.uploadBytesPerSecond).then((answer) => this.send(res, apiReply(answer), false));
      return;
    }
    const found = this.files.get(url.pathname);
    const [signature = '', expiryText = ''] = (url.searchParams.get('secure') ?? '').split(',');
    const expected = this.signature(url.pathname, Number(expiryText));
    const valid =
      found !== undefined &&
      /^\d+$/.test(expiryText) &&
      signature.length === expected.length &&
      timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) &&
      Number(expiryText) * 1000 > this.now();
    // Used once: a later download in the same second gets the same signature.
    const faults = this.fileFaults.get(signature);
    this.fileFaults.delete(signature);
    if (!valid || faults?.expired) {
      this.send(res, htmlReply(403, '403 Forbidden', 'This link is invalid or has expired.'), false);
      return;
    }
    let zip = this.publishing.zips.get(found.release.download_url) ?? buildReleaseZip(found.mod, found.release);
    if (faults?.corrupt) {
      zip = Buffer.from(zip);
      // Flip bytes inside the stored info.json, keeping the length.
      const from = Math.floor(zip.length / 3);
      for (let i = from; i < from + 16 && i < zip.length; i++) zip[i] ^= 0xff;
    }
    const reply: Reply = {
      status: 200,
      headers: {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${found.release.file_name}"`,
      },
      body: zip,
    };
    this.send(res, reply, faults?.truncate === true);
  }

  private control(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void {
    const noContent = (): void => {
      res.writeHead(204);
      res.end();
    };
    if (pathname === '/__control/requests' && req.method === 'GET') {
      this.send(res, { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: Buffer.from(JSON.stringify(this.requests), 'utf8') }, false);
      return;
    }
    if (pathname === '/__control/clear-requests' && req.method === 'POST') {
      req.resume();
      this.clearRequests();
      noContent();
      return;
    }
    if (pathname === '/__control/faults' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 65536) chunks.push(chunk);
      });
      req.on('end', () => {
        let body: unknown;
        try {
          const text = Buffer.concat(chunks).toString('utf8').trim();
          body = text === '' ? null : JSON.parse(text);
        } catch {
          this.send(res, messageReply(400, 'Body must be a JSON Faults object or null'), false);
          return;
        }
        const problem = body === null ? undefined : faultsProblem(body);
        if (problem) {
          this.send(res, messageReply(400, `Faults: ${problem}`), false);
          return;
        }
        // A null field means "not set", like an absent one.
        const faults = body === null ? undefined : (Object.fromEntries(Object.entries(body as Faults).filter(([, v]) => v !== null)) as Faults);
        this.setFaults(faults);
        noContent();
      });
      return;
    }
    this.send(res, messageReply(404, 'Unknown control endpoint'), false);
  }
}

export async function startPortalServer(options: PortalServerOptions = {}): Promise<PortalServer> {
  const dataset = options.dataset ?? generateDataset({ mods: options.mods ?? 200, seed: options.seed ?? 1 });
  const portal = new LocalPortal(
    dataset,
    { ...(options.credentials ?? DEFAULT_CREDENTIALS) },
    { ...(options.forbiddenCredentials ?? FORBIDDEN_CREDENTIALS) },
    (options.apiKeys ?? DEFAULT_API_KEYS).map((k) => ({ ...k, scopes: [...k.scopes] })),
    options.signedUrlSeconds ?? 3600,
    options.now ?? Date.now,
  );
  portal.setFaults(options.faults);
  await portal.listen(options.port ?? 0);
  return portal;
}

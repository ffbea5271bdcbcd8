// A small real download for the install tests: the local portal's /download/ endpoint
// (credentials in the query, as the real portal wants them, then its redirect), streamed
// into a temporary file beside the target and renamed when complete.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DownloadRelease } from '../../../src/mods/install';

export function portalDownload(baseUrl: string, credentials: { username: string; token: string }): DownloadRelease {
  return async (release, { folder, fileName, signal, onProgress }) => {
    const url = new URL(release.download_url, baseUrl);
    url.searchParams.set('username', credentials.username);
    url.searchParams.set('token', credentials.token);
    const res = await fetch(url, { signal });
    if (res.status !== 200 || res.headers.get('content-type') !== 'application/zip' || !res.body) {
      await res.body?.cancel();
      throw new Error(`download of ${fileName} failed: HTTP ${res.status}`);
    }
    const total = Number(res.headers.get('content-length')) || undefined;
    const target = path.join(folder, fileName);
    const temp = path.join(folder, `.${fileName}.${randomBytes(4).toString('hex')}.part`);
    const hash = createHash('sha1');
    let bytes = 0;
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      onProgress(bytes, total);
    });
    try {
      await pipeline(body, createWriteStream(temp, { flags: 'wx' }), { signal });
      if (total !== undefined && bytes !== total) throw new Error(`download of ${fileName} ended early`);
      await fs.rename(temp, target);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw err;
    }
    return { path: target, sha1: hash.digest('hex'), bytes };
  };
}

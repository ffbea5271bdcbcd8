import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PortalCache, LIST_FILE } from '../../src/portal/cache';
import { PortalClient } from '../../src/portal/client';
import { FileCacheStorage } from '../../src/portal/storage';
import { decodeModListCompact } from '../../src/portal/listFile';
import { decodeIndexSnapshot } from '../../src/portal/indexFile';
import { ModIndex } from '../../src/portal/search';
import { startPortalServer } from '../portal-server/server';
const gc = (globalThis as any).gc as () => void;
const heap = () => { gc(); gc(); const u = process.memoryUsage(); return u.heapUsed + u.arrayBuffers; };
const mb = (b: number) => (b / 1048576).toFixed(2);
void (async () => {
  const dir = '/tmp/hb/cache';
  const n = Number(process.argv[2] ?? 50000);
  if (process.argv[3] === 'make') {
    const server = await startPortalServer({ mods: n, seed: 11 });
    const c = new PortalCache({ client: new PortalClient({ baseUrl: server.url, userAgent: 'x', listTimeoutMs: 300000 }), storage: new FileCacheStorage(dir) });
    await c.getIndex(); await c.flush(); await server.close(); return;
  }
  const h0 = heap();
  let text: string | undefined = readFileSync(path.join(dir, LIST_FILE), 'utf8');
  const bytes = readFileSync(path.join(dir, 'mod-index.bin'));
  const h1 = heap();
  let t = performance.now();
  const { mods, fetchedAt } = decodeModListCompact(text);
  const tDecode = performance.now() - t;
  text = undefined;
  const h2 = heap();
  t = performance.now();
  const snap = decodeIndexSnapshot(bytes, fetchedAt, mods.length);
  const index = new ModIndex(mods, snap);
  const tIndex = performance.now() - t;
  const h3 = heap();
  console.log({ text: mb(h1 - h0), decoded: mb(h2 - h0), index: mb(h3 - h2), tDecode, tIndex, snap: snap ? snap.postingRanks.length : null });
  (globalThis as any).keep = [index];
  if (process.argv[3] === 'snap') { const v8 = require('node:v8'); (globalThis as any).keep = [index]; gc(); v8.writeHeapSnapshot('/tmp/hb/h.heapsnapshot'); }
})();

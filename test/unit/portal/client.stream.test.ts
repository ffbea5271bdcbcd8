// The request timeout is for silence, not for the whole transfer: a slow but steady
// body (the full mod list on a slow line) must arrive; a body that stops must time out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortalClient } from '../../../src/portal/client';
import { isPortalError } from '../../../src/portal/errors';

const BODY = JSON.stringify({ pagination: null, results: [{ name: 'slow-mod', title: 'Slow', owner: 'o', summary: 's', downloads_count: 1 }] });

/** Sends BODY in `parts` chunks, `gapMs` apart; with `stopAfter`, goes silent after that many. */
async function slowServer(parts: number, gapMs: number, stopAfter?: number): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const size = Math.ceil(BODY.length / parts);
    let i = 0;
    const tick = () => {
      if (stopAfter !== undefined && i >= stopAfter) return;
      res.write(BODY.slice(i * size, (i + 1) * size));
      i++;
      if (i < parts) setTimeout(tick, gapMs);
      else res.end();
    };
    tick();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function client(url: string): PortalClient {
  return new PortalClient({ baseUrl: url, userAgent: 'test/1', timeoutMs: 300, listTimeoutMs: 300, maxRetries: 0 });
}

test('a steady body slower in total than the timeout still arrives', async (t) => {
  const { url, server } = await slowServer(8, 100);
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const started = Date.now();
  const mods = await client(url).getAllMods();
  assert.ok(Date.now() - started >= 600, 'the transfer took longer than the 300 ms timeout');
  assert.deepEqual(mods.map((m) => m.name), ['slow-mod']);
});

test('a body that goes silent times out', async (t) => {
  const { url, server } = await slowServer(8, 50, 3);
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  await assert.rejects(client(url).getAllMods(), (e: unknown) => isPortalError(e) && e.kind === 'timeout');
});

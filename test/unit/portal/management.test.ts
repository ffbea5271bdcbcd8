import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as yazl from 'yazl';
import { CASES } from '../../portal-server/dataset';
import { DEFAULT_API_KEYS, startPortalServer, type PortalServer } from '../../portal-server/server';
import {
  ManagementClient,
  ManagementError,
  PORTAL_ERROR_CODES,
  detailsProblems,
  isLicenseId,
  keyOriginKind,
  mayUploadTo,
  type UploadSource,
} from '../../../src/portal/management';

const [ALL, UPLOAD_ONLY] = DEFAULT_API_KEYS.map((k) => k.key) as [string, string];

function zipOf(name: string, version: string, filler = 0): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const folder = `${name}_${version}`;
  zip.addBuffer(Buffer.from(JSON.stringify({ name, version, title: name, author: 'me', factorio_version: '2.0' })), `${folder}/info.json`);
  // Stored, so the zip is as large as the filler and an upload takes several chunks.
  if (filler > 0) zip.addBuffer(Buffer.alloc(filler, 7), `${folder}/filler.bin`, { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function source(fileName: string, data: Buffer, chunkSize = 16 * 1024): UploadSource {
  return {
    fileName,
    size: data.length,
    async *chunks() {
      for (let at = 0; at < data.length; at += chunkSize) yield data.subarray(at, at + chunkSize);
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<ManagementError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ManagementError, String(error));
    return error;
  }
  assert.fail('expected a ManagementError');
}

describe('management client against the local portal', () => {
  let server: PortalServer;
  let counter = 0;
  const fresh = (): string => `client-mod-${counter++}`;
  const client = (apiKey = ALL, fetchFn?: typeof fetch): ManagementClient =>
    new ManagementClient({ baseUrl: server.url, apiKey, userAgent: 'test/1.0', ...(fetchFn ? { fetch: fetchFn } : {}) });
  const exists = async (name: string): Promise<boolean> => (await fetch(`${server.url}/api/mods/${name}`)).status === 200;

  before(async () => {
    server = await startPortalServer({ mods: 10, seed: 5 });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.setFaults(undefined);
    server.clearRequests();
  });

  it('init_publish then upload: a first release, with the publish fields, progress to the last byte, no key at the upload URL', async () => {
    const name = fresh();
    const zip = await zipOf(name, '1.0.0', 100_000);
    const url = await client().initPublish(name);
    const progress: number[] = [];
    const done = await client().upload(url, source(`${name}_1.0.0.zip`, zip), {
      fields: { category: 'tweaks', license: 'default_mit', source_url: 'https://example.com/x' },
      onProgress: (sent, total) => {
        assert.equal(total, zip.length);
        progress.push(sent);
      },
    });
    assert.deepEqual(done, { url: `/mod/${name}` });
    assert.equal(progress.at(-1), zip.length);
    assert.ok(progress.length > 3, `chunks reported: ${progress.length}`);
    const full = (await (await fetch(`${server.url}/api/mods/${name}/full`)).json()) as { category: string; releases: unknown[] };
    assert.equal(full.category, 'tweaks');
    assert.equal(full.releases.length, 1);
    const [init, up] = server.requests;
    assert.equal(init.headers.authorization, `Bearer ${ALL}`);
    assert.equal(init.headers['user-agent'], 'test/1.0');
    assert.equal(up.host, 'download');
    assert.equal(up.headers.authorization, undefined);
    assert.ok(!JSON.stringify(up).includes(ALL));
  });

  it('init_upload then upload: a second release', async () => {
    const name = fresh();
    await client().upload(await client().initPublish(name), source(`${name}_1.0.0.zip`, await zipOf(name, '1.0.0')));
    const done = await client(UPLOAD_ONLY).upload(await client(UPLOAD_ONLY).initUpload(name), source(`${name}_1.0.1.zip`, await zipOf(name, '1.0.1')));
    assert.deepEqual(done, {});
  });

  it('every portal error code comes back as its code, with the step and the scope it needed', async () => {
    const noScope = await failure(client(UPLOAD_ONLY).initPublish(fresh()));
    assert.equal(noScope.code, 'InvalidApiKey');
    assert.equal(noScope.scope, 'ModPortal: Publish Mods');
    assert.equal((await failure(client(UPLOAD_ONLY).editDetails(CASES.library, { summary: 'x' }))).scope, 'ModPortal: Edit Mods');
    assert.equal((await failure(client('wrong-key').initUpload(CASES.library))).scope, 'ModPortal: Upload Mods');
    assert.equal((await failure(client().initUpload(fresh()))).code, 'UnknownMod');
    assert.equal((await failure(client().initUpload(CASES.library))).code, 'Forbidden');
    assert.equal((await failure(client().initPublish(CASES.library))).code, 'ModAlreadyExists');
    assert.equal((await failure(client().initPublish(''))).code, 'InvalidRequest');
    const name = fresh();
    const bad = await failure(client().upload(await client().initPublish(name), source(`${name}_1.0.0.zip`, await zipOf(name, '1.0'))));
    assert.equal(bad.code, 'InvalidModRelease');
    assert.equal(bad.step, 'upload');
    const wrong = await failure(client().upload(await client().initPublish(name), source(`${name}_2.0.0.zip`, await zipOf(name, '1.0.0'))));
    assert.equal(wrong.code, 'InvalidModUpload');
    assert.match(wrong.portalMessage, /named/);
    for (const code of ['InternalError', 'Unknown', 'SomethingNew']) {
      server.setFaults({ apiError: code });
      const error = await failure(client().initPublish(fresh()));
      assert.equal(error.code, code === 'SomethingNew' ? 'Unknown' : code);
      assert.equal(error.status, 500);
    }
    server.setFaults(undefined);
    const covered = new Set(['InvalidApiKey', 'UnknownMod', 'Forbidden', 'ModAlreadyExists', 'InvalidRequest', 'InvalidModRelease', 'InvalidModUpload', 'InternalError', 'Unknown']);
    assert.deepEqual([...PORTAL_ERROR_CODES].sort(), [...covered].sort());
  });

  it('an HTML error page or a 404 from elsewhere is a failed request, not a portal answer', async () => {
    server.setFaults({ status: 503 });
    const error = await failure(client().initPublish(fresh()));
    assert.equal(error.code, 'http');
    assert.equal(error.status, 503);
    server.setFaults({ status: 404 });
    assert.equal((await failure(client().initPublish(fresh()))).code, 'http');
  });

  it('an unreachable portal is a network error; an aborted upload is cancelled and publishes nothing', async () => {
    const closed = await startPortalServer({ mods: 1 });
    const gone = closed.url;
    await closed.close();
    assert.equal((await failure(new ManagementClient({ baseUrl: gone, apiKey: ALL, userAgent: 't' }).initPublish('x'))).code, 'network');

    const name = fresh();
    const zip = await zipOf(name, '1.0.0', 400_000);
    const controller = new AbortController();
    const url = await client().initPublish(name);
    const error = await failure(
      client().upload(url, source(`${name}_1.0.0.zip`, zip), {
        signal: controller.signal,
        onProgress: (sent) => {
          if (sent > 100_000) controller.abort();
        },
      }),
    );
    assert.equal(error.code, 'cancelled');
    assert.equal(await exists(name), false);
  });

  it('edit_details sends only the fields given, tags one field each, and refuses limits before sending', async () => {
    const name = fresh();
    await client().upload(await client().initPublish(name), source(`${name}_1.0.0.zip`, await zipOf(name, '1.0.0')));
    server.clearRequests();
    await client().editDetails(name, { summary: 'S', tags: ['trains', 'combat'], deprecated: false });
    assert.deepEqual(server.requests[0].fields, ['mod', 'summary', 'tags', 'deprecated']);
    const full = (await (await fetch(`${server.url}/api/mods/${name}/full`)).json()) as { summary: string; tags: string[] };
    assert.equal(full.summary, 'S');
    assert.deepEqual(full.tags, ['trains', 'combat']);
    server.clearRequests();
    const refused = await failure(client().editDetails(name, { title: 'x'.repeat(251), homepage: `https://a.b/${'x'.repeat(300)}` }));
    assert.equal(refused.code, 'InvalidRequest');
    assert.match(refused.portalMessage, /title.*homepage/);
    assert.equal(server.requests.length, 0, 'nothing sent');
  });
});

describe('management client: where the key may go', () => {
  it('follows the token’s rules: https or loopback; plain http elsewhere and credentials in the URL are refused', () => {
    assert.equal(keyOriginKind('https://mods.factorio.com'), 'official');
    assert.equal(keyOriginKind('https://mods.example.com'), 'other');
    assert.equal(keyOriginKind('http://127.0.0.1:1234'), 'other');
    assert.equal(keyOriginKind('http://mods.example.com'), 'refused');
    assert.equal(keyOriginKind('https://u:p@mods.factorio.com'), 'refused');
    assert.throws(() => new ManagementClient({ baseUrl: 'http://mods.example.com', apiKey: 'k', userAgent: 't' }), (e: unknown) => e instanceof ManagementError && e.code === 'refused-origin');
  });

  it('sends the key only to <portal>/api/v2/, never to the upload URL; refuses a plain-http upload URL from an https portal', async () => {
    const seen: Array<{ url: string; auth: string | null }> = [];
    const spy: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
      if (init?.body instanceof ReadableStream) await new Response(init.body).arrayBuffer();
      const upload = String(input).startsWith('https://uploads.example.com');
      return new Response(JSON.stringify(upload ? { success: true } : { upload_url: 'https://uploads.example.com/u/1' }), { headers: { 'content-type': 'application/json' } });
    };
    const client = new ManagementClient({ baseUrl: 'https://mods.factorio.com/', apiKey: 'secret-key', userAgent: 't', fetch: spy });
    const url = await client.initUpload('m');
    await client.upload(url, source('m_1.0.0.zip', Buffer.from('zip')));
    assert.deepEqual(seen, [
      { url: 'https://mods.factorio.com/api/v2/mods/releases/init_upload', auth: 'Bearer secret-key' },
      { url: 'https://uploads.example.com/u/1', auth: null },
    ]);
    const refused = await failure(client.upload('http://uploads.example.com/u/2', source('m_1.0.0.zip', Buffer.from('zip'))));
    assert.equal(refused.code, 'refused-origin');
    assert.equal(seen.length, 2);
  });

  it('a portal message that echoes the key does not carry it on', async () => {
    const echo: typeof fetch = async (_input, init) =>
      new Response(JSON.stringify({ error: 'InvalidApiKey', message: `bad ${new Headers(init?.headers).get('authorization')}` }), { status: 403, headers: { 'content-type': 'application/json' } });
    const client = new ManagementClient({ baseUrl: 'https://mods.factorio.com', apiKey: 'secret-key-123', userAgent: 't', fetch: echo });
    const error = await failure(client.initPublish('m'));
    assert.equal(error.portalMessage, 'bad Bearer ***');
    assert.ok(!error.message.includes('secret-key-123'));
  });

  it('a redirect answer is an error: the key does not follow it', async () => {
    const spy: typeof fetch = async (_input, init) => {
      assert.equal(init?.redirect, 'manual');
      return new Response('', { status: 302, headers: { location: 'https://elsewhere.example.com/' } });
    };
    const client = new ManagementClient({ baseUrl: 'https://mods.factorio.com', apiKey: 'k', userAgent: 't', fetch: spy });
    assert.equal((await failure(client.initUpload('m'))).code, 'http');
  });

  it('upload URLs: https anywhere; http only from a loopback portal to loopback', () => {
    assert.equal(mayUploadTo('https://mods.factorio.com', 'https://x.example.com/u'), true);
    assert.equal(mayUploadTo('https://mods.factorio.com', 'http://127.0.0.1:9/u'), false);
    assert.equal(mayUploadTo('http://127.0.0.1:8', 'http://127.0.0.1:9/u'), true);
    assert.equal(mayUploadTo('http://127.0.0.1:8', 'http://example.com/u'), false);
    assert.equal(mayUploadTo('https://mods.factorio.com', 'https://a:b@x.example.com/u'), false);
  });

  it('limits and ids checked before sending', () => {
    assert.deepEqual(detailsProblems({ title: 'ok', summary: 'x'.repeat(500), homepage: '', source_url: 'https://a.b/c' }), []);
    assert.equal(detailsProblems({ summary: 'x'.repeat(501) }).length, 1);
    assert.equal(detailsProblems({ title: '  ' }).length, 1);
    assert.equal(detailsProblems({ homepage: 'ftp://x' }).length, 1);
    assert.equal(detailsProblems({ category: 'nope', license: 'custom_xyz' }).length, 2);
    assert.equal(isLicenseId('custom_0123456789abcdef01234567'), true);
    assert.equal(isLicenseId('default_mit'), true);
    assert.equal(isLicenseId('mit'), false);
  });
});

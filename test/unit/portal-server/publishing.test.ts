import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as yazl from 'yazl';
import { CASES } from '../../portal-server/dataset';
import { DEFAULT_API_KEYS, DEFAULT_CREDENTIALS, startPortalServer, type PortalServer } from '../../portal-server/server';

const [ALL, UPLOAD_ONLY, RIVAL] = DEFAULT_API_KEYS.map((k) => k.key) as [string, string, string];

/** A deflated zip, as real zip writers make them. */
function zipOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(files)) zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'), name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

function modZip(name: string, version: string, info: Record<string, unknown> = {}, folder = `${name}_${version}`): Promise<Buffer> {
  const json = JSON.stringify({ name, version, title: `Title of ${name}`, author: 'test-user', factorio_version: '2.0', dependencies: ['base >= 2.0'], ...info });
  return zipOf({ [`${folder}/info.json`]: json, [`${folder}/control.lua`]: '-- nothing\n' });
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function answer(response: Response): Promise<Answer> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('local portal: management API', () => {
  let server: PortalServer;
  let counter = 0;
  const fresh = (): string => `fresh-mod-${counter++}`;

  const post = async (endpoint: string, fields: Record<string, string | string[]>, key?: string): Promise<Answer> => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    const headers: Record<string, string> = {};
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    return answer(await fetch(`${server.url}/api/v2/${endpoint}`, { method: 'POST', headers, body }));
  };

  const upload = async (url: string, file: Buffer, filename: string, fields: Record<string, string> = {}): Promise<Answer> => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(file)], { type: 'application/zip' }), filename);
    return answer(await fetch(url, { method: 'POST', body: form }));
  };

  const full = async (name: string): Promise<Record<string, unknown>> => (await (await fetch(`${server.url}/api/mods/${name}/full`)).json()) as Record<string, unknown>;

  const publish = async (name: string, version = '1.0.0', fields: Record<string, string> = {}): Promise<Answer> => {
    const init = await post('mods/init_publish', { mod: name }, ALL);
    assert.equal(init.status, 200, JSON.stringify(init.body));
    return upload(String(init.body.upload_url), await modZip(name, version), `${name}_${version}.zip`, fields);
  };

  before(async () => {
    server = await startPortalServer({ mods: 20, seed: 3 });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.clearRequests());

  it('refuses a missing key, an unknown key and a key without the scope, naming the scope', async () => {
    assert.deepEqual((await post('mods/init_publish', { mod: fresh() })).body.error, 'InvalidApiKey');
    assert.deepEqual((await post('mods/init_publish', { mod: fresh() }, 'nope')).body.error, 'InvalidApiKey');
    const noScope = await post('mods/init_publish', { mod: fresh() }, UPLOAD_ONLY);
    assert.equal(noScope.body.error, 'InvalidApiKey');
    assert.match(String(noScope.body.message), /ModPortal: Publish Mods/);
    assert.equal((await post('mods/edit_details', { mod: CASES.library }, UPLOAD_ONLY)).body.error, 'InvalidApiKey');
    assert.equal((await post('nothing/here', {}, ALL)).body.error, 'InvalidRequest');
  });

  it('publishes a new mod through a single-use upload URL on the second listener; /full and the download serve it', async () => {
    const name = fresh();
    assert.equal((await fetch(`${server.url}/api/mods/${name}`)).status, 404);
    const init = await post('mods/init_publish', { mod: name }, ALL);
    const uploadUrl = String(init.body.upload_url);
    assert.ok(uploadUrl.startsWith(`${server.downloadUrl}/upload/`), uploadUrl);
    const zip = await modZip(name, '0.1.0');
    const done = await upload(uploadUrl, zip, `${name}_0.1.0.zip`, { category: 'tweaks', license: 'default_mit', source_url: 'https://example.com/src', description: 'Hello' });
    assert.deepEqual(done.body, { success: true, url: `/mod/${name}` });
    const again = await upload(uploadUrl, zip, `${name}_0.1.0.zip`);
    assert.equal(again.body.error, 'Forbidden', 'the URL is used once');

    const entry = await full(name);
    assert.equal(entry.owner, 'test-user');
    assert.equal(entry.category, 'tweaks');
    assert.equal((entry.license as { id: string }).id, 'default_mit');
    assert.equal(entry.source_url, 'https://example.com/src');
    const releases = entry.releases as Array<{ version: string; sha1: string; download_url: string; info_json: { factorio_version: string } }>;
    assert.deepEqual(releases.map((r) => r.version), ['0.1.0']);
    assert.equal(releases[0].info_json.factorio_version, '2.0');
    assert.equal(releases[0].sha1, createHash('sha1').update(zip).digest('hex'));
    const { username, token } = DEFAULT_CREDENTIALS;
    const download = await fetch(`${server.url}${releases[0].download_url}?username=${username}&token=${token}`);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), zip);
  });

  it('a second release goes through init_upload; a version already there is refused', async () => {
    const name = fresh();
    await publish(name);
    const init = await post('mods/releases/init_upload', { mod: name }, UPLOAD_ONLY);
    assert.equal(init.status, 200);
    assert.deepEqual((await upload(String(init.body.upload_url), await modZip(name, '1.1.0'), `${name}_1.1.0.zip`)).body, { success: true });
    const list = (await (await fetch(`${server.url}/api/mods?namelist=${name}`)).json()) as { results: Array<{ releases: Array<{ version: string }> }> };
    assert.deepEqual(list.results[0].releases.map((r) => r.version), ['1.0.0', '1.1.0']);
    const repeat = await post('mods/releases/init_upload', { mod: name }, ALL);
    const refused = await upload(String(repeat.body.upload_url), await modZip(name, '1.1.0'), `${name}_1.1.0.zip`);
    assert.equal(refused.body.error, 'InvalidModUpload');
    assert.match(String(refused.body.message), /1\.1\.0.*already exists/);
  });

  it('init_upload: UnknownMod for a name it lacks, Forbidden for a mod of another owner; init_publish: ModAlreadyExists', async () => {
    assert.equal((await post('mods/releases/init_upload', { mod: fresh() }, ALL)).body.error, 'UnknownMod');
    assert.equal((await post('mods/releases/init_upload', { mod: CASES.library }, ALL)).body.error, 'Forbidden');
    assert.equal((await post('mods/init_publish', { mod: CASES.library }, RIVAL)).body.error, 'ModAlreadyExists');
    assert.equal((await post('mods/init_publish', {}, ALL)).body.error, 'InvalidRequest');
  });

  it('checks the zip as the portal does', async () => {
    const cases: Array<[string, (name: string) => Promise<[Buffer, string]>, string, RegExp]> = [
      ['wrong file name', async (n) => [await modZip(n, '1.0.0'), `${n}_1.0.1.zip`], 'InvalidModUpload', /named/],
      ['two top folders', async (n) => [await zipOf({ [`a/info.json`]: '{}', [`b/x.lua`]: '' }), `${n}_1.0.0.zip`], 'InvalidModUpload', /one folder/],
      ['no info.json', async (n) => [await zipOf({ [`${n}/control.lua`]: '' }), `${n}_1.0.0.zip`], 'InvalidModUpload', /No info\.json/],
      ['another name inside', async (n) => [await modZip(`${n}x`, '1.0.0'), `${n}x_1.0.0.zip`], 'InvalidModUpload', /upload was for/],
      ['factorio_version with three numbers', async (n) => [await modZip(n, '1.0.0', { factorio_version: '2.1.8' }), `${n}_1.0.0.zip`], 'InvalidModUpload', /two numbers/],
      ['a version of two numbers', async (n) => [await modZip(n, '1.0'), `${n}_1.0.zip`], 'InvalidModRelease', /three numbers/],
      ['not a zip', async (n) => [Buffer.from('hello'), `${n}_1.0.0.zip`], 'InvalidModUpload', /not a readable zip/],
    ];
    for (const [what, make, code, message] of cases) {
      const name = fresh();
      const init = await post('mods/init_publish', { mod: name }, ALL);
      const [zip, filename] = await make(name);
      const refused = await upload(String(init.body.upload_url), zip, filename);
      assert.equal(refused.body.error, code, `${what}: ${JSON.stringify(refused.body)}`);
      assert.match(String(refused.body.message), message, what);
      assert.equal((await fetch(`${server.url}/api/mods/${name}`)).status, 404, `${what}: nothing published`);
    }
    // Any folder name is fine, as on the real portal.
    const name = fresh();
    const init = await post('mods/init_publish', { mod: name }, ALL);
    assert.equal((await upload(String(init.body.upload_url), await modZip(name, '1.0.0', {}, 'anything'), `${name}_1.0.0.zip`)).body.success, true);
  });

  it('an upload cut off half-way publishes nothing', async () => {
    const name = fresh();
    const init = await post('mods/init_publish', { mod: name }, ALL);
    const url = new URL(String(init.body.upload_url));
    await new Promise<void>((resolve) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'content-length': '100000' } });
      req.on('error', () => resolve());
      req.write('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\n\r\nPK', () => {
        req.destroy();
        resolve();
      });
    });
    // The server sees the close and answers nobody; the name is still free.
    assert.equal((await fetch(`${server.url}/api/mods/${name}`)).status, 404);
  });

  it('edit_details: limits refuse the whole edit; a good edit changes only what was sent', async () => {
    const name = fresh();
    await publish(name, '1.0.0', { category: 'content', license: 'default_mit' });
    const before = await full(name);
    for (const [field, value] of [['title', 'x'.repeat(251)], ['summary', 'x'.repeat(501)], ['homepage', `https://e.com/${'x'.repeat(250)}`], ['category', 'nonsense'], ['license', 'custom_12'], ['tags', 'no-such-tag'], ['deprecated', 'maybe']]) {
      const refused = await post('mods/edit_details', { mod: name, summary: 'changed', [field]: value }, ALL);
      assert.equal(refused.body.error, 'InvalidRequest', `${field}: ${JSON.stringify(refused.body)}`);
    }
    assert.deepEqual(await full(name), before, 'a refused edit changes nothing');
    server.clearRequests();
    const done = await post('mods/edit_details', { mod: name, summary: 'A summary', tags: ['trains', 'logistics'], license: 'custom_0123456789abcdef01234567', deprecated: 'true' }, ALL);
    assert.deepEqual(done.body, { success: true, url: `/mod/${name}` });
    const after = await full(name);
    assert.equal(after.summary, 'A summary');
    assert.deepEqual(after.tags, ['trains', 'logistics']);
    assert.equal((after.license as { id: string }).id, 'custom_0123456789abcdef01234567');
    assert.equal(after.deprecated, true);
    assert.equal(after.title, before.title);
    assert.equal(after.category, 'content');
    assert.deepEqual(server.requests.filter((r) => r.url.startsWith('/api/v2/')).map((r) => r.fields), [['mod', 'summary', 'tags', 'license', 'deprecated']]);
    assert.equal((await post('mods/edit_details', { mod: CASES.library, summary: 'mine' }, ALL)).body.error, 'Forbidden');
    assert.equal((await post('mods/edit_details', { mod: fresh(), summary: 'x' }, ALL)).body.error, 'UnknownMod');
  });

  it('records every request with its listener and headers: the upload listener never sees the key', async () => {
    await publish(fresh());
    const [init, up] = server.requests;
    assert.equal(init.host, 'portal');
    assert.equal(init.url, '/api/v2/mods/init_publish');
    assert.equal(init.headers.authorization, `Bearer ${ALL}`);
    assert.equal(init.credentials, true);
    assert.equal(up.host, 'download');
    assert.match(up.url, /^\/upload\//);
    assert.equal(up.credentials, false);
    assert.ok(!JSON.stringify(up).includes(ALL));
  });
});

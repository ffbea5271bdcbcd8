import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPortalUrl, isWebUrl, OFFICIAL_PORTAL_URL } from '../../../src/portal/portalUrl';
import { withoutTrailingSlashes } from '../../../src/util/text';

test('empty or unset means the official portal', () => {
  for (const raw of [undefined, null, '', '   ']) assert.deepEqual(checkPortalUrl(raw), { ok: true, url: OFFICIAL_PORTAL_URL });
});

test('http and https URLs are kept, without trailing slashes', () => {
  assert.deepEqual(checkPortalUrl('https://mods.factorio.com/'), { ok: true, url: 'https://mods.factorio.com' });
  assert.deepEqual(checkPortalUrl(' http://127.0.0.1:8123 '), { ok: true, url: 'http://127.0.0.1:8123' });
  assert.deepEqual(checkPortalUrl('https://mirror.example/portal//'), { ok: true, url: 'https://mirror.example/portal' });
  assert.deepEqual(checkPortalUrl('HTTPS://Mods.Factorio.COM'), { ok: true, url: 'https://mods.factorio.com' });
});

test('a host without a scheme is reported, not guessed', () => {
  for (const raw of ['mods.factorio.com', 'localhost:8080', '127.0.0.1:8123/api', 'javascript:alert(1)']) {
    assert.deepEqual(checkPortalUrl(raw), { ok: false, problem: 'no-scheme' }, raw);
  }
});

test('other schemes are refused', () => {
  for (const raw of ['ftp://mods.factorio.com', 'file:///etc', 'ws://127.0.0.1:1']) {
    assert.deepEqual(checkPortalUrl(raw), { ok: false, problem: 'scheme' }, raw);
  }
});

test('garbage, user info, queries and fragments are refused', () => {
  assert.deepEqual(checkPortalUrl('https://'), { ok: false, problem: 'not-a-url' });
  assert.deepEqual(checkPortalUrl('https://exa mple.com'), { ok: false, problem: 'not-a-url' });
  assert.deepEqual(checkPortalUrl('http://[::1'), { ok: false, problem: 'not-a-url' });
  assert.deepEqual(checkPortalUrl(42), { ok: false, problem: 'not-a-url' });
  assert.deepEqual(checkPortalUrl('https://user:pw@mods.factorio.com'), { ok: false, problem: 'credentials' });
  assert.deepEqual(checkPortalUrl('https://mods.factorio.com?x=1'), { ok: false, problem: 'query' });
  assert.deepEqual(checkPortalUrl('https://mods.factorio.com/#top'), { ok: false, problem: 'query' });
});

test('only absolute http(s) links count as web links', () => {
  for (const ok of ['https://mods.factorio.com/mod/flib', 'http://127.0.0.1:8123/mod/a%20b']) assert.equal(isWebUrl(ok), true, ok);
  for (const bad of ['command:workbench.action.openSettings', 'javascript:alert(1)', 'file:///etc/passwd', 'vscode://x', '/mod/flib', 'mods.factorio.com', '']) {
    assert.equal(isWebUrl(bad), false, bad);
  }
});

test('trailing slashes go, in linear time even for a long run of them', () => {
  assert.equal(withoutTrailingSlashes('https://mods.factorio.com///'), 'https://mods.factorio.com');
  assert.equal(withoutTrailingSlashes('https://mods.factorio.com'), 'https://mods.factorio.com');
  assert.equal(withoutTrailingSlashes('///'), '');
  // A quadratic scan of 200,000 slashes followed by a letter takes minutes; this is instant.
  const hostile = 'https://x/' + '/'.repeat(200_000) + 'a';
  assert.equal(withoutTrailingSlashes(hostile), hostile);
});

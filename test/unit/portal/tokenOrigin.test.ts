import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { consentForClient, isLoopbackHost, mayFollowDownload, tokenOrigin, tokenOriginKind, type OriginConsent } from '../../../src/portal/tokenOrigin';

describe('where the token may go', () => {
  test('the official portal: yes', () => {
    assert.equal(tokenOriginKind('https://mods.factorio.com'), 'official');
    assert.equal(tokenOriginKind('https://mods.factorio.com/'), 'official');
  });

  test('another https portal or a loopback test portal: only after asking', () => {
    for (const url of ['https://mods.example.org', 'https://mods.factorio.com:8443', 'http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000']) {
      assert.equal(tokenOriginKind(url), 'other', url);
    }
  });

  test('plain http to another machine, odd schemes, user info or no URL: never', () => {
    for (const url of ['http://mods.factorio.com', 'http://127.0.0.2:4000', 'http://192.168.1.5', 'ftp://mods.factorio.com', 'file:///tmp', 'https://user:pw@mods.factorio.com', 'mods.factorio.com', '']) {
      assert.equal(tokenOriginKind(url), 'refused', url);
    }
  });

  test('origins are what the consent is remembered by', () => {
    assert.equal(tokenOrigin('https://mods.example.org/some/path/'), 'https://mods.example.org');
    assert.equal(tokenOrigin('http://127.0.0.1:4000'), 'http://127.0.0.1:4000');
    assert.equal(tokenOrigin('javascript:alert(1)'), undefined);
    assert.ok(isLoopbackHost('LOCALHOST'));
    assert.ok(!isLoopbackHost('localhost.example.org'));
  });

  test('which download hosts are followed', () => {
    const hosts = new Set(['dl-mod.factorio.com', 'mods.factorio.com']);
    const follows = (loopback: boolean, target: string) => mayFollowDownload(loopback, hosts, new URL(target));
    assert.ok(follows(false, 'https://dl-mod.factorio.com/files/ab/abcdef?secure=x,1'));
    assert.ok(!follows(false, 'http://dl-mod.factorio.com/files/ab/abcdef'), 'not over plain http');
    assert.ok(!follows(false, 'https://evil.example/files/ab/abcdef'));
    assert.ok(!follows(false, 'https://dl-mod.factorio.com.evil.example/x'));
    assert.ok(follows(true, 'http://127.0.0.1:4444/files/ab/abcdef'), 'a loopback test portal may send it anywhere');
    assert.ok(!follows(true, 'file:///etc/passwd'));
  });
});

describe('consent is for the client that sends the token', () => {
  const a = { baseUrl: 'https://portal-a.example' };
  const b = { baseUrl: 'https://portal-b.example' };

  test('asked about the client itself, yes while it stays the current one', async () => {
    const asked: string[] = [];
    const answer = await consentForClient(a, () => a, async (url): Promise<OriginConsent> => (asked.push(url), 'yes'));
    assert.deepEqual(asked, ['https://portal-a.example']);
    assert.equal(answer, 'yes');
  });

  test('the portal setting changed while the question was open: changed, not yes', async () => {
    let current = a;
    const answer = await consentForClient(a, () => current, async (): Promise<OriginConsent> => {
      current = b;
      return 'yes';
    });
    assert.equal(answer, 'changed');
  });

  test('a no stays a no', async () => {
    assert.equal(await consentForClient(a, () => a, async () => 'declined' as const), 'declined');
    assert.equal(await consentForClient(a, () => a, async () => 'refused' as const), 'refused');
  });
});

import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkChangelog } from '../../../src/release/changelogCheck';
import { pngSize, runPreflight, type CheckId, type ModFiles, type PortalLookup, type PreflightInput, type PreflightReport } from '../../../src/release/preflight';
import type { Release } from '../../../src/portal/types';
import { encodePng } from '../../portal-server/png';

const SEP = '-'.repeat(99);

function release(version: string, factorioVersion: string): Release {
  return {
    download_url: `/download/x/${version}`,
    file_name: `x_${version}.zip`,
    info_json: { factorio_version: factorioVersion },
    released_at: '2025-01-01T00:00:00.000Z',
    version,
    sha1: '0'.repeat(40),
  } as Release;
}

function info(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'my-mod', version: '1.1.0', title: 'My Mod', author: 'me', factorio_version: '2.0', dependencies: ['base >= 2.0.0', 'flib >= 0.15.0'], ...fields }, null, 2);
}

const CHANGELOG = `${SEP}\nVersion: 1.1.0\nDate: 2026-12-01\n  Features:\n    - Something new.\n      More about it.\n${SEP}\nVersion: 1.0.0\n  Changes:\n    - First.\n`;
const THUMB = encodePng(144, 144, () => [10, 20, 30]);

function files(map: Record<string, string | Buffer>): ModFiles {
  return {
    readText: async (name, max) => {
      const v = map[name];
      if (v === undefined) return undefined;
      return v.length > max ? 'tooLarge' : v.toString();
    },
    readHead: async (name, bytes) => {
      const v = map[name];
      return v === undefined ? undefined : Buffer.from(v).subarray(0, bytes);
    },
  };
}

const PORTAL: Record<string, PortalLookup> = {
  'my-mod': { state: 'found', owner: 'Me', releases: [release('1.0.0', '2.0'), release('0.9.0', '1.1')] },
  flib: { state: 'found', owner: 'raiguard', releases: [release('0.16.2', '2.0'), release('0.12.0', '1.1')] },
  'old-only': { state: 'found', owner: 'x', releases: [release('1.0.0', '1.1')] },
};

function input(over: Partial<PreflightInput> = {}, portal: Record<string, PortalLookup> = PORTAL): PreflightInput {
  return {
    infoJson: info(),
    files: files({ 'changelog.txt': CHANGELOG, 'thumbnail.png': THUMB }),
    lookup: async (names) => new Map(names.map((n) => [n, portal[n] ?? { state: 'missing' }])),
    signedInAs: 'me',
    ...over,
  };
}

function byId(report: PreflightReport, id: CheckId) {
  const c = report.checks.find((x) => x.id === id);
  assert.ok(c, id);
  return c;
}

describe('runPreflight', () => {
  test('a mod ready to release passes every check, in one fixed order', async () => {
    const report = await runPreflight(input());
    assert.deepEqual(report.checks.map((c) => [c.id, c.status]), [
      ['info-json', 'passed'],
      ['portal-forms', 'passed'],
      ['version-new', 'passed'],
      ['name-owner', 'passed'],
      ['changelog', 'passed'],
      ['thumbnail', 'passed'],
      ['dependencies', 'passed'],
    ]);
    assert.deepEqual(report.counts, { passed: 7, warning: 0, failed: 0, unknown: 0 });
    assert.equal(report.blocked, false);
    assert.equal(byId(report, 'version-new').message, "1.1.0 is newer than the portal's newest, 1.0.0.");
  });

  test('info.json errors fail, with their lines; the user’s severity setting is honoured', async () => {
    const text = info({ dependencies: ['base >= 2.0.0', 'flib >= 0.15.0', 'flib >> 2'] });
    const failed = byId(await runPreflight(input({ infoJson: text })), 'info-json');
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.fix, { kind: 'show-info-json' });
    assert.match(failed.details![0], /^line 10: .*\(malformed-dependency\)$/);
    const off = await runPreflight(input({ infoJson: text, severityFor: (code) => (code === 'malformed-dependency' ? 'warning' : undefined) }));
    assert.equal(byId(off, 'info-json').status, 'passed');
  });

  test('name, version and factorio_version in the forms the portal accepts', async () => {
    const bad = byId(await runPreflight(input({ infoJson: info({ name: 'my mod!', version: '1.1', factorio_version: '2.0.8' }) })), 'portal-forms');
    assert.equal(bad.status, 'failed');
    assert.equal(bad.details!.length, 3);
    assert.match(bad.details![0], /^name "my mod!": needs only letters/);
    assert.match(bad.details![1], /^version "1\.1": must be A\.B\.C/);
    assert.match(bad.details![2], /^factorio_version "2\.0\.8": .*rejects a third number/);
    const missing = byId(await runPreflight(input({ infoJson: JSON.stringify({ name: 'my-mod', version: '1.1.0', title: 't', author: 'a' }) })), 'portal-forms');
    assert.match(missing.details!.join('|'), /factorio_version: missing/);
  });

  test('the version must be newer than the portal’s newest; the very version published names both', async () => {
    const same = byId(await runPreflight(input({ infoJson: info({ version: '0.9.0' }) })), 'version-new');
    assert.equal(same.status, 'failed');
    assert.equal(same.message, '0.9.0 is already published (newest 1.0.0): the portal refuses it again.');
    assert.deepEqual(same.fix, { kind: 'set-version', version: '1.0.1' });
    const newest = byId(await runPreflight(input({ infoJson: info({ version: '1.0.0' }) })), 'version-new');
    assert.equal(newest.message, '1.0.0 is already published: the portal refuses it again.');
    const older = byId(await runPreflight(input({ infoJson: info({ version: '0.5.0' }) })), 'version-new');
    assert.equal(older.message, "0.5.0 is older than the portal's newest, 1.0.0: the portal refuses it.");
    const fresh = byId(await runPreflight(input({ infoJson: info({ name: 'brand-new-mod' }) })), 'version-new');
    assert.equal(fresh.status, 'passed');
    assert.match(fresh.message, /first release/);
  });

  test('the portal unreachable: its checks are unknown, never passed', async () => {
    const down = await runPreflight(input({ lookup: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')) }));
    for (const id of ['version-new', 'name-owner', 'dependencies'] as const) assert.equal(byId(down, id).status, 'unknown', id);
    assert.match(byId(down, 'version-new').message, /could not be reached: not checked \(connect ECONNREFUSED/);
    assert.equal(byId(down, 'info-json').status, 'passed', 'nothing known is no error');
    assert.equal(down.blocked, false);
    // Part of the answers missing: the dependencies it could not ask about are listed.
    const partial = await runPreflight(input({}, { ...PORTAL, flib: { state: 'unreachable', message: 'timed out' } }));
    const deps = byId(partial, 'dependencies');
    assert.equal(deps.status, 'unknown');
    assert.deepEqual(deps.details, ['flib >= 0.15.0: not checked, the portal could not be reached']);
  });

  test('the name: yours, free, someone else’s, or not known while signed out', async () => {
    assert.equal(byId(await runPreflight(input()), 'name-owner').message, '"my-mod" is yours (Me).');
    const free = byId(await runPreflight(input({ infoJson: info({ name: 'brand-new-mod' }) })), 'name-owner');
    assert.deepEqual([free.status, free.message], ['passed', '"brand-new-mod" is free on the portal.']);
    const other = byId(await runPreflight(input({ signedInAs: 'someone' })), 'name-owner');
    assert.deepEqual([other.status, other.message], ['failed', '"my-mod" belongs to Me on the portal, not to someone: it will refuse your upload.']);
    const signedOut = byId(await runPreflight(input({ signedInAs: undefined })), 'name-owner');
    assert.equal(signedOut.status, 'unknown');
    assert.deepEqual(signedOut.fix, { kind: 'sign-in' });
  });

  test('changelog.txt: missing, with errors, or without this version', async () => {
    const none = byId(await runPreflight(input({ files: files({ 'thumbnail.png': THUMB }) })), 'changelog');
    assert.equal(none.status, 'warning');
    assert.deepEqual(none.fix, { kind: 'add-changelog-section', version: '1.1.0' });
    const broken = byId(await runPreflight(input({ files: files({ 'changelog.txt': CHANGELOG.replace('  Features:', '\tFeatures:'), 'thumbnail.png': THUMB }) })), 'changelog');
    assert.equal(broken.status, 'failed');
    assert.match(broken.details![0], /^line 4: A tab in the indentation/);
    const behind = byId(await runPreflight(input({ infoJson: info({ version: '1.2.0' }) })), 'changelog');
    assert.deepEqual([behind.status, behind.message], ['warning', 'The newest section is 1.1.0, not 1.2.0.']);
    assert.deepEqual(behind.fix, { kind: 'add-changelog-section', version: '1.2.0' });
  });

  test('thumbnail.png: read from the PNG header; another size is a warning', async () => {
    const with_ = (thumb: Buffer | string | undefined) =>
      runPreflight(input({ files: files({ 'changelog.txt': CHANGELOG, ...(thumb !== undefined ? { 'thumbnail.png': thumb } : {}) }) })).then((r) => byId(r, 'thumbnail'));
    assert.equal((await with_(THUMB)).status, 'passed');
    const big = await with_(encodePng(256, 128, () => [0, 0, 0]));
    assert.deepEqual([big.status, big.message], ['warning', 'thumbnail.png is 256×128; the portal shows it at 144×144.']);
    assert.equal((await with_(undefined)).status, 'warning');
    assert.match((await with_('GIF89a not a png at all......')).message, /not a PNG/);
  });

  test('dependencies: unknown mods and missing releases fail when required, warn when optional', async () => {
    const text = info({ dependencies: ['base >= 2.0.0', 'flib >= 0.99.0', 'old-only', '? nowhere-mod', '! old-only', 'space-age', 'my-lib'] });
    const deps = byId(await runPreflight(input({ infoJson: text, workspaceMod: (n) => (n === 'my-lib' ? { version: '1.0.0' } : undefined) })), 'dependencies');
    assert.equal(deps.status, 'failed');
    assert.equal(deps.message, '3 required dependencies do not resolve for Factorio 2.0.');
    assert.deepEqual(deps.details, [
      'flib >= 0.99.0: no release for Factorio 2.0 matches (newest is 0.16.2)',
      'old-only: no release for Factorio 2.0',
      'my-lib: only in this workspace: players cannot download it until it is on the portal',
      '? nowhere-mod: no such mod on the portal',
    ]);
    const builtin = byId(await runPreflight(input({ infoJson: info({ factorio_version: '1.1', dependencies: ['space-age'] }) })), 'dependencies');
    assert.deepEqual([builtin.status, builtin.details], ['failed', ['space-age: not part of Factorio 1.1']]);
    const optional = byId(await runPreflight(input({ infoJson: info({ dependencies: ['? nowhere-mod'] }) })), 'dependencies');
    assert.equal(optional.status, 'warning');
  });

  test('asks the portal once, for the mod and its portal dependencies only', async () => {
    const asked: string[][] = [];
    await runPreflight(input({ lookup: async (names) => (asked.push([...names]), new Map(names.map((n) => [n, PORTAL[n] ?? { state: 'missing' }]))) }));
    assert.deepEqual(asked, [['my-mod', 'flib']]);
  });
});

describe('checkChangelog', () => {
  test('a well-formed changelog has no error; its newest version is the first section’s', () => {
    assert.deepEqual(checkChangelog(CHANGELOG), { errors: [], newestVersion: '1.1.0' });
    assert.deepEqual(checkChangelog(CHANGELOG.replace(/\n/g, '\r\n')).errors, []);
    assert.deepEqual(checkChangelog(`${SEP}\nVersion: 2.0.0 (the big one)\n  Major Features:\n    - x\n  Empty:\n`).errors, []);

  });

  // The changelog language's own tests hold its rules; here, that an error the game is
  // seen to refuse reaches the release check, each on its line.
  const cases: [string, string, number][] = [
    ['100 dashes', CHANGELOG.replace(SEP, SEP + '-'), 0],
    ['a tab in the indentation', CHANGELOG.replace('  Features:', '\tFeatures:'), 3],
    ['three spaces before an entry', CHANGELOG.replace('    - First.', '   - First.'), 9],
    ['a version twice', CHANGELOG.replace('Version: 1.0.0', 'Version: 1.1.0'), 7],
    ['ending with a separator', CHANGELOG + SEP + '\n', 10],
  ];
  for (const [what, text, line] of cases) {
    test(`an error: ${what}`, () => {
      const { errors } = checkChangelog(text);
      assert.deepEqual(errors.map((e) => e.line), [line], JSON.stringify(errors));
    });
  }

  test('the user’s severity settings decide what is an error', () => {
    const text = CHANGELOG.replace('    - First.', '   - First.');
    assert.deepEqual(checkChangelog(text, () => 'warning').errors, []);
  });
});

describe('pngSize', () => {
  test('reads width and height from the IHDR chunk; anything else is not a PNG', () => {
    assert.deepEqual(pngSize(encodePng(144, 72, () => [1, 2, 3])), { width: 144, height: 72 });
    assert.equal(pngSize(Buffer.from('not a png, not at all, no')), undefined);
    assert.equal(pngSize(encodePng(1, 1, () => [0, 0, 0]).subarray(0, 20)), undefined);
  });
});

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { readZipEntries as readZip } from '../../harness/read-zip';
import { packageKeys, planPackage, type PackageKeys } from '../../../src/release/contents';
import { zipFolder } from '../../../src/release/destination';
import { writeModZip, ZipCancelled } from '../../../src/release/zip';

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'fmp-package-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function put(rel: string, data: string | Buffer = rel): string {
  const file = path.join(dir, ...rel.split('/'));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

const INFO = JSON.stringify({ name: 'my-mod', version: '1.2.3', title: 'My Mod', author: 'me', factorio_version: '2.0' });
const NO_KEYS: PackageKeys = { ignore: [], extra: [], problems: [] };

function plan(keys: PackageKeys = NO_KEYS, folder = path.join(dir, 'mod')) {
  return planPackage({ folder, name: 'my-mod', version: '1.2.3', keys });
}

/** A small mod with every kind of thing a release leaves out. */
function sampleMod(): void {
  put('mod/info.json', INFO);
  put('mod/control.lua', 'script.on_init(function() end)\n'.repeat(50));
  put('mod/data.lua', 'data:extend({})\n');
  put('mod/locale/en/my-mod.cfg', '[mod-name]\nmy-mod=My Mod\n');
  put('mod/graphics/icon.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  put('mod/.git/HEAD', 'ref: refs/heads/main\n');
  put('mod/.gitignore', '*.zip\n');
  put('mod/.vscode/settings.json', '{}');
  put('mod/.DS_Store', 'x');
  put('mod/my-mod_1.2.2.zip', 'old zip');
  put('mod/other-mod_1.0.0.zip', 'a zip of another mod stays');
}

describe('packageKeys (FMTK’s info.json keys)', () => {
  test('reads ignore globs and extra sources, a bare path as {root}', () => {
    const keys = packageKeys({ package: { ignore: ['**/*.psd', 'docs/**'], extra: [{ root: '../shared', glob: '**/*.lua', ignore: ['test/**'] }, '../LICENSE'] } });
    assert.deepEqual(keys.ignore, ['**/*.psd', 'docs/**']);
    assert.deepEqual(keys.extra, [{ root: '../shared', glob: '**/*.lua', ignore: ['test/**'] }, { root: '../LICENSE' }]);
    assert.deepEqual(keys.problems, []);
  });

  test('no package key: nothing; a wrong shape is a problem, never a guess', () => {
    assert.deepEqual(packageKeys({ name: 'x' }), NO_KEYS);
    assert.deepEqual(packageKeys({ package: 'yes' }).problems, ['"package" is not an object: ignored']);
    const keys = packageKeys({ package: { ignore: 'docs/**', extra: [3, { root: 5 }] } });
    assert.deepEqual(keys.ignore, []);
    assert.equal(keys.problems.length, 3);
    assert.match(keys.problems[0], /package\.ignore/);
  });
});

describe('planPackage', () => {
  test('leaves out dot-files, version control and earlier zips of the mod, each with its reason', async () => {
    sampleMod();
    const p = await plan();
    assert.equal(p.top, 'my-mod_1.2.3');
    assert.equal(p.zipName, 'my-mod_1.2.3.zip');
    assert.deepEqual(p.entries.map((e) => e.path), ['control.lua', 'data.lua', 'graphics/icon.png', 'info.json', 'locale/en/my-mod.cfg', 'other-mod_1.0.0.zip']);
    assert.deepEqual(
      p.excluded.map((e) => [e.path, e.reason, e.directory]),
      [
        ['.DS_Store', 'dot', false],
        ['.git', 'vcs', true],
        ['.gitignore', 'vcs', false],
        ['.vscode', 'dot', true],
        ['my-mod_1.2.2.zip', 'earlier-zip', false],
      ],
    );
    assert.equal(p.totalBytes, p.entries.reduce((s, e) => s + e.size, 0));
    assert.equal(p.entries.find((e) => e.path === 'control.lua')!.size, 'script.on_init(function() end)\n'.length * 50);
  });

  test('package.ignore globs leave out files and whole folders, naming the glob; info.json always stays', async () => {
    sampleMod();
    put('mod/docs/readme.md');
    put('mod/docs/img/a.psd');
    put('mod/graphics/src/icon.psd');
    const p = await plan(packageKeys({ package: { ignore: ['docs/**', '**/*.psd', 'info.json'] } }));
    const paths = p.entries.map((e) => e.path);
    assert.ok(paths.includes('info.json'));
    assert.ok(!paths.some((x) => x.startsWith('docs/') || x.endsWith('.psd')));
    assert.deepEqual(
      p.excluded.filter((e) => e.reason === 'ignore').map((e) => [e.path, e.glob]),
      [
        ['docs', 'docs/**'],
        ['graphics/src/icon.psd', '**/*.psd'],
      ],
    );
  });

  test('package.extra adds files from outside the mod at the top folder; the mod’s own file wins a clash', async () => {
    sampleMod();
    put('shared/lib/util.lua', 'return {}');
    put('shared/lib/test/spec.lua', 'spec');
    put('shared/data.lua', 'shared data');
    put('shared/notes.txt');
    put('LICENSE', 'MIT');
    const p = await plan(packageKeys({ package: { extra: [{ root: '../shared', glob: '**/*.lua', ignore: ['lib/test/**'] }, '../LICENSE', '../nowhere'] } }));
    const paths = p.entries.map((e) => e.path);
    assert.ok(paths.includes('lib/util.lua'));
    assert.ok(paths.includes('LICENSE'));
    assert.ok(!paths.includes('notes.txt'), 'outside the extra glob');
    assert.ok(!paths.includes('lib/test/spec.lua'));
    assert.equal(p.entries.find((e) => e.path === 'data.lua')!.source, path.join(dir, 'mod', 'data.lua'));
    const reasons = p.excluded.map((e) => `${e.path}:${e.reason}`);
    assert.ok(reasons.includes('../shared/data.lua:duplicate'), reasons.join(' '));
    assert.ok(reasons.includes('../shared/lib/test:ignore'), reasons.join(' '));
    assert.ok(reasons.includes('../nowhere:missing'), reasons.join(' '));
  });

  test('a linked folder is followed, a link back up is not entered again', async () => {
    put('mod/info.json', INFO);
    put('lib/a.lua', 'a');
    symlinkSync(path.join(dir, 'lib'), path.join(dir, 'mod', 'lib'));
    symlinkSync(path.join(dir, 'mod'), path.join(dir, 'mod', 'loop'));
    const p = await plan();
    assert.deepEqual(p.entries.map((e) => e.path), ['info.json', 'lib/a.lua']);
    assert.deepEqual(p.excluded.map((e) => [e.path, e.reason]), [['loop', 'special']]);
  });
});

describe('writeModZip', () => {
  test('one top folder <name>_<version>/ with info.json at its root, every file’s bytes intact', async () => {
    sampleMod();
    const p = await plan();
    const out = path.join(dir, p.zipName);
    const written = await writeModZip(p, out);
    const zip = await readZip(out);
    const names = [...zip.keys()];
    assert.ok(names.every((n) => n.startsWith('my-mod_1.2.3/')), names.join(' '));
    assert.deepEqual(
      names,
      ['my-mod_1.2.3/', 'my-mod_1.2.3/graphics/', 'my-mod_1.2.3/locale/', 'my-mod_1.2.3/locale/en/', ...p.entries.map((e) => `my-mod_1.2.3/${e.path}`)],
    );
    assert.equal(JSON.parse(zip.get('my-mod_1.2.3/info.json')!.toString()).name, 'my-mod');
    for (const entry of p.entries) assert.deepEqual(zip.get(`my-mod_1.2.3/${entry.path}`), readFileSync(entry.source), entry.path);
    assert.equal(written.bytes, readFileSync(out).length);
    assert.equal(written.sha1, createHash('sha1').update(readFileSync(out)).digest('hex'));
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('partial')), []);
  });

  test('the same tree gives the same bytes, whatever the files’ times, the order they were made in and the time zone', async () => {
    sampleMod();
    const first = await writeModZip(await plan(), path.join(dir, 'a.zip'));
    // Same contents, written again in another order with other times.
    rmSync(path.join(dir, 'mod'), { recursive: true });
    put('mod/locale/en/my-mod.cfg', '[mod-name]\nmy-mod=My Mod\n');
    put('mod/data.lua', 'data:extend({})\n');
    put('mod/graphics/icon.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    put('mod/control.lua', 'script.on_init(function() end)\n'.repeat(50));
    put('mod/info.json', INFO);
    put('mod/other-mod_1.0.0.zip', 'a zip of another mod stays');
    utimesSync(path.join(dir, 'mod', 'data.lua'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const previousTz = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      const second = await writeModZip(await plan(), path.join(dir, 'b.zip'));
      assert.equal(second.sha1, first.sha1);
      assert.deepEqual(readFileSync(path.join(dir, 'b.zip')), readFileSync(path.join(dir, 'a.zip')));
    } finally {
      if (previousTz === undefined) delete process.env.TZ;
      else process.env.TZ = previousTz;
    }
    // And a changed byte changes the sha1.
    put('mod/data.lua', 'data:extend({ })\n');
    const third = await writeModZip(await plan(), path.join(dir, 'c.zip'));
    assert.notEqual(third.sha1, first.sha1);
  });

  test('replaces an existing zip only when complete; a cancelled write leaves it and no temporary file', async () => {
    sampleMod();
    put('mod/big.bin', Buffer.alloc(8 * 1024 * 1024, 7));
    const out = path.join(dir, 'my-mod_1.2.3.zip');
    writeFileSync(out, 'previous');
    const controller = new AbortController();
    const p = await plan();
    await assert.rejects(
      writeModZip(p, out, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.bytesRead > 1024 * 1024) controller.abort();
        },
      }),
      ZipCancelled,
    );
    assert.equal(readFileSync(out, 'utf8'), 'previous');
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('partial')), []);
  });

  test('a file that changed size since the plan fails the write and leaves nothing', async () => {
    sampleMod();
    const p = await plan();
    put('mod/data.lua', 'now longer than it was when planned');
    const out = path.join(dir, 'x.zip');
    await assert.rejects(writeModZip(p, out));
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.zip') || n.includes('partial')), []);
  });
});

describe('zipFolder', () => {
  const home = path.resolve('/home/me');
  const ws = path.resolve('/work/ws');
  test('default: the workspace folder, or the parent when the workspace is the mod itself', () => {
    assert.deepEqual(zipFolder({ setting: '', workspaceFolder: ws, modFolder: path.join(ws, 'mods', 'a'), home }), { ok: true, folder: ws });
    assert.deepEqual(zipFolder({ setting: '', workspaceFolder: path.join(ws, 'a'), modFolder: path.join(ws, 'a'), home }), { ok: true, folder: ws });
    assert.deepEqual(zipFolder({ setting: ' ', workspaceFolder: undefined, modFolder: path.join(ws, 'a'), home }), { ok: true, folder: ws });
  });

  test('a setting: relative to the workspace folder, ~ is home; inside the mod folder is refused', () => {
    assert.deepEqual(zipFolder({ setting: 'dist', workspaceFolder: ws, modFolder: path.join(ws, 'a'), home }), { ok: true, folder: path.join(ws, 'dist') });
    assert.deepEqual(zipFolder({ setting: '~/zips', workspaceFolder: ws, modFolder: path.join(ws, 'a'), home }), { ok: true, folder: path.join(home, 'zips') });
    const inside = zipFolder({ setting: 'a/build', workspaceFolder: ws, modFolder: path.join(ws, 'a'), home });
    assert.equal(inside.ok, false);
    assert.match(!inside.ok ? inside.problem : '', /inside the mod's own folder/);
    assert.equal(zipFolder({ setting: '.', workspaceFolder: path.join(ws, 'a'), modFolder: path.join(ws, 'a'), home }).ok, false);
    assert.equal(zipFolder({ setting: '../a-zips', workspaceFolder: path.join(ws, 'a'), modFolder: path.join(ws, 'a'), home }).ok, true);
  });
});

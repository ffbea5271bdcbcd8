import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { enableInModListText, enableModsInFolder, isEnabled, ModListError, parseModList, readModList } from '../../../src/mods/modList';

// The layout the game writes, with keys other tools add.
const GAME_STYLE = `{
  "mods": 
  [
    
    {
      "name": "base",
      "enabled": true
    },
    
    {
      "name": "space-age",
      "enabled": false
    },
    
    {
      "name": "flib",
      "enabled": false,
      "version": "0.16.2"
    }
  ],
  "x-tool": {"keep": [1, 2]}
}
`;

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'fmp-modlist-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('parseModList', () => {
  test('a missing file enables only base', () => {
    const list = parseModList(undefined);
    assert.equal(list.present, false);
    assert.equal(isEnabled(list, 'base'), true);
    assert.equal(isEnabled(list, 'flib'), false);
  });

  test('reads entries in order and ignores unknown keys', () => {
    const list = parseModList(GAME_STYLE);
    assert.deepEqual(list.entries, [
      { name: 'base', enabled: true },
      { name: 'space-age', enabled: false },
      { name: 'flib', enabled: false },
    ]);
    assert.equal(isEnabled(list, 'space-age'), false);
    assert.equal(isEnabled(list, 'not-listed'), false);
  });

  test('malformed text is reported, not thrown', () => {
    for (const text of ['{', '[]', '{"mods": 3}', '{"mods": [],}', '// c\n{"mods": []}']) {
      const list = parseModList(text);
      assert.ok(list.problem, text);
      assert.deepEqual(list.entries, []);
    }
  });
});

describe('enableInModListText', () => {
  test('switches listed mods on in place and appends new ones in the same style, touching nothing else', () => {
    const r = enableInModListText(GAME_STYLE, ['flib', 'new-mod', 'base']);
    assert.ok(r.ok);
    assert.deepEqual(r.added, ['new-mod']);
    assert.deepEqual(r.enabled, ['flib']);
    assert.equal(
      r.text,
      GAME_STYLE.replace('"enabled": false,\n      "version"', '"enabled": true,\n      "version"').replace(
        '"version": "0.16.2"\n    }',
        '"version": "0.16.2"\n    },\n    {\n      "name": "new-mod",\n      "enabled": true\n    }',
      ),
    );
    assert.equal(readFirst(r.text, 'space-age'), false, 'other entries keep their state');
  });

  test('nothing to change gives back the very same text', () => {
    const r = enableInModListText(GAME_STYLE, ['base']);
    assert.ok(r.ok);
    assert.equal(r.changed, false);
    assert.equal(r.text, GAME_STYLE);
  });

  test('one-line entries, CRLF, an empty array, and an entry without "enabled"', () => {
    const crlf = '{"mods": [{"name": "base", "enabled": true}, {"name": "a"}]}\r\n';
    const r = enableInModListText(crlf, ['a', 'b']);
    assert.ok(r.ok);
    assert.equal(r.text, '{"mods": [{"name": "base", "enabled": true}, {"name": "a", "enabled": true}, {"name": "b", "enabled": true}]}\r\n');
    assert.deepEqual(JSON.parse(r.text), { mods: [{ name: 'base', enabled: true }, { name: 'a', enabled: true }, { name: 'b', enabled: true }] });
    const empty = enableInModListText('{"mods": []}', ['a']);
    assert.ok(empty.ok);
    assert.deepEqual(JSON.parse(empty.text), { mods: [{ name: 'a', enabled: true }] });
  });

  test('no file: base plus the new ones', () => {
    const r = enableInModListText(undefined, ['a', 'base']);
    assert.ok(r.ok);
    assert.deepEqual(JSON.parse(r.text), { mods: [{ name: 'base', enabled: true }, { name: 'a', enabled: true }] });
  });

  test('refuses what it cannot understand', () => {
    const r = enableInModListText('{"mods": {}}', ['a']);
    assert.equal(r.ok, false);
  });
});

function readFirst(text: string, name: string): boolean | undefined {
  return (JSON.parse(text) as { mods: Array<{ name: string; enabled: boolean }> }).mods.find((m) => m.name === name)?.enabled;
}

describe('enableModsInFolder', () => {
  const file = (): string => path.join(dir, 'mod-list.json');

  test('backs up, then writes; no temporary file is left', async () => {
    writeFileSync(file(), GAME_STYLE);
    const w = await enableModsInFolder(dir, ['flib']);
    assert.equal(w.changed, true);
    assert.equal(w.backupPath, path.join(dir, 'mod-list.json.bak'));
    assert.equal(readFileSync(w.backupPath!, 'utf8'), GAME_STYLE);
    assert.equal(readFirst(readFileSync(file(), 'utf8'), 'flib'), true);
    assert.deepEqual(readdirSync(dir).sort(), ['mod-list.json', 'mod-list.json.bak']);
    assert.equal((await readModList(dir)).entries.length, 3);
  });

  test('nothing to change writes nothing, not even a backup', async () => {
    writeFileSync(file(), GAME_STYLE);
    const w = await enableModsInFolder(dir, ['base']);
    assert.equal(w.changed, false);
    assert.deepEqual(readdirSync(dir), ['mod-list.json']);
    assert.equal(readFileSync(file(), 'utf8'), GAME_STYLE);
  });

  test('creates a missing file with base enabled', async () => {
    const w = await enableModsInFolder(dir, ['a']);
    assert.equal(w.backupPath, undefined);
    assert.deepEqual(JSON.parse(readFileSync(file(), 'utf8')).mods, [{ name: 'base', enabled: true }, { name: 'a', enabled: true }]);
  });

  test('a malformed file is left exactly as it was', async () => {
    writeFileSync(file(), '{"mods": [,]}');
    await assert.rejects(enableModsInFolder(dir, ['a']), ModListError);
    assert.equal(readFileSync(file(), 'utf8'), '{"mods": [,]}');
    assert.equal(existsSync(path.join(dir, 'mod-list.json.bak')), false);
  });

  test('a symbolic link is written through to its target, which keeps its mode', { skip: process.platform === 'win32' }, async () => {
    const elsewhere = path.join(dir, 'profiles');
    mkdirSync(elsewhere);
    const target = path.join(elsewhere, 'real-mod-list.json');
    writeFileSync(target, GAME_STYLE);
    chmodSync(target, 0o640);
    symlinkSync(target, file());
    const w = await enableModsInFolder(dir, ['flib']);
    assert.equal(w.changed, true);
    assert.ok(lstatSync(file()).isSymbolicLink(), 'the link stays a link');
    assert.equal(readFirst(readFileSync(target, 'utf8'), 'flib'), true);
    assert.equal(statSync(target).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(elsewhere), ['real-mod-list.json'], 'no temporary file beside the target');
    assert.equal(readFileSync(path.join(dir, 'mod-list.json.bak'), 'utf8'), GAME_STYLE);
  });

  test('an existing mod-list.json.bak: a plain file is replaced; a link or a folder is left alone, with no backup', { skip: process.platform === 'win32' }, async () => {
    writeFileSync(file(), GAME_STYLE);
    writeFileSync(path.join(dir, 'mod-list.json.bak'), 'an older backup');
    const plain = await enableModsInFolder(dir, ['flib']);
    assert.equal(plain.backupPath, path.join(dir, 'mod-list.json.bak'));
    assert.equal(readFileSync(path.join(dir, 'mod-list.json.bak'), 'utf8'), GAME_STYLE);

    rmSync(path.join(dir, 'mod-list.json.bak'));
    const precious = path.join(dir, 'precious.txt');
    writeFileSync(precious, 'do not touch');
    symlinkSync(precious, path.join(dir, 'mod-list.json.bak'));
    const linked = await enableModsInFolder(dir, ['space-age']);
    assert.equal(linked.changed, true);
    assert.equal(linked.backupPath, undefined);
    assert.match(linked.backupSkipped ?? '', /symbolic link/);
    assert.equal(readFileSync(precious, 'utf8'), 'do not touch');
    assert.equal(readFirst(readFileSync(file(), 'utf8'), 'space-age'), true);

    rmSync(path.join(dir, 'mod-list.json.bak'));
    mkdirSync(path.join(dir, 'mod-list.json.bak'));
    const folder = await enableModsInFolder(dir, ['new-one']);
    assert.match(folder.backupSkipped ?? '', /not a plain file/);
    assert.ok(statSync(path.join(dir, 'mod-list.json.bak')).isDirectory());
  });

  test('malformed files: deep, huge or of the wrong types give a problem, never a throw of another kind', async () => {
    const cases: Array<[string, string | Buffer]> = [
      ['deep', `{"mods": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
      ['deep in an entry', `{"mods": [{"name": "a", "x": ${'{"y":'.repeat(50_000)}1${'}'.repeat(50_000)}}]}`],
      ['mods not an array', '{"mods": {"name": "a"}}'],
      ['root an array', '[{"name": "a", "enabled": true}]'],
      ['root a string', '"mods"'],
    ];
    for (const [what, text] of cases) {
      writeFileSync(file(), text);
      const list = await readModList(dir);
      assert.ok(list.problem, `${what}: reported`);
      assert.deepEqual(list.entries, [], what);
      await assert.rejects(enableModsInFolder(dir, ['a']), ModListError, what);
      assert.equal(readFileSync(file(), 'utf8'), text.toString(), `${what}: left as it was`);
    }
    // Entries of the wrong types are skipped, and an "enabled" that is not true counts as off.
    writeFileSync(file(), '{"mods": [1, "a", {"name": 5}, {"name": "b", "enabled": "yes"}, {"name": "c", "enabled": true}]}');
    const odd = await readModList(dir);
    assert.equal(odd.problem, undefined);
    assert.deepEqual(odd.entries, [{ name: 'b', enabled: false }, { name: 'c', enabled: true }]);
    const w = await enableModsInFolder(dir, ['b']);
    assert.deepEqual(w.enabled, ['b']);
    assert.equal((JSON.parse(readFileSync(file(), 'utf8')) as { mods: Array<{ name?: unknown; enabled?: unknown }> }).mods[3]?.enabled, true);
  });

  test('a file larger than any mod-list.json is refused before it is read', async () => {
    writeFileSync(file(), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    const list = await readModList(dir);
    assert.match(list.problem ?? '', /too large/);
    await assert.rejects(enableModsInFolder(dir, ['a']), /too large/);
  });
});

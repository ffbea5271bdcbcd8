import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkspaceMods } from '../../../src/mods/workspaceMods';

const info = (name: string, version = '1.0.0', deps?: string[]): string =>
  JSON.stringify({ name, version, factorio_version: '2.0', ...(deps ? { dependencies: deps } : {}) });

describe('WorkspaceMods', () => {
  test('adds, updates and removes by path, saying which names changed', () => {
    const mods = new WorkspaceMods();
    assert.deepEqual(mods.set('/w/a/info.json', info('a', '1.0.0', ['base', 'b >= 1.0.0'])).names, ['a']);
    assert.deepEqual(mods.set('/w/b/info.json', info('b')).names, ['b']);
    assert.deepEqual(mods.byName('a'), { path: '/w/a/info.json', name: 'a', version: '1.0.0', factorioVersion: '2.0', dependencies: ['base', 'b >= 1.0.0'] });
    // Same content again (whitespace only): nothing changed.
    assert.deepEqual(mods.set('/w/a/info.json', info('a', '1.0.0', ['base', 'b >= 1.0.0']) + '\n').names, []);
    assert.deepEqual(mods.set('/w/b/info.json', info('b', '1.1.0')).names, ['b']);
    assert.equal(mods.byName('b')?.version, '1.1.0');
    // Renamed: both the old and the new name changed.
    assert.deepEqual(mods.set('/w/b/info.json', info('c', '1.1.0')).names, ['b', 'c']);
    assert.equal(mods.has('b'), false);
    assert.deepEqual(mods.delete('/w/b/info.json').names, ['c']);
    assert.deepEqual(mods.delete('/w/b/info.json').names, []);
    assert.deepEqual(mods.all().map((m) => m.name), ['a']);
  });

  test('a half-typed or nameless info.json is no mod, and tolerated', () => {
    const mods = new WorkspaceMods();
    mods.set('/w/a/info.json', info('a'));
    assert.deepEqual(mods.set('/w/a/info.json', '{"name": ').names, ['a']);
    assert.equal(mods.size, 0);
    mods.set('/w/x/info.json', '{"name": "x", "version": 3, "dependencies": "base"}');
    assert.deepEqual(mods.byName('x'), { path: '/w/x/info.json', name: 'x', version: undefined, factorioVersion: undefined, dependencies: undefined });
  });

  test('two folders claiming one name are reported as duplicates', () => {
    const mods = WorkspaceMods.from([
      ['/w/z/info.json', info('dup')],
      ['/w/a/info.json', info('dup', '2.0.0')],
      ['/w/u/info.json', info('unique')],
    ]);
    assert.deepEqual(mods.duplicates(), [{ name: 'dup', paths: ['/w/a/info.json', '/w/z/info.json'] }]);
    assert.equal(mods.byName('dup')?.version, '2.0.0');
    mods.delete('/w/a/info.json');
    assert.deepEqual(mods.duplicates(), []);
    assert.equal(mods.byName('dup')?.path, '/w/z/info.json');
    assert.deepEqual(mods.deleteUnder('/w/').names.sort(), ['dup', 'unique']);
    assert.equal(mods.size, 0);
  });
});

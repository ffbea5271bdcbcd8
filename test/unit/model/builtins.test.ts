import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUILTIN_MODS,
  builtinAvailableIn,
  builtinMod,
  builtinModsFor,
  builtinVersionRange,
  isBuiltinMod,
} from '../../../src/model/builtins';
import { DEFAULT_FACTORIO_VERSION } from '../../../src/model/version';
import { fixtureText } from '../builders';


test('built-in names', () => {
  for (const name of ['core', 'base', 'quality', 'elevated-rails', 'space-age', 'recycler']) assert.ok(isBuiltinMod(name), name);
  for (const name of ['flib', 'Base', 'space_age', '']) assert.equal(isBuiltinMod(name), false, name);
});

test('availability follows the Factorio version', () => {
  assert.deepEqual(builtinModsFor('0.18').map((m) => m.name), ['core', 'base']);
  assert.deepEqual(builtinModsFor('1.1').map((m) => m.name), ['core', 'base']);
  assert.deepEqual(builtinModsFor('2.0').map((m) => m.name).sort(), ['base', 'core', 'elevated-rails', 'quality', 'space-age']);
  assert.deepEqual(builtinModsFor('2.1').map((m) => m.name).sort(), ['base', 'core', 'elevated-rails', 'quality', 'recycler', 'space-age']);
  assert.equal(builtinAvailableIn('space-age', '1.1'), false);
  assert.equal(builtinAvailableIn('space-age', '2.0'), true);
  assert.equal(builtinAvailableIn('recycler', '2.0'), false);
  assert.equal(builtinAvailableIn('recycler', '2.1'), true);
  assert.equal(builtinAvailableIn('flib', '2.0'), undefined);
  assert.equal(builtinAvailableIn('base', 'junk'), undefined);
  assert.deepEqual(builtinModsFor('junk'), []);
});

test('built-in versions follow the game', () => {
  assert.deepEqual(builtinVersionRange('base', '2.0'), {
    min: { major: 2, minor: 0, patch: 0 },
    max: { major: 2, minor: 0, patch: 65535 },
  });
  // A 0.18 mod also runs in 1.0.
  assert.deepEqual(builtinVersionRange('base', '0.18')?.max, { major: 1, minor: 0, patch: 65535 });
  assert.equal(builtinVersionRange('space-age', '1.1'), undefined);
  assert.equal(builtinVersionRange('flib', '2.0'), undefined);
});

test('titles and dependencies match the game files', () => {
  for (const file of ['../builtin-mods/2.0.66/space-age.info.json', '../builtin-mods/2.1.12/space-age.info.json', '../builtin-mods/2.1.12/quality.info.json', '../builtin-mods/2.0.66/base.info.json']) {
    const info = JSON.parse(fixtureText('info-json', file)) as { name: string; title: string; dependencies: string[] };
    const mod = builtinMod(info.name)!;
    assert.equal(mod.title, info.title, file);
    const fv = file.includes('2.1.') ? '2.1' : '2.0';
    assert.deepEqual(mod.dependencies[fv], info.dependencies, file);
  }
  assert.ok(BUILTIN_MODS.every((m) => m.description.length > 0));
});

test('core and base exist from the game\'s default Factorio version on', () => {
  assert.equal(builtinMod('core')?.since, DEFAULT_FACTORIO_VERSION);
  assert.equal(builtinMod('base')?.since, DEFAULT_FACTORIO_VERSION);
  assert.equal(builtinAvailableIn('base', '0.12'), true);
});

import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryKey, categoryTitle } from '../../../src/portal/categories';

test('one display name per category: none and "no-category" alike, retired values title-cased', () => {
  assert.equal(categoryTitle(undefined), 'No category');
  assert.equal(categoryTitle(''), 'No category');
  assert.equal(categoryTitle('no-category'), 'No category');
  assert.equal(categoryKey(''), categoryKey('no-category'));
  assert.equal(categoryTitle('mod-packs'), 'Mod packs');
  assert.equal(categoryTitle('big-mods'), 'Big mods');
  assert.equal(categoryTitle('non_game-changing'), 'Non game changing');
  assert.equal(categoryTitle('---'), '---');
});

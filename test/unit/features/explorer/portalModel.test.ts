import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyFilter,
  describeFilter,
  groupByCategory,
  sortMods,
} from '../../../../src/features/explorer/portalModel';
import { formatDownloads } from '../../../../src/features/core/portalText';
import type { ModEntry } from '../../../../src/portal/types';

function mod(name: string, downloads: number, category: string | undefined, releasedAt: string, title = name): ModEntry {
  return {
    name,
    title,
    owner: 'o',
    summary: '',
    downloads_count: downloads,
    ...(category !== undefined ? { category } : {}),
    latest_release: { version: '1.0.0', download_url: '', file_name: '', sha1: '', released_at: releasedAt, info_json: { factorio_version: '2.0' } },
  };
}

// Most downloaded first, as the index holds them.
const MODS = [
  mod('big', 900, 'content', '2024-01-01', 'Zeta'),
  mod('old-shape', 500, 'big-mods', '2021-01-01', 'alpha'),
  mod('tweak', 300, 'tweaks', '2025-06-01', 'Beta'),
  mod('none', 100, undefined, '2023-01-01', 'Gamma'),
  mod('util', 50, 'utilities', '2025-01-01', 'beta 2'),
];

describe('explorer model', () => {
  test('groups by category as sent: today’s first in the portal’s order, old values kept, none last', () => {
    const groups = groupByCategory(MODS);
    assert.deepEqual([...groups.keys()], ['content', 'tweaks', 'utilities', 'big-mods', 'no-category']);
    assert.deepEqual(groups.get('big-mods')!.map((m) => m.name), ['old-shape']);
  });

  test('sorts by downloads, recent update or title', () => {
    assert.deepEqual(sortMods(MODS, 'downloads').map((m) => m.name), ['big', 'old-shape', 'tweak', 'none', 'util']);
    assert.deepEqual(sortMods(MODS, 'updated').map((m) => m.name), ['tweak', 'util', 'big', 'none', 'old-shape']);
    assert.deepEqual(sortMods(MODS, 'name').map((m) => m.title), ['alpha', 'Beta', 'beta 2', 'Gamma', 'Zeta']);
  });

  test('filters by the names the portal lets through', () => {
    const kept = applyFilter(MODS, { factorioVersion: '2.0', hideDeprecated: false, sort: 'downloads' }, { version: new Set(['util', 'big']) });
    assert.deepEqual(kept.map((m) => m.name), ['big', 'util']);
    const all = applyFilter(MODS, { hideDeprecated: false, sort: 'downloads' }, { version: new Set(['util']) });
    assert.equal(all.length, MODS.length, 'an inactive filter changes nothing');
    const noDeprecated = applyFilter(MODS, { hideDeprecated: true, sort: 'name' }, { notDeprecated: new Set(['tweak', 'none']) });
    assert.deepEqual(noDeprecated.map((m) => m.name), ['tweak', 'none']);
  });

  test('formats downloads and describes the filter', () => {
    assert.deepEqual([999, 1234, 45_210, 9_876_543, 12_000_000].map(formatDownloads), ['999', '1.2K', '45K', '9.9M', '12M']);
    assert.equal(describeFilter({ factorioVersion: '2.0', hideDeprecated: true, sort: 'name' }), 'Factorio 2.0 · by name');
    assert.equal(describeFilter({ hideDeprecated: true, sort: 'downloads' }), 'no deprecated');
  });
});

import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyFilter,
  describeFilter,
  groupByCategory,
} from '../../../../src/features/explorer/portalModel';
import { formatDownloads } from '../../../../src/features/core/portalText';
import { modListOf, type SortMode } from '../../../../src/portal/modList';
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
const MODS: ModEntry[] = [
  mod('big', 900, 'content', '2024-01-01', 'Zeta'),
  mod('old-shape', 500, 'big-mods', '2021-01-01', 'alpha'),
  mod('tweak', 300, 'tweaks', '2025-06-01', 'Beta'),
  mod('none', 100, undefined, '2023-01-01', 'Gamma'),
  mod('util', 50, 'utilities', '2025-01-01', 'beta 2'),
];

const LIST = modListOf(MODS);
const sorted = (sort: SortMode): string[] => LIST.select(sort).names();

describe('explorer model', () => {
  test('groups by category as sent: today’s first in the portal’s order, old values kept, none last', () => {
    const groups = groupByCategory(LIST.select('downloads'));
    assert.deepEqual([...groups.keys()], ['content', 'tweaks', 'utilities', 'big-mods', 'no-category']);
    assert.deepEqual(groups.get('big-mods')!.names(), ['old-shape']);
    assert.deepEqual(groups.get('big-mods')!.top(5).map((m) => m.title), ['alpha']);
  });

  test('sorts by downloads, recent update or title', () => {
    assert.deepEqual(sorted('downloads'), ['big', 'old-shape', 'tweak', 'none', 'util']);
    assert.deepEqual(sorted('updated'), ['tweak', 'util', 'big', 'none', 'old-shape']);
    assert.deepEqual(LIST.top('name', 5).map((m) => m.title), ['alpha', 'Beta', 'beta 2', 'Gamma', 'Zeta']);
    assert.deepEqual(LIST.top('updated', 2).map((m) => m.name), ['tweak', 'util'], 'the top N alone');
    assert.deepEqual(LIST.select('downloads').top(2, 3).map((m) => m.name), ['none', 'util'], 'a later page');
  });

  test('filters by the names the portal lets through', () => {
    const kept = applyFilter(LIST, { factorioVersion: '2.0', hideDeprecated: false, sort: 'downloads' }, { version: new Set(['util', 'big']) });
    assert.deepEqual(kept.names(), ['big', 'util']);
    assert.ok(kept.has('util') && !kept.has('tweak'));
    assert.equal(kept.count(['util', 'tweak', 'unknown']), 1);
    const all = applyFilter(LIST, { hideDeprecated: false, sort: 'downloads' }, { version: new Set(['util']) });
    assert.equal(all.size, MODS.length, 'an inactive filter changes nothing');
    const noDeprecated = applyFilter(LIST, { hideDeprecated: true, sort: 'name' }, { notDeprecated: new Set(['tweak', 'none']) });
    assert.deepEqual(noDeprecated.names(), ['tweak', 'none']);
    assert.deepEqual(noDeprecated.filter((n) => n === 'none').names(), ['none']);
  });

  test('formats downloads and describes the filter', () => {
    assert.deepEqual([999, 1234, 45_210, 9_876_543, 12_000_000].map(formatDownloads), ['999', '1.2K', '45K', '9.9M', '12M']);
    assert.equal(describeFilter({ factorioVersion: '2.0', hideDeprecated: true, sort: 'name' }), 'Factorio 2.0 · by name');
    assert.equal(describeFilter({ hideDeprecated: true, sort: 'downloads' }), 'no deprecated');
  });
});

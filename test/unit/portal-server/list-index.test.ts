import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateDataset } from '../../portal-server/dataset';
import { ListIndex } from '../../portal-server/list-index';

describe('ListIndex warm-up', () => {
  it('stops once the whole list is serialised, without waiting for a request', async () => {
    const index = new ListIndex(generateDataset({ mods: 2000, seed: 7 }));
    try {
      index.warmUp(100);
      assert.equal(index.warming, true);
      const deadline = Date.now() + 10_000;
      while (index.warming && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      assert.equal(index.warming, false, 'the warm-up loop still runs with no request made');
      // The body it built is the one a request gets.
      const body = JSON.parse(index.maxBody({ hideDeprecated: false }).toString('utf8')) as { results: unknown[] };
      assert.equal(body.results.length, index.dataset.mods.length);
    } finally {
      index.dispose();
    }
  });

  it('dispose stops a warm-up under way', () => {
    const index = new ListIndex(generateDataset({ mods: 2000, seed: 7 }));
    index.warmUp(10);
    index.dispose();
    assert.equal(index.warming, false);
  });
});

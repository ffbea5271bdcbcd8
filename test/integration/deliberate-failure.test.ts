import * as assert from 'node:assert/strict';
import { suite, test } from './framework';

suite('deliberate failure', () => {
  test('fails on purpose', () => {
    assert.equal(1 + 1, 3);
  });
});

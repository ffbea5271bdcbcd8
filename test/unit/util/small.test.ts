import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { messageOf } from '../../../src/util/errors';
import { readCappedText, TooLargeError } from '../../../src/util/readCapped';
import { withinBudget } from '../../../src/util/time';
import { formatSize } from '../../../src/util/text';

test('messageOf: an Error gives its message, anything else its text', () => {
  assert.equal(messageOf(new Error('boom')), 'boom');
  assert.equal(messageOf('plain'), 'plain');
  assert.equal(messageOf(42), '42');
});

test('withinBudget: the value when it comes first, undefined when the budget ends first', async () => {
  assert.equal(await withinBudget(Promise.resolve(7), 10_000), 7);
  assert.equal(await withinBudget(new Promise<number>(() => undefined), 0), undefined);
});

test('readCappedText: the text without its BOM; larger than the cap is refused before reading', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capped-'));
  try {
    const file = path.join(dir, 'a.json');
    writeFileSync(file, '\uFEFF{"a": 1}');
    assert.equal(await readCappedText(file, 100), '{"a": 1}');
    writeFileSync(file, 'x'.repeat(101));
    await assert.rejects(readCappedText(file, 100, 'a.json'), (e: unknown) => e instanceof TooLargeError && /a\.json is 101 bytes/.test(e.message));
    await assert.rejects(readCappedText(path.join(dir, 'missing'), 100), { code: 'ENOENT' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('formatSize: a small file says its size, not "0 KB"', () => {
  assert.equal(formatSize(3174), '3.1 KB');
  assert.equal(formatSize(512), '512 B');
  assert.equal(formatSize(0), '0 B');
  assert.equal(formatSize(1024), '1.0 KB');
  assert.equal(formatSize(12.4 * 1024 * 1024), '12.4 MB');
  assert.equal(formatSize(250 * 1024 * 1024), '250 MB');
  assert.equal(formatSize(3 * 1024 ** 3), '3.0 GB');
});

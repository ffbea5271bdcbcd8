import * as assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { isAtomicWriteLeftover, writeFileAtomic } from '../../../src/util/atomicWrite';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'atomic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('writes the whole text and leaves no temporary file', async () => {
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    assert.equal(readFileSync(file, 'utf8'), 'two');
    assert.deepEqual(readdirSync(dir), ['a.json']);
  });

  test('keeps the mode of the file it replaces', { skip: process.platform === 'win32' }, async () => {
    const file = path.join(dir, 'a.json');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    await writeFileAtomic(file, 'new');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  test('writes through a symbolic link to its target, keeping the link', { skip: process.platform === 'win32' }, async () => {
    const target = path.join(dir, 'real.json');
    const link = path.join(dir, 'link.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    await writeFileAtomic(link, 'new');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(target, 'utf8'), 'new');
  });

  test('bytes as well as text', async () => {
    const file = path.join(dir, 'b.bin');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]).subarray(1));
    assert.deepEqual([...readFileSync(file)], [2, 3]);
  });
});

test('a leftover of an interrupted write is recognised by its name alone', () => {
  assert.equal(isAtomicWriteLeftover('mod-list.json.3735928559', 'mod-list.json'), true);
  assert.equal(isAtomicWriteLeftover('mod-list.json.bak', 'mod-list.json'), false);
  assert.equal(isAtomicWriteLeftover('mod-list.json', 'mod-list.json'), false);
  assert.equal(isAtomicWriteLeftover('mod-list.json.', 'mod-list.json'), false);
  assert.equal(isAtomicWriteLeftover('other.json.123', 'mod-list.json'), false);
});

import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectFormatting, insertDependencyEdits } from '../../../../src/features/commands/insertDependency';

function insert(text: string, dependency = 'factorio-lib >= 1.4.2'): string {
  const result = insertDependencyEdits(text, dependency);
  assert.ok(result.ok, JSON.stringify(result));
  const { offset, length, content } = result.edit;
  return text.slice(0, offset) + content + text.slice(offset + length);
}

describe('insertDependencyEdits', () => {
  test('appends after the last item, with the separator the items use', () => {
    assert.equal(
      insert('{\n    "name": "m",\n    "dependencies": [\n        "base >= 2.0",\n        "? quality"\n    ]\n}\n'),
      '{\n    "name": "m",\n    "dependencies": [\n        "base >= 2.0",\n        "? quality",\n        "factorio-lib >= 1.4.2"\n    ]\n}\n',
    );
  });

  test('a one-line array stays on one line; a minified file stays minified', () => {
    assert.equal(insert('{\n  "dependencies": ["base"]\n}'), '{\n  "dependencies": ["base", "factorio-lib >= 1.4.2"]\n}');
    assert.equal(insert('{"name":"x","dependencies":["base","a"]}'), '{"name":"x","dependencies":["base","a","factorio-lib >= 1.4.2"]}');
  });

  test('one item on its own line: the new one goes on the next line at the same indent', () => {
    assert.equal(
      insert('{\r\n  "dependencies": [\r\n    "base"\r\n  ]\r\n}'),
      '{\r\n  "dependencies": [\r\n    "base",\r\n    "factorio-lib >= 1.4.2"\r\n  ]\r\n}',
    );
  });

  test('an empty array, a trailing comma', () => {
    assert.equal(insert('{\n  "dependencies": []\n}'), '{\n  "dependencies": ["factorio-lib >= 1.4.2"]\n}');
    assert.equal(insert('{\n  "dependencies": [\n    "base",\n  ]\n}'), '{\n  "dependencies": [\n    "base",\n    "factorio-lib >= 1.4.2",\n  ]\n}');
  });

  test('creates dependencies after the last property, indented like the file', () => {
    assert.equal(
      insert('{\n\t"name": "m",\n\t"version": "1.0.0"\n}\n'),
      '{\n\t"name": "m",\n\t"version": "1.0.0",\n\t"dependencies": [\n\t\t"factorio-lib >= 1.4.2"\n\t]\n}\n',
    );
    assert.equal(insert('{"name":"x"}'), '{"name":"x", "dependencies": ["factorio-lib >= 1.4.2"]}');
    assert.equal(insert('{}'), '{"dependencies": ["factorio-lib >= 1.4.2"]}');
  });

  test('refuses a duplicate, a non-array and broken JSON', () => {
    assert.deepEqual(insertDependencyEdits('{"dependencies": ["? factorio-lib"]}', 'factorio-lib >= 1.0.0'), {
      ok: false,
      reason: 'exists',
      existing: '? factorio-lib',
    });
    assert.deepEqual(insertDependencyEdits('{"dependencies": "base"}', 'x'), { ok: false, reason: 'dependencies-not-array' });
    assert.equal(insertDependencyEdits('[1, 2]', 'x').ok, false);
  });

  test('detects indentation', () => {
    assert.deepEqual(detectFormatting('{\n    "a": 1\n}'), { insertSpaces: true, tabSize: 4, eol: '\n' });
    assert.deepEqual(detectFormatting('{\r\n\t"a": 1\r\n}'), { insertSpaces: false, tabSize: 4, eol: '\r\n' });
  });
});

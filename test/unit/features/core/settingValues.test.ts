import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkNumber, checkSeverityTable, checkString, checkStringList, MAX_LIST_ITEMS } from '../../../../src/features/core/settingValues';

const TIMEOUT = { default: 20, min: 1, max: 300 };

describe('setting values from a workspace', () => {
  test('a number: kept in range, clamped outside it, the default for another type', () => {
    assert.deepEqual(checkNumber(undefined, TIMEOUT), { value: 20 });
    assert.deepEqual(checkNumber(45, TIMEOUT), { value: 45 });
    // 3,000,000 s is beyond Node's timer range: every request would time out at once.
    assert.deepEqual(checkNumber(3_000_000, TIMEOUT), { value: 300, problem: '3000000 is outside 1 to 300; using 300' });
    assert.deepEqual(checkNumber(0, TIMEOUT), { value: 1, problem: '0 is outside 1 to 300; using 1' });
    assert.deepEqual(checkNumber(-5, TIMEOUT), { value: 1, problem: '-5 is outside 1 to 300; using 1' });
    for (const [raw, shown] of [
      ['30', '"30"'],
      [null, 'null'],
      [[], 'a list'],
      [{}, 'an object'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [true, 'true'],
    ] as const) {
      assert.deepEqual(checkNumber(raw, TIMEOUT), { value: 20, problem: `${shown} is not a number; using 20` });
    }
    assert.deepEqual(checkNumber(7.5, { default: 50, min: 5, max: 200, integer: true }), { value: 7, problem: '7.5 is not a whole number; using 7' });
  });

  test('a list of names: items that are not names are dropped, another type is no list', () => {
    assert.deepEqual(checkStringList(undefined), { value: [] });
    assert.deepEqual(checkStringList(['a', 'b']), { value: ['a', 'b'] });
    assert.deepEqual(checkStringList('my-private-mod'), { value: [], problem: '"my-private-mod" is not a list of names; using none' });
    assert.deepEqual(checkStringList(null), { value: [], problem: 'null is not a list of names; using none' });
    assert.deepEqual(checkStringList({ a: 1 }), { value: [], problem: 'an object is not a list of names; using none' });
    assert.deepEqual(checkStringList(['a', 3, null, '', 'b']), { value: ['a', 'b'], problem: '3 entries are not a mod name and are ignored' });
    const huge = checkStringList(Array.from({ length: MAX_LIST_ITEMS + 5 }, (_, i) => `m${i}`));
    assert.equal(huge.value.length, MAX_LIST_ITEMS);
    assert.equal(huge.problem, `only the first ${MAX_LIST_ITEMS} entries are used`);
  });

  test('a severity table: null or another type is no table, an unknown severity is ignored where it is', () => {
    assert.deepEqual(checkSeverityTable(undefined), { value: new Map() });
    assert.deepEqual(checkSeverityTable(null), { value: new Map(), problem: 'null is not a table of severities; using the defaults' });
    assert.deepEqual(checkSeverityTable(['error']), { value: new Map(), problem: 'a list is not a table of severities; using the defaults' });
    assert.deepEqual(checkSeverityTable('error'), { value: new Map(), problem: '"error" is not a table of severities; using the defaults' });
    assert.deepEqual(checkSeverityTable({ 'deprecated-mod': 'error', 'outdated-minimum': 'off' }), {
      value: new Map([
        ['deprecated-mod', 'error'],
        ['outdated-minimum', 'off'],
      ]),
    });
    const mixed = checkSeverityTable({ 'deprecated-mod': 'fatal', 'unknown-mod': 'hint', 'json-syntax': null });
    assert.deepEqual([...mixed.value], [['unknown-mod', 'hint']]);
    assert.equal(mixed.problem, '"deprecated-mod", "json-syntax": a severity is one of error, warning, information, hint or off; the default is used there');
    // Inherited names are not entries.
    assert.equal(checkSeverityTable(JSON.parse('{"__proto__": "error"}')).value.get('toString'), undefined);
  });

  test('text: another type falls back', () => {
    assert.deepEqual(checkString('/home/me/mods', ''), { value: '/home/me/mods' });
    assert.deepEqual(checkString(42, ''), { value: '', problem: '42 is not text; using the default' });
  });
});

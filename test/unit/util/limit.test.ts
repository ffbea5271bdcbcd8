import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Limiter, mapLimited } from '../../../src/util/limit';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Limiter', () => {
  test('lets in at most its limit, the rest in arrival order', async () => {
    const limiter = new Limiter(2);
    const order: number[] = [];
    const gates = [deferred(), deferred(), deferred(), deferred()];
    let inside = 0;
    let most = 0;
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        inside++;
        most = Math.max(most, inside);
        order.push(i);
        await gate.promise;
        inside--;
      }),
    );
    await Promise.resolve();
    assert.deepEqual(order, [0, 1]);
    gates[1].resolve();
    gates[0].resolve();
    gates[2].resolve();
    gates[3].resolve();
    await Promise.all(runs);
    assert.equal(most, 2);
    assert.deepEqual(order, [0, 1, 2, 3]);
  });

  test('a waiter whose signal aborts never takes a slot', async () => {
    const limiter = new Limiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(waiting, /stop/);
    release();
    release(); // twice is harmless
    const again = await limiter.acquire();
    again();
  });

  test('refuses a limit below 1', () => {
    assert.throws(() => new Limiter(0), RangeError);
    assert.throws(() => new Limiter(Number.NaN), RangeError);
  });
});

describe('mapLimited', () => {
  test('results in item order, never more than the limit at once', async () => {
    let inside = 0;
    let most = 0;
    const out = await mapLimited([5, 1, 4, 2, 3], 2, async (n, i) => {
      inside++;
      most = Math.max(most, inside);
      for (let k = 0; k < n; k++) await Promise.resolve();
      inside--;
      return `${i}:${n}`;
    });
    assert.deepEqual(out, ['0:5', '1:1', '2:4', '3:2', '4:3']);
    assert.equal(most, 2);
  });

  test('the first failure is rethrown and no further item starts', async () => {
    const started: number[] = [];
    await assert.rejects(
      mapLimited([0, 1, 2, 3, 4], 1, async (n) => {
        started.push(n);
        if (n === 1) throw new Error('bad 1');
        if (n === 2) throw new Error('bad 2');
      }),
      /bad 1/,
    );
    assert.deepEqual(started, [0, 1]);
  });

  test('an aborted signal starts nothing more', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await mapLimited([0, 1, 2], 1, async (n) => {
      started.push(n);
      controller.abort();
    }, controller.signal);
    assert.deepEqual(started, [0]);
  });

  test('an empty list gives an empty result', async () => {
    assert.deepEqual(await mapLimited([], 4, async () => 1), []);
  });
});

import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { TestRegistry, type RunSummary } from '../../integration/framework';

function quietRun(registry: TestRegistry, options: Parameters<TestRegistry['run']>[0] = {}): Promise<RunSummary> {
  const lines: string[] = [];
  return registry.run({ log: (line) => lines.push(line), ...options });
}

test('runs tests sequentially and counts passes and failures', async () => {
  const registry = new TestRegistry();
  const order: string[] = [];
  registry.suite('s', () => {
    registry.test('first', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('first');
    });
    registry.test('second', () => {
      order.push('second');
      throw new Error('boom');
    });
    registry.test('third', () => {
      order.push('third');
    });
  });
  const summary = await quietRun(registry);
  assert.deepEqual(order, ['first', 'second', 'third']);
  assert.equal(summary.passed, 2);
  assert.equal(summary.failed, 1);
  const failed = summary.results.find((r) => r.status === 'failed');
  assert.equal(failed?.name, 'second');
  assert.equal(failed?.error?.message, 'boom');
  assert.match(failed?.error?.stack ?? '', /boom/);
});

test('a test that never settles fails with a timeout', async () => {
  const registry = new TestRegistry();
  registry.suite('s', () => {
    registry.test('hangs', () => new Promise(() => {}), { timeoutMs: 30 });
    registry.test('after it', () => {});
  });
  const summary = await quietRun(registry, { timeoutMs: 5000 });
  assert.equal(summary.results[0]?.status, 'failed');
  assert.match(summary.results[0]?.error?.message ?? '', /timed out after 30 ms/);
  assert.equal(summary.results[1]?.status, 'passed');
});

test('hooks run in order, afterEach also after a failure', async () => {
  const registry = new TestRegistry();
  const events: string[] = [];
  registry.suite('outer', () => {
    registry.before(() => void events.push('before'));
    registry.beforeEach(() => void events.push('beforeEach'));
    registry.afterEach(() => void events.push('afterEach'));
    registry.after(() => void events.push('after'));
    registry.test('a', () => {
      events.push('a');
      throw new Error('x');
    });
    registry.suite('inner', () => {
      registry.beforeEach(() => void events.push('inner.beforeEach'));
      registry.test('b', () => void events.push('b'));
    });
  });
  const summary = await quietRun(registry);
  assert.deepEqual(events, [
    'before',
    'beforeEach', 'a', 'afterEach',
    'beforeEach', 'inner.beforeEach', 'b', 'afterEach',
    'after',
  ]);
  assert.deepEqual(summary.results.map((r) => `${r.suite}/${r.name}/${r.status}`), [
    'outer/a/failed',
    'outer › inner/b/passed',
  ]);
});

test('a failing before hook fails every test of its suite without running them', async () => {
  const registry = new TestRegistry();
  let ran = false;
  registry.suite('s', () => {
    registry.before(() => {
      throw new Error('setup broke');
    });
    registry.test('t1', () => void (ran = true));
    registry.test('t2', () => void (ran = true));
  });
  const summary = await quietRun(registry);
  assert.equal(ran, false);
  assert.equal(summary.failed, 2);
  assert.match(summary.results[0]?.error?.message ?? '', /in "before" hook: setup broke/);
});

test('grep selects tests by "suite › name"', async () => {
  const registry = new TestRegistry();
  const ran: string[] = [];
  registry.suite('alpha', () => registry.test('one', () => void ran.push('alpha one')));
  registry.suite('beta', () => registry.test('two', () => void ran.push('beta two')));
  const summary = await quietRun(registry, { grep: 'beta › t' });
  assert.deepEqual(ran, ['beta two']);
  assert.equal(summary.results.length, 1);
});

test('writes the JSON summary to resultsFile', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'framework-test-'));
  try {
    const registry = new TestRegistry();
    const file = path.join(dir, 'nested', 'results.json');
    let seenWhileRunning: RunSummary | undefined;
    registry.suite('s', () => {
      registry.test('ok', () => {});
      registry.test('bad', () => {
        seenWhileRunning = JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
        return Promise.reject(new Error('nope'));
      });
    });
    await quietRun(registry, { resultsFile: file });
    // A run that hangs leaves a file naming the test it was in.
    assert.equal(seenWhileRunning?.finished, false);
    assert.equal(seenWhileRunning?.running, 's › bad');
    assert.equal(seenWhileRunning?.passed, 1);
    const written = JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
    assert.equal(written.finished, true);
    assert.equal(written.running, undefined);
    assert.equal(written.passed, 1);
    assert.equal(written.failed, 1);
    assert.equal(written.results[1]?.error?.message, 'nope');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('declaring a test outside a suite is an error', () => {
  const registry = new TestRegistry();
  assert.throws(() => registry.test('loose', () => {}), /inside a suite/);
});

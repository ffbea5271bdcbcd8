// The integration suite's runner (mocha's TDD interface behind ./framework, and the
// reporter that streams results to the harness), exercised under plain Node.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test as nodeTest } from 'node:test';
import { after, afterEach, before, beforeEach, suite, test } from '../../integration/framework';
import { runSuites, type RunSummary, type SuiteRunOptions } from '../../integration/reporter';

interface Outcome {
  passed: number;
  failed: number;
  lines: string[];
  summary: RunSummary;
}

async function runQuietly(load: () => void, options: Omit<SuiteRunOptions, 'load'> = {}): Promise<Outcome> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'reporter-test-'));
  const resultsFile = options.resultsFile ?? path.join(dir, 'results.json');
  const lines: string[] = [];
  try {
    const { passed, failed } = await runSuites({ log: (line) => lines.push(line), ...options, resultsFile, load });
    const summary = JSON.parse(readFileSync(resultsFile, 'utf8')) as RunSummary;
    return { passed, failed, lines, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

nodeTest('runs tests in order, counts passes and failures, and prints the closing line', async () => {
  const order: string[] = [];
  const outcome = await runQuietly(() =>
    suite('s', () => {
      test('first', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        order.push('first');
      });
      test('second', () => {
        order.push('second');
        throw new Error('boom');
      });
      test('third', () => void order.push('third'));
    }),
  );
  assert.deepEqual(order, ['first', 'second', 'third']);
  assert.equal(outcome.passed, 2);
  assert.equal(outcome.failed, 1);
  const failed = outcome.summary.results.find((r) => r.status === 'failed');
  assert.equal(failed?.name, 'second');
  assert.equal(failed?.suite, 's');
  assert.equal(failed?.error?.message, 'boom');
  assert.match(failed?.error?.stack ?? '', /boom/);
  assert.match(outcome.lines.at(-1) ?? '', /^2 passed, 1 failed \(\d+ ms\)$/);
  assert.ok(outcome.lines.some((l) => l.startsWith('  ✗ s › second')), outcome.lines.join('\n'));
});

nodeTest('a test that never settles fails with a timeout, and the next one still runs', async () => {
  const outcome = await runQuietly(
    () =>
      suite('s', () => {
        test('hangs', () => new Promise(() => {}), { timeoutMs: 30 });
        test('after it', () => {});
      }),
    { timeoutMs: 5000 },
  );
  assert.equal(outcome.summary.results[0]?.status, 'failed');
  assert.match(outcome.summary.results[0]?.error?.message ?? '', /Timeout of 30ms exceeded/);
  assert.equal(outcome.summary.results[1]?.status, 'passed');
});

nodeTest('hooks run in order; afterEach also after a failure', async () => {
  const events: string[] = [];
  const outcome = await runQuietly(() =>
    suite('outer', () => {
      before(() => void events.push('before'));
      beforeEach(() => void events.push('beforeEach'));
      afterEach(() => void events.push('afterEach'));
      after(() => void events.push('after'));
      test('a', () => {
        events.push('a');
        throw new Error('x');
      });
      suite('inner', () => {
        beforeEach(() => void events.push('inner.beforeEach'));
        test('b', () => void events.push('b'));
      });
    }),
  );
  assert.deepEqual(events, [
    'before',
    'beforeEach', 'a', 'afterEach',
    'beforeEach', 'inner.beforeEach', 'b', 'afterEach',
    'after',
  ]);
  assert.deepEqual(
    outcome.summary.results.map((r) => `${r.suite}/${r.name}/${r.status}`),
    ['outer/a/failed', 'outer › inner/b/passed'],
  );
});

nodeTest('a failing before hook is a failure, and its tests do not run', async () => {
  let ran = false;
  const outcome = await runQuietly(() =>
    suite('s', () => {
      before(() => {
        throw new Error('setup broke');
      });
      test('t1', () => void (ran = true));
      test('t2', () => void (ran = true));
    }),
  );
  assert.equal(ran, false);
  assert.equal(outcome.passed, 0);
  assert.ok(outcome.failed >= 1);
  assert.match(outcome.summary.results[0]?.name ?? '', /before all/);
  assert.match(outcome.summary.results[0]?.error?.message ?? '', /setup broke/);
});

nodeTest('grep is literal text over "suite test"', async () => {
  const ran: string[] = [];
  await runQuietly(
    () => {
      suite('alpha', () => test('one (?)', () => void ran.push('alpha one')));
      suite('beta', () => test('two', () => void ran.push('beta two')));
    },
    { grep: 'one (?)' },
  );
  assert.deepEqual(ran, ['alpha one']);
});

nodeTest('the results file names the running test while the run is in progress', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'reporter-test-'));
  const file = path.join(dir, 'nested', 'results.json');
  try {
    let seenWhileRunning: RunSummary | undefined;
    const outcome = await runQuietly(
      () =>
        suite('s', () => {
          test('ok', () => {});
          test('bad', () => {
            seenWhileRunning = JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
            return Promise.reject(new Error('nope'));
          });
        }),
      { resultsFile: file },
    );
    // A run that hangs leaves a file naming the test it was in.
    assert.equal(seenWhileRunning?.finished, false);
    assert.equal(seenWhileRunning?.running, 's › bad');
    assert.equal(seenWhileRunning?.passed, 1);
    assert.equal(outcome.summary.finished, true);
    assert.equal(outcome.summary.running, undefined);
    assert.equal(outcome.summary.passed, 1);
    assert.equal(outcome.summary.failed, 1);
    assert.equal(outcome.summary.results[1]?.error?.message, 'nope');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

nodeTest('declaring a suite without mocha set up says so', () => {
  const g = globalThis as { suite?: unknown };
  const saved = g.suite;
  delete g.suite;
  try {
    assert.throws(() => suite('loose', () => {}), /mocha \(TDD interface\) is not set up/);
  } finally {
    g.suite = saved;
  }
});

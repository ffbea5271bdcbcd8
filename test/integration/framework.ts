// A small sequential test framework for the suite that runs inside VS Code's extension
// host. It needs nothing from `vscode`, so it is unit-tested under plain Node too.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export type TestFn = () => unknown | Promise<unknown>;

export interface TestOptions {
  /** Overrides the run's default per-test timeout. */
  timeoutMs?: number;
}

export interface TestResult {
  suite: string;
  name: string;
  status: 'passed' | 'failed';
  durationMs: number;
  error?: { message: string; stack?: string };
}

export interface RunSummary {
  passed: number;
  failed: number;
  durationMs: number;
  results: TestResult[];
  /** False while the run is in progress (the file is rewritten as each test starts). */
  finished: boolean;
  /** The test running when the file was written, so a hung run can be diagnosed. */
  running?: string;
}

export interface RunOptions {
  /** Default per-test (and per-hook) timeout. */
  timeoutMs?: number;
  /** Only tests whose "suite › name" contains this string run. */
  grep?: string;
  /** Where to write the JSON summary. */
  resultsFile?: string;
  log?: (line: string) => void;
}

interface TestCase {
  name: string;
  fn: TestFn;
  timeoutMs?: number;
}

interface SuiteNode {
  name: string;
  before: TestFn[];
  after: TestFn[];
  beforeEach: TestFn[];
  afterEach: TestFn[];
  tests: TestCase[];
  children: SuiteNode[];
}

function newSuite(name: string): SuiteNode {
  return { name, before: [], after: [], beforeEach: [], afterEach: [], tests: [], children: [] };
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** Collects suites as test files are imported, then runs them in order. */
export class TestRegistry {
  private readonly root = newSuite('');
  private current = this.root;

  suite(name: string, fn: () => void): void {
    const node = newSuite(this.current === this.root ? name : `${this.current.name} › ${name}`);
    this.current.children.push(node);
    const parent = this.current;
    this.current = node;
    try {
      fn();
    } finally {
      this.current = parent;
    }
  }

  test(name: string, fn: TestFn, options: TestOptions = {}): void {
    if (this.current === this.root) throw new Error(`test "${name}" must be declared inside a suite()`);
    this.current.tests.push({ name, fn, timeoutMs: options.timeoutMs });
  }

  before(fn: TestFn): void {
    this.hookTarget('before').before.push(fn);
  }

  after(fn: TestFn): void {
    this.hookTarget('after').after.push(fn);
  }

  beforeEach(fn: TestFn): void {
    this.hookTarget('beforeEach').beforeEach.push(fn);
  }

  afterEach(fn: TestFn): void {
    this.hookTarget('afterEach').afterEach.push(fn);
  }

  private hookTarget(kind: string): SuiteNode {
    if (this.current === this.root) throw new Error(`${kind}() must be called inside a suite()`);
    return this.current;
  }

  async run(options: RunOptions = {}): Promise<RunSummary> {
    const started = Date.now();
    const snapshot = (finished: boolean, running?: string): RunSummary => ({
      passed: ctx.results.filter((r) => r.status === 'passed').length,
      failed: ctx.results.filter((r) => r.status === 'failed').length,
      durationMs: Date.now() - started,
      results: ctx.results,
      finished,
      running,
    });
    const save = (summary: RunSummary): void => {
      if (!options.resultsFile) return;
      mkdirSync(path.dirname(options.resultsFile), { recursive: true });
      writeFileSync(options.resultsFile, JSON.stringify(summary, null, 2));
    };
    const ctx: RunContext = {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      grep: options.grep,
      log: options.log ?? ((line) => console.log(line)),
      results: [],
      progress: (running) => save(snapshot(false, running)),
    };
    for (const child of this.root.children) await runSuite(child, [], ctx);
    const summary = snapshot(true);
    ctx.log(`${summary.passed} passed, ${summary.failed} failed (${summary.durationMs} ms)`);
    save(summary);
    return summary;
  }
}

interface RunContext {
  timeoutMs: number;
  grep?: string;
  log: (line: string) => void;
  results: TestResult[];
  progress: (running: string) => void;
}

function selected(suite: SuiteNode, test: TestCase, grep: string | undefined): boolean {
  return !grep || `${suite.name} › ${test.name}`.includes(grep);
}

function hasSelected(suite: SuiteNode, grep: string | undefined): boolean {
  return suite.tests.some((t) => selected(suite, t, grep)) || suite.children.some((c) => hasSelected(c, grep));
}

async function runSuite(suite: SuiteNode, outer: SuiteNode[], ctx: RunContext): Promise<void> {
  if (!hasSelected(suite, ctx.grep)) return;
  const chain = [...outer, suite];

  const beforeError = await runHooks(suite.before, ctx.timeoutMs, 'before');
  if (beforeError) {
    // Tests cannot meaningfully run without their setup: report each as failed by it.
    for (const test of allTests(suite)) {
      if (selected(test.suite, test.test, ctx.grep)) record(ctx, test.suite.name, test.test.name, 0, beforeError);
    }
  } else {
    for (const test of suite.tests) {
      if (!selected(suite, test, ctx.grep)) continue;
      await runTest(suite, test, chain, ctx);
    }
    for (const child of suite.children) await runSuite(child, chain, ctx);
  }

  const afterError = await runHooks(suite.after, ctx.timeoutMs, 'after');
  if (afterError) record(ctx, suite.name, '"after" hook', 0, afterError);
}

function allTests(suite: SuiteNode): Array<{ suite: SuiteNode; test: TestCase }> {
  return [...suite.tests.map((test) => ({ suite, test })), ...suite.children.flatMap(allTests)];
}

async function runTest(suite: SuiteNode, test: TestCase, chain: SuiteNode[], ctx: RunContext): Promise<void> {
  const started = Date.now();
  ctx.progress(`${suite.name} › ${test.name}`);
  let error = await runHooks(chain.flatMap((s) => s.beforeEach), ctx.timeoutMs, 'beforeEach');
  if (!error) error = await runWithTimeout(test.fn, test.timeoutMs ?? ctx.timeoutMs, `test "${test.name}"`);
  // afterEach runs even after a failure so a test cannot leak state (faults, open editors).
  const afterError = await runHooks([...chain].reverse().flatMap((s) => s.afterEach), ctx.timeoutMs, 'afterEach');
  record(ctx, suite.name, test.name, Date.now() - started, error ?? afterError);
}

async function runHooks(hooks: TestFn[], timeoutMs: number, kind: string): Promise<Error | undefined> {
  for (const hook of hooks) {
    const error = await runWithTimeout(hook, timeoutMs, `"${kind}" hook`);
    if (error) {
      error.message = `in "${kind}" hook: ${error.message}`;
      return error;
    }
  }
  return undefined;
}

async function runWithTimeout(fn: TestFn, timeoutMs: number, what: string): Promise<Error | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(fn), timeout]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

function record(ctx: RunContext, suite: string, name: string, durationMs: number, error: Error | undefined): void {
  const result: TestResult = { suite, name, status: error ? 'failed' : 'passed', durationMs };
  if (error) result.error = { message: error.message, stack: error.stack };
  ctx.results.push(result);
  if (error) {
    ctx.log(`  ✗ ${suite} › ${name} (${durationMs} ms)\n      ${error.message.split('\n').join('\n      ')}`);
  } else {
    ctx.log(`  ✓ ${suite} › ${name} (${durationMs} ms)`);
  }
}

// Test files register through these free functions when they are imported, the way
// mocha's globals work; the one registry lives for the lifetime of the test bundle.
const registry = new TestRegistry();

export const suite = (name: string, fn: () => void): void => registry.suite(name, fn);
export const test = (name: string, fn: TestFn, options?: TestOptions): void => registry.test(name, fn, options);
export const before = (fn: TestFn): void => registry.before(fn);
export const after = (fn: TestFn): void => registry.after(fn);
export const beforeEach = (fn: TestFn): void => registry.beforeEach(fn);
export const afterEach = (fn: TestFn): void => registry.afterEach(fn);

/**
 * Runs every registered suite with settings from the environment and rejects when a
 * test failed, which is how the runner (test-electron or the code-server driver) learns it.
 */
export async function runRegistered(env: NodeJS.ProcessEnv = process.env): Promise<RunSummary> {
  const timeout = Number(env.FACTORIO_PORTAL_TEST_TIMEOUT_MS);
  const summary = await registry.run({
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
    grep: env.FACTORIO_PORTAL_TEST_GREP || undefined,
    resultsFile: env.FACTORIO_PORTAL_TEST_RESULTS || undefined,
  });
  if (summary.failed > 0) throw new Error(`${summary.failed} integration test(s) failed`);
  if (summary.passed === 0) throw new Error('no integration tests ran');
  return summary;
}

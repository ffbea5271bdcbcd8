// The integration suite runs on mocha's TDD interface, as VS Code's own extension tests
// do. Test files import `suite`, `test` and the hooks from here rather than using mocha's
// globals, so the unit tests' type space (node:test) never sees mocha's global names.
// The globals exist once `index.ts` has emitted mocha's pre-require event.
import type * as Mocha from 'mocha';

export type TestFn = () => unknown | Promise<unknown>;

export interface TestOptions {
  /** Overrides the run's default per-test timeout. */
  timeoutMs?: number;
}

interface TddGlobals {
  suite: Mocha.SuiteFunction;
  test: Mocha.TestFunction;
  suiteSetup: Mocha.HookFunction;
  suiteTeardown: Mocha.HookFunction;
  setup: Mocha.HookFunction;
  teardown: Mocha.HookFunction;
}

function tdd(): TddGlobals {
  const g = globalThis as unknown as Partial<TddGlobals>;
  if (typeof g.suite !== 'function') throw new Error('mocha (TDD interface) is not set up: load test files from index.ts run()');
  return g as TddGlobals;
}

// Arrow functions throughout: mocha then never binds `this`, and a hook's return value
// (a promise) is what it waits for.
export const suite = (name: string, fn: () => void): void => void tdd().suite(name, fn);
export const test = (name: string, fn: TestFn, options: TestOptions = {}): void => {
  const t = tdd().test(name, async () => void (await fn()));
  if (options.timeoutMs !== undefined) t.timeout(options.timeoutMs);
};
/** Once before the suite's tests (mocha: suiteSetup). */
export const before = (fn: TestFn): void => void tdd().suiteSetup(async () => void (await fn()));
/** Once after the suite's tests (mocha: suiteTeardown). */
export const after = (fn: TestFn): void => void tdd().suiteTeardown(async () => void (await fn()));
/** Before each test of the suite and its children (mocha: setup). */
export const beforeEach = (fn: TestFn): void => void tdd().setup(async () => void (await fn()));
/** After each test, also a failed one (mocha: teardown). */
export const afterEach = (fn: TestFn): void => void tdd().teardown(async () => void (await fn()));

// A mocha reporter that writes every result the moment it is known: one line to the log
// and the whole summary to a JSON file the harness reads. A run that hangs or crashes
// still leaves the file behind, naming the test that was running.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

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

export interface ResultsReporterOptions {
  resultsFile?: string;
  log?: (line: string) => void;
}

const { EVENT_RUN_END, EVENT_TEST_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL } = Mocha.Runner.constants;

/** "outer › inner", the suite path of a test or hook. */
function suitePath(runnable: Mocha.Runnable): string {
  const names: string[] = [];
  for (let s = runnable.parent; s && !s.root; s = s.parent) names.unshift(s.title);
  return names.join(' › ');
}

export class ResultsReporter extends Mocha.reporters.Base {
  private readonly results: TestResult[] = [];
  private readonly started = Date.now();

  constructor(runner: Mocha.Runner, options: { reporterOptions?: ResultsReporterOptions } = {}) {
    super(runner, options as Mocha.MochaOptions);
    const { resultsFile, log = (line: string) => console.log(line) } = options.reporterOptions ?? {};
    const save = (finished: boolean, running?: string): void => {
      if (!resultsFile) return;
      const summary: RunSummary = {
        passed: this.results.filter((r) => r.status === 'passed').length,
        failed: this.results.filter((r) => r.status === 'failed').length,
        durationMs: Date.now() - this.started,
        results: this.results,
        finished,
        running,
      };
      mkdirSync(path.dirname(resultsFile), { recursive: true });
      writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
    };
    const record = (runnable: Mocha.Runnable, error?: Error): void => {
      const result: TestResult = {
        suite: suitePath(runnable),
        name: runnable.title,
        status: error ? 'failed' : 'passed',
        durationMs: runnable.duration ?? 0,
      };
      if (error) result.error = { message: error.message, stack: error.stack };
      this.results.push(result);
      const line = `  ${error ? '✗' : '✓'} ${result.suite} › ${result.name} (${result.durationMs} ms)`;
      log(error ? `${line}\n      ${error.message.split('\n').join('\n      ')}` : line);
      save(false);
    };
    runner.on(EVENT_TEST_BEGIN, (test: Mocha.Test) => save(false, `${suitePath(test)} › ${test.title}`));
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => record(test));
    // Also hooks: a failed suiteSetup skips its tests, and that must read as a failure.
    runner.on(EVENT_TEST_FAIL, (runnable: Mocha.Runnable, error: Error) => record(runnable, error));
    runner.once(EVENT_RUN_END, () => {
      const passed = this.results.filter((r) => r.status === 'passed').length;
      log(`${passed} passed, ${this.results.length - passed} failed (${Date.now() - this.started} ms)`);
      save(true);
    });
  }
}

export interface SuiteRunOptions {
  timeoutMs?: number;
  /** Only tests whose "suite test" title contains this text run. */
  grep?: string;
  resultsFile?: string;
  log?: (line: string) => void;
  /** Loads the test files: called after mocha's globals exist. */
  load: () => void;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs the suites `load` declares; resolves with what passed and failed (hooks included). */
export function runSuites(options: SuiteRunOptions): Promise<{ passed: number; failed: number }> {
  const reporterOptions: ResultsReporterOptions = { resultsFile: options.resultsFile, log: options.log };
  const mocha = new Mocha({
    ui: 'tdd',
    timeout: options.timeoutMs ?? 20_000,
    color: false,
    reporter: ResultsReporter as unknown as Mocha.ReporterConstructor,
    reporterOptions,
  });
  // The grep is a literal text, not a pattern: "(?)" in a test name must match itself.
  if (options.grep) mocha.grep(new RegExp(escapeRegExp(options.grep)));
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'integration-suite', mocha);
  options.load();
  return new Promise((resolve) => {
    const runner = mocha.run((failures) => resolve({ passed: runner.stats?.passes ?? 0, failed: failures }));
  });
}

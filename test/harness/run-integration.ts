// `npm run test:integration`: runs the integration suite inside a real VS Code against the
// local portal, then the UI checks, and ends with one line "N passed, N failed".
//
// Default: code-server + headless Chromium (no desktop VS Code can be downloaded here).
// With VSCODE_EXECUTABLE set to a desktop VS Code, or --electron, the same suite runs
// through @vscode/test-electron instead (UI checks need the browser and are skipped).
//
// Environment: FACTORIO_PORTAL_TEST_GREP (only tests whose "suite name" contains it, mocha's full title),
// FACTORIO_PORTAL_TEST_TIMEOUT_MS (per test, default 20 s), FACTORIO_PORTAL_TEST_DEADLINE_MS
// (whole suite, default 10 min), FACTORIO_PORTAL_TEST_VERBOSE=1 (echo code-server and
// workbench logs), FACTORIO_PORTAL_TEST_MODS (local portal size, default 3000),
// FACTORIO_PORTAL_TEST_SKIP_UI=1 (suite only; `npm run bench` uses these),
// FACTORIO_PORTAL_TEST_UI_GREP (only UI checks whose name contains one of its |-separated
// parts). Screenshots of the UI checks land in test-results/.
//
// A second, short pass runs the "Restricted Mode" suite in another code-server with
// workspace trust on and a folder nobody trusted (the main pass turns trust off). A grep
// runs only the pass(es) whose suites it can match.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { TestResult, RunSummary } from '../integration/reporter';
import { startPortalServer } from '../portal-server/server';
import { ensureCodeServer, installVsix, startCodeServer, type RunningCodeServer } from './code-server';
import { ensureSystemPackages } from './system';
import { packageExtension } from './package';
import { Cleanup, log, makeTempDir, removeDir, REPO_ROOT, run, showBuildWarnings } from './proc';
import { UI_CHECKS } from './ui';
import type { UiCheck } from './ui/types';
import { launchChromium, remoteUri, workbenchUrl, type Payload } from './workbench';
import { extractZip } from './zip';

const EXTENSION_ID = 'factorio-portal-tools.factorio-mod-portal';
const TEST_BUNDLE = path.join(REPO_ROOT, 'dist', 'test', 'integration.js');
const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
const SUITE_DEADLINE_MS = envNumber('FACTORIO_PORTAL_TEST_DEADLINE_MS', 10 * 60_000);
const RESTRICTED_SUITE = 'Restricted Mode';
const GREP = process.env.FACTORIO_PORTAL_TEST_GREP || undefined;
/** A grep names a suite by part of its title: the restricted pass runs when it can match. */
const RUN_RESTRICTED = GREP === undefined || RESTRICTED_SUITE.includes(GREP) || GREP.includes(RESTRICTED_SUITE);
const RUN_MAIN = GREP === undefined || !/^Restricted/.test(GREP);
const UI_CHECK_TIMEOUT_MS = 90_000;

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

interface Failure {
  name: string;
  message: string;
}

/** Everything that counts toward the closing line. */
class Tally {
  passed = 0;
  readonly failures: Failure[] = [];

  pass(): void {
    this.passed++;
  }

  fail(name: string, message: string): void {
    this.failures.push({ name, message });
  }

  addSuiteResults(results: readonly TestResult[]): void {
    for (const result of results) {
      if (result.status === 'passed') this.pass();
      else this.fail(`${result.suite} › ${result.name}`, result.error?.stack ?? result.error?.message ?? 'failed');
    }
  }
}

interface Prepared {
  tempRoot: string;
  testBundle: string;
  workspaceDir: string;
  userDataDir: string;
  extensionsDir: string;
  resultsFile: string;
  portalUrl: string;
}

async function prepare(cleanup: Cleanup): Promise<Prepared & { vsix: string }> {
  log('dev build (extension + test bundle): npm run build');
  showBuildWarnings(await run('npm', ['run', 'build']));
  if (!existsSync(TEST_BUNDLE)) throw new Error(`test bundle missing after build: ${TEST_BUNDLE}`);
  const { vsix } = await packageExtension();

  const tempRoot = makeTempDir('factorio-portal-it');
  cleanup.add('remove temp folders', () => removeDir(tempRoot));
  // Private copies, so another build in the same checkout cannot swap them mid-run.
  const testBundle = path.join(tempRoot, 'test-bundle', 'integration.js');
  mkdirSync(path.dirname(testBundle));
  for (const suffix of ['', '.map']) {
    if (existsSync(TEST_BUNDLE + suffix)) copyFileSync(TEST_BUNDLE + suffix, testBundle + suffix);
  }
  const vsixCopy = path.join(tempRoot, path.basename(vsix));
  copyFileSync(vsix, vsixCopy);

  const mods = Number(process.env.FACTORIO_PORTAL_TEST_MODS) || 3000;
  log(`starting the local portal (${mods} mods, seed 7)`);
  const portal = await startPortalServer({ mods, seed: 7 });
  cleanup.add('close portal server', () => portal.close());
  log(`local portal on ${portal.url}`);

  const workspaceDir = path.join(tempRoot, 'workspace');
  cpSync(FIXTURE_WORKSPACE, workspaceDir, { recursive: true });
  mkdirSync(path.join(tempRoot, 'home'));
  const userDataDir = path.join(tempRoot, 'user-data');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'factorioPortal.portalUrl': portal.url,
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
      },
      null,
      2,
    ),
  );
  const extensionsDir = path.join(tempRoot, 'extensions');
  mkdirSync(extensionsDir);
  return {
    tempRoot,
    workspaceDir,
    userDataDir,
    extensionsDir,
    resultsFile: path.join(tempRoot, 'results.json'),
    portalUrl: portal.url,
    vsix: vsixCopy,
    testBundle,
  };
}

function testEnv(prepared: Prepared, extensionPath: string): NodeJS.ProcessEnv {
  return {
    FACTORIO_PORTAL_TEST_SERVER: prepared.portalUrl,
    FACTORIO_PORTAL_TEST_RESULTS: prepared.resultsFile,
    FACTORIO_PORTAL_TEST_EXTENSION_PATH: extensionPath,
    // Where the extension host's logs are written: tests read the extension's own log there.
    FACTORIO_PORTAL_TEST_USER_DATA: prepared.userDataDir,
    // A home of its own: Factorio's default folders (~/.factorio/mods, player-data.json)
    // are looked for there, so tests can create them without touching this machine's.
    HOME: path.join(prepared.tempRoot, 'home'),
  };
}

function readResults(file: string): RunSummary | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
}

/** Counts the suite's outcome; an exit code the results do not explain is a failure too. */
function recordSuite(tally: Tally, resultsFile: string, exitCode: number | undefined, diagnostics: () => string): void {
  const summary = readResults(resultsFile);
  if (!summary) {
    const why = exitCode === undefined ? 'did not finish' : `ended with code ${exitCode}`;
    tally.fail('integration suite', `no results were written (the run ${why}; a suite file may have thrown while loading)\n${diagnostics()}`);
    return;
  }
  tally.addSuiteResults(summary.results);
  if (!summary.finished) {
    tally.fail('integration suite', `the run stopped while "${summary.running ?? '?'}" was running (code ${exitCode})\n${diagnostics()}`);
  } else if (exitCode !== 0 && summary.failed === 0) {
    tally.fail('integration suite', `run() rejected (code ${exitCode}) although no test failed\n${diagnostics()}`);
  }
}

// ---- code-server ------------------------------------------------------------------

async function runWithCodeServer(tally: Tally, cleanup: Cleanup): Promise<void> {
  await ensureSystemPackages({ browser: true });
  const { entry } = await ensureCodeServer();
  const prepared = await prepare(cleanup);

  const context = await launchChromium(path.join(prepared.tempRoot, 'chromium-profile'));
  cleanup.add('close chromium', () => context.close());
  if (RUN_MAIN) await runMainPass(tally, cleanup, context, entry, prepared);
  if (RUN_RESTRICTED) await runRestrictedPass(tally, cleanup, context, entry, prepared);
}

async function runMainPass(tally: Tally, cleanup: Cleanup, context: BrowserContext, entry: string, prepared: Prepared & { vsix: string }): Promise<void> {
  log('installing the vsix into a fresh extensions folder');
  await installVsix({ entry, userDataDir: prepared.userDataDir, extensionsDir: prepared.extensionsDir }, prepared.vsix);
  const installed = installedExtensionDir(prepared.extensionsDir);
  log(`installed at ${installed}`);

  const server = await startCodeServer({
    entry,
    userDataDir: prepared.userDataDir,
    extensionsDir: prepared.extensionsDir,
    env: testEnv(prepared, installed),
    verbose: process.env.FACTORIO_PORTAL_TEST_VERBOSE === '1',
  });
  cleanup.add('stop code-server', () => server.stop());
  log(`code-server on ${server.baseUrl}`);

  await runSuiteInBrowser(tally, context, server, prepared, installed);
  // Suites edit their workspace (scratch files, .vscode settings): UI checks get a clean one.
  const uiWorkspace = path.join(prepared.tempRoot, 'workspace-ui');
  cpSync(FIXTURE_WORKSPACE, uiWorkspace, { recursive: true });
  if (process.env.FACTORIO_PORTAL_TEST_SKIP_UI !== '1') await runUiChecks(tally, context, server, uiWorkspace, prepared);
  // One code-server at a time on two cores.
  await server.stop();
}

/**
 * Restricted Mode: its own user data (trust on, never asked at startup), a fresh copy of
 * the workspace nobody trusted, a mods folder outside it that must stay empty.
 */
async function runRestrictedPass(tally: Tally, cleanup: Cleanup, context: BrowserContext, entry: string, prepared: Prepared & { vsix: string }): Promise<void> {
  log('second pass: Restricted Mode (workspace trust on, folder not trusted)');
  const root = path.join(prepared.tempRoot, 'restricted');
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const workspaceDir = path.join(root, 'workspace');
  const modsFolder = path.join(root, 'mods');
  for (const dir of [path.join(userDataDir, 'User'), extensionsDir, modsFolder]) mkdirSync(dir, { recursive: true });
  cpSync(FIXTURE_WORKSPACE, workspaceDir, { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'factorioPortal.portalUrl': prepared.portalUrl,
        'factorioPortal.modsFolder': modsFolder,
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.emptyWindow': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
      },
      null,
      2,
    ),
  );
  await installVsix({ entry, userDataDir, extensionsDir }, prepared.vsix);
  const installed = installedExtensionDir(extensionsDir);
  const pass: Prepared = { ...prepared, userDataDir, extensionsDir, workspaceDir, resultsFile: path.join(root, 'results.json') };
  const server = await startCodeServer({
    entry,
    userDataDir,
    extensionsDir,
    workspaceTrust: true,
    env: { ...testEnv(pass, installed), FACTORIO_PORTAL_TEST_RESTRICTED: '1', FACTORIO_PORTAL_TEST_GREP: '' },
    verbose: process.env.FACTORIO_PORTAL_TEST_VERBOSE === '1',
  });
  cleanup.add('stop the Restricted Mode code-server', () => server.stop());
  await runSuiteInBrowser(tally, context, server, pass, installed);
}

function installedExtensionDir(extensionsDir: string): string {
  const match = readdirSync(extensionsDir).find((name) => name.toLowerCase().startsWith(`${EXTENSION_ID}-`));
  if (!match) throw new Error(`the vsix did not install into ${extensionsDir}: ${readdirSync(extensionsDir).join(', ')}`);
  return path.join(extensionsDir, match);
}

async function runSuiteInBrowser(
  tally: Tally,
  context: BrowserContext,
  server: RunningCodeServer,
  prepared: Prepared,
  installed: string,
): Promise<void> {
  const page = await context.newPage();
  const verbose = process.env.FACTORIO_PORTAL_TEST_VERBOSE === '1';
  let settle: (outcome: { code?: number; error?: string }) => void = () => {};
  const outcome = new Promise<{ code?: number; error?: string }>((resolve) => (settle = resolve));

  const errors: string[] = [];
  await page.exposeFunction('codeAutomationLog', (type: string, message: unknown) => {
    if (type === 'error') errors.push(String(message));
    if (verbose) console.log(`[workbench:${type}] ${String(message)}`);
  });
  const diagnostics = (): string =>
    [errors.length ? `--- workbench errors ---\n${errors.join('\n')}` : '', tail(server.output(), 15)].filter(Boolean).join('\n');
  await page.exposeFunction('codeAutomationExit', (code: number) => settle({ code }));
  page.on('crash', () => settle({ error: 'the workbench page crashed' }));
  server.process.once('exit', (code) => settle({ error: `code-server exited (${code}) during the suite` }));
  const timer = setTimeout(
    () => settle({ error: `the suite did not finish within ${SUITE_DEADLINE_MS / 1000} s (a test hangs?)` }),
    SUITE_DEADLINE_MS,
  );

  const payload: Payload = [
    ['extensionDevelopmentPath', remoteUri(server.baseUrl, installed)],
    ['extensionTestsPath', remoteUri(server.baseUrl, prepared.testBundle)],
    ['enableProposedApi', ''],
    ['skipWelcome', 'true'],
  ];
  log('running the integration suite in the extension host');
  const started = Date.now();
  try {
    await page.goto(workbenchUrl(server.baseUrl, prepared.workspaceDir, payload));
    const result = await outcome;
    log(`suite finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    printSuiteResults(prepared.resultsFile);
    if (result.error) {
      const summary = readResults(prepared.resultsFile);
      if (summary) tally.addSuiteResults(summary.results);
      const running = summary && !summary.finished ? ` while "${summary.running ?? '?'}" was running` : '';
      tally.fail('integration suite', `${result.error}${running}\n${diagnostics()}`);
      return;
    }
    recordSuite(tally, prepared.resultsFile, result.code, diagnostics);
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => {});
  }
}

function printSuiteResults(file: string): void {
  for (const result of readResults(file)?.results ?? []) {
    const mark = result.status === 'passed' ? '✓' : '✗';
    console.log(`  ${mark} ${result.suite} › ${result.name} (${result.durationMs} ms)`);
  }
}

function tail(text: string, lines = 40): string {
  const kept = text.trim().split('\n').slice(-lines).join('\n');
  return kept ? `--- code-server output (last ${lines} lines) ---\n${kept}` : '';
}

async function runUiChecks(tally: Tally, context: BrowserContext, server: RunningCodeServer, workspaceDir: string, prepared: Prepared): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const grep = (process.env.FACTORIO_PORTAL_TEST_UI_GREP ?? '').split('|').filter((part) => part !== '');
  for (const check of UI_CHECKS.filter((c) => grep.length === 0 || grep.some((part) => c.name.includes(part)))) {
    if (server.process.exitCode !== null || server.process.signalCode !== null) {
      tally.fail(`UI › ${check.name}`, `code-server is no longer running\n${tail(server.output(), 15)}`);
      continue;
    }
    const page = await context.newPage();
    const started = Date.now();
    try {
      await withTimeout(runUiCheck(check, page, server.baseUrl, workspaceDir, prepared), check.timeoutMs ?? UI_CHECK_TIMEOUT_MS, check.name);
      tally.pass();
      console.log(`  ✓ UI › ${check.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const shot = path.join(RESULTS_DIR, `failure-${slug(check.name)}.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      tally.fail(`UI › ${check.name}`, `${(error as Error).message}\n(screenshot: ${path.relative(REPO_ROOT, shot)})`);
      console.log(`  ✗ UI › ${check.name} (${Date.now() - started} ms)`);
    } finally {
      await page.close().catch(() => {});
    }
  }
}

function runUiCheck(check: UiCheck, page: Page, baseUrl: string, workspaceDir: string, prepared: Prepared): Promise<void> {
  return check.run({
    page,
    baseUrl,
    workspaceDir,
    machineSettingsFile: path.join(prepared.userDataDir, 'Machine', 'settings.json'),
    portalUrl: prepared.portalUrl,
    screenshot: async (name) => {
      const file = path.join(RESULTS_DIR, name.endsWith('.png') ? name : `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
  });
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- @vscode/test-electron -------------------------------------------------------

async function runWithElectron(tally: Tally, cleanup: Cleanup): Promise<void> {
  const prepared = await prepare(cleanup);
  // The shipped layout, unpacked, so the suite tests what users install.
  const unpacked = path.join(prepared.tempRoot, 'unpacked-extension');
  extractZip(readFileSync(prepared.vsix), unpacked, 'extension/');

  const { runTests } = await import('@vscode/test-electron');
  log(`running the suite with @vscode/test-electron${process.env.VSCODE_EXECUTABLE ? ` (${process.env.VSCODE_EXECUTABLE})` : ''}`);
  let code: number | undefined;
  let launchError = '';
  try {
    code = await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: unpacked,
      extensionTestsPath: prepared.testBundle,
      extensionTestsEnv: testEnv(prepared, unpacked),
      launchArgs: [
        prepared.workspaceDir,
        `--user-data-dir=${prepared.userDataDir}`,
        `--extensions-dir=${prepared.extensionsDir}`,
        '--disable-workspace-trust',
        '--skip-welcome',
      ],
    });
  } catch (error) {
    // runTests rejects on a non-zero exit; the results file tells whether tests ran.
    code = 1;
    launchError = `@vscode/test-electron: ${(error as Error).message}`;
  }
  printSuiteResults(prepared.resultsFile);
  recordSuite(tally, prepared.resultsFile, code, () => launchError);
  log(`UI checks and the Restricted Mode pass skipped under test-electron (${UI_CHECKS.length} UI checks need the code-server workbench)`);
}

// ---- main -------------------------------------------------------------------------

/** Every test/integration/*.test.ts must be imported by index.ts, or it would never run. */
function checkSuiteIndex(tally: Tally): void {
  const dir = path.join(REPO_ROOT, 'test', 'integration');
  const index = readFileSync(path.join(dir, 'index.ts'), 'utf8');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.ts'))) {
    const module = file.replace(/\.ts$/, '');
    if (!index.includes(`'./${module}'`)) {
      tally.fail('integration suite index', `${file} is not imported by test/integration/index.ts, so it never runs`);
    }
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const cleanup = new Cleanup();
  const removeSignalHandlers = cleanup.onSignals();
  const tally = new Tally();
  const electron = process.argv.includes('--electron') || !!process.env.VSCODE_EXECUTABLE;
  try {
    checkSuiteIndex(tally);
    if (electron) await runWithElectron(tally, cleanup);
    else await runWithCodeServer(tally, cleanup);
  } catch (error) {
    tally.fail('harness', (error as Error).stack ?? String(error));
  } finally {
    await cleanup.run();
    removeSignalHandlers();
  }

  if (tally.failures.length > 0) {
    console.log('\nFailures:');
    tally.failures.forEach((failure, i) => {
      console.log(`\n  ${i + 1}) ${failure.name}\n     ${failure.message.split('\n').join('\n     ')}`);
    });
  }
  log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`\n${tally.passed} passed, ${tally.failures.length} failed`);
  return tally.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);

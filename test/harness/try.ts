// `npm run try`: the extension in a real VS Code on sample/, against the local portal
// with the bundled sample data (or the real portal with --real-portal).
//
//   npm run try [-- --port 8080] [--real-portal] [--code-server] [--screenshot out.png]
//
// Desktop VS Code when `code` is on PATH, else code-server on 127.0.0.1. --screenshot
// (code-server only) opens sample/info.json in headless Chromium, saves a PNG and exits.
// The editor works on a temporary copy of sample/ (auto-save and quick fixes would
// otherwise change the repository), with its info.json open.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SAMPLE_DATASET_PATH, loadDataset } from '../portal-server/dataset';
import { DEFAULT_CREDENTIALS, startPortalServer } from '../portal-server/server';
import { ensureCodeServer, startCodeServer } from './code-server';
import { ensureSystemPackages } from './system';
import { Cleanup, killGroup, log, makeTempDir, removeDir, REPO_ROOT, run, showBuildWarnings, spawnGroup } from './proc';
import { launchChromium, openWorkbenchWithFile, remoteUri, workbenchUrl, type Payload } from './workbench';

const REAL_PORTAL = 'https://mods.factorio.com';
const SAMPLE_SOURCE = path.join(REPO_ROOT, 'sample');

interface TryOptions {
  port: number;
  realPortal: boolean;
  forceCodeServer: boolean;
  screenshot?: string;
}

function parseOptions(): TryOptions {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      'real-portal': { type: 'boolean', default: false },
      'code-server': { type: 'boolean', default: false },
      screenshot: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port: not a port: ${values.port}`);
  return {
    port,
    realPortal: values['real-portal'] ?? false,
    forceCodeServer: values['code-server'] ?? false,
    screenshot: values.screenshot ? path.resolve(values.screenshot) : undefined,
  };
}

async function commandOnPath(name: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}

function writeSettings(userDataDir: string, portalUrl: string): void {
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'factorioPortal.portalUrl': portalUrl,
    'workbench.startupEditor': 'none',
    'git.openRepositoryInParentFolders': 'never',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
  };
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function printWhereToStart(sampleDir: string, modsFolder: string, localPortal: boolean): void {
  const lines = [
    '',
    `The editor opens a copy of sample/ (${sampleDir}): edit freely: the repository stays as it is, and the copy goes when try stops.`,
    'Where to start (sample/README.md says more):',
    '  - info.json is open: hover a dependency, read the squiggles and their quick fixes (Ctrl+.),',
    '    type inside "dependencies" for completion.',
    '  - the Factorio Mod Portal view in the activity bar: categories, tags, the Dependencies tree.',
    `  - sample-addon/info.json installs end to end: run "Set Mods Folder…" and pick ${modsFolder},`,
    '    then "Install Dependencies into Mods Folder".',
    ...(localPortal ? [`  - downloads from the local portal: sign in as ${DEFAULT_CREDENTIALS.username} with the token ${DEFAULT_CREDENTIALS.token}.`] : []),
    '',
  ];
  console.log(lines.join('\n'));
}

/** Resolves when the process exits; Ctrl+C is handled by Cleanup.onSignals meanwhile. */
function untilExit(child: { once(event: 'exit', fn: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function main(): Promise<void> {
  const options = parseOptions();
  const cleanup = new Cleanup();
  cleanup.onSignals();
  try {
    log('dev build: npm run build');
    showBuildWarnings(await run('npm', ['run', 'build']));

    let portalUrl = REAL_PORTAL;
    if (!options.realPortal) {
      const portal = await startPortalServer({ dataset: loadDataset(SAMPLE_DATASET_PATH) });
      cleanup.add('close portal server', () => portal.close());
      portalUrl = portal.url;
      log(`local portal (bundled sample data) on ${portalUrl}`);
    } else {
      log(`using the real portal: ${portalUrl}`);
    }

    const tempRoot = makeTempDir('factorio-portal-try');
    cleanup.add('remove temp folders', () => removeDir(tempRoot));
    const userDataDir = path.join(tempRoot, 'user-data');
    const extensionsDir = path.join(tempRoot, 'extensions');
    mkdirSync(extensionsDir, { recursive: true });
    writeSettings(userDataDir, portalUrl);
    const sampleDir = path.join(tempRoot, 'sample');
    cpSync(SAMPLE_SOURCE, sampleDir, { recursive: true });
    const sampleInfoJson = path.join(sampleDir, 'info.json');
    const modsFolder = path.join(tempRoot, 'factorio-mods');
    mkdirSync(modsFolder, { recursive: true });
    printWhereToStart(sampleDir, modsFolder, !options.realPortal);

    const desktop = !options.forceCodeServer && !options.screenshot && (await commandOnPath('code'));
    if (desktop) {
      log('opening desktop VS Code (close its window or press Ctrl+C to stop)');
      const code = spawnGroup(
        'code',
        [
          '--new-window',
          '--wait',
          `--extensionDevelopmentPath=${REPO_ROOT}`,
          '--user-data-dir', userDataDir,
          '--extensions-dir', extensionsDir,
          sampleDir,
          sampleInfoJson,
        ],
        { stdio: 'inherit', cwd: REPO_ROOT },
      );
      cleanup.add('stop VS Code', () => killGroup(code));
      await untilExit(code);
      return;
    }

    await ensureSystemPackages({ browser: options.screenshot !== undefined });
    const { entry } = await ensureCodeServer();
    const server = await startCodeServer({ entry, userDataDir, extensionsDir, port: options.port, folder: sampleDir });
    cleanup.add('stop code-server', () => server.stop());
    // code-server has no --extensionDevelopmentPath: the workbench URL carries it.
    const payload: Payload = [['extensionDevelopmentPath', remoteUri(server.baseUrl, REPO_ROOT)]];

    if (options.screenshot) {
      const context = await launchChromium(path.join(tempRoot, 'chromium-profile'));
      cleanup.add('close chromium', () => context.close());
      const page = await context.newPage();
      await openWorkbenchWithFile(page, server.baseUrl, sampleDir, sampleInfoJson, payload);
      await page.locator('.editor-instance .view-lines', { hasText: 'dependencies' }).waitFor({ timeout: 30_000 });
      // sample/info.json has deliberate problems: squiggles prove the extension is live.
      const squiggle = page.locator('.editor-instance .monaco-editor :is(.squiggly-error, .squiggly-warning, .squiggly-info)');
      let live = true;
      try {
        await squiggle.first().waitFor({ state: 'attached', timeout: 60_000 });
      } catch {
        live = false;
      }
      // Best effort: portal-based diagnostics follow once the mod list has loaded, which
      // the status bar reports ("N mods").
      await page
        .locator('.statusbar-item', { hasText: /\d[\d,]* mods/ })
        .first()
        .waitFor({ timeout: 30_000 })
        .catch(() => log('the status bar never reported the mod list; taking the screenshot anyway'));
      // Then the per-dependency data: the deprecated dependency of sample/info.json is struck through.
      await page
        .locator('.editor-instance .monaco-editor .squiggly-inline-deprecated')
        .first()
        .waitFor({ state: 'attached', timeout: 30_000 })
        .catch(() => log('no portal-based diagnostic appeared; taking the screenshot anyway'));
      mkdirSync(path.dirname(options.screenshot), { recursive: true });
      await page.screenshot({ path: options.screenshot });
      log(`screenshot saved: ${options.screenshot}`);
      if (!live) throw new Error('the extension showed no diagnostics on sample/info.json within 60 s');
      return;
    }

    const withFile: Payload = [...payload, ['openFile', remoteUri(server.baseUrl, sampleInfoJson)]];
    console.log(`\nOpen ${workbenchUrl(server.baseUrl, sampleDir, withFile)} in your browser`);
    console.log('(Ctrl+C stops code-server and the local portal)\n');
    await untilExit(server.process);
    log('code-server exited');
  } finally {
    await cleanup.run();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);

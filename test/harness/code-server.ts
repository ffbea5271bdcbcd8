// Installs and starts code-server: a real VS Code (same extension host) reachable from
// headless Chromium, since desktop VS Code cannot be downloaded on these machines.
import type { ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { freePort, killGroup, log, pollUntil, REPO_ROOT, run, spawnGroup } from './proc';

// 4.100.x is the newest line that still runs on Node 20.
export const CODE_SERVER_VERSION = '4.100.3';

export const CODE_SERVER_DIR = path.join(REPO_ROOT, '.cache', 'code-server');
const MARKER = path.join(CODE_SERVER_DIR, `.installed-${CODE_SERVER_VERSION}`);
const PACKAGE_DIR = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server');
const VSCODE_DIR = path.join(PACKAGE_DIR, 'lib', 'vscode');
const ENTRY = path.join(PACKAGE_DIR, 'out', 'node', 'entry.js');

const VSCODE_NATIVE_MODULES = [
  'kerberos',
  'node-pty',
  '@parcel/watcher',
  '@vscode/deviceid',
  '@vscode/spdlog',
  'native-watchdog',
];

export interface CodeServerInstall {
  entry: string;
}

/** Installs code-server once into .cache/code-server; later calls return at once. */
export async function ensureCodeServer(): Promise<CodeServerInstall> {
  if (existsSync(MARKER) && existsSync(ENTRY)) return { entry: ENTRY };

  const started = Date.now();
  const env = npmEnv();
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  const hostManifest = path.join(CODE_SERVER_DIR, 'package.json');
  if (!existsSync(hostManifest)) {
    writeFileSync(hostManifest, JSON.stringify({ name: 'code-server-host', private: true }, null, 2) + '\n');
  }

  // Its own install script downloads ripgrep and refuses root, so scripts stay off and
  // the steps it would do are done below by hand.
  log(`code-server ${CODE_SERVER_VERSION}: npm install (scripts off) into ${CODE_SERVER_DIR}`);
  await npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], CODE_SERVER_DIR, env);

  log('code-server: installing VS Code server dependencies');
  await npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], VSCODE_DIR, env);
  log(`code-server: rebuilding native modules (${VSCODE_NATIVE_MODULES.join(', ')})`);
  await npm(['rebuild', ...VSCODE_NATIVE_MODULES], VSCODE_DIR, env);

  log('code-server: linking ripgrep, node_modules.asar and helper scripts');
  replaceWithSymlink(await systemRipgrep(), path.join(VSCODE_DIR, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
  replaceWithSymlink('node_modules', path.join(VSCODE_DIR, 'node_modules.asar'));
  replaceWithSymlink('code-linux.sh', path.join(VSCODE_DIR, 'bin', 'remote-cli', 'code-server'));
  replaceWithSymlink('browser-linux.sh', path.join(VSCODE_DIR, 'bin', 'helpers', 'browser.sh'));

  log('code-server: installing built-in extension dependencies');
  await npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], path.join(VSCODE_DIR, 'extensions'), env);

  log('code-server: rebuilding argon2');
  await npm(['rebuild', 'argon2'], CODE_SERVER_DIR, env);

  if (!existsSync(ENTRY)) throw new Error(`code-server entry missing after install: ${ENTRY}`);
  writeFileSync(MARKER, `${new Date().toISOString()}\n`);
  log(`code-server: installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { entry: ENTRY };
}

function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_yes: 'true', npm_config_update_notifier: 'false' };
  // node-gyp cannot download Node headers here; Debian's nodejs ships them under /usr.
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  return env;
}

async function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  await run('npm', args, { cwd, env });
}

async function systemRipgrep(): Promise<string> {
  for (const candidate of ['/usr/bin/rg', '/usr/local/bin/rg']) {
    if (existsSync(candidate)) return candidate;
  }
  const found = (await run('sh', ['-c', 'command -v rg'])).stdout.trim();
  if (!found) throw new Error('ripgrep (rg) is not installed: apt-get install ripgrep');
  return found;
}

function replaceWithSymlink(target: string, linkPath: string): void {
  mkdirSync(path.dirname(linkPath), { recursive: true });
  if (pathPresent(linkPath)) rmSync(linkPath, { recursive: true, force: true });
  symlinkSync(target, linkPath);
}

function pathPresent(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export interface CodeServerOptions {
  entry: string;
  userDataDir: string;
  extensionsDir: string;
  port?: number;
  folder?: string;
  env?: NodeJS.ProcessEnv;
  /** Workspace trust on (Restricted Mode for folders not trusted); off by default, as the suite needs. */
  workspaceTrust?: boolean;
  /** Echo code-server's output (otherwise kept for error messages only). */
  verbose?: boolean;
}

export interface RunningCodeServer {
  baseUrl: string;
  port: number;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function baseArgs(options: Pick<CodeServerOptions, 'entry' | 'userDataDir' | 'extensionsDir' | 'workspaceTrust'>): string[] {
  return [
    options.entry,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
  ];
}

function serverEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  // Without an empty gallery it tries to reach the marketplace on every start.
  return { ...process.env, ...extra, EXTENSIONS_GALLERY: '{}' };
}

/** Installs a .vsix into an extensions folder with code-server's own CLI. */
export async function installVsix(
  options: Pick<CodeServerOptions, 'entry' | 'userDataDir' | 'extensionsDir'>,
  vsix: string,
): Promise<void> {
  await run(process.execPath, [...baseArgs(options), '--install-extension', vsix], { env: serverEnv(undefined) });
}

/** Starts code-server on loopback and waits until /healthz answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const port = options.port ?? (await freePort());
  const args = [...baseArgs(options), '--bind-addr', `127.0.0.1:${port}`];
  if (options.folder) args.push(options.folder);
  const child = spawnGroup(process.execPath, args, {
    cwd: REPO_ROOT,
    env: serverEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString();
    output += text;
    if (output.length > 200_000) output = output.slice(-100_000);
    if (options.verbose) process.stdout.write(text.replace(/^/gm, '[code-server] '));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const baseUrl = `http://127.0.0.1:${port}`;
  const server: RunningCodeServer = {
    baseUrl,
    port,
    process: child,
    output: () => output,
    stop: () => killGroup(child),
  };
  try {
    await pollUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
        const response = await fetch(`${baseUrl}/healthz`);
        return response.ok;
      },
      { timeoutMs: 60_000, intervalMs: 200, message: `code-server on ${baseUrl} to answer /healthz` },
    );
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n--- code-server output ---\n${output.slice(-4000)}`);
  }
  return server;
}

if (require.main === module) {
  ensureCodeServer().then(
    ({ entry }) => log(`code-server ready: ${entry}`),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}

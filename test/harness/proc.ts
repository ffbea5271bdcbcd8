// Process and file-system helpers shared by the harness scripts.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function log(message: string): void {
  console.log(`[harness] ${message}`);
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = { code: code ?? 1, stdout, stderr };
      if (code === 0) {
        resolve(result);
      } else {
        const tail = (stderr || stdout).trim().split('\n').slice(-30).join('\n');
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})\n${tail}`));
      }
    });
  });
}

/** Echoes a build's stderr (esbuild warnings) without npm's own notices. */
export function showBuildWarnings(result: RunResult): void {
  const lines = result.stderr.split('\n').filter((line) => line.trim() && !/^npm (warn|notice)/i.test(line));
  if (lines.length > 0) console.error(lines.join('\n'));
}

/** Spawns a long-lived process in its own process group so the whole tree can be killed. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/** Kills a process group started by spawnGroup and waits (bounded) for the leader to exit. */
export async function killGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signalGroup(child.pid, 'SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  message: string;
}

/** Polls until `check` returns a value other than undefined/false, or the deadline passes. */
export async function pollUntil<T>(check: () => Promise<T | undefined | false>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${options.timeoutMs} ms: ${options.message}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}

/**
 * Cleanup steps run in reverse order of registration, once, whether the run ends
 * normally, throws, or is interrupted by SIGINT/SIGTERM.
 */
export class Cleanup {
  private readonly steps: Array<{ name: string; fn: () => unknown }> = [];
  private running: Promise<void> | undefined;

  add(name: string, fn: () => unknown): void {
    this.steps.push({ name, fn });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        try {
          await step.fn();
        } catch (error) {
          console.error(`[harness] cleanup "${step.name}" failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }

  /** Runs cleanup and exits on SIGINT/SIGTERM; returns a function that removes the handlers. */
  onSignals(): () => void {
    const handler = (signal: NodeJS.Signals): void => {
      console.error(`[harness] ${signal}: cleaning up`);
      void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  }
}

// A crash half-way through an install, for real: Install Dependencies into Mods Folder is
// started from the palette, one download is held by the local portal while the others land
// under their temporary names, and the extension host process is killed (SIGKILL, found by
// the pid the pending install names in the record). A new window starts a new extension
// host, which undoes the run: the mods folder is exactly as it was, with no temporary file
// and no pending entry left.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openWorkbenchWithFile } from '../workbench';
import { runFromPalette, setPortalFaults } from './palette';
import { acceptInstallPlan, dialog, installSession, toast } from './steps';
import type { UiCheck } from './types';

const EXTENSION_ID = 'factorio-portal-tools.factorio-mod-portal';
const MOD_LIST = '{\n  "mods": [\n    {\n      "name": "base",\n      "enabled": true\n    }\n  ]\n}\n';

interface RecordOnDisk {
  installs?: unknown[];
  pending?: Array<{ pid: number; phase: string; folder: string }>;
}

/** The install record, wherever this server keeps the extension's global storage. */
function findRecord(userDataDir: string): string | undefined {
  const stack = [userDataDir];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.name === 'installed-mods.json' && dir.endsWith(EXTENSION_ID)) return full;
    }
  }
  return undefined;
}

function readRecord(file: string | undefined): RecordOnDisk | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RecordOnDisk;
  } catch {
    return undefined;
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const installCrashCheck: UiCheck = {
  name: 'Install Dependencies: the extension host killed half-way, a new window finds the mods folder as it was',
  timeoutMs: 180_000,
  async run(ctx) {
    const { page, baseUrl, workspaceDir, machineSettingsFile, portalUrl, screenshot } = ctx;
    const userDataDir = path.dirname(path.dirname(machineSettingsFile));
    const mods = mkdtempSync(path.join(tmpdir(), 'fmp-ui-crash-'));
    writeFileSync(path.join(mods, 'mod-list.json'), MOD_LIST);
    const modDir = path.join(workspaceDir, 'ui-crash-mod');
    mkdirSync(modDir, { recursive: true });
    const infoJson = path.join(modDir, 'info.json');
    writeFileSync(
      infoJson,
      JSON.stringify({ name: 'ui-crash-mod', version: '0.1.0', title: 'UI Crash Mod', author: 'Tester', factorio_version: '2.0', dependencies: ['base >= 2.0.0', 'pack-extras >= 2.0.0'] }, null, 2) + '\n',
    );
    try {
      await installSession(ctx, mods, infoJson, async () => {
        // pack-graphics is held: the four others land under their temporary names and wait.
        await setPortalFaults(portalUrl, { hang: true, match: '/download/pack-graphics/' });
        await runFromPalette(page, 'Factorio Mod Portal: Install Dependencies into Mods Folder');
        await dialog(page, 'Install the dependencies of ui-crash-mod').waitFor({ state: 'visible', timeout: 60_000 });
        await acceptInstallPlan(page, 'ui-crash-mod');

        const staged = (): string[] => readdirSync(mods).filter((n) => n.startsWith('.') && n.endsWith('.fmp-staged'));
        const run = await until('a pending install with four files staged', 60_000, () => {
          const pending = readRecord(findRecord(userDataDir))?.pending?.[0];
          return pending && pending.phase === 'staging' && staged().length === 4 ? pending : undefined;
        });
        await screenshot('install-crash-before-kill.png');
        process.kill(run.pid, 'SIGKILL');
        await until('the extension host to die', 15_000, () => {
          try {
            process.kill(run.pid, 0);
            return undefined;
          } catch {
            return true;
          }
        });
        await setPortalFaults(portalUrl, null);

        // A new window: a new extension host, which finds the run its predecessor left.
        await openWorkbenchWithFile(page, baseUrl, workspaceDir, infoJson);
        await toast(page, 'An install that was interrupted while downloading was undone').waitFor({ state: 'visible', timeout: 60_000 });
        await screenshot('install-crash-undone.png');
        const record = readRecord(findRecord(userDataDir));
        if (record?.pending?.length) throw new Error(`the record still names a pending install: ${JSON.stringify(record.pending)}`);
        const left = readdirSync(mods).sort();
        if (left.join(',') !== 'mod-list.json') throw new Error(`the mods folder holds ${left.join(', ')}; expected only mod-list.json`);
        const list = readFileSync(path.join(mods, 'mod-list.json'), 'utf8');
        if (list !== MOD_LIST) throw new Error(`mod-list.json changed:\n${list}`);
      });
    } finally {
      rmSync(mods, { recursive: true, force: true });
      rmSync(modDir, { recursive: true, force: true });
    }
  },
};

import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SECTION = 'factorioPortal';

/** Factorio's user data folder on this platform (where mods/ and player-data.json live). */
export function defaultFactorioDataFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Factorio');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'factorio');
  return path.join(os.homedir(), '.factorio');
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The configured mods folder, else Factorio's own when it exists. */
export function modsFolder(): string | undefined {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>('modsFolder', '').trim();
  if (configured !== '') return configured.replace(/^~(?=$|[\\/])/, os.homedir());
  const fallback = path.join(defaultFactorioDataFolder(), 'mods');
  return isFolder(fallback) ? fallback : undefined;
}

/** Where player-data.json may be: next to the configured mods folder, then Factorio's default place. */
export function playerDataCandidates(): string[] {
  const out: string[] = [];
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>('modsFolder', '').trim();
  if (configured !== '') out.push(path.join(path.dirname(configured.replace(/^~(?=$|[\\/])/, os.homedir())), 'player-data.json'));
  out.push(path.join(defaultFactorioDataFolder(), 'player-data.json'));
  return [...new Set(out)].filter((p) => existsSync(p));
}

/** How many of the most downloaded mods the explorer checks for tags. */
export function tagCheckLimit(): number {
  const value = vscode.workspace.getConfiguration(SECTION).get<number>('explorer.tagChecks', 500);
  return Number.isFinite(value) ? Math.max(0, Math.min(5000, Math.floor(value))) : 500;
}

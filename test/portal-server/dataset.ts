// The local portal's data: generated (seeded, deterministic), loaded from or saved to
// JSON. Every generated dataset holds the fixed CASES plus `mods` generated mods.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildCaseMods } from './cases';
import { generateBulkMods } from './generate';
import { attachReleaseHashes, type PortalDataset } from './records';

export { CASES, CASE_NAMES, LIBRARY_VERSIONS } from './cases';
export { ERAS, DATASET_NOW, attachReleaseHashes } from './records';
export type { DatasetMod, PortalDataset, WireShape } from './records';
export { buildReleaseZip, releaseInfoJson } from './release-zip';

export interface GenerateOptions {
  /** Generated mods, in addition to the fixed CASES (so the total is `mods + CASE_NAMES.length`). */
  mods: number;
  seed: number;
}

export const SAMPLE_DATASET_PATH = path.join(__dirname, 'sample-dataset.json');

export function generateDataset(options: GenerateOptions): PortalDataset {
  const dataset: PortalDataset = {
    mods: [...buildCaseMods(), ...generateBulkMods(Math.max(0, Math.floor(options.mods)), options.seed)],
  };
  attachReleaseHashes(dataset);
  return dataset;
}

/**
 * Reads a dataset saved by saveDataset. Release sha1s in the file are recomputed from
 * the zips the server will serve, so a hand-edited file cannot make them disagree.
 */
export function loadDataset(file: string): PortalDataset {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { mods?: unknown }).mods)) {
    throw new Error(`${file}: not a portal dataset (expected {"mods": [...]})`);
  }
  const dataset = parsed as PortalDataset;
  for (const mod of dataset.mods) {
    if (typeof mod.name !== 'string' || !Array.isArray(mod.releases)) {
      throw new Error(`${file}: every mod needs a name and a releases array`);
    }
  }
  attachReleaseHashes(dataset);
  return dataset;
}

/** One mod per line, so a regenerated sample diffs readably. */
export function saveDataset(dataset: PortalDataset, file: string): void {
  const lines = dataset.mods.map((mod) => JSON.stringify(mod));
  writeFileSync(file, `{"mods":[\n${lines.join(',\n')}\n]}\n`);
}

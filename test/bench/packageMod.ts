// Bench section: Package Mod on a 200 MB mod folder of 3,000 files (Lua text that
// compresses, PNG-like data that does not), beside the system's `zip -r -q` of the same
// folder in the same run, and the growth of this process's peak memory while packaging:
// flat means tens of MB whatever the mod's size, where holding the files would cost it.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { planPackage } from '../../src/release/contents';
import { writeModZip } from '../../src/release/zip';
import type { BenchSection, Figure } from './bench';
import { seededRandom } from './prng';

const MB = 1024 * 1024;
const LUA_FILES = 1500;
const LUA_BYTES = 24 * 1024;
const IMAGE_FILES = 1500;
const IMAGE_BYTES = 110 * 1024;
const RUNS = 3;

const WORDS = ['local', 'function', 'end', 'return', 'data:extend', 'entity', 'recipe', 'item', 'if', 'then', 'else', 'for', 'in', 'pairs', 'do', 'name', 'type', '=', '{', '}', 'icon', 'size', 'energy', 'result'];

/** Writes the mod; returns its folder and total size. */
function makeMod(root: string): { folder: string; bytes: number } {
  const folder = path.join(root, 'bench-mod');
  const random = seededRandom(5);
  let bytes = 0;
  const put = (rel: string, data: Buffer | string) => {
    const file = path.join(folder, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
    bytes += Buffer.byteLength(data);
  };
  put('info.json', JSON.stringify({ name: 'bench-mod', version: '1.0.0', title: 'Bench', author: 'bench', factorio_version: '2.0' }));
  for (let i = 0; i < LUA_FILES; i++) {
    let text = '';
    while (text.length < LUA_BYTES) text += WORDS[Math.floor(random() * WORDS.length)] + (random() < 0.1 ? '\n' : ' ');
    put(`prototypes/group-${i % 30}/file-${i}.lua`, text);
  }
  for (let i = 0; i < IMAGE_FILES; i++) put(`graphics/entity/set-${i % 50}/sprite-${i}.png`, randomBytes(IMAGE_BYTES));
  return { folder, bytes };
}

function zipCommand(args: string[], cwd: string): number | string {
  const start = performance.now();
  const result = spawnSync('zip', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.error) return (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : result.error.message;
  if (result.status !== 0) return `zip exited with ${result.status}: ${result.stderr.toString().slice(0, 200)}`;
  return performance.now() - start;
}

export const packageModBench: BenchSection = {
  name: 'package',
  async run(): Promise<Figure[]> {
    const root = mkdtempSync(path.join(tmpdir(), 'fmp-bench-package-'));
    try {
      const { folder, bytes } = makeMod(root);
      const figures: Figure[] = [{ label: `mod folder (${LUA_FILES + IMAGE_FILES + 1} files)`, value: bytes / MB, unit: 'MB' }];

      // Taken in turns, round by round, so a busy machine weighs on each alike; best of each.
      // zip deflates everything; with -n it stores the images as Package Mod does.
      const gc = (globalThis as { gc?: () => void }).gc;
      let ours = Infinity;
      let plain = Infinity;
      let stored = Infinity;
      let absent = false;
      let peakRssGrowth = 0;
      let peakHeapGrowth = 0;
      let zipBytes = 0;
      let systemZipBytes = 0;
      for (let run = 0; run < RUNS; run++) {
        gc?.();
        gc?.();
        const before = process.memoryUsage();
        let peakRss = before.rss;
        let peakHeap = before.heapUsed;
        const timer = setInterval(() => {
          const m = process.memoryUsage();
          peakRss = Math.max(peakRss, m.rss);
          peakHeap = Math.max(peakHeap, m.heapUsed);
        }, 10);
        const start = performance.now();
        const plan = await planPackage({ folder, name: 'bench-mod', version: '1.0.0', keys: { ignore: [], extra: [], problems: [] } });
        const written = await writeModZip(plan, path.join(root, 'ours.zip'));
        ours = Math.min(ours, performance.now() - start);
        clearInterval(timer);
        peakRssGrowth = Math.max(peakRssGrowth, peakRss - before.rss);
        peakHeapGrowth = Math.max(peakHeapGrowth, peakHeap - before.heapUsed);
        zipBytes = written.bytes;
        rmSync(written.file);
        if (absent) continue;
        const a = zipCommand(['-r', '-q', path.join(root, 'zip.zip'), 'bench-mod'], root);
        if (a === 'absent') {
          absent = true;
          continue;
        }
        const b = zipCommand(['-r', '-q', '-n', '.png:.jpg:.ogg:.zip', path.join(root, 'zipn.zip'), 'bench-mod'], root);
        if (typeof a === 'string' || typeof b === 'string') throw new Error(String(typeof a === 'string' ? a : b));
        plain = Math.min(plain, a);
        stored = Math.min(stored, b);
        systemZipBytes = statSync(path.join(root, 'zip.zip')).size;
        rmSync(path.join(root, 'zip.zip'));
        rmSync(path.join(root, 'zipn.zip'));
      }
      figures.push({ label: `Package Mod (walk, deflate, sha1, fsync, rename): best of ${RUNS}`, value: ours, unit: 'ms' });
      figures.push({ label: 'its zip', value: zipBytes / MB, unit: 'MB' });
      if (absent) {
        console.log('  (the system zip is absent: install it, e.g. `apt-get install -y zip`, for the comparison)');
      } else {
        figures.push({ label: `zip -r -q of the same folder: best of ${RUNS}`, value: plain, unit: 'ms' });
        figures.push({ label: 'its zip', value: systemZipBytes / MB, unit: 'MB' });
        figures.push({ label: 'Package Mod ÷ zip -r -q', value: ours / plain, unit: '×', target: '<= 1.5' });
        figures.push({ label: 'zip -r -q -n .png:.jpg:.ogg:.zip (images stored, as Package Mod does)', value: stored, unit: 'ms' });
        figures.push({ label: 'Package Mod ÷ zip -r -q -n …', value: ours / stored, unit: '×', target: '<= 1.5' });
      }
      figures.push({ label: 'peak RSS growth while packaging', value: peakRssGrowth / MB, unit: 'MB', target: '< 64' });
      figures.push({ label: 'peak JS heap growth while packaging', value: peakHeapGrowth / MB, unit: 'MB' });
      return figures;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};

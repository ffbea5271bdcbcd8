// `npm run bench [-- section ...]`: figures for the portal layer at 50,000 mods against the
// local portal (in a worker thread). It prints figures and targets; it never fails.
// Add a measurement by appending a BenchSection to `sections`.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PortalCache, LIST_FILE } from '../../src/portal/cache';
import { ModSearch } from '../../src/features/commands/modSearch';
import type { ModList } from '../../src/portal/modList';
import { PortalClient } from '../../src/portal/client';
import { ModIndex } from '../../src/portal/modList/search';
import { FileCacheStorage } from '../../src/portal/storage';
import { countingStorage, countingSyncReads } from '../unit/builders';
import type { ModEntry } from '../../src/portal/types';
import { changelogBench } from './changelog';
import { largeDownload } from './download';
import { packageModBench } from './packageMod';
import { completionInVsCode, infoJsonAnalysis } from './infojson';
import { infoJsonStress } from './infoJsonStress';
import { portalText } from './portalText';
import { seededRandom } from './prng';
import { searchQuality } from './searchQuality';
import { solverBench } from './solver';
import { median, now, percentile } from './stats';

export interface Figure {
  label: string;
  value: number;
  unit: string;
  /** e.g. '< 2000' or '>= 20'; shown next to the value. */
  target?: string;
}

export interface BenchContext {
  readonly url: string;
  readonly mods: number;
  /** A scratch folder, removed at the end. */
  readonly dir: string;
  client(): PortalClient;
}

export interface BenchSection {
  name: string;
  run(context: BenchContext): Promise<Figure[]>;
}

const MODS = 50_000;
const SEED = 11;
const SEARCH_LIMIT = 50;
const QUERY_COUNT = 1000;

function gc(): boolean {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return false;
  collect();
  collect();
  return true;
}

/** 1..6 characters: prefixes of names, pieces of titles, random letters, in turn. */
export function sampleQueries(mods: readonly { name: string; title: string }[], count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = (): { name: string; title: string } => mods[Math.floor(random() * mods.length)]!;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + (i % 6);
    switch (i % 3) {
      case 0:
        queries.push(pick().name.slice(0, length).toLowerCase());
        break;
      case 1: {
        const title = pick().title;
        const start = Math.floor(random() * Math.max(1, title.length - length));
        queries.push(title.slice(start, start + length).toLowerCase());
        break;
      }
      default: {
        let q = '';
        for (let j = 0; j < length; j++) q += letters[Math.floor(random() * letters.length)];
        queries.push(q);
      }
    }
  }
  return queries;
}

/**
 * Each query's time (after a warm-up), and its best of three runs: on a busy machine one
 * run may be preempted, the best of three is what the query costs.
 */
function searchTimes(index: Pick<ModIndex, 'search'>, queries: readonly string[]): { each: number[]; bestOf3: number[]; hits: number } {
  for (const q of queries.slice(0, 200)) index.search(q, SEARCH_LIMIT);
  const each: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const t0 = now();
    hits += index.search(q, SEARCH_LIMIT).length;
    each.push(now() - t0);
  }
  const bestOf3: number[] = [];
  for (const q of queries) {
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = now();
      index.search(q, SEARCH_LIMIT);
      best = Math.min(best, now() - t0);
    }
    bestOf3.push(best);
  }
  return { each, bestOf3, hits };
}

/** What a first attempt looks like: lower-case and `includes` over every mod, then a full sort. */
export function naiveSearch(mods: readonly ModEntry[], query: string, limit: number): ModEntry[] {
  const q = query.toLowerCase();
  const hits: { mod: ModEntry; score: number }[] = [];
  for (const mod of mods) {
    const name = mod.name.toLowerCase();
    const title = mod.title.toLowerCase();
    if (name.startsWith(q)) hits.push({ mod, score: 4 });
    else if (title.startsWith(q)) hits.push({ mod, score: 3 });
    else if (name.includes(q)) hits.push({ mod, score: 2 });
    else if (title.includes(q)) hits.push({ mod, score: 1 });
  }
  hits.sort((a, b) => b.score - a.score || b.mod.downloads_count - a.mod.downloads_count);
  return hits.slice(0, limit).map((h) => h.mod);
}

const fetchAndIndex: BenchSection = {
  name: 'fetch',
  async run(context) {
    const client = context.client();
    // The portal builds its answer once; the first request is not ours to measure.
    await client.getAllMods();
    const fetches: number[] = [];
    const builds: number[] = [];
    let count = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = now();
      const mods = await client.getAllMods();
      const t1 = now();
      const index = new ModIndex(mods);
      const t2 = now();
      count = index.size;
      fetches.push(t1 - t0);
      builds.push(t2 - t1);
    }
    const totals = fetches.map((f, i) => f + builds[i]!);
    return [
      { label: `mods in the list`, value: count, unit: '' },
      { label: 'fetch + parse + decode (median of 3)', value: median(fetches), unit: 'ms' },
      { label: 'build the index (median of 3)', value: median(builds), unit: 'ms' },
      { label: 'fetch + parse + index (median of 3)', value: median(totals), unit: 'ms', target: '< 2000' },
    ];
  },
};

const diskLoad: BenchSection = {
  name: 'disk',
  async run(context) {
    const dir = path.join(context.dir, 'cache');
    const warm = new PortalCache({ client: context.client(), storage: new FileCacheStorage(dir) });
    await warm.getList();
    await warm.flush();
    const size = statSync(path.join(dir, LIST_FILE)).size;
    const detailsFile = detailsFileIn(dir);
    const detailsSize = statSync(path.join(dir, detailsFile)).size;
    const loads: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 5; i++) {
      let requests = 0;
      const client = context.client();
      const counting = {
        getAllMods: (o?: Parameters<PortalClient['getAllMods']>[0]) => (requests++, client.getAllMods(o)),
        getModsByName: client.getModsByName.bind(client),
        getFullMod: client.getFullMod.bind(client),
      };
      gc();
      const cpu0 = process.cpuUsage();
      const t0 = now();
      const cold = new PortalCache({ client: counting, storage: new FileCacheStorage(dir) });
      const index = await cold.getList();
      loads.push(now() - t0);
      const used = process.cpuUsage(cpu0);
      cpu.push((used.user + used.system) / 1000);
      if (requests !== 0 || index.size < context.mods) throw new Error('the cold cache did not load from disk');
    }
    return [
      { label: `${LIST_FILE} size (read at load)`, value: Math.round(size / 1024 / 102.4) / 10, unit: 'MB' },
      { label: 'mod-details-<id>.jsonl size (read a mod at a time)', value: Math.round(detailsSize / 1024 / 102.4) / 10, unit: 'MB' },
      { label: 'cold cache: load + index from disk (median of 5)', value: median(loads), unit: 'ms', target: '< 300' },
      { label: 'cold cache: load + index from disk (best of 5)', value: Math.min(...loads), unit: 'ms' },
      { label: 'cold cache: CPU time of a load (median of 5)', value: median(cpu), unit: 'ms' },
      { label: 'first load in a fresh process (median of 3)', value: median(freshProcessLoads(dir, 3)), unit: 'ms' },
    ];
  },
};

/** The details file the list in `dir` names (the only one left after the write's tidy-up). */
function detailsFileIn(dir: string): string {
  const found = readdirSync(dir).filter((f) => /^mod-details-[0-9a-f]+\.jsonl$/.test(f));
  if (found.length !== 1) throw new Error(`expected one details file in ${dir}, found ${found.length}`);
  return found[0]!;
}

/**
 * Search Mods as a user types 10 characters, one keystroke at a time, over the list read
 * from disk: the file reads it makes, by kind. Synchronous reads are counted at node:fs
 * itself, so none can hide behind the storage.
 */
const typing: BenchSection = {
  name: 'typing',
  async run(context) {
    const dir = path.join(context.dir, 'typing');
    const warm = new PortalCache({ client: context.client(), storage: new FileCacheStorage(dir) });
    await warm.getList();
    await warm.flush();
    const { storage, calls } = countingStorage(new FileCacheStorage(dir));
    const offline = {
      getAllMods: () => Promise.reject(new Error('the bench expects the list on disk')),
      getModsByName: () => Promise.reject(new Error('unused')),
      getFullMod: () => Promise.reject(new Error('unused')),
    };
    const list = await new PortalCache({ client: offline, storage }).getList();
    calls.clear();
    let rows = 0;
    const syncCalls = await countingSyncReads(async () => {
      const search = new ModSearch(list);
      const typed = 'factorio-l';
      for (let n = 1; n <= typed.length; n++) {
        const { rows: shown, read } = search.search(typed.slice(0, n), () => undefined);
        rows += shown.length;
        await read;
      }
    });
    const asyncReads = [...calls].filter(([name]) => !name.endsWith('Sync')).reduce((sum, [, n]) => sum + n, 0);
    return [
      { label: 'Search Mods, 10 characters typed: rows shown', value: rows, unit: '' },
      { label: 'Search Mods, 10 characters typed: synchronous file reads', value: syncCalls, unit: '', target: '= 0' },
      { label: 'Search Mods, 10 characters typed: asynchronous reads (summaries of the first rows)', value: asyncReads, unit: '' },
    ];
  },
};

/** Loads in new processes: nothing compiled yet, as when the editor starts. */
function freshProcessLoads(dir: string, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'cold-load.ts'), dir], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`cold-load.ts failed: ${child.stderr}`);
    out.push((JSON.parse(child.stdout) as { ms: number }).ms);
  }
  return out;
}

const search: BenchSection = {
  name: 'search',
  async run(context) {
    const mods = await context.client().getAllMods();
    const index = new ModIndex(mods);
    const queries = sampleQueries(mods, QUERY_COUNT, SEED);
    const { each: fast, bestOf3, hits } = searchTimes(index, queries);
    for (const q of queries.slice(0, 20)) naiveSearch(mods, q, SEARCH_LIMIT);
    const naive: number[] = [];
    for (const q of queries) {
      const t0 = now();
      naiveSearch(mods, q, SEARCH_LIMIT);
      naive.push(now() - t0);
    }
    const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
    const closest: number[] = [];
    for (const q of queries.filter((q) => q.length >= 4).slice(0, 100)) {
      const t0 = now();
      index.closest(`${q}-mod`, 3);
      closest.push(now() - t0);
    }
    return [
      { label: `queries (1..6 chars, limit ${SEARCH_LIMIT}), mean hits`, value: Math.round((hits / queries.length) * 10) / 10, unit: '' },
      { label: 'index search median', value: median(fast), unit: 'ms' },
      { label: 'index search p99', value: percentile(fast, 99), unit: 'ms', target: '< 2' },
      { label: 'index search max', value: Math.max(...fast), unit: 'ms' },
      { label: 'index search p99, best of 3 runs per query', value: percentile(bestOf3, 99), unit: 'ms', target: '< 2' },
      { label: 'naive search median', value: median(naive), unit: 'ms' },
      { label: 'naive search p99', value: percentile(naive, 99), unit: 'ms' },
      { label: 'speed-up, total time over all queries', value: sum(naive) / sum(fast), unit: 'x', target: '>= 20' },
      { label: 'speed-up, medians', value: median(naive) / median(fast), unit: 'x' },
      { label: 'closest() ("did you mean") median', value: median(closest), unit: 'ms' },
    ];
  },
};

const memory: BenchSection = {
  name: 'memory',
  async run(context) {
    if (!gc()) return [{ label: 'memory: run node with --expose-gc', value: NaN, unit: '' }];
    const client = context.client();
    // Typed arrays live outside the V8 heap: count their buffers too.
    const heap = (): number => {
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.arrayBuffers;
    };
    const before = heap();
    let mods: ModEntry[] | undefined = await client.getAllMods();
    gc();
    const withEntries = heap();
    let index: ModIndex | undefined = new ModIndex(mods);
    gc();
    const withIndex = heap();
    const size = index.size;
    mods = undefined;
    index = undefined;
    const mb = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;
    return [
      { label: `decoded entries of a fetch, before the cache compacts them (${size} mods)`, value: mb(withEntries - before), unit: 'MB' },
      { label: 'index structures on top of them', value: mb(withIndex - withEntries), unit: 'MB' },
      { label: 'entries + index', value: mb(withIndex - before), unit: 'MB', target: '< 80' },
    ];
  },
};

/** The figures of one list size that must grow no faster than the list. */
interface Scaled {
  mods: number;
  load: number;
  loadCpu: number;
  build: number;
  searchP50: number;
  searchP99: number;
  /** p99 of each query's best of 3 runs: what a query costs when not preempted. */
  searchBestP99: number;
  heap: number;
}

/** Load from disk, index build, search and heap of what the cache holds, for the list at `url`. */
async function scaledFigures(url: string, dir: string): Promise<Scaled> {
  const client = (): PortalClient => new PortalClient({ baseUrl: url, userAgent: 'factorio-mod-portal-bench/0.1.0', listTimeoutMs: 300_000 });
  const warm = new PortalCache({ client: client(), storage: new FileCacheStorage(dir) });
  await warm.getList();
  await warm.flush();
  const offline = {
    getAllMods: () => Promise.reject(new Error('the bench expects the list on disk')),
    getModsByName: () => Promise.reject(new Error('unused')),
    getFullMod: () => Promise.reject(new Error('unused')),
  };
  const heap = (): number => {
    gc();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const loads: number[] = [];
  const cpu: number[] = [];
  let index: ModList | undefined;
  let held = 0;
  for (let i = 0; i < 3; i++) {
    index = undefined;
    const before = heap();
    const cpu0 = process.cpuUsage();
    const t0 = now();
    index = await new PortalCache({ client: offline, storage: new FileCacheStorage(dir) }).getList();
    loads.push(now() - t0);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000);
    // The first load: later ones run with the previous cache's garbage about.
    if (i === 0) held = heap() - before;
  }
  const entries = index!.top('downloads', index!.size);
  const builds: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = now();
    new ModIndex(entries);
    builds.push(now() - t0);
  }
  const { each: times, bestOf3: best } = searchTimes(index!, sampleQueries(entries, QUERY_COUNT, SEED));
  return {
    mods: index!.size,
    load: median(loads),
    loadCpu: median(cpu),
    build: median(builds),
    searchP50: median(times),
    searchP99: percentile(times, 99),
    searchBestP99: percentile(best, 99),
    heap: held,
  };
}

const GROWTH_MODS = 200_000;

const growth: BenchSection = {
  name: 'growth',
  async run(context) {
    if (!gc()) return [{ label: 'growth: run node with --expose-gc', value: NaN, unit: '' }];
    const small = await scaledFigures(context.url, path.join(context.dir, 'growth-small'));
    const started = now();
    const server = await startServer(GROWTH_MODS, SEED);
    const serverMs = now() - started;
    let large: Scaled;
    try {
      large = await scaledFigures(server.url, path.join(context.dir, 'growth-large'));
    } finally {
      await server.stop();
    }
    const mb = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;
    const factor = large.mods / small.mods;
    const linear = `<= ${factor.toFixed(1)}`;
    const figures: Figure[] = [];
    for (const [size, f] of [['50k', small], ['200k', large]] as const) {
      figures.push(
        { label: `${size}: mods`, value: f.mods, unit: '' },
        { label: `${size}: load + index from disk (median of 3)`, value: f.load, unit: 'ms', ...(size === '50k' ? { target: '< 300' } : {}) },
        { label: `${size}: CPU time of that load`, value: f.loadCpu, unit: 'ms' },
        { label: `${size}: build the index (median of 3)`, value: f.build, unit: 'ms' },
        { label: `${size}: search p50`, value: f.searchP50, unit: 'ms' },
        { label: `${size}: search p99`, value: f.searchP99, unit: 'ms', target: '< 2' },
        { label: `${size}: search p99, best of 3 runs per query`, value: f.searchBestP99, unit: 'ms', target: '< 2' },
        { label: `${size}: heap held by the cache (entries + index)`, value: mb(f.heap), unit: 'MB', ...(size === '50k' ? { target: '< 20' } : {}) },
      );
    }
    figures.push(
      { label: `(local portal of ${GROWTH_MODS} mods ready in)`, value: serverMs, unit: 'ms' },
      { label: 'growth 200k/50k: mods', value: factor, unit: 'x' },
      { label: 'growth 200k/50k: load from disk', value: large.load / small.load, unit: 'x', target: linear },
      { label: 'growth 200k/50k: CPU time of the load', value: large.loadCpu / small.loadCpu, unit: 'x', target: linear },
      { label: 'growth 200k/50k: index build', value: large.build / small.build, unit: 'x', target: linear },
      { label: 'growth 200k/50k: search p50', value: large.searchP50 / small.searchP50, unit: 'x', target: linear },
      { label: 'growth 200k/50k: search p99', value: large.searchP99 / small.searchP99, unit: 'x', target: linear },
      { label: 'growth 200k/50k: search p99, best of 3 runs', value: large.searchBestP99 / small.searchBestP99, unit: 'x', target: linear },
      { label: 'growth 200k/50k: heap held', value: large.heap / small.heap, unit: 'x', target: linear },
    );
    return figures;
  },
};

export const sections: BenchSection[] = [fetchAndIndex, diskLoad, typing, search, searchQuality, memory, growth, infoJsonAnalysis, infoJsonStress, largeDownload, completionInVsCode, solverBench, portalText, changelogBench, packageModBench];

function format(figure: Figure): string {
  const value = Number.isInteger(figure.value) ? String(figure.value) : figure.value.toFixed(figure.value < 10 ? 3 : 1);
  const target = figure.target ? `   (target ${figure.target}${figure.unit === 'x' ? 'x' : ` ${figure.unit}`})` : '';
  // Long labels keep their value on the same line, one figure a line.
  return `  ${figure.label.padEnd(64)} ${value.padStart(10)} ${figure.unit}${target}`;
}

async function startServer(mods: number, seed: number): Promise<{ url: string; stop(): Promise<void> }> {
  // Loader hooks are per thread: the worker registers tsx itself before loading TypeScript.
  const entry = path.join(__dirname, 'server-worker.ts');
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, {
    eval: true,
    workerData: { mods, seed },
  });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: { url: string }) => resolve(m.url));
    worker.once('error', reject);
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await exited;
    },
  };
}

export async function runBench(selected: readonly string[] = []): Promise<void> {
  const chosen = selected.length ? sections.filter((s) => selected.includes(s.name)) : sections;
  const [load1] = loadavg();
  console.log(`Portal benchmark: ${MODS} generated mods, node ${process.version}, load average ${load1!.toFixed(1)}`);
  const t0 = now();
  const server = await startServer(MODS, SEED);
  console.log(`  local portal ready in ${Math.round(now() - t0)} ms at ${server.url}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-bench-'));
  const context: BenchContext = {
    url: server.url,
    mods: MODS,
    dir,
    client: () =>
      new PortalClient({ baseUrl: server.url, userAgent: 'factorio-mod-portal-bench/0.1.0', listTimeoutMs: 120_000 }),
  };
  try {
    for (const section of chosen) {
      console.log(`\n[${section.name}]`);
      try {
        for (const figure of await section.run(context)) console.log(format(figure));
      } catch (error) {
        console.log(`  failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

if (require.main === module) {
  void runBench(process.argv.slice(2));
}

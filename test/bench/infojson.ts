// Bench sections for the info.json features: how a 100-dependency file is checked against
// the portal (batched, through the cache) compared with one request per dependency, and
// completion latency measured inside a real VS Code.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeDocument, type ModFacts } from '../../src/model/analysis';
import { parseInfoJson } from '../../src/model/document';
import { PortalCache } from '../../src/portal/cache';
import { PortalClient } from '../../src/portal/client';
import { FileCacheStorage } from '../../src/portal/storage';
import type { BenchContext, BenchSection, Figure } from './bench';

const DEPENDENCIES = 100;
const LATENCY_MS = 20;

async function control(url: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/__control/${route}`, {
    method: body === undefined && route === 'requests' ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? (route === 'requests' ? undefined : 'null') : JSON.stringify(body),
  });
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

async function requestCount(url: string): Promise<number> {
  const list = await control(url, 'requests');
  return Array.isArray(list) ? list.length : 0;
}

function factsFrom(cache: PortalCache) {
  return (name: string): ModFacts => {
    const record = cache.peekMods([name]).get(name);
    if (!record || record.state === 'unknown') return { state: 'unknown' };
    if (record.state === 'missing') return { state: 'missing' };
    return { state: 'found', releases: record.mod.releases ?? [], title: record.mod.title };
  };
}

export const infoJsonAnalysis: BenchSection = {
  name: 'info.json',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const page = (await (await fetch(`${ctx.url}/api/mods?page_size=${DEPENDENCIES}&page=3&sort=name&sort_order=asc`)).json()) as {
      results: { name: string }[];
    };
    const names = page.results.map((m) => m.name);
    const text = JSON.stringify(
      { name: 'bench-mod', version: '1.0.0', title: 'Bench', author: 'bench', factorio_version: '2.0', dependencies: names.map((n) => `? ${n} >= 0.0.1`) },
      null,
      2,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'fmp-bench-infojson-'));
    try {
      // The local portal computes each release's sha1 on first use: pay that before measuring.
      await fetch(`${ctx.url}/api/mods?namelist=${names.map(encodeURIComponent).join(',')}`).then((r) => r.text());
      await control(ctx.url, 'faults', { latencyMs: LATENCY_MS });
      // Bytes as the portal's Content-Length says, for every answer the client gets.
      let bytes = 0;
      const countingFetch: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        bytes += Number(response.headers.get('content-length') ?? 0);
        return response;
      };
      let clock = Date.now();
      const counted = new PortalClient({ baseUrl: ctx.url, userAgent: 'factorio-mod-portal-bench/0.1.0', listTimeoutMs: 120_000, fetch: countingFetch });
      const cache = new PortalCache({ client: counted, storage: new FileCacheStorage(dir), clock: { now: () => clock } });
      const analyse = async () => {
        await control(ctx.url, 'clear-requests');
        bytes = 0;
        const start = performance.now();
        await cache.fetchMods(names);
        const findings = analyzeDocument(parseInfoJson(text), { facts: factsFrom(cache) });
        const ms = performance.now() - start;
        return { ms, requests: await requestCount(ctx.url), findings: findings.length, bytes };
      };
      const cold = await analyse();
      // Warm: what every re-check while typing costs; the median of a few, after the JIT warmed up.
      const warmRuns = [];
      for (let i = 0; i < 7; i++) warmRuns.push(await analyse());
      warmRuns.sort((a, b) => a.ms - b.ms);
      const warm = warmRuns[3]!;
      // Stale: 16 minutes later the records are refreshed (namelist answers carry no validators the cache keeps).
      clock += 16 * 60_000;
      const stale = await analyse();
      // The full records of the dependencies (hover, details), cold, then refreshed when stale.
      await control(ctx.url, 'clear-requests');
      bytes = 0;
      for (const name of names.slice(0, 10)) await cache.fetchFullMod(name);
      const fullCold = { requests: await requestCount(ctx.url), bytes };
      clock += 16 * 60_000;
      await control(ctx.url, 'clear-requests');
      bytes = 0;
      for (const name of names.slice(0, 10)) await cache.fetchFullMod(name);
      const fullStale = { requests: await requestCount(ctx.url), bytes };

      // The naive way: one short-info request per dependency.
      const client = ctx.client();
      await control(ctx.url, 'clear-requests');
      let start = performance.now();
      for (const name of names) await client.getMod(name);
      const sequentialMs = performance.now() - start;
      const sequentialRequests = await requestCount(ctx.url);
      await control(ctx.url, 'clear-requests');
      start = performance.now();
      await Promise.all(names.map((name) => client.getMod(name)));
      const parallelMs = performance.now() - start;
      cache.dispose();
      return [
        { label: `${DEPENDENCIES} dependencies, cold cache: time (${LATENCY_MS} ms added latency)`, value: cold.ms, unit: 'ms' },
        { label: `${DEPENDENCIES} dependencies, cold cache: requests`, value: cold.requests, unit: '', target: '<= 2' },
        { label: `${DEPENDENCIES} dependencies, warm cache: time (median of 7)`, value: warm.ms, unit: 'ms' },
        { label: `${DEPENDENCIES} dependencies, cold cache: bytes received`, value: cold.bytes, unit: 'B' },
        { label: `${DEPENDENCIES} dependencies, warm cache: requests`, value: warm.requests, unit: '', target: '0' },
        { label: `${DEPENDENCIES} dependencies, warm cache: bytes received`, value: warm.bytes, unit: 'B', target: '0' },
        { label: `${DEPENDENCIES} dependencies, stale (16 min later): requests`, value: stale.requests, unit: '' },
        { label: `${DEPENDENCIES} dependencies, stale (16 min later): bytes`, value: stale.bytes, unit: 'B' },
        { label: '10 full records, cold: requests', value: fullCold.requests, unit: '' },
        { label: '10 full records, cold: bytes', value: fullCold.bytes, unit: 'B' },
        { label: '10 full records, stale, unchanged (304): requests', value: fullStale.requests, unit: '' },
        { label: '10 full records, stale, unchanged (304): bytes', value: fullStale.bytes, unit: 'B' },
        { label: 'one request per dependency, sequential: time', value: sequentialMs, unit: 'ms' },
        { label: 'one request per dependency, sequential: requests', value: sequentialRequests, unit: '' },
        { label: 'one request per dependency, 4 in parallel: time', value: parallelMs, unit: 'ms' },
        { label: 'cold batched vs sequential per-dependency: speed-up', value: sequentialMs / cold.ms, unit: 'x' },
      ];
    } finally {
      await control(ctx.url, 'faults', null).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Completion latency as VS Code measures it (executeCompletionItemProvider), inside a
 * real VS Code (code-server) against a local portal of 50,000 mods. Runs the integration
 * harness with the bench suite selected; the suite writes its figures to a file.
 */
export const completionInVsCode: BenchSection = {
  name: 'completion',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const dir = mkdtempSync(path.join(tmpdir(), 'fmp-bench-completion-'));
    const out = path.join(dir, 'figures.json');
    const root = path.join(__dirname, '..', '..');
    try {
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'harness', 'run-integration.ts')], {
          cwd: root,
          stdio: ['ignore', 'inherit', 'inherit'],
          env: {
            ...process.env,
            FACTORIO_PORTAL_TEST_MODS: String(ctx.mods),
            FACTORIO_PORTAL_TEST_GREP: 'bench ',
            FACTORIO_PORTAL_TEST_SKIP_UI: '1',
            FACTORIO_PORTAL_BENCH_OUT: out,
            FACTORIO_PORTAL_TEST_TIMEOUT_MS: '300000',
          },
        });
        child.once('error', reject);
        child.once('exit', (c) => resolve(c ?? 1));
      });
      const figures = JSON.parse(readFileSync(out, 'utf8')) as Figure[];
      if (code !== 0) figures.push({ label: 'the bench run inside VS Code reported a failure (exit code)', value: code, unit: '' });
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

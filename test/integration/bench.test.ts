// Figures from inside VS Code, for `npm run bench` (it selects this suite and sets
// FACTORIO_PORTAL_BENCH_OUT): activation, the first diagnostics of an info.json with and
// without a disk cache, completion latency against VS Code's own JSON completion in the
// same file, and the extension host's heap held for the mod list. Not part of the normal
// run: a timing is a figure, not a test.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import { suite, test } from './framework';
import {
  closeAllEditors,
  codesOf,
  completionsAt,
  extensionApi,
  infoJson,
  openInfoJson,
  setFaults,
  waitFor,
} from './helpers';
import { percentile } from '../bench/stats';

const OUT = process.env.FACTORIO_PORTAL_BENCH_OUT;
const QUERIES = 300;
/** The cold start's link: 20 ms added to each answer, 50 Mbit/s. */
const COLD_LATENCY_MS = 20;
const COLD_BYTES_PER_SECOND = (50 * 1_000_000) / 8;
/** Findings that need portal data; the others come from the file alone. */
const PORTAL_CODES = new Set(['unknown-mod', 'deprecated-mod', 'no-compatible-release', 'unsatisfiable-constraint', 'outdated-constraint', 'outdated-minimum']);

interface Figure {
  label: string;
  value: number;
  unit: string;
  target?: string;
}

interface BenchApi {
  listState(): { status: string; modCount?: number };
  performance: { activationMs: number; activationCpuMs: number; releaseList(): 'released' | 'busy' | 'none' };
}

/** Deterministic queries of 1 to 6 characters taken from real names, plus random letters. */
function queries(names: readonly string[]): string[] {
  let seed = 12345;
  const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const out: string[] = [];
  while (out.length < QUERIES) {
    const length = 1 + Math.floor(next() * 6);
    if (next() < 0.8) {
      const name = names[Math.floor(next() * names.length)]!;
      const start = next() < 0.6 ? 0 : Math.floor(next() * Math.max(1, name.length - length));
      out.push(name.slice(start, start + length).replace(/["\\]/g, '') || 'a');
    } else {
      out.push(Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(next() * 26)]).join(''));
    }
  }
  return out;
}

/**
 * The extension host does not expose `gc`; the flag set at run time makes the next
 * context created get one. Only this suite, only under `npm run bench`, does this.
 */
function forcedGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Profiles the extension host (this thread) while `work` runs. */
async function profiled(work: () => Promise<void>): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
    await work();
    return ((await post('Profiler.stop')) as { profile: CpuProfile }).profile;
  } finally {
    session.disconnect();
  }
}

/**
 * Self time of a profile, in milliseconds, by where the code lives: this extension, VS
 * Code's JSON support, the rest of the extension host (its API and RPC), the bench's own
 * test code, garbage collection, and idle (waiting for the other processes).
 */
function selfTimeByPart(profile: CpuProfile): Map<string, number> {
  const part = new Map<number, string>();
  for (const node of profile.nodes) {
    const { url, functionName } = node.callFrame;
    part.set(
      node.id,
      /factorio-mod-portal[^/]*\/dist\/extension\.js$/.test(url)
        ? 'this extension'
        : url.includes('json-language-features')
          ? "VS Code's JSON extension"
          : url.includes('integration.js')
            ? "the bench's test code"
            : functionName === '(garbage collector)'
              ? 'garbage collection'
              : functionName === '(idle)'
                ? 'idle (waiting on other processes)'
                : 'the extension host (API, RPC, Node)',
    );
  }
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const key = part.get(id)!;
    out.set(key, (out.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

if (OUT) {
  suite('bench', () => {
    const figures: Figure[] = [];
    const report = (figure: Figure): void => {
      figures.push(figure);
      writeFileSync(OUT, JSON.stringify(figures));
    };
    let gc: (() => void) | undefined;
    const heap = (): number => {
      gc ??= forcedGc();
      gc();
      gc();
      const usage = process.memoryUsage();
      // Typed arrays (the index) live outside the V8 heap.
      return usage.heapUsed + usage.arrayBuffers;
    };
    /** For a closer look: FACTORIO_PORTAL_BENCH_HEAP=prefix writes the heaps as measured, prefix-{without,with}.heapsnapshot. */
    const snapshot = (which: string): void => {
      const prefix = process.env.FACTORIO_PORTAL_BENCH_HEAP;
      if (prefix) v8.writeHeapSnapshot(`${prefix}-${which}.heapsnapshot`);
    };
    let api: BenchApi;
    let heapWithout = 0;
    let names: string[] = [];

    /** Opens an info.json that names a mod the portal lacks; times its first diagnostics and the first portal-based one. */
    const openAndTime = async (label: string, target: string): Promise<void> => {
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      const editor = await openInfoJson(
        infoJson({ dependencies: ['base >= 2.0.0', ...names.slice(0, 5).map((n) => `? ${n}`), 'no-such-mod-anywhere', 'base'] }),
      );
      // VS Code's own part: the file opened and shown in an editor.
      const shown = performance.now() - start;
      const uri = editor.document.uri;
      let firstAny: number | undefined;
      await waitFor(
        () => {
          const codes = codesOf(uri);
          if (codes.length > 0) firstAny ??= performance.now() - start;
          return codes.some((c) => PORTAL_CODES.has(c));
        },
        { timeoutMs: 60_000, intervalMs: 2, message: `${label}: a portal-based diagnostic` },
      );
      const portal = performance.now() - start;
      await waitFor(() => api.listState().status === 'ready' || undefined, { timeoutMs: 120_000, intervalMs: 5, message: 'mod list loaded' });
      const list = performance.now() - start;
      const cpu = process.cpuUsage(cpu0);
      report({ label: `${label}: editor shown (VS Code alone)`, value: shown, unit: 'ms' });
      report({ label: `${label}: first diagnostics`, value: firstAny ?? portal, unit: 'ms' });
      report({ label: `${label}: first portal-based diagnostic`, value: portal, unit: 'ms', target });
      report({ label: `${label}: mod list ready`, value: list, unit: 'ms' });
      report({ label: `${label}: extension host CPU time until then`, value: (cpu.user + cpu.system) / 1000, unit: 'ms' });
    };

    /** Drops the list (as the idle release does) once its writes have landed. */
    const release = async (): Promise<void> => {
      await waitFor(() => api.performance.releaseList() !== 'busy', { timeoutMs: 60_000, message: 'the list could be released' });
    };

    test('activation and heap without the list', async () => {
      api = await extensionApi<BenchApi>();
      report({ label: 'activate() (VS Code)', value: api.performance.activationMs, unit: 'ms', target: '< 10' });
      report({ label: 'activate(): CPU time of the extension host meanwhile', value: api.performance.activationCpuMs, unit: 'ms' });
      const list = (await (await fetch(`${process.env.FACTORIO_PORTAL_TEST_SERVER}/api/mods?page_size=500&sort=name`)).json()) as { results: { name: string }[] };
      names = list.results.map((m) => m.name);
      // VS Code's JSON support starts with the first JSON file, whichever it is: a plain one
      // (that the extension leaves alone) brings it in before the baseline is taken.
      const plain = await vscode.workspace.openTextDocument({ language: 'json', content: '{\n  "key": [1, 2]\n}\n' });
      await vscode.window.showTextDocument(plain);
      await completionsAt(plain, new vscode.Position(1, 3));
      await closeAllEditors();
      // No info.json was open yet (the suite's first test): the same host's heap without the extension's data.
      await release();
      heapWithout = heap();
      snapshot('without');
    });

    test('cold start: empty cache, 20 ms latency, 50 Mbit/s', async () => {
      await vscode.commands.executeCommand('factorioPortal.clearCache');
      await setFaults({ latencyMs: COLD_LATENCY_MS, bytesPerSecond: COLD_BYTES_PER_SECOND });
      try {
        await openAndTime('open info.json, no disk cache (20 ms, 50 Mbit/s)', '< 3000');
      } finally {
        await setFaults(null);
      }
    }, { timeoutMs: 180_000 });

    test('warm start: from the disk cache', async () => {
      await closeAllEditors();
      await release();
      await openAndTime('open info.json, from the disk cache', '< 300');
      await closeAllEditors();
    }, { timeoutMs: 180_000 });

    test('completion: dependency string against a property key', async () => {
      const qs = queries(names);
      // A realistic file: a dozen dependencies, the last one being typed.
      const editor = await openInfoJson(
        infoJson({ dependencies: ['base >= 2.0.0', 'factorio-lib >= 1.4.2', '? quality', ...names.slice(0, 9).map((n) => `? ${n}`), ''] }),
      );
      const doc = editor.document;
      await waitFor(() => api.listState().status === 'ready' || undefined, { timeoutMs: 120_000, message: 'mod list loaded' });
      const lastItem = () => {
        const text = doc.getText();
        const end = text.lastIndexOf('"\n  ]');
        const start = text.lastIndexOf('"', end - 1) + 1;
        return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
      };
      const typeQuery = async (q: string): Promise<vscode.Position> => {
        const range = lastItem();
        await editor.edit((e) => e.replace(range, q));
        return lastItem().end;
      };
      // Inside the key "author": only VS Code's JSON support (schema keys) answers there.
      const keyAt = (): vscode.Position => doc.positionAt(doc.getText().indexOf('"author"') + 1);
      for (const q of qs.slice(0, 20)) {
        await completionsAt(doc, await typeQuery(q));
        await completionsAt(doc, keyAt());
      }
      const dependency: number[] = [];
      const key: number[] = [];
      let items = 0;
      let keyItems = 0;
      const timeDependency = async (position: vscode.Position): Promise<void> => {
        const start = performance.now();
        items += (await completionsAt(doc, position)).length;
        dependency.push(performance.now() - start);
      };
      const timeKey = async (): Promise<void> => {
        const at = keyAt();
        const start = performance.now();
        keyItems += (await completionsAt(doc, at)).length;
        key.push(performance.now() - start);
      };
      const profile = await profiled(async () => {
        for (const [i, q] of qs.entries()) {
          const position = await typeQuery(q);
          // Taking turns: the first request after an edit also pays for VS Code's handling of the edit.
          if (i % 2 === 0) {
            await timeDependency(position);
            await timeKey();
          } else {
            await timeKey();
            await timeDependency(position);
          }
        }
      });
      // FACTORIO_PORTAL_BENCH_PROFILE=file.cpuprofile keeps the whole profile (DevTools opens it).
      if (process.env.FACTORIO_PORTAL_BENCH_PROFILE) writeFileSync(process.env.FACTORIO_PORTAL_BENCH_PROFILE, JSON.stringify(profile));
      const parts = selfTimeByPart(profile);
      report({ label: 'mods in the portal list (VS Code)', value: api.listState().modCount ?? 0, unit: '' });
      report({ label: `completion, dependency string: p50 (${dependency.length} queries)`, value: percentile(dependency, 50), unit: 'ms' });
      report({ label: 'completion, dependency string: p95', value: percentile(dependency, 95), unit: 'ms', target: '< 50' });
      report({ label: 'completion, property key (JSON only): p50', value: percentile(key, 50), unit: 'ms' });
      report({ label: 'completion, property key (JSON only): p95', value: percentile(key, 95), unit: 'ms' });
      report({ label: 'completion overhead of the extension: p50', value: percentile(dependency, 50) - percentile(key, 50), unit: 'ms' });
      report({ label: 'completion overhead of the extension: p95', value: percentile(dependency, 95) - percentile(key, 95), unit: 'ms', target: '< 5' });
      report({ label: 'completion items per request (mean): dependency', value: items / dependency.length, unit: '' });
      report({ label: 'completion items per request (mean): property key', value: keyItems / key.length, unit: '' });
      const requests = dependency.length + key.length;
      for (const [part, ms] of [...parts].sort((a, b) => b[1] - a[1])) {
        report({ label: `completion loop profile, self time per request: ${part}`, value: ms / requests, unit: 'ms' });
      }
      report({ label: 'completion loop profile: this extension, per dependency request', value: (parts.get('this extension') ?? 0) / dependency.length, unit: 'ms' });

      const heapWith = heap();
      snapshot('with');
      report({ label: 'heap since before the first info.json (other extensions, compiled code, the list)', value: mb(heapWith - heapWithout), unit: 'MB' });
      // Released as after a few idle minutes; the next completion reads it back from disk.
      await closeAllEditors();
      await release();
      const heapReleased = heap();
      snapshot('released');
      report({ label: 'of which left after the idle release drops the extension\'s data', value: mb(heapReleased - heapWithout), unit: 'MB' });
      // The measure: the same host with the extension's data (list, records) and without it.
      report({ label: 'heap held for the extension\'s data (loaded minus released)', value: mb(heapWith - heapReleased), unit: 'MB', target: '< 20' });
      const again = await openInfoJson(infoJson({ dependencies: ['base >= 2.0.0', 'a'] }));
      const position = again.document.positionAt(again.document.getText().indexOf('"a"') + 2);
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      const reloaded = await completionsAt(again.document, position);
      const cpu = process.cpuUsage(cpu0);
      report({ label: 'reload from disk: first completion after the release', value: performance.now() - start, unit: 'ms', target: '< 300' });
      report({ label: 'reload from disk: extension host CPU time', value: (cpu.user + cpu.system) / 1000, unit: 'ms' });
      if (reloaded.length < 5) throw new Error(`only ${reloaded.length} completions after the reload`);
      await closeAllEditors();
    }, { timeoutMs: 300_000 });
  });
}

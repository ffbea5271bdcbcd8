// Completion latency inside VS Code, for `npm run bench` (it selects this suite and sets
// FACTORIO_PORTAL_BENCH_OUT). Not part of the normal run: a timing is a figure, not a test.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { suite, test } from './framework';
import {
  completionsAt,
  extensionApi,
  infoJson,
  openInfoJson,
  waitFor,
} from './helpers';

const OUT = process.env.FACTORIO_PORTAL_BENCH_OUT;
const QUERIES = 300;

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

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

if (OUT) {
  suite('bench', () => {
    test('completion latency through executeCompletionItemProvider', async () => {
      const api = await extensionApi<{ listState(): { status: string; modCount?: number } }>();
      const list = (await (await fetch(`${process.env.FACTORIO_PORTAL_TEST_SERVER}/api/mods?page_size=500&sort=name`)).json()) as { results: { name: string }[] };
      const qs = queries(list.results.map((m) => m.name));
      // A realistic file: a dozen dependencies, the last one being typed.
      const editor = await openInfoJson(
        infoJson({ dependencies: ['base >= 2.0.0', 'factorio-lib >= 1.4.2', '? quality', ...list.results.slice(0, 9).map((m) => `? ${m.name}`), ''] }),
      );
      const doc = editor.document;
      const loadStart = performance.now();
      await waitFor(() => api.listState().status === 'ready' || undefined, { timeoutMs: 120_000, message: 'mod list loaded' });
      const loadMs = performance.now() - loadStart;
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
      for (const q of qs.slice(0, 20)) await completionsAt(doc, await typeQuery(q)); // warm-up
      const times: number[] = [];
      let items = 0;
      for (const q of qs) {
        const position = await typeQuery(q);
        const start = performance.now();
        items += (await completionsAt(doc, position)).length;
        times.push(performance.now() - start);
      }
      const figures = [
        { label: `mods in the portal list (VS Code)`, value: api.listState().modCount ?? 0, unit: '' },
        { label: 'mod list ready after opening info.json', value: loadMs, unit: 'ms' },
        { label: `completion latency p50 over ${times.length} queries`, value: percentile(times, 50), unit: 'ms' },
        { label: 'completion latency p95', value: percentile(times, 95), unit: 'ms', target: '< 50' },
        { label: 'completion latency max', value: Math.max(...times), unit: 'ms' },
        { label: 'completion items per request (mean)', value: items / times.length, unit: '' },
      ];
      writeFileSync(OUT, JSON.stringify(figures));
    }, { timeoutMs: 300_000 });
  });
}

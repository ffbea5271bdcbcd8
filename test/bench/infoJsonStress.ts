// What one keystroke costs in an info.json no one writes by hand: the model rebuilt from
// the new text, the rules run over it, and the completion context found, as the editor
// does on each change (diagnostics after their debounce, completion at once). Runs in
// `npm run bench -- info.json-stress`, or alone: `node --import tsx test/bench/infoJsonStress.ts`.

import { loadavg } from 'node:os';
import { analyzeDocument } from '../../src/model/analysis';
import { completionContextAt } from '../../src/model/completionContext';
import { parseInfoJson } from '../../src/model/document';
import { deepInfoJson, hugeInfoJson } from '../fixtures/stressInfoJson';
import type { BenchSection, Figure } from './bench';
import { median } from './stats';

const RUNS = 7;

/** Median time of one keystroke's re-analysis, each run on a text one character longer. */
function keystroke(text: string, at: number): { parse: number; analyse: number; complete: number; cpu: number } {
  const cpu: number[] = [];
  const parse: number[] = [];
  const analyse: number[] = [];
  const complete: number[] = [];
  let current = text;
  for (let i = 0; i < RUNS; i++) {
    current = current.slice(0, at + i) + 'x' + current.slice(at + i);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const doc = parseInfoJson(current);
    const t1 = performance.now();
    analyzeDocument(doc, { facts: () => ({ state: 'unknown' }) });
    const t2 = performance.now();
    completionContextAt(doc, at + i + 1);
    const t3 = performance.now();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    parse.push(t1 - t0);
    analyse.push(t2 - t1);
    complete.push(t3 - t2);
  }
  return { parse: median(parse), analyse: median(analyse), complete: median(complete), cpu: median(cpu) };
}

export function stressFigures(): Figure[] {
  const figures: Figure[] = [];
  for (const [label, text] of [
    ['10 MB, 10,000 dependencies', hugeInfoJson()],
    ['nested 10,000 levels', deepInfoJson()],
  ] as const) {
    const at = text.indexOf('"? fl') + '"? fl'.length;
    const t = keystroke(text, at);
    figures.push(
      { label: `${label}: model rebuilt (median of ${RUNS})`, value: t.parse, unit: 'ms' },
      { label: `${label}: rules run`, value: t.analyse, unit: 'ms' },
      { label: `${label}: completion context`, value: t.complete, unit: 'ms' },
      { label: `${label}: one keystroke in all`, value: t.parse + t.analyse + t.complete, unit: 'ms' },
      // CPU time says what the work costs when other processes share the cores.
      { label: `${label}: one keystroke, CPU time`, value: t.cpu, unit: 'ms' },
    );
  }
  return figures;
}

export const infoJsonStress: BenchSection = {
  name: 'info.json-stress',
  run: async () => stressFigures(),
};

if (require.main === module) {
  console.log(`info.json stress, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
  for (const f of stressFigures()) console.log(`  ${f.label.padEnd(56)} ${f.value.toFixed(1).padStart(8)} ${f.unit}`);
}

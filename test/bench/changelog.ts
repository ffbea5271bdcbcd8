// Bench section for changelog.txt: checking and formatting a real changelog of about 1 MB
// (the game's own, test/fixtures/changelogs), a synthetic 1 MB one, and inputs built to be
// slow (a 1 MB line, 100k separators), with how the time grows from 0.5 MB to 1 MB.
// `npm run bench -- changelog` runs it alone.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeChangelog, formatChangelog } from '../../src/model/changelog';
import type { BenchSection, Figure } from './bench';
import { best } from './portalText';

const MB = 1_000_000;
const SEP = '-'.repeat(99);

/** Well-formed sections of about 1 KB each, up to `size` characters. */
function synthetic(size: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let v = 1; length < size; v++) {
    const section = [SEP, `Version: ${Math.floor(v / 100)}.${v % 100}.0`, 'Date: 2026-11-30', '  Features:', ...Array.from({ length: 8 }, (_, i) => `    - Entry ${i} of a section, about as long as entries of real mods are.`), '  Bugfixes:', '    - Fixed a crash when something happened.', '      A continuation line.', ''].join('\n');
    parts.push(section);
    length += section.length;
  }
  return parts.join('');
}

const SHAPES: [string, (size: number) => string][] = [
  ['one line of 1 MB', (size) => `${SEP}\nVersion: 1.0.0\n  Info:\n    - ${'x '.repeat(size / 2)}`],
  ['separators only (10k per MB)', (size) => `${SEP}\n`.repeat(size / 100)],
  ['lines of tabs and spaces', (size) => `${SEP}\nVersion: 1.0.0\n  Info:\n` + '\t  - \t x \t\n'.repeat(size / 12)],
];

function ms(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The least CPU time of `runs` runs, in ms. */
function bestCpu(runs: number, work: () => unknown): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    fastest = Math.min(fastest, (used.user + used.system) / 1000);
  }
  return fastest;
}

export const changelogBench: BenchSection = {
  name: 'changelog',
  async run(): Promise<Figure[]> {
    const real = readFileSync(path.join(__dirname, '..', 'fixtures', 'changelogs', 'wube__factorio-data.txt'), 'utf8');
    const made = synthetic(MB);
    // Warm up, as the extension host is after the first file.
    analyzeChangelog(made);
    formatChangelog(made);
    // CPU time throughout (the wall time of the first figure for comparison): on a machine
    // shared with other work, the wall time says more about the others than about this code.
    const figures: Figure[] = [
      { label: `check the game's changelog (${(real.length / MB).toFixed(2)} MB), wall`, value: ms(best(5, () => analyzeChangelog(real))), unit: 'ms', target: '< 50' },
      { label: '  the same, CPU', value: ms(bestCpu(5, () => analyzeChangelog(real))), unit: 'ms', target: '< 50' },
      { label: 'check a synthetic 1 MB changelog, CPU', value: ms(bestCpu(5, () => analyzeChangelog(made))), unit: 'ms', target: '< 50' },
      { label: 'format a synthetic 1 MB changelog, CPU', value: ms(bestCpu(5, () => formatChangelog(made))), unit: 'ms', target: '< 100' },
      { label: 'check 100k separators (10 MB, cut at 5 MB), CPU', value: ms(bestCpu(3, () => analyzeChangelog(`${SEP}\n`.repeat(100_000)))), unit: 'ms', target: '< 500' },
    ];
    for (const [name, build] of SHAPES) {
      const half = bestCpu(5, () => analyzeChangelog(build(MB / 2)));
      const whole = bestCpu(5, () => analyzeChangelog(build(MB)));
      figures.push(
        { label: `check ${name}, 1 MB, CPU`, value: ms(whole), unit: 'ms', target: '< 100' },
        { label: `  CPU for 1 MB / CPU for 0.5 MB`, value: Math.round((whole / Math.max(half, 0.01)) * 10) / 10, unit: 'x', target: '< 3' },
      );
    }
    return figures;
  },
};

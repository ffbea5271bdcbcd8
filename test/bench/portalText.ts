// Bench section for portal text: how long rendering takes per MB of ordinary and of
// adversarial Markdown (the shapes that break naive parsers), the worst single shape and
// how its time grows with size (linear: about 2x for twice the text), the details page
// with a 1 MB crafted description (cut to its limit), and the changelog parser.
// `node --import tsx test/bench/portalText.ts` runs it alone, without the local portal.

import { renderDetailsPage } from '../../src/features/commands/detailsHtml';
import { renderPortalMarkdown } from '../../src/features/commands/portalMarkdown';
import { parseChangelog } from '../../src/model/changelog';
import type { FullModEntry } from '../../src/portal/types';
import { MARKDOWN_SHAPES, adversarialChangelog, adversarialDescription, adversarialMarkdown, ordinaryMarkdown } from '../portal-server/adversarialText';
import type { BenchSection, Figure } from './bench';

const MB = 1_000_000;

/** The best of `runs` timings, in ms: the least disturbed by other work on the machine. */
export function best(runs: number, work: () => unknown): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

function perMb(text: string, work: (text: string) => unknown): number {
  return Math.round(best(3, () => work(text)) / (text.length / MB));
}

export const portalText: BenchSection = {
  name: 'portalText',
  async run(): Promise<Figure[]> {
    const render = (text: string) => renderPortalMarkdown(text, { headingOffset: 2 });
    // Warm up the parser once, as the extension host is after the first panel.
    render(ordinaryMarkdown(200_000));
    const figures: Figure[] = [
      { label: 'Markdown, ordinary text', value: perMb(ordinaryMarkdown(2 * MB), render), unit: 'ms/MB', target: '< 1000' },
      { label: 'Markdown, all adversarial shapes', value: perMb(adversarialMarkdown(2 * MB), render), unit: 'ms/MB', target: '< 3000' },
    ];
    let worst = { name: '', msPerMb: 0 };
    for (const shape of MARKDOWN_SHAPES) {
      const msPerMb = perMb(shape.build(MB / 2), render);
      if (msPerMb > worst.msPerMb) worst = { name: shape.name, msPerMb };
    }
    const shape = MARKDOWN_SHAPES.find((s) => s.name === worst.name)!;
    const half = best(3, () => render(shape.build(MB / 2)));
    const whole = best(3, () => render(shape.build(MB)));
    figures.push(
      { label: `worst shape: ${worst.name}`.slice(0, 52), value: worst.msPerMb, unit: 'ms/MB', target: '< 5000' },
      { label: 'worst shape, time for 1 MB / time for 0.5 MB', value: Math.round((whole / half) * 10) / 10, unit: 'x', target: '< 3' },
    );
    const mod = { name: 'adversarial', title: 'Adversarial', owner: 'x', downloads_count: 0, description: adversarialDescription(MB), faq: adversarialDescription(MB) } as FullModEntry;
    figures.push({
      label: 'details page, 1 MB crafted description and FAQ',
      value: Math.round(best(3, () => renderDetailsPage(mod, { portalUrl: 'https://mods.factorio.com', nonce: 'n' }))),
      unit: 'ms',
      target: '< 500',
    });
    figures.push({ label: 'changelog, a Date: line of 1,000,000 spaces', value: perMb(adversarialChangelog(MB), parseChangelog), unit: 'ms/MB', target: '< 100' });
    return figures;
  },
};

if (require.main === module) {
  void portalText.run({} as never).then((figures) => {
    for (const f of figures) console.log(`  ${f.label.padEnd(52)} ${String(f.value).padStart(10)} ${f.unit}${f.target ? `   (target ${f.target})` : ''}`);
  });
}

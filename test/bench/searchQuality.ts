// `npm run bench -- search-quality`: does search find the mod a person means? The real
// mods and queries of test/fixtures/search (abbreviations, separators, words in any
// order, typos, exact names, prefixes) among the local portal's generated mods, ranked
// by our index, by the ranking's definition (a full scan, rankAll) and by two fuzzy
// search libraries, each with its speed on the same list.
import { ModIndex } from '../../src/portal/modList/search';
import { rankAll } from '../../src/portal/modList/searchMatch';
import type { ModEntry } from '../../src/portal/types';
import { corpusQueries, withCorpus } from '../fixtures/search/corpus';
import type { BenchSection, Figure } from './bench';
import { median, now, percentile } from './stats';

const LIMIT = 50;

interface Engine {
  name: string;
  build(mods: readonly ModEntry[]): (query: string) => string[];
}

type UFuzzy = typeof import('@leeoniya/ufuzzy', { with: { 'resolution-mode': 'import' } }).default;
type Fuzzysort = typeof import('fuzzysort', { with: { 'resolution-mode': 'import' } }).default;

function enginesOf(uFuzzy: UFuzzy, fuzzysort: Fuzzysort): Engine[] {
  return [
  {
    name: 'index',
    build(mods) {
      const index = new ModIndex(mods);
      return (q) => index.search(q, LIMIT).map((h) => h.mod.name);
    },
  },
  {
    name: 'full scan (rankAll)',
    build(mods) {
      const fields = (m: ModEntry): { name: string; title: string; downloads: number } => ({ name: m.name, title: m.title, downloads: m.downloads_count });
      return (q) => rankAll(mods, fields, q, LIMIT).map((r) => r.item.name);
    },
  },
  {
    name: 'uFuzzy',
    build(mods) {
      // Most downloaded first, so that its unranked answers (over 1,000 matches) are in
      // the order of popularity; one typo per term and terms in any order, as we offer.
      const sorted = [...mods].sort((a, b) => b.downloads_count - a.downloads_count);
      const haystack = sorted.map((m) => `${m.name} ${m.title}`);
      const uf = new uFuzzy({ intraMode: 1 });
      return (q) => {
        const [idxs, info, order] = uf.search(haystack, q, 3);
        if (!idxs) return [];
        const ranked = order && info ? order.map((i) => info.idx[i]!) : idxs;
        return ranked.slice(0, LIMIT).map((i) => sorted[i]!.name);
      };
    },
  },
  {
    name: 'fuzzysort',
    build(mods) {
      const targets = mods.map((m) => ({ mod: m, name: fuzzysort.prepare(m.name), title: fuzzysort.prepare(m.title) }));
      return (q) => fuzzysort.go(q, targets, { keys: ['name', 'title'], limit: LIMIT }).map((r) => r.obj.mod.name);
    },
  },
  {
    name: 'fuzzysort + downloads',
    build(mods) {
      const targets = mods.map((m) => ({ mod: m, name: fuzzysort.prepare(m.name), title: fuzzysort.prepare(m.title) }));
      // Its score (0..1) times a popularity factor: the same idea as our score, in its terms.
      return (q) =>
        fuzzysort
          .go(q, targets, { keys: ['name', 'title'], limit: LIMIT, scoreFn: (r) => r.score * (1 + Math.log10(r.obj.mod.downloads_count + 1) / 7) })
          .map((r) => r.obj.mod.name);
    },
  },
  ];
}

export const searchQuality: BenchSection = {
  name: 'search-quality',
  async run(context) {
    const mods = withCorpus(await context.client().getAllMods());
    const queries = corpusQueries();
    const figures: Figure[] = [{ label: `mods (corpus among generated), queries`, value: mods.length, unit: `mods, ${queries.length} queries` }];
    // Both are ES modules only: loaded as such from this CommonJS build.
    const { default: uFuzzy } = await import('@leeoniya/ufuzzy');
    const { default: fuzzysort } = await import('fuzzysort');
    for (const engine of enginesOf(uFuzzy, fuzzysort)) {
      const t0 = now();
      const search = engine.build(mods);
      const buildMs = now() - t0;
      for (const q of queries) search(q.query);
      let first = 0;
      let top5 = 0;
      const times: number[] = [];
      const misses: string[] = [];
      for (const q of queries) {
        const t = now();
        const found = search(q.query);
        times.push(now() - t);
        const at = found.indexOf(q.mod);
        if (at === 0) first++;
        if (at >= 0 && at < 5) top5++;
        if (at !== 0) misses.push(`${JSON.stringify(q.query)}→${at < 0 ? '-' : at + 1}`);
      }
      const share = (n: number): number => Math.round((1000 * n) / queries.length) / 10;
      figures.push(
        { label: `${engine.name}: meant mod first`, value: share(first), unit: '%', ...(engine.name === 'index' ? { target: '>= 80' } : {}) },
        { label: `${engine.name}: meant mod in the top 5`, value: share(top5), unit: '%', ...(engine.name === 'index' ? { target: '>= 95' } : {}) },
        { label: `${engine.name}: search median`, value: median(times), unit: 'ms' },
        { label: `${engine.name}: search p99`, value: percentile(times, 99), unit: 'ms', ...(engine.name === 'index' ? { target: '< 2' } : {}) },
        { label: `${engine.name}: build`, value: buildMs, unit: 'ms' },
      );
      console.log(`  ${engine.name} misses (query→place): ${misses.join(' ') || 'none'}`);
    }
    return figures;
  },
};

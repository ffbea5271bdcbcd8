// Seeded randomness for the generated portal data: the same seed must give the same
// dataset on every machine, so nothing here touches Math.random or the clock.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weight; `weights` is parallel to `items`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  hex(length: number): string;
  /** Heavy-tailed (Pareto) value >= 0 with scale `xm` and shape `alpha`. */
  pareto(xm: number, alpha: number): number;
  /** How many successes before the first failure, capped. */
  geometric(continueProbability: number, max: number): number;
}

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (items, weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i];
        if (r < 0) return items[i];
      }
      return items[items.length - 1];
    },
    hex: (length) => {
      // join gives a flat string; `+=` would leave a rope of many small nodes.
      const chunks = new Array<string>(Math.ceil(length / 8));
      for (let i = 0; i < chunks.length; i++) {
        const word = Math.floor(next() * 4294967296).toString(16);
        chunks[i] = word.length === 8 ? word : '0'.repeat(8 - word.length) + word;
      }
      const out = chunks.join('');
      return out.length === length ? out : out.slice(0, length);
    },
    pareto: (xm, alpha) => xm * Math.pow(1 - next(), -1 / alpha) - xm,
    geometric: (p, max) => {
      let n = 0;
      while (n < max && next() < p) n++;
      return n;
    },
  };
  return rng;
}

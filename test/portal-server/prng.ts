// Seeded randomness for the generated portal data: the same seed must give the same
// dataset on every machine, so nothing here touches Math.random or the clock.

/** Items with relative weights, prepared once so picking is a short scan. */
export class WeightedTable<T> {
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length !== weights.length || items.length === 0) throw new Error('WeightedTable: items and weights differ');
    let sum = 0;
    this.cumulative = weights.map((w) => (sum += w));
    this.total = sum;
  }

  pick(rng: Rng): T {
    const r = rng.next() * this.total;
    const cumulative = this.cumulative;
    for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]) return this.items[i];
    return this.items[this.items.length - 1];
  }
}

/** mulberry32: tiny, fast, and good enough for test data. */
export class Rng {
  private state: number;
  private readonly scratch = Buffer.alloc(64);

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by relative weight; `weights` is parallel to `items`. Hot paths use a WeightedTable. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    return new WeightedTable(items, weights).pick(this);
  }

  /** `length` random lowercase hex digits. */
  hex(length: number): string {
    // Buffer's hex encoding is fast and gives flat strings (concatenation would build ropes).
    let out = '';
    while (out.length < length) {
      const words = Math.min(16, Math.ceil((length - out.length) / 8));
      for (let i = 0; i < words; i++) this.scratch.writeUInt32LE(this.nextUint32(), i * 4);
      out += this.scratch.toString('hex', 0, words * 4);
    }
    return out.length === length ? out : out.slice(0, length);
  }

  /** Heavy-tailed (Pareto) value >= 0 with scale `xm` and shape `alpha`. */
  pareto(xm: number, alpha: number): number {
    return xm * Math.pow(1 - this.next(), -1 / alpha) - xm;
  }

  /** How many successes before the first failure, capped. */
  geometric(continueProbability: number, max: number): number {
    let n = 0;
    while (n < max && this.next() < continueProbability) n++;
    return n;
  }
}

export function createRng(seed: number): Rng {
  return new Rng(seed);
}

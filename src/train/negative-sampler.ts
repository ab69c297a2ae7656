import { UserError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';

/**
 * Shared negative samples for a mini-batch (spec 2.4): item i is drawn with probability
 * proportional to support_i^alpha (alpha 0: uniform, 1: popularity). Draws come from a cached block
 * (GRU4Rec keeps a sample store) refilled by binary search of uniform numbers in the CDF.
 * Targets and duplicates are not filtered out, as in the reference.
 */
const BLOCK = 1 << 16;

export class NegativeSampler {
  private readonly cdf: Float64Array;
  private readonly rng: Rng;
  private store = new Int32Array(0);
  private next = 0;

  constructor(support: Float64Array, alpha: number, rng: Rng) {
    this.rng = rng;
    const weights = support.map((s) => (alpha === 0 ? 1 : s > 0 ? s ** alpha : 0));
    const total = weights.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new UserError('negative sampling needs at least one item with positive support');
    this.cdf = new Float64Array(weights.length);
    let acc = 0;
    for (let i = 0; i < weights.length; i++) {
      acc += weights[i] as number;
      this.cdf[i] = acc / total;
    }
  }

  /** n item indices. */
  sample(n: number): Int32Array {
    const out = new Int32Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.next >= this.store.length) this.refill();
      const take = Math.min(n - filled, this.store.length - this.next);
      out.set(this.store.subarray(this.next, this.next + take), filled);
      this.next += take;
      filled += take;
    }
    return out;
  }

  private refill(): void {
    if (this.store.length === 0) this.store = new Int32Array(BLOCK);
    const last = this.cdf.length - 1;
    for (let k = 0; k < this.store.length; k++) {
      const u = this.rng.next();
      // first index with cdf > u
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((this.cdf[mid] as number) > u) hi = mid;
        else lo = mid + 1;
      }
      this.store[k] = lo;
    }
    this.next = 0;
  }
}

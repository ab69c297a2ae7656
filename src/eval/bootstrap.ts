import type { Rng } from '../util/rng.js';

/**
 * Resampling over evaluated events. Per-event metrics depend only on the event's rank, and are 0
 * beyond the largest cutoff, so events are first compressed into a few rank classes (class 0 =
 * beyond every cutoff). A bootstrap resample then costs one random index and one counter
 * increment per event, whatever the number of metrics.
 */
export interface Interval {
  low: number;
  high: number;
}

/** Events grouped into classes; `values[m][c]` is metric m of any event of class c. */
export interface ClassedEvents {
  classOf: Int32Array;
  values: Float64Array[];
}

/** The class of every rank: one class per distinct rank <= maxCutoff, class 0 for the rest. */
export function rankClasses(ranks: Float64Array, maxCutoff: number): { classOf: Int32Array; classRanks: number[] } {
  const classRanks = [Infinity];
  const ids = new Map<number, number>();
  const classOf = new Int32Array(ranks.length);
  ranks.forEach((rank, i) => {
    if (rank > maxCutoff) return;
    let id = ids.get(rank);
    if (id === undefined) {
      id = classRanks.length;
      ids.set(rank, id);
      classRanks.push(rank);
    }
    classOf[i] = id;
  });
  return { classOf, classRanks };
}

/**
 * Percentile bootstrap confidence intervals of the mean of every metric: `samples` resamples of
 * all events with replacement, interval = the (1-confidence)/2 and (1+confidence)/2 quantiles.
 */
export function bootstrapIntervals(events: ClassedEvents, samples: number, confidence: number, rng: Rng): Interval[] {
  const n = events.classOf.length;
  const nClasses = events.values[0]?.length ?? 0;
  const means = events.values.map(() => new Float64Array(samples));
  const counts = new Float64Array(nClasses);
  for (let b = 0; b < samples; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = events.classOf[rng.int(n)] as number;
      counts[c] = (counts[c] as number) + 1;
    }
    events.values.forEach((values, m) => {
      let sum = 0;
      for (let c = 0; c < nClasses; c++) sum += (counts[c] as number) * (values[c] as number);
      (means[m] as Float64Array)[b] = n === 0 ? 0 : sum / n;
    });
  }
  const alpha = (1 - confidence) / 2;
  return means.map((m) => {
    m.sort();
    return { low: quantile(m, alpha), high: quantile(m, 1 - alpha) };
  });
}

/**
 * Two-sided sign-flip randomisation test of a zero mean paired difference, for every metric:
 * under the null each event's difference is equally likely to have either sign.
 * p = (1 + #{|flipped sum| >= |observed sum|}) / (1 + samples). Events of one class share their
 * difference, so the flipped sum of a class of m events is d * (2 * Binomial(m, 1/2) - m): one
 * random bit per event, counted 32 at a time, and the same flips serve every metric.
 */
export function signFlipPValues(events: ClassedEvents, samples: number, rng: Rng): number[] {
  const counts = classCounts(events);
  const live = [...counts.keys()].filter((c) => counts[c] !== 0 && events.values.some((v) => v[c] !== 0));
  const thresholds = events.values.map((values) => {
    let observed = 0;
    for (const c of live) observed += (counts[c] as number) * (values[c] as number);
    // Sums of the same terms in another order may differ in the last bits.
    return Math.abs(observed) * (1 - 1e-9) - 1e-12;
  });
  const extreme = new Array<number>(events.values.length).fill(0);
  const flipped = new Float64Array(live.length);
  for (let b = 0; b < samples; b++) {
    live.forEach((c, j) => {
      const m = counts[c] as number;
      flipped[j] = 2 * binomialHalf(m, rng) - m;
    });
    events.values.forEach((values, metric) => {
      let sum = 0;
      live.forEach((c, j) => (sum += (values[c] as number) * (flipped[j] as number)));
      if (Math.abs(sum) >= (thresholds[metric] as number)) extreme[metric] = (extreme[metric] as number) + 1;
    });
  }
  return extreme.map((e) => (1 + e) / (1 + samples));
}

function classCounts(events: ClassedEvents): Float64Array {
  const counts = new Float64Array(events.values[0]?.length ?? 0);
  for (const c of events.classOf) counts[c] = (counts[c] as number) + 1;
  return counts;
}

/** Number of heads in m fair coin flips: popcounts of 32-bit draws. */
function binomialHalf(m: number, rng: Rng): number {
  let heads = 0;
  let left = m;
  for (; left >= 32; left -= 32) heads += popcount(rng.nextUint32());
  if (left > 0) heads += popcount(rng.nextUint32() >>> (32 - left));
  return heads;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Linear interpolation between order statistics of a sorted array (type 7). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
}

/**
 * Accuracy metrics over per-event target ranks (one relevant item per event: the next item).
 * Every metric is a mean over evaluated events, not sessions (spec 1.8, 2.9). Keys are lowercase
 * `name@k`. A target is a hit at k when rank <= k, or rank < k with the legacy flag (pre-2018
 * GRU4Rec / HRNN evaluators, spec 5.4.3).
 *   recall@k = share of hits;  mrr@k = mean of 1/rank over hits (0 otherwise);
 *   ndcg@k   = mean of 1/log2(rank + 1) over hits (0 otherwise): with one relevant item the ideal DCG is 1.
 * Median tie ranks may be x.5. Every metric is a function of that single rank, so the rules
 * stay consistent: rank 20.5 is a miss at k = 20 (and at 21 with the legacy flag), and a hit
 * contributes 1/20.5 to mrr and 1/log2(21.5) to ndcg.
 */
export type MetricValues = Record<string, number>;

export const METRIC_NAMES = ['recall', 'mrr', 'ndcg'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface CutoffOptions {
  readonly cutoffs: readonly number[];
  /** Count a hit when rank < k instead of rank <= k. */
  readonly legacyCutoffLt: boolean;
}

export function metricKey(name: MetricName, k: number): string {
  return `${name}@${k}`;
}

/** Every per-event metric key, cutoff by cutoff: recall@5, mrr@5, ndcg@5, recall@10, … */
export function metricKeys(cutoffs: readonly number[]): string[] {
  return cutoffs.flatMap((k) => METRIC_NAMES.map((name) => metricKey(name, k)));
}

export function isHit(rank: number, k: number, legacyCutoffLt: boolean): boolean {
  return legacyCutoffLt ? rank < k : rank <= k;
}

/** The contribution of one event with `rank` to metric `name@k`. */
export function eventMetric(name: MetricName, rank: number, k: number, legacyCutoffLt: boolean): number {
  if (!isHit(rank, k, legacyCutoffLt)) return 0;
  if (name === 'recall') return 1;
  if (name === 'mrr') return 1 / rank;
  return 1 / Math.log2(rank + 1);
}

/** Every metric at every cutoff, averaged over the events; 0 events give 0. */
export function computeMetrics(ranks: Float64Array, options: CutoffOptions): MetricValues {
  const out: MetricValues = {};
  for (const k of options.cutoffs) {
    for (const name of METRIC_NAMES) {
      let sum = 0;
      for (const rank of ranks) sum += eventMetric(name, rank, k, options.legacyCutoffLt);
      out[metricKey(name, k)] = ranks.length === 0 ? 0 : sum / ranks.length;
    }
  }
  return out;
}

/**
 * Item coverage@k = distinct items in any top-k list / nItems. `bestPosition[i]` is the best
 * (smallest, 1-based) position item i reached in any recommended list, 0 if never listed; an
 * item is in some top-k list exactly when 0 < bestPosition <= k.
 */
export function itemCoverage(bestPosition: Int32Array, cutoffs: readonly number[], nItems: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of cutoffs) {
    let n = 0;
    for (const p of bestPosition) if (p > 0 && p <= k) n++;
    out[`coverage@${k}`] = nItems === 0 ? 0 : n / nItems;
  }
  return out;
}

/** Share of targets whose score equals another item's score. */
export function tieRate(tied: Uint8Array): number {
  if (tied.length === 0) return 0;
  let n = 0;
  for (const t of tied) n += t;
  return n / tied.length;
}

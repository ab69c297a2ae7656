import { computeMetrics, type CutoffOptions, type MetricValues } from './metrics.js';

/** Metrics of the events whose value falls in one bucket. */
export interface BreakdownRow {
  bucket: string;
  n: number;
  metrics: MetricValues;
}

interface Bucket {
  label: string;
  min: number;
  max: number;
}

/**
 * Buckets by the number of session events the model has seen before the target
 * (= position - 1, so the first target of a session is in bucket "1").
 */
export const SEEN_EVENT_BUCKETS: readonly Bucket[] = [
  { label: '1', min: 1, max: 1 },
  { label: '2', min: 2, max: 2 },
  { label: '3', min: 3, max: 3 },
  { label: '4', min: 4, max: 4 },
  { label: '5-9', min: 5, max: 9 },
  { label: '10+', min: 10, max: Infinity },
];

/** Buckets by the user's number of training sessions. */
export const HISTORY_BUCKETS: readonly Bucket[] = [
  { label: '0', min: 0, max: 0 },
  { label: '1-4', min: 1, max: 4 },
  { label: '5-9', min: 5, max: 9 },
  { label: '10-19', min: 10, max: 19 },
  { label: '20+', min: 20, max: Infinity },
];

/** recall/mrr/ndcg at every cutoff per bucket of `values` (one value per event); empty buckets are left out. */
export function breakdown(
  ranks: Float64Array,
  values: ArrayLike<number>,
  buckets: readonly Bucket[],
  options: CutoffOptions,
): BreakdownRow[] {
  const rows: BreakdownRow[] = [];
  for (const bucket of buckets) {
    const picked: number[] = [];
    for (let i = 0; i < ranks.length; i++) {
      const v = values[i] as number;
      if (v >= bucket.min && v <= bucket.max) picked.push(ranks[i] as number);
    }
    if (picked.length > 0) rows.push({ bucket: bucket.label, n: picked.length, metrics: computeMetrics(Float64Array.from(picked), options) });
  }
  return rows;
}

/** Events seen before each target: position - 1. */
export function seenEvents(position: Int32Array): Int32Array {
  return position.map((p) => p - 1);
}

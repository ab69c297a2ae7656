import type { SessionDataset } from '../data/types.js';

/** Consecutive test pairs (a, b) with both items known, and how often b followed a in training. */
export interface NextEventPairs {
  readonly query: Int32Array;
  readonly target: Int32Array;
  /** Times b directly followed a in a training session. */
  readonly trainCount: Int32Array;
  /** Pairs left out: an item without training events, or b = a. */
  readonly skipped: number;
}

/** Fills `scores` ([nItems], higher is better) with every item's score for query item `query`. */
export type Scorer = (query: number, scores: Float64Array) => void;

export interface EmbeddingMetrics {
  nPairs: number;
  nColdPairs: number;
  /** `hit@k` and `ndcg@k` over all pairs. */
  overall: Record<string, number>;
  /** The same over cold/tail pairs (b followed a at most coldMaxCount times in training). */
  cold: Record<string, number>;
}

/** The next-event pairs of `test`, as in spec 4.5 and the reference table (every consecutive pair). */
export function nextEventPairs(train: SessionDataset, test: SessionDataset, nItems: number): NextEventPairs {
  const seen = new Uint8Array(nItems);
  for (const item of train.items) seen[item] = 1;
  const follows = new Map<number, number>();
  forEachConsecutive(train, (a, b) => follows.set(a * nItems + b, (follows.get(a * nItems + b) ?? 0) + 1));
  const query: number[] = [];
  const target: number[] = [];
  const trainCount: number[] = [];
  let skipped = 0;
  forEachConsecutive(test, (a, b) => {
    if (a === b || seen[a] !== 1 || seen[b] !== 1) {
      skipped++;
      return;
    }
    query.push(a);
    target.push(b);
    trainCount.push(follows.get(a * nItems + b) ?? 0);
  });
  return { query: Int32Array.from(query), target: Int32Array.from(target), trainCount: Int32Array.from(trainCount), skipped };
}

function forEachConsecutive(data: SessionDataset, visit: (a: number, b: number) => void): void {
  for (let s = 0; s + 1 < data.sessionOffsets.length; s++) {
    for (let e = data.sessionOffsets[s]! + 1; e < data.sessionOffsets[s + 1]!; e++) visit(data.items[e - 1]!, data.items[e]!);
  }
}

/**
 * Rank every pair's target among all items but the query by the scorer, ties counted in the
 * scorer's favour (rank = 1 + items scoring strictly higher), and reduce to Hit@k and NDCG@k.
 * Hit@k is recall-style: the share of pairs whose target ranks <= k. It is NOT the Deezer
 * reproduction's HR@k, which adds 1/k per hit (multiply that by k to compare). NDCG@k with one
 * relevant item is 1 / log2(1 + rank) when rank <= k, else 0. Both are means over pairs.
 */
export function evaluateScorer(
  pairs: NextEventPairs,
  scorer: Scorer,
  options: { nItems: number; cutoffs: readonly number[]; coldMaxCount: number },
): EmbeddingMetrics {
  const ranks = targetRanks(pairs, scorer, options.nItems);
  const all: number[] = [];
  const cold: number[] = [];
  ranks.forEach((rank, p) => {
    all.push(rank);
    if (pairs.trainCount[p]! <= options.coldMaxCount) cold.push(rank);
  });
  return {
    nPairs: all.length,
    nColdPairs: cold.length,
    overall: rankMetrics(all, options.cutoffs),
    cold: rankMetrics(cold, options.cutoffs),
  };
}

/** The rank of each pair's target; pairs sharing a query share one scorer call. */
export function targetRanks(pairs: NextEventPairs, scorer: Scorer, nItems: number): Int32Array {
  const order = Array.from(pairs.query.keys()).sort((x, y) => pairs.query[x]! - pairs.query[y]!);
  const ranks = new Int32Array(pairs.query.length);
  const scores = new Float64Array(nItems);
  let current = -1;
  for (const p of order) {
    const a = pairs.query[p]!;
    if (a !== current) {
      scorer(a, scores);
      current = a;
    }
    const b = pairs.target[p]!;
    const sb = scores[b]!;
    let higher = 0;
    for (let j = 0; j < nItems; j++) if (scores[j]! > sb && j !== a) higher++;
    ranks[p] = higher + 1;
  }
  return ranks;
}

/** Hit@k and NDCG@k of a list of ranks (0 for an empty list). */
export function rankMetrics(ranks: readonly number[], cutoffs: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of cutoffs) {
    let hits = 0;
    let ndcg = 0;
    for (const r of ranks) {
      if (r > k) continue;
      hits++;
      ndcg += 1 / Math.log2(1 + r);
    }
    out[`hit@${k}`] = ranks.length > 0 ? hits / ranks.length : 0;
    out[`ndcg@${k}`] = ranks.length > 0 ? ndcg / ranks.length : 0;
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { computeMetrics, itemCoverage, metricKeys, tieRate } from '../../src/eval/metrics.js';

// Ranks of 4 targets (see ranks.test.ts): scores [.9,.5,.5,.2,.5,.1] with targets 0, 2, 5 and
// scores [.3,.3] with target 0.
const optimistic = Float64Array.from([1, 2, 6, 1]);
const conservative = Float64Array.from([1, 4, 6, 2]);
const median = Float64Array.from([1, 3, 6, 1.5]);
const L3 = 1 / Math.log2(3); // 0.63093
const L5 = 1 / Math.log2(5); // 0.43068
const L25 = 1 / Math.log2(2.5); // 0.75647

describe('computeMetrics', () => {
  const cutoffs = [2, 5];

  it('optimistic ranks [1, 2, 6, 1]', () => {
    const m = computeMetrics(optimistic, { cutoffs, legacyCutoffLt: false });
    // @2 and @5: hits 1, 2, 1 -> recall 3/4; mrr (1 + 1/2 + 1)/4; ndcg (1 + 1/log2 3 + 1)/4
    expect(m['recall@2']).toBeCloseTo(0.75, 12);
    expect(m['mrr@2']).toBeCloseTo(0.625, 12);
    expect(m['ndcg@2']).toBeCloseTo((2 + L3) / 4, 12);
    expect(m['recall@5']).toBeCloseTo(0.75, 12);
    expect(m['mrr@5']).toBeCloseTo(0.625, 12);
    expect(Object.keys(m)).toEqual(metricKeys(cutoffs));
  });

  it('conservative ranks [1, 4, 6, 2]', () => {
    const m = computeMetrics(conservative, { cutoffs, legacyCutoffLt: false });
    // @2: hits 1, 2 -> 2/4; mrr (1 + 1/2)/4 = .375; ndcg (1 + 1/log2 3)/4
    expect(m['recall@2']).toBeCloseTo(0.5, 12);
    expect(m['mrr@2']).toBeCloseTo(0.375, 12);
    expect(m['ndcg@2']).toBeCloseTo((1 + L3) / 4, 12);
    // @5: hits 1, 4, 2 -> 3/4; mrr (1 + 1/4 + 1/2)/4 = .4375; ndcg (1 + 1/log2 5 + 1/log2 3)/4
    expect(m['recall@5']).toBeCloseTo(0.75, 12);
    expect(m['mrr@5']).toBeCloseTo(0.4375, 12);
    expect(m['ndcg@5']).toBeCloseTo((1 + L5 + L3) / 4, 12);
  });

  it('median ranks [1, 3, 6, 1.5]', () => {
    const m = computeMetrics(median, { cutoffs, legacyCutoffLt: false });
    // @2: hits 1, 1.5 -> 2/4; mrr (1 + 1/1.5)/4 = .41667; ndcg (1 + 1/log2 2.5)/4
    expect(m['recall@2']).toBeCloseTo(0.5, 12);
    expect(m['mrr@2']).toBeCloseTo((1 + 2 / 3) / 4, 12);
    expect(m['ndcg@2']).toBeCloseTo((1 + L25) / 4, 12);
    // @5: hits 1, 3, 1.5 -> 3/4; mrr (1 + 1/3 + 2/3)/4 = .5; ndcg (1 + 1/2 + 1/log2 2.5)/4
    expect(m['recall@5']).toBeCloseTo(0.75, 12);
    expect(m['mrr@5']).toBeCloseTo(0.5, 12);
    expect(m['ndcg@5']).toBeCloseTo((1.5 + L25) / 4, 12);
  });

  it('a median rank of k + 0.5 is a miss at k', () => {
    const m = computeMetrics(Float64Array.from([2.5, 2]), { cutoffs: [2, 3], legacyCutoffLt: false });
    expect(m['recall@2']).toBe(0.5);
    expect(m['recall@3']).toBe(1);
    expect(m['mrr@3']).toBeCloseTo((1 / 2.5 + 1 / 2) / 2, 12);
  });

  it('legacy flag counts rank < k', () => {
    const m = computeMetrics(optimistic, { cutoffs, legacyCutoffLt: true });
    // @2: only the two rank-1 targets -> 2/4, mrr 2/4, ndcg 2/4; @5 unchanged (1, 2, 1)
    expect(m['recall@2']).toBeCloseTo(0.5, 12);
    expect(m['mrr@2']).toBeCloseTo(0.5, 12);
    expect(m['ndcg@2']).toBeCloseTo(0.5, 12);
    expect(m['recall@5']).toBeCloseTo(0.75, 12);
    expect(computeMetrics(median, { cutoffs: [6], legacyCutoffLt: true })['recall@6']).toBeCloseTo(0.75, 12);
  });

  it('gives 0 on no events', () => {
    expect(computeMetrics(new Float64Array(0), { cutoffs: [5], legacyCutoffLt: false })['mrr@5']).toBe(0);
  });
});

describe('coverage and tie rate', () => {
  it('coverage@k counts items listed at position <= k', () => {
    // best positions: item0 1st, item2 3rd, item3 2nd; items 1 and 4 never listed
    const c = itemCoverage(Int32Array.from([1, 0, 3, 2, 0]), [1, 2, 5], 5);
    expect(c).toEqual({ 'coverage@1': 0.2, 'coverage@2': 0.4, 'coverage@5': 0.6 });
  });

  it('tie rate is the share of tied targets', () => {
    expect(tieRate(Uint8Array.from([0, 1, 0, 1]))).toBe(0.5);
    expect(tieRate(new Uint8Array(0))).toBe(0);
  });
});

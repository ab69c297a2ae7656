import { describe, expect, it } from 'vitest';
import { evalSchema } from '../../src/config/eval-schema.js';
import { quantile, signFlipPValues } from '../../src/eval/bootstrap.js';
import { compareModels } from '../../src/eval/compare.js';
import type { EvalResult } from '../../src/eval/evaluate.js';
import { computeMetrics } from '../../src/eval/metrics.js';
import { Rng } from '../../src/util/rng.js';

const cfg = evalSchema.parse({ cutoffs: [5, 20], bootstrapSamples: 400 });

/** An EvalResult with one event per session at position 2 unless given. */
function result(model: string, ranks: number[], opts: { session?: number[]; position?: number[]; history?: number[] } = {}): EvalResult {
  const n = ranks.length;
  const r = Float64Array.from(ranks);
  return {
    model,
    nEvaluated: n,
    ranks: r,
    tied: new Uint8Array(n),
    userIndex: new Int32Array(n),
    sessionIndex: Int32Array.from(opts.session ?? ranks.map((_, i) => i)),
    position: Int32Array.from(opts.position ?? ranks.map(() => 2)),
    targetItem: new Int32Array(n),
    targetScore: new Float32Array(n),
    historyLength: Int32Array.from(opts.history ?? ranks.map(() => 0)),
    coverage: {},
    metrics: computeMetrics(r, cfg),
    seconds: 1,
    eventsPerSecond: n,
  };
}

/** Deterministic ranks: a hit at 1 for 30% of events, rank 100 otherwise. */
function ranks30(n: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i * 7) % 10 < 3 ? 1 : 100));
}

describe('bootstrap confidence intervals', () => {
  it('contain the estimate, match the normal approximation and shrink with n', () => {
    const small = compareModels([result('m', ranks30(200))], cfg, new Rng(1)).models[0]?.metrics['recall@20'];
    const big = compareModels([result('m', ranks30(2000))], cfg, new Rng(1)).models[0]?.metrics['recall@20'];
    for (const e of [small, big]) {
      expect(e?.value).toBeCloseTo(0.3, 12);
      expect(e?.low).toBeLessThan(0.3);
      expect(e?.high).toBeGreaterThan(0.3);
    }
    const width = (e: typeof big): number => (e?.high ?? 0) - (e?.low ?? 0);
    // normal approximation at n = 2000: 2 * 1.96 * sqrt(.3 * .7 / 2000) = 0.0402
    expect(width(big)).toBeGreaterThan(0.0402 * 0.85);
    expect(width(big)).toBeLessThan(0.0402 * 1.15);
    expect(width(big)).toBeLessThan(width(small) / 2);
  });

  it('are null without resamples', () => {
    const c = compareModels([result('m', ranks30(50))], { ...cfg, bootstrapSamples: 0 }, new Rng(1));
    expect(c.models[0]?.metrics['mrr@5']).toEqual({ value: 0.3, low: null, high: null });
  });

  it('are reproducible with the same seed', () => {
    const a = compareModels([result('m', ranks30(100)), result('n', ranks30(100).reverse())], cfg, new Rng(3));
    const b = compareModels([result('m', ranks30(100)), result('n', ranks30(100).reverse())], cfg, new Rng(3));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('paired test against the first model', () => {
  it('a model against itself: difference 0, CI [0, 0], p = 1', () => {
    const c = compareModels([result('a', ranks30(300)), result('b', ranks30(300))], cfg, new Rng(2));
    expect(c.models[0]?.vsFirst).toBeNull();
    expect(c.models[1]?.vsFirst?.nPaired).toBe(300);
    expect(c.models[1]?.vsFirst?.differences['recall@20']).toEqual({ value: 0, low: 0, high: 0, pValue: 1 });
  });

  it('pairs events by (session, position) whatever their order', () => {
    const ranks = ranks30(40);
    const session = ranks.map((_, i) => i >> 1);
    const position = ranks.map((_, i) => 2 + (i & 1));
    const reversed = result('b', [...ranks].reverse(), { session: [...session].reverse(), position: [...position].reverse() });
    const c = compareModels([result('a', ranks, { session, position }), reversed], cfg, new Rng(2));
    expect(c.models[1]?.vsFirst?.differences['mrr@20']?.pValue).toBe(1);
    expect(c.models[1]?.vsFirst?.differences['mrr@20']?.value).toBe(0);
  });

  it('a clearly better model gets a positive CI and a small p-value', () => {
    const base = ranks30(300);
    const better = base.map((r, i) => (i % 5 === 0 ? 1 : r));
    const c = compareModels([result('a', base), result('b', better)], cfg, new Rng(2));
    const d = c.models[1]?.vsFirst?.differences['recall@20'];
    // base hits at i % 10 in {0, 3, 6}; i % 5 == 0 adds hits at i % 10 == 5 only: 30 of 300 events
    expect(d?.value).toBeCloseTo(30 / 300, 12);
    expect(d?.low).toBeGreaterThan(0);
    expect(d?.pValue).toBeLessThan(0.01);
  });

  it('sign-flip p matches the exact randomisation distribution', () => {
    // metric 0: two differences of 1 -> flipped sums 2, 0, 0, -2: |sum| >= 2 with probability 1/2.
    // metric 1: 1, 1 and a class of 40 events with difference 0.01 (sum 0.4, observed 2.4):
    //   |±1 ±1 + 0.01 (2 Bin(40, 1/2) - 40)| >= 2.4 needs both ±1 equal and |2 Bin - 40| >= 40 -> ~0
    const events = { classOf: Int32Array.from([1, 1, ...Array<number>(40).fill(2)]), values: [Float64Array.from([0, 1, 0]), Float64Array.from([0, 1, 0.01])] };
    const [p0, p1] = signFlipPValues(events, 4000, new Rng(5));
    expect(p0).toBeGreaterThan(0.47);
    expect(p0).toBeLessThan(0.53);
    expect(p1).toBeLessThan(0.002);
  });

  it('sign-flip p over classes larger than one 32-bit word', () => {
    // 70 events +1, 50 events -1: observed 20; null sum 2 Bin(120, 1/2) - 120, so
    // p = P(|Bin - 60| >= 10) = 2 P(Bin <= 50) = 0.0824 (exact binomial sum)
    const events = { classOf: Int32Array.from([...Array<number>(70).fill(1), ...Array<number>(50).fill(2)]), values: [Float64Array.from([0, 1, -1])] };
    const [p] = signFlipPValues(events, 6000, new Rng(9));
    expect(p).toBeGreaterThan(0.0824 - 0.012);
    expect(p).toBeLessThan(0.0824 + 0.012);
  });
});

describe('breakdowns', () => {
  it('by events seen and by training history', () => {
    const r = result('a', [1, 5, 1, 2], { session: [0, 0, 1, 2], position: [2, 3, 3, 12], history: [0, 0, 7, 25] });
    const c = compareModels([r], { ...cfg, cutoffs: [2], bootstrapSamples: 0 }, new Rng(1));
    const m = c.models[0];
    // seen = position - 1: 1, 2, 2, 11
    expect(m?.byPosition.map((b) => [b.bucket, b.n, b.metrics['recall@2']])).toEqual([['1', 1, 1], ['2', 2, 0.5], ['10+', 1, 1]]);
    expect(m?.byHistory?.map((b) => [b.bucket, b.n, b.metrics['mrr@2']])).toEqual([['0', 2, 0.5], ['5-9', 1, 1], ['20+', 1, 0.5]]);
  });

  it('quantile interpolates between order statistics', () => {
    expect(quantile(Float64Array.from([1, 2, 3, 4]), 0.5)).toBe(2.5);
    expect(quantile(Float64Array.from([1, 2, 3, 4]), 0.025)).toBeCloseTo(1.075, 12);
  });
});

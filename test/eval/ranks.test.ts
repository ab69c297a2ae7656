import { describe, expect, it } from 'vitest';
import { countAroundTarget, tieRank, TopKSelector, type TargetCounts } from '../../src/eval/ranks.js';
import { Rng } from '../../src/util/rng.js';

const row = Float32Array.from([0.9, 0.5, 0.5, 0.2, 0.5, 0.1]);

function ranksOf(scores: Float32Array, target: number): [number, number, number, number] {
  const c: TargetCounts = { greater: 0, equal: 0 };
  countAroundTarget(scores, 0, scores.length, target, c);
  return [tieRank(c, 'optimistic'), tieRank(c, 'conservative'), tieRank(c, 'median'), c.equal];
}

describe('target ranks', () => {
  it('applies every tie rule', () => {
    // target 2 (0.5): 1 item above (0.9), 3 equal (items 1, 2, 4) -> 2, 4, 3
    expect(ranksOf(row, 2)).toEqual([2, 4, 3, 3]);
    expect(ranksOf(row, 0)).toEqual([1, 1, 1, 1]);
    expect(ranksOf(row, 5)).toEqual([6, 6, 6, 1]);
    // two equal scores: 1, 2, 1.5
    expect(ranksOf(Float32Array.from([0.3, 0.3]), 0)).toEqual([1, 2, 1.5, 2]);
  });

  it('reads the row at an offset', () => {
    const two = Float32Array.from([1, 2, 3, 3, 2, 1]);
    const c: TargetCounts = { greater: 0, equal: 0 };
    countAroundTarget(two, 3, 3, 1, c); // row [3, 2, 1], target 2 -> one above
    expect(c).toEqual({ greater: 1, equal: 1 });
  });

  it('ranks a NaN target last and ignores NaN competitors', () => {
    expect(ranksOf(Float32Array.from([0.1, NaN, 0.3]), 1)).toEqual([3, 3, 3, 1]);
    expect(ranksOf(Float32Array.from([NaN, 0.2, 0.3]), 1)).toEqual([2, 2, 2, 1]);
  });
});

describe('TopKSelector', () => {
  it('lists the best items first, ties by lower index', () => {
    const out = new Int32Array(4);
    new TopKSelector(3).select(row, 0, 6, out, 1);
    expect([...out]).toEqual([0, 0, 1, 2]);
    const all = new Int32Array(8);
    new TopKSelector(8).select(row, 0, 6, all, 0);
    expect([...all]).toEqual([0, 1, 2, 4, 3, 5, -1, -1]);
  });

  it('agrees with a full stable sort on random rows with many ties', () => {
    const rng = new Rng(7);
    const n = 500;
    const k = 20;
    const selector = new TopKSelector(k);
    for (let trial = 0; trial < 20; trial++) {
      const scores = new Float32Array(n).map(() => Math.round(rng.next() * 50) / 50);
      const expected = [...Array(n).keys()].sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b).slice(0, k);
      const out = new Int32Array(k);
      selector.select(scores, 0, n, out, 0);
      expect([...out]).toEqual(expected);
    }
  });
});

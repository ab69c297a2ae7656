import { describe, expect, it } from 'vitest';
import { SequentialRules, sequentialRules, type SequentialRulesConfig } from '../../../src/models/baselines/sequential-rules.js';
import { fitTiny, makeBatch, N_ITEMS, tinyLog } from './helpers.js';

const config = (over: Partial<SequentialRulesConfig>): SequentialRulesConfig => ({
  type: 'sr',
  steps: 2,
  weighting: 'div',
  pruning: 0,
  ...over,
});

/** Dense [nItems x nItems] rule weights, for comparing with hand-computed tables. */
function dense(cfg: SequentialRulesConfig): number[][] {
  const rows = sequentialRules(tinyLog(), N_ITEMS, cfg);
  return Array.from({ length: N_ITEMS }, (_, a) => {
    const out = new Array<number>(N_ITEMS).fill(0);
    for (let k = rows.offsets[a] ?? 0; k < (rows.offsets[a + 1] ?? 0); k++) out[rows.cols[k] ?? 0] = rows.weights[k] ?? NaN;
    return out;
  });
}

/*
 * steps 2, div (1/d):
 *   s0 [0,1,2]: 0->1 +1, 0->2 +1/2, 1->2 +1     s1 [1,2,3]: 1->2 +1, 1->3 +1/2, 2->3 +1
 *   s2 [0,2]:   0->2 +1                        s3 [3,4,1]: 3->4 +1, 3->1 +1/2, 4->1 +1
 * rows: 0 {1:1, 2:1.5}  1 {2:2, 3:0.5}  2 {3:1}  3 {1:0.5, 4:1}  4 {1:1}
 */
describe('sequential rules', () => {
  it('weights a rule a->b by 1/distance within `steps`', () => {
    expect(dense(config({}))).toEqual([
      [0, 1, 1.5, 0, 0],
      [0, 0, 2, 0.5, 0],
      [0, 0, 0, 1, 0],
      [0, 0.5, 0, 0, 1],
      [0, 1, 0, 0, 0],
    ]);
  });

  it('counts only direct successors with steps = 1 and honours the weighting', () => {
    // same weighting, steps 1: every adjacent pair +1
    expect(dense(config({ steps: 1, weighting: 'same' }))).toEqual([
      [0, 1, 1, 0, 0],
      [0, 0, 2, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 1],
      [0, 1, 0, 0, 0],
    ]);
    // quadratic (1/d^2): 0->2 = 1/4 (s0) + 1 (s2) = 1.25
    expect(dense(config({ weighting: 'quadratic' }))[0]).toEqual([0, 1, 1.25, 0, 0]);
  });

  it('keeps the `pruning` strongest rules per item', () => {
    expect(dense(config({ pruning: 1 }))).toEqual([
      [0, 0, 1.5, 0, 0],
      [0, 0, 2, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 1],
      [0, 1, 0, 0, 0],
    ]);
  });

  it('scores the rules of each row\'s input item', async () => {
    const predictor = await fitTiny(new SequentialRules(config({}), N_ITEMS));
    const scores = await predictor.step(makeBatch([3, 2], [1, 1]), true);
    expect(Array.from(scores ?? [])).toEqual([0, 0.5, 0, 0, 1, 0, 0, 0, 1, 0]);
  });
});

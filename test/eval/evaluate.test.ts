import { describe, expect, it } from 'vitest';
import { evalSchema } from '../../src/config/eval-schema.js';
import type { Batch } from '../../src/data/batch.js';
import type { SessionDataset } from '../../src/data/types.js';
import { evalLanes, evaluateModel } from '../../src/eval/evaluate.js';
import type { Predictor, Recommender } from '../../src/models/types.js';
import { silentProgress } from '../../src/util/progress.js';
import { usersDataset } from '../train/helpers.js';

const N_ITEMS = 8;

/** A dataset from named users -> sessions -> item indices. */
function dataset(users: Record<string, number[][]>): SessionDataset {
  return usersDataset(Object.values(users), Object.keys(users));
}

const train = dataset({ a: [[0, 1, 2], [1, 2]], b: [[3, 4]] });
const test = dataset({ b: [[3, 4, 4]], c: [[1, 2, 0]], a: [[0, 1]] });

/** Scores 2 for item input+1 (mod N), 1 for the input item, 0 for every other item. */
function fakeModel(usesUserHistory: boolean, log: { wantScores: boolean[]; sessions: number[][] }): Recommender {
  const predictor: Predictor = {
    async step(batch: Batch, wantScores: boolean) {
      log.wantScores.push(wantScores);
      log.sessions.push([...batch.sessionIndex]);
      if (!wantScores) return null;
      const scores = new Float32Array(batch.size * N_ITEMS);
      for (let r = 0; r < batch.size; r++) {
        const input = batch.inputIds[r] as number;
        scores[r * N_ITEMS + ((input + 1) % N_ITEMS)] = 2;
        scores[r * N_ITEMS + input] = 1;
      }
      return scores;
    },
    dispose() {},
  };
  return {
    name: usesUserHistory ? 'history' : 'plain',
    nItems: N_ITEMS,
    usesUserHistory,
    fit: async () => ({ seconds: 0 }),
    predictor: () => predictor,
    save: async () => {},
    dispose() {},
  };
}

const cfg = evalSchema.parse({ cutoffs: [1, 2], batchSize: 2, tieBreak: 'conservative' });

describe('evaluateModel', () => {
  it('session lanes over the test sessions only', async () => {
    const log = { wantScores: [] as boolean[], sessions: [] as number[][] };
    const r = await evaluateModel(fakeModel(false, log), { train, test }, cfg, { progress: silentProgress, nItems: N_ITEMS });
    // order: (s0,p2) 3->4 rank 1, (s1,p2) 1->2 rank 1, (s0,p3) 4->4 input item: rank 2,
    // (s1,p3) 2->0: 2 items above, 6 at 0 (target included) -> conservative 8, (s2,p2) 0->1 rank 1
    expect([...r.ranks]).toEqual([1, 1, 2, 8, 1]);
    expect([...(r.tied ?? [])]).toEqual([0, 0, 0, 1, 0]);
    expect([...r.sessionIndex]).toEqual([0, 1, 0, 1, 2]);
    expect([...r.position]).toEqual([2, 2, 3, 3, 2]);
    expect([...r.userIndex]).toEqual([0, 1, 0, 1, 2]);
    expect([...r.targetItem]).toEqual([4, 2, 4, 0, 1]);
    expect([...r.targetScore]).toEqual([2, 2, 1, 0, 2]);
    // training sessions: b 1, c 0, a 2
    expect([...(r.historyLength ?? [])]).toEqual([1, 0, 1, 0, 2]);
    // recall@1 3/5, recall@2 4/5, mrr@2 (1 + 1 + 1/2 + 0 + 1)/5
    expect(r.metrics['recall@1']).toBeCloseTo(0.6, 12);
    expect(r.metrics['recall@2']).toBeCloseTo(0.8, 12);
    expect(r.metrics['mrr@2']).toBeCloseTo(0.7, 12);
    // top-1 items 4,2,5,3,1 -> 5/8; top-2 adds the inputs 3,1,4,2,0 -> {0..5} = 6/8
    expect(r.coverage).toEqual({ 'coverage@1': 5 / 8, 'coverage@2': 6 / 8 });
    expect(r.nEvaluated).toBe(5);
    expect(log.wantScores.every(Boolean)).toBe(true);
  });

  it('replays each test user\'s training sessions first, unscored, on user lanes', async () => {
    const log = { wantScores: [] as boolean[], sessions: [] as number[][] };
    const r = await evaluateModel(fakeModel(true, log), { train, test }, cfg, { progress: silentProgress, nItems: N_ITEMS });
    // eval sessions: 0 b-train, 1 b-test, 2 c-test, 3 a-train, 4 a-train, 5 a-test
    expect(log.sessions).toEqual([[0, 2], [1, 2], [1, 3], [3], [4], [5]]);
    expect(log.wantScores).toEqual([true, true, true, false, false, true]);
    expect([...r.sessionIndex]).toEqual([1, 0, 1, 0, 2]);
    expect([...r.position]).toEqual([2, 2, 3, 3, 2]);
    expect([...r.ranks]).toEqual([1, 1, 8, 2, 1]);
    expect([...(r.historyLength ?? [])]).toEqual([0, 1, 0, 1, 2]);
    expect(r.metrics['mrr@2']).toBeCloseTo(0.7, 12);
  });

  it('median ties give x.5 ranks', async () => {
    const log = { wantScores: [] as boolean[], sessions: [] as number[][] };
    const median = { ...cfg, tieBreak: 'median' as const };
    const r = await evaluateModel(fakeModel(false, log), { train, test }, median, { progress: silentProgress, nItems: N_ITEMS });
    expect(r.ranks[3]).toBe(5.5); // (3 + 8) / 2
  });

  it('rejects a predictor that returns the wrong number of scores', async () => {
    const bad: Recommender = {
      ...fakeModel(false, { wantScores: [], sessions: [] }),
      predictor: () => ({ step: async () => new Float32Array(3), dispose() {} }),
    };
    await expect(evaluateModel(bad, { train, test }, cfg, { progress: silentProgress, nItems: N_ITEMS })).rejects.toThrow(/3 scores, expected 16/);
  });

  it('runs fewer lanes when a batch would hold more than maxBatchScores scores; the ranks stay the same', async () => {
    const log = { wantScores: [] as boolean[], sessions: [] as number[][] };
    // 12 scores per batch, 8 items: floor(12 / 8) = 1 lane instead of batchSize 2
    const r = await evaluateModel(fakeModel(false, log), { train, test }, cfg, { progress: silentProgress, nItems: N_ITEMS, maxBatchScores: 12 });
    expect(log.sessions.every((s) => s.length === 1)).toBe(true);
    // one lane runs the sessions in index order: s0 (2 targets), s1 (2), s2 (1)
    expect([...r.sessionIndex]).toEqual([0, 0, 1, 1, 2]);
    expect([...r.ranks]).toEqual([1, 2, 1, 8, 1]);
  });
});

describe('evalLanes', () => {
  it('keeps eval.batchSize until rows * nItems exceeds the budget (2^26 = 67,108,864 scores)', () => {
    expect(evalLanes(100, 50_000)).toBe(100);
    expect(evalLanes(100, 671_088)).toBe(100); // 2^26 / 671,088 = 100.0001
    expect(evalLanes(100, 1_000_000)).toBe(67); // 67.1
    expect(evalLanes(100, 10 ** 9)).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { LaneHistory } from '../../../src/models/baselines/lane-history.js';
import { SessionPop } from '../../../src/models/baselines/session-pop.js';
import { makeParallelBatches } from '../../../src/data/batches.js';
import { Vsknn, type VsknnConfig } from '../../../src/models/baselines/vsknn.js';
import { fitTiny, makeBatch, makeDataset, N_ITEMS, scoreSession } from './helpers.js';

const vsknnDefaults: VsknnConfig = {
  type: 'vsknn',
  k: 2,
  sampleSize: 3,
  weighting: 'quadratic',
  weightingScore: 'div',
  idfWeighting: 0,
  remind: true,
};

const POP = [2 / 3, 3 / 4, 3 / 4, 2 / 3, 1 / 2];

describe('LaneHistory', () => {
  it('follows session starts and shrinking batches', () => {
    const lanes = new LaneHistory();
    lanes.advance(makeBatch([0, 3, 4], [1, 1, 1]));
    lanes.advance(makeBatch([1, 4, 2], [0, 0, 0]));
    expect([0, 1, 2].map((r) => lanes.session(r))).toEqual([[0, 1], [3, 4], [4, 2]]);
    // lane 0 starts a new session; nothing else changes
    lanes.advance(makeBatch([2, 1, 0], [1, 0, 0]));
    expect([0, 1, 2].map((r) => lanes.session(r))).toEqual([[2], [3, 4, 1], [4, 2, 0]]);
    // the old row 0 ran dry: new row 0 continues old row 2, new row 1 old row 1
    lanes.advance(makeBatch([3, 0], [0, 0], [2, 1]));
    expect([0, 1].map((r) => lanes.session(r))).toEqual([[4, 2, 0, 3], [3, 4, 1, 0]]);
    // a continuing lane that also starts a new session this step
    lanes.advance(makeBatch([1], [1], [1]));
    expect(lanes.session(0)).toEqual([1]);
  });

  it('rejects keepRows that do not match the batch, and a resize without them', () => {
    const lanes = new LaneHistory();
    lanes.advance(makeBatch([0, 3], [1, 1]));
    expect(() => lanes.advance(makeBatch([1], [0], [0, 1]))).toThrow(/keepRows has 2 rows for a batch of 1/);
    expect(() => lanes.advance(makeBatch([1], [0]))).toThrow(/batch size changed from 2 to 1 without keepRows/);
  });
});

describe('stateful predictor (S-Pop) with resets and shrinking', () => {
  it('scores each lane from its own session, also across steps without scores', async () => {
    const predictor = await fitTiny(new SessionPop({ type: 'spop' }, N_ITEMS));
    await predictor.step(makeBatch([0, 3], [1, 1]), false);
    await predictor.step(makeBatch([1, 4], [0, 0]), false);
    const third = Array.from((await predictor.step(makeBatch([2, 1], [1, 0]), true)) ?? []);
    // lane 0 restarted at [2]; lane 1 is [3, 4, 1]
    expect(third).toEqual([...POP.map((p, i) => p + (i === 2 ? 1 : 0)), ...POP.map((p, i) => p + ([1, 3, 4].includes(i) ? 1 : 0))].map((x) => expect.closeTo(x, 6)));
    // lane 0 ran dry; the remaining row is old lane 1, now [3, 4, 1, 3]
    const fourth = Array.from((await predictor.step(makeBatch([3], [0], [1]), true)) ?? []);
    expect(fourth).toEqual([2 / 3, 1.75, 0.75, 2 + 2 / 3, 1.5].map((x) => expect.closeTo(x, 6)));
  });
});

describe('stateful predictors under the real session-parallel batcher', () => {
  it('score every row as if its session were fed alone (V-SKNN, S-Pop)', async () => {
    // 6 test sessions over 2 lanes: lanes refill and the batch shrinks at the end
    const test = makeDataset([[0, 1, 2, 3], [4, 1], [2, 2, 0], [3, 4, 1, 0, 2], [1, 3], [0, 4, 4]]);
    for (const make of [() => new Vsknn(vsknnDefaults, N_ITEMS), () => new SessionPop({ type: 'spop' }, N_ITEMS)]) {
      const predictor = await fitTiny(make());
      let shrank = false;
      for (const batch of makeParallelBatches(test, { batchSize: 2, lanes: 'session', order: 'index' })) {
        shrank ||= batch.keepRows !== null;
        const scores = (await predictor.step(batch, true)) ?? new Float32Array();
        for (let r = 0; r < batch.size; r++) {
          const s = batch.sessionIndex[r] ?? 0;
          const prefix = Array.from(test.items.subarray(test.sessionOffsets[s], (batch.inputEvent[r] ?? 0) + 1));
          const alone = await scoreSession(await fitTiny(make()), prefix);
          expect(Array.from(scores.subarray(r * N_ITEMS, (r + 1) * N_ITEMS))).toEqual(alone);
        }
      }
      expect(shrank).toBe(true);
    }
  });
});

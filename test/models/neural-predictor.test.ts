import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gru4recSchema, hrnnSchema } from '../../src/config/neural-schema.js';
import type { Batch } from '../../src/data/batch.js';
import { countAroundTarget, type TargetCounts } from '../../src/eval/ranks.js';
import { Gru4recNet } from '../../src/models/gru4rec.js';
import { HrnnNet } from '../../src/models/hrnn.js';
import { NeuralPredictor, SCORE_BLOCK } from '../../src/models/neural-predictor.js';
import type { SequenceNet } from '../../src/models/session-step.js';
import { initBackend } from '../../src/util/backend.js';
import { Rng } from '../../src/util/rng.js';
import { makeBatch } from '../train/helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const N_ITEMS = 23;

// Three steps: all lanes start; lane 1 starts a new session; the batch shrinks to lanes [0, 2].
const steps: Batch[] = [
  makeBatch({ inputIds: [1, 7, 22], targetIds: [7, 3, 0], sessionStart: [1, 1, 1], userStart: [1, 1, 1] }),
  makeBatch({ inputIds: [7, 12, 0], targetIds: [5, 9, 22], sessionStart: [0, 1, 0], userStart: [0, 1, 0] }),
  makeBatch({ inputIds: [5, 22], targetIds: [16, 4], sessionStart: [0, 0], keepRows: [0, 2] }),
];

function gru4rec(): Gru4recNet {
  return Gru4recNet.create(gru4recSchema.parse({ type: 'gru4rec', layers: [4], nSample: 0 }), N_ITEMS, new Rng(1));
}

function hrnn(): HrnnNet {
  return HrnnNet.create(hrnnSchema.parse({ type: 'hrnn', sessionUnits: 4, userUnits: 3 }), N_ITEMS, new Rng(2));
}

/** Scores of every step from a fresh predictor with `blockItems` items per matMul. */
async function scoresOf(net: SequenceNet, blockItems: number, act: ((x: tf.Tensor) => tf.Tensor) | null): Promise<Float32Array[]> {
  const predictor = new NeuralPredictor(net, N_ITEMS, act, blockItems);
  try {
    const out: Float32Array[] = [];
    for (const batch of steps) out.push((await predictor.step(batch, true)) as Float32Array);
    return out;
  } finally {
    predictor.dispose();
  }
}

function ranksOf(scores: Float32Array[]): number[][] {
  const counts: TargetCounts = { greater: 0, equal: 0 };
  return scores.map((s, i) =>
    Array.from((steps[i] as Batch).targetIds, (target, r) => {
      countAroundTarget(s, r * N_ITEMS, N_ITEMS, target, counts);
      return counts.greater * 1000 + counts.equal;
    }),
  );
}

describe('NeuralPredictor block scoring', () => {
  for (const [name, make, act] of [
    ['GRU4Rec (linear)', gru4rec, null],
    ['HRNN (tanh)', hrnn, (x: tf.Tensor) => tf.tanh(x)],
  ] as const) {
    it(`${name}: blocks of 1, 5 and 7 items give the single-matMul scores and ranks`, async () => {
      const net = make();
      const whole = await scoresOf(net, SCORE_BLOCK, act);
      expect(whole.map((s) => s.length)).toEqual([3 * N_ITEMS, 3 * N_ITEMS, 2 * N_ITEMS]);
      for (const block of [1, 5, 7]) {
        const chunked = await scoresOf(net, block, act);
        chunked.forEach((s, i) => {
          const ref = whole[i] as Float32Array;
          expect(s.length).toBe(ref.length);
          s.forEach((v, j) => expect(v).toBeCloseTo(ref[j] as number, 6));
        });
        expect(ranksOf(chunked)).toEqual(ranksOf(whole));
      }
    });
  }

  it('scores only the scored rows (replayed history rows stay 0), single matMul and blocks alike', async () => {
    const net = hrnn();
    const whole = await scoresOf(net, SCORE_BLOCK, null);
    for (const block of [SCORE_BLOCK, 5]) {
      const predictor = new NeuralPredictor(net, N_ITEMS, null, block);
      await predictor.step(steps[0] as Batch, true);
      const second = { ...(steps[1] as Batch), scored: Uint8Array.of(1, 0, 1) };
      const scores = (await predictor.step(second, true)) as Float32Array;
      predictor.dispose();
      const ref = whole[1] as Float32Array;
      for (const r of [0, 2]) Array.from(scores.subarray(r * N_ITEMS, (r + 1) * N_ITEMS)).forEach((v, j) => expect(v).toBeCloseTo(ref[r * N_ITEMS + j] as number, 6));
      expect(Array.from(scores.subarray(N_ITEMS, 2 * N_ITEMS))).toEqual(new Array<number>(N_ITEMS).fill(0));
    }
  });

  it('keeps only its output blocks between steps and releases everything on dispose', async () => {
    const net = hrnn();
    const before = tf.memory().numTensors;
    const predictor = new NeuralPredictor(net, N_ITEMS, (x) => tf.tanh(x), 5);
    await predictor.step(steps[0] as Batch, true);
    const resident = tf.memory().numTensors;
    await predictor.step({ ...(steps[1] as Batch), scored: Uint8Array.of(0, 1, 1) }, true);
    await predictor.step(steps[2] as Batch, false);
    expect(tf.memory().numTensors).toBe(resident);
    predictor.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gru4recSchema } from '../../src/config/neural-schema.js';
import { Gru4recNet } from '../../src/models/gru4rec.js';
import { NeuralPredictor } from '../../src/models/neural-predictor.js';
import { trainStep } from '../../src/models/session-step.js';
import { initBackend } from '../../src/util/backend.js';
import { Rng } from '../../src/util/rng.js';
import { addBias, gruRef, makeBatch, matmul, param, scoresRef, setPatternWeights, type Mat } from '../train/helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const N_ITEMS = 5;
const H = 3;

function net(embedding: 'onehot' | 'constrained' | 'separate'): Gru4recNet {
  const cfg = gru4recSchema.parse({ type: 'gru4rec', layers: [H], embedding, embeddingDim: 2, nSample: 0 });
  const n = Gru4recNet.create(cfg, N_ITEMS, new Rng(1));
  setPatternWeights(n.store);
  return n;
}

/** Layer-0 input projection of the reference: a row of in.W (onehot) or emb row x in.W, plus in.b. */
function inputProjection(n: Gru4recNet, mode: string, items: number[]): Mat {
  const bias = param(n.store, 'in.b')[0] as number[];
  if (mode === 'onehot') return addBias(items.map((i) => param(n.store, 'in.W')[i] as number[]), bias);
  const table = param(n.store, mode === 'separate' ? 'in.E' : 'out.W');
  return addBias(matmul(items.map((i) => table[i] as number[]), param(n.store, 'in.W')), bias);
}

const close = (actual: ArrayLike<number>, expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
};

describe('GRU4Rec step (hand-set weights vs the formulas of spec 2.2 in plain JS)', () => {
  for (const mode of ['onehot', 'constrained', 'separate'] as const) {
    it(`${mode}: two eval steps, the second resets row 1 (new session), scores = h W^T + b`, async () => {
      const n = net(mode);
      const predictor = new NeuralPredictor(n, N_ITEMS, null);
      const u = param(n.store, 'gru0.U');
      const zero: Mat = [
        [0, 0, 0],
        [0, 0, 0],
      ];
      const h1 = gruRef(inputProjection(n, mode, [1, 3]), zero, u);
      await predictor.step(makeBatch({ inputIds: [1, 3], targetIds: [2, 4], sessionStart: [1, 1] }), false);
      // Row 0 continues its session from h1[0]; row 1 starts a new session from zeros.
      const h2 = gruRef(inputProjection(n, mode, [2, 0]), [h1[0] as number[], [0, 0, 0]], u);
      const scores = await predictor.step(makeBatch({ inputIds: [2, 0], targetIds: [4, 1], sessionStart: [0, 1] }), true);
      predictor.dispose();
      close(scores as Float32Array, scoresRef(h2, param(n.store, 'out.W'), param(n.store, 'out.b')).flat());
    });
  }

  it('the training step computes the same next state as the formulas (no dropout)', () => {
    const n = net('constrained');
    const batch = makeBatch({ inputIds: [1, 3], targetIds: [2, 4], sessionStart: [0, 0] });
    const prev: Mat = [
      [0.1, -0.2, 0.3],
      [0.4, 0.0, -0.5],
    ];
    const out = trainStep(n, {
      batch,
      lanes: [Float32Array.from(prev.flat())],
      cols: batch.targetIds,
      logQ: null,
      logQWeight: 0,
      loss: 'cross-entropy',
      batchSize: batch.size,
      bpreg: 0,
      finalAct: undefined,
      masks: null,
    });
    close(out.lanes[0] as Float32Array, gruRef(inputProjection(n, 'constrained', [1, 3]), prev, param(n.store, 'gru0.U')).flat());
    // Cross-entropy over the in-batch columns [2, 4], by hand from the reference scores.
    const h = gruRef(inputProjection(n, 'constrained', [1, 3]), prev, param(n.store, 'gru0.U'));
    const s = scoresRef(h, param(n.store, 'out.W'), param(n.store, 'out.b'));
    const rowLoss = (r: number, target: number, other: number): number => {
      const row = s[r] as number[];
      return -Math.log(Math.exp(row[target] as number) / (Math.exp(row[target] as number) + Math.exp(row[other] as number)));
    };
    expect(out.loss).toBeCloseTo((rowLoss(0, 2, 4) + rowLoss(1, 4, 2)) / 2, 5);
    // constrained: out.W gets one merged sparse gradient (input rows 1,3 + output rows 2,4).
    const w = out.grads.find((g) => g.param === 'out.W');
    expect(Array.from(w?.rows ?? [])).toEqual([1, 3, 2, 4]);
  });

  it('logQ: the step minimises cross-entropy over s - w log q, and the bias gradient is (p - target) / B', () => {
    const n = net('constrained');
    const batch = makeBatch({ inputIds: [1, 3], targetIds: [2, 4], sessionStart: [1, 1] });
    const cols = Int32Array.from([2, 4, 0]);
    const logQ = [-1, -2, -0.5];
    const out = trainStep(n, {
      batch,
      lanes: [new Float32Array(2 * H)],
      cols,
      logQ: Float32Array.from(logQ),
      logQWeight: 0.5,
      loss: 'cross-entropy',
      batchSize: batch.size,
      bpreg: 0,
      finalAct: undefined,
      masks: null,
    });
    const h = gruRef(inputProjection(n, 'constrained', [1, 3]), [new Array(H).fill(0), new Array(H).fill(0)], param(n.store, 'gru0.U'));
    const all = scoresRef(h, param(n.store, 'out.W'), param(n.store, 'out.b'));
    const probs = all.map((row) => {
      const z = Array.from(cols, (item, c) => (row[item] as number) - 0.5 * (logQ[c] as number));
      const sum = z.reduce((acc, v) => acc + Math.exp(v), 0);
      return z.map((v) => Math.exp(v) / sum);
    });
    expect(out.loss).toBeCloseTo(-(Math.log(probs[0]![0]!) + Math.log(probs[1]![1]!)) / 2, 5);
    const bias = out.grads.find((g) => g.param === 'out.b');
    expect(Array.from(bias?.rows ?? [])).toEqual([2, 4, 0]);
    close(bias?.grad ?? [], [0, 1, 2].map((c) => (probs[0]![c]! + probs[1]![c]! - 1 * Number(c < 2)) / 2));
  });

  it('cell reset-after: a recurrent bias gru0.bh, the PyTorch GRUCell state, and a gradient for bh', () => {
    const cfg = gru4recSchema.parse({ type: 'gru4rec', layers: [H], cell: 'reset-after', nSample: 0 });
    const n = Gru4recNet.create(cfg, N_ITEMS, new Rng(1));
    setPatternWeights(n.store);
    expect(n.store.spec('gru0.bh').shape).toEqual([3 * H]);
    const batch = makeBatch({ inputIds: [1, 3], targetIds: [2, 4], sessionStart: [0, 0] });
    const prev: Mat = [
      [0.1, -0.2, 0.3],
      [0.4, 0.0, -0.5],
    ];
    const stepInput = { batch, lanes: [Float32Array.from(prev.flat())], cols: batch.targetIds, logQ: null, logQWeight: 0 };
    const out = trainStep(n, { ...stepInput, loss: 'cross-entropy', batchSize: 2, bpreg: 0, finalAct: undefined, masks: null });
    // PyTorch form in plain JS: r, z = s(x + hU + bh); n = tanh(x_n + r * (hU_n + bh_n)); h' = h + z (n - h).
    const x = inputProjection(n, 'constrained', [1, 3]);
    const hu = addBias(matmul(prev, param(n.store, 'gru0.U')), param(n.store, 'gru0.bh')[0] as number[]);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const expected = prev.map((h, i) =>
      h.map((hk, k) => {
        const at = (j: number) => (x[i]![j] as number) + (j < 2 * H ? (hu[i]![j] as number) : 0);
        const r = sig(at(k));
        const z = sig(at(H + k));
        const cand = Math.tanh((x[i]![2 * H + k] as number) + r * (hu[i]![2 * H + k] as number));
        return hk + z * (cand - hk);
      }),
    );
    close(out.lanes[0] as Float32Array, expected.flat());
    const bh = out.grads.find((g) => g.param === 'gru0.bh');
    expect(bh?.grad.length).toBe(3 * H);
    expect(Array.from(bh?.grad ?? []).some((v) => v !== 0)).toBe(true);
  });

  it('keeps no tensor across training and evaluation steps', async () => {
    const n = net('onehot');
    const batch = makeBatch({ inputIds: [1, 3], targetIds: [2, 4], sessionStart: [1, 0] });
    const input = { batch, lanes: [new Float32Array(6)], cols: Int32Array.from([2, 4, 0]), logQ: Float32Array.from([-1, -2, -3]), logQWeight: 1 };
    const run = (): void => {
      trainStep(n, { ...input, loss: 'cross-entropy', batchSize: 2, bpreg: 1, finalAct: undefined, masks: new Map([['hidden0', new Float32Array(6).fill(2)]]) });
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    const predictor = new NeuralPredictor(n, N_ITEMS, null);
    await predictor.step(batch, true);
    const evalBefore = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await predictor.step(makeBatch({ inputIds: [2], targetIds: [1], sessionStart: [0], ...(i === 0 ? { keepRows: [1] } : {}) }), i % 2 === 0);
    }
    expect(tf.memory().numTensors).toBe(evalBefore);
    predictor.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

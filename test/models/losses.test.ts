import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { finalActivation, rankingLoss, type LossName } from '../../src/models/losses.js';
import { initBackend } from '../../src/util/backend.js';

/** Independent float64 versions of spec 2.5 on a score matrix (row i's target is column i). */
const sig = (v: number) => 1 / (1 + Math.exp(-v));
function softmax(row: number[], skip = -1): number[] {
  const e = row.map((v, j) => (j === skip ? 0 : Math.exp(v)));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}
function referenceLoss(name: LossName, raw: number[][], act: (v: number) => number, bpreg = 0): number {
  const rowLoss = raw.map((rawRow, i) => {
    const r = name === 'cross-entropy' ? rawRow : rawRow.map(act);
    const ri = r[i] as number;
    const c = r.length;
    switch (name) {
      case 'cross-entropy':
        return -Math.log((softmax(r)[i] as number) + 1e-24);
      case 'bpr':
        return -r.reduce((a, rj) => a + Math.log(sig(ri - rj)), 0);
      case 'top1':
        return r.reduce((a, rj) => a + sig(rj - ri) + sig(rj * rj), 0) / c - sig(ri * ri) / c;
      case 'top1-max': {
        const s = softmax(r, i);
        return r.reduce((a, rj, j) => a + (s[j] as number) * (sig(rj - ri) + sig(rj * rj)), 0);
      }
      case 'bpr-max': {
        const s = softmax(r, i);
        const inner = r.reduce((a, rj, j) => a + (s[j] as number) * sig(ri - rj), 0);
        return -Math.log(inner + 1e-24) + bpreg * r.reduce((a, rj, j) => a + (s[j] as number) * rj * rj, 0);
      }
    }
  });
  return rowLoss.reduce((a, b) => a + b, 0) / raw.length;
}

const scores = [
  [0.5, -0.2, 1.0],
  [0.3, 0.8, -0.6],
];
const lossOf = (name: LossName, opts: { bpreg?: number; finalAct?: string } = {}) =>
  tf.tidy(() =>
    rankingLoss(name, tf.tensor2d(scores), {
      bpreg: opts.bpreg ?? 0,
      finalAct: opts.finalAct,
      batchSize: scores.length,
    }).dataSync()[0] as number,
  );

describe('rankingLoss', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('cross-entropy by hand: softmax over all columns', () => {
    // row 0: e^0.5 = 1.648721, e^-0.2 = 0.818731, e^1 = 2.718282, sum 5.185734 -> p0 = 0.317934, -log = 1.145911
    // row 1: e^0.3 = 1.349859, e^0.8 = 2.225541, e^-0.6 = 0.548812, sum 4.124212 -> p1 = 0.539628, -log = 0.616875
    // (1.145911 + 0.616875) / 2 = 0.881393
    expect(lossOf('cross-entropy')).toBeCloseTo(0.881393, 5);
  });

  it('top1 by hand with the default tanh', () => {
    // row 0, tanh: [0.462117, -0.197375, 0.761594], r0 = 0.462117
    //  s(r_j - r0): 0.5, s(-0.659492) = 0.340852, s(0.299477) = 0.574316 -> 1.415168
    //  s(r_j^2): s(0.213552) = 0.553185, s(0.038957) = 0.509738, s(0.580026) = 0.641071 -> 1.703994
    //  (1.415168 + 1.703994) / 3 - 0.553185 / 3 = 1.039721 - 0.184395 = 0.855326
    const expected = referenceLoss('top1', scores, Math.tanh);
    expect(referenceLoss('top1', [scores[0] as number[]], Math.tanh)).toBeCloseTo(0.855326, 5);
    expect(lossOf('top1')).toBeCloseTo(expected, 5);
  });

  it.each<[LossName, string | undefined, number, (v: number) => number]>([
    ['bpr', undefined, 0, Math.tanh],
    ['bpr', 'linear', 0, (v) => v],
    ['top1-max', undefined, 0, (v) => v],
    ['bpr-max', undefined, 0, (v) => v],
    ['bpr-max', 'elu-0.5', 1, (v) => (v > 0 ? v : 0.5 * (Math.exp(v) - 1))],
    ['bpr-max', 'leaky-0.1', 0.5, (v) => (v > 0 ? v : 0.1 * v)],
    ['top1-max', 'relu', 0, (v) => Math.max(v, 0)],
  ])('%s with final activation %s and bpreg %d matches the plain-JS formula', (name, act, bpreg, fn) => {
    expect(lossOf(name, { finalAct: act, bpreg })).toBeCloseTo(referenceLoss(name, scores, fn, bpreg), 5);
  });

  it('bpr sums over columns (log 2 diagonal included) per row', () => {
    // linear, row 0: -log s(0) - log s(0.7) - log s(-0.5) = 0.693147 + 0.403186 + 0.974077 = 2.070410
    expect(referenceLoss('bpr', [scores[0] as number[]], (v) => v)).toBeCloseTo(2.07041, 5);
  });

  /** Gradient of the tf loss w.r.t. the scores vs central differences of the float64 reference. */
  function expectFiniteDifferences(name: LossName, finalAct: string | undefined, act: (v: number) => number): void {
    const grad = tf.tidy(() =>
      tf.grad((s: tf.Tensor) => rankingLoss(name, s as tf.Tensor2D, { bpreg: 1, finalAct, batchSize: scores.length }))(
        tf.tensor2d(scores),
      ).arraySync() as number[][],
    );
    const h = 1e-5;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const plus = scores.map((row, a) => row.map((v, b) => (a === i && b === j ? v + h : v)));
        const minus = scores.map((row, a) => row.map((v, b) => (a === i && b === j ? v - h : v)));
        const numeric = (referenceLoss(name, plus, act, 1) - referenceLoss(name, minus, act, 1)) / (2 * h);
        expect(grad[i]?.[j]).toBeCloseTo(numeric, 3);
      }
    }
  }

  it('bpr-max gradient agrees with finite differences of the reference', () => {
    expectFiniteDifferences('bpr-max', 'elu-1', (v) => (v > 0 ? v : Math.exp(v) - 1));
  });

  it('divides the sum over rows by the configured batch size, not by the rows present', () => {
    // Two rows of a batch configured for 8 (the end of an epoch): a quarter of the two-row mean.
    for (const name of ['cross-entropy', 'top1', 'bpr-max'] as const) {
      const sum = tf.tidy(() => rankingLoss(name, tf.tensor2d(scores), { bpreg: 1, batchSize: 1 }).dataSync()[0] as number);
      const ofEight = tf.tidy(() => rankingLoss(name, tf.tensor2d(scores), { bpreg: 1, batchSize: 8 }).dataSync()[0] as number);
      expect(ofEight).toBeCloseTo(sum / 8, 6);
      expect(sum).toBeCloseTo(referenceLoss(name, scores, name === 'top1' ? Math.tanh : (v) => v, 1) * scores.length, 4);
    }
  });

  it('top1 (hand-written gradient) agrees with finite differences of the reference, with tanh and linear', () => {
    expectFiniteDifferences('top1', undefined, Math.tanh);
    expectFiniteDifferences('top1', 'linear', (v) => v);
  });

  it('cross-entropy (hand-written gradient) agrees with finite differences of the reference', () => {
    // closed form for row 0, column 1: p_01 / B = 0.818731 / 5.185734 / 2 = 0.078941
    expectFiniteDifferences('cross-entropy', undefined, (v) => v);
  });

  it('finalActivation: softmax for cross-entropy, errors on an unknown name', () => {
    const p = tf.tidy(() => finalActivation('cross-entropy')(tf.tensor1d([0, Math.log(3)])).dataSync());
    expect([...p].map((v) => +v.toFixed(6))).toEqual([0.25, 0.75]);
    expect(() => finalActivation('bpr-max', 'selu-1')).toThrow(/unknown final activation 'selu-1'/);
  });
});

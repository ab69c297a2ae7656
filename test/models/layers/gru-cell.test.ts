import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gruStep } from '../../../src/models/layers/gru-cell.js';
import { initBackend } from '../../../src/util/backend.js';

/**
 * Independent plain-JS GRU written from the spec's formula (papers.md 2.2 / 1.2):
 * r = s(x W_r + b_r + h U_r + e_r), z = s(x W_z + b_z + h U_z + e_z),
 * h~ = tanh(x W_h + b_h + (r*h) U_h), h' = (1-z) h + z h~.
 * Matrices are row-major number[][]; W [3, 6] and U [2, 6] hold the blocks (r, z, h) of width 2.
 */
function referenceGru(x: number[][], w: number[][], b: number[], h: number[][], u: number[][], extra?: number[][]): number[][] {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const col = (m: number[][], row: number[], j: number) => row.reduce((acc, v, k) => acc + v * (m[k] as number[])[j]!, 0);
  return x.map((xi, i) => {
    const hi = h[i] as number[];
    const pre = (j: number) => col(w, xi, j) + (b[j] as number);
    const r = [0, 1].map((j) => sig(pre(j) + col(u, hi, j) + (extra?.[i]?.[j] ?? 0)));
    const z = [0, 1].map((j) => sig(pre(2 + j) + col(u, hi, 2 + j) + (extra?.[i]?.[2 + j] ?? 0)));
    const rh = hi.map((v, k) => v * (r[k] as number));
    const cand = [0, 1].map((j) => Math.tanh(pre(4 + j) + col(u, rh, 4 + j)));
    return hi.map((v, k) => (1 - (z[k] as number)) * v + (z[k] as number) * (cand[k] as number));
  });
}

const x = [[1, 0, 2], [0, 1, -1]];
const w = [
  [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
  [-0.1, 0.0, 0.2, -0.3, 0.1, 0.2],
  [0.05, -0.05, 0.1, 0.0, -0.2, 0.3],
];
const b = [0, 0.1, 0, -0.1, 0.2, 0];
const h = [[0.5, -0.5], [0, 1]];
const u = [
  [0.2, -0.1, 0.3, 0.1, 0.4, -0.2],
  [0.0, 0.1, -0.2, 0.2, 0.1, 0.3],
];

function run(extra?: number[][]): number[] {
  return tf.tidy(() => {
    const xProj = tf.add(tf.matMul(tf.tensor2d(x), tf.tensor2d(w)), tf.tensor1d(b)) as tf.Tensor2D;
    const e = extra ? tf.tensor2d(extra) : undefined;
    return Array.from(gruStep(xProj, tf.tensor2d(h), tf.tensor2d(u), e).dataSync());
  });
}

describe('gruStep', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('matches the hand computation for one entry', () => {
    // Row 0, unit 0.  xW+b: r0 = 1*0.1 + 0*(-0.1) + 2*0.05 + 0 = 0.2; z0 = 0.3 + 0 + 0.2 + 0 = 0.5;
    //   h0 = 0.5 + 0 - 0.4 + 0.2 = 0.3.   hU with h = [0.5, -0.5]: r0 += 0.5*0.2 - 0.5*0 = 0.1;
    //   z0 += 0.5*0.3 - 0.5*(-0.2) = 0.25.  r0 = s(0.3) = 0.574443, z0 = s(0.75) = 0.679179;
    //   r1 = s(0.1 + 0.1 + 0.5*(-0.1) - 0.5*0.1) = s(0.1) = 0.524979, so r*h = [0.287221, -0.262490];
    //   cand0 = tanh(0.3 + 0.287221*0.4 - 0.262490*0.1) = tanh(0.388640) = 0.370187;
    //   h'0 = (1 - 0.679179)*0.5 + 0.679179*0.370187 = 0.160411 + 0.251423 = 0.411834
    expect(run()[0]).toBeCloseTo(0.411834, 5);
  });

  it('matches an independent plain-JS GRU on all entries, with and without a gate term', () => {
    const expected = referenceGru(x, w, b, h, u).flat();
    run().forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    // The extra term's candidate block (columns 4, 5) must be ignored: 9 would saturate tanh.
    const extra = [[0.3, -0.2, 0.1, 0.5, 9, 9], [-0.4, 0.2, 0, -0.3, 9, 9]];
    const withExtra = referenceGru(x, w, b, h, u, extra).flat();
    run(extra).forEach((v, i) => expect(v).toBeCloseTo(withExtra[i] as number, 5));
    expect(withExtra[0]).not.toBeCloseTo(expected[0] as number, 3);
  });

  it('has no tensors left after a tidy', () => {
    run();
    const before = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(before);
  });
});

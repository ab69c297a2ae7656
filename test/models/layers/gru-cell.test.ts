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
function referenceGru(x: number[][], w: number[][], b: number[], h: number[][], u: number[][], extra?: number[][], bh?: number[]): number[][] {
  return referenceCell(x.map((xi) => w[0]!.map((_, j) => col(w, xi, j) + (b[j] as number))), h, u, extra, bh);
}

const col = (m: number[][], row: number[], j: number) => row.reduce((acc, v, k) => acc + v * (m[k] as number[])[j]!, 0);

/**
 * The cell from its pre-projected input xp [B, 6] (units 2). Without bh: reset-before as above.
 * With bh (reset-after, PyTorch's GRUCell): r, z also add bh_r, bh_z, and
 * h~ = tanh(xp_h + r * (h U_h + bh_h)).
 */
function referenceCell(xp: number[][], h: number[][], u: number[][], extra?: number[][], bh?: number[]): number[][] {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  return xp.map((pre, i) => {
    const hi = h[i] as number[];
    const rec = (row: number[], j: number) => col(u, row, j) + (bh?.[j] ?? 0);
    const r = [0, 1].map((j) => sig((pre[j] as number) + rec(hi, j) + (extra?.[i]?.[j] ?? 0)));
    const z = [0, 1].map((j) => sig((pre[2 + j] as number) + rec(hi, 2 + j) + (extra?.[i]?.[2 + j] ?? 0)));
    const rh = hi.map((v, k) => v * (r[k] as number));
    const cand = [0, 1].map((j) => Math.tanh((pre[4 + j] as number) + (bh ? (r[j] as number) * rec(hi, 4 + j) : col(u, rh, 4 + j))));
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
    return Array.from(gruStep(xProj, tf.tensor2d(h), tf.tensor2d(u), { gateExtra: e }).dataSync());
  });
}

/**
 * Gradients of L = sum(h' * g) w.r.t. xProj, h, u, (bh), extra from the cell, against central
 * differences (step 1e-3) of the float64 plain-JS cell. g weights every output differently.
 */
function checkGradients(cell: 'reset-before' | 'reset-after'): void {
  const inputs: Record<string, number[][]> = {
    xp: [[0.3, -0.2, 0.5, 0.1, -0.4, 0.2], [-0.1, 0.4, 0.0, -0.3, 0.6, -0.5]],
    h,
    u,
    ...(cell === 'reset-after' ? { bh: [[0.1, -0.2, 0.05, 0.3, -0.1, 0.2]] } : {}),
    extra: [[0.3, -0.2, 0.1, 0.5, 9, 9], [-0.4, 0.2, 0, -0.3, 9, 9]],
  };
  const g = [[1, -2], [0.5, 3]];
  const loss = (p: Record<string, number[][]>) =>
    referenceCell(p.xp!, p.h!, p.u!, p.extra, p.bh?.[0]).reduce((acc, row, i) => acc + row.reduce((a, v, k) => a + v * g[i]![k]!, 0), 0);
  const names = Object.keys(inputs);
  const got = tf.tidy(() => {
    const f = (...ts: tf.Tensor[]) => {
      const [tx, th, tu] = ts as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const rest = ts.slice(3);
      const opts = cell === 'reset-after' ? { cell, recurrentBias: rest[0], gateExtra: rest[1] as tf.Tensor2D } : { cell, gateExtra: rest[0] as tf.Tensor2D };
      return tf.sum(tf.mul(gruStep(tx, th, tu, opts), tf.tensor2d(g))) as tf.Scalar;
    };
    return tf.grads(f)(names.map((n) => tf.tensor2d(inputs[n]!))).map((t) => Array.from(t.dataSync()));
  });
  names.forEach((name, n) => {
    const m = inputs[name]!;
    const cols = m[0]!.length;
    m.flat().forEach((_, idx) => {
      const at = (delta: number) => {
        const moved = m.map((row) => row.slice());
        moved[Math.floor(idx / cols)]![idx % cols]! += delta;
        return loss({ ...inputs, [name]: moved });
      };
      const numeric = (at(1e-3) - at(-1e-3)) / 2e-3;
      expect(got[n]![idx], `${cell} d${name}[${idx}]`).toBeCloseTo(numeric, 4);
    });
  });
  // The extra term's candidate columns do not enter the cell: no gradient.
  expect(got[names.length - 1]![4]).toBe(0);
}

describe('gruStep', () => {
  // Loading a backend can take seconds on a busy machine.
  beforeAll(async () => {
    await initBackend('cpu');
  }, 60_000);

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

  it('reset-after matches an independent plain-JS PyTorch-style cell', () => {
    const bh = [0.1, -0.2, 0.05, 0.3, -0.1, 0.2];
    const expected = referenceGru(x, w, b, h, u, undefined, bh).flat();
    const got = tf.tidy(() => {
      const xProj = tf.add(tf.matMul(tf.tensor2d(x), tf.tensor2d(w)), tf.tensor1d(b)) as tf.Tensor2D;
      const out = gruStep(xProj, tf.tensor2d(h), tf.tensor2d(u), { cell: 'reset-after', recurrentBias: tf.tensor1d(bh) });
      return Array.from(out.dataSync());
    });
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    // The forms differ: with bh = 0 they would still differ, as r scales h U_n instead of h.
    expect(got[0]).not.toBeCloseTo(referenceGru(x, w, b, h, u).flat()[0] as number, 3);
  });

  it('refuses a recurrent bias without reset-after and reset-after without one', () => {
    tf.tidy(() => {
      const t = tf.zeros([2, 6]) as tf.Tensor2D;
      const s = tf.zeros([2, 2]) as tf.Tensor2D;
      const uu = tf.zeros([2, 6]) as tf.Tensor2D;
      expect(() => gruStep(t, s, uu, { recurrentBias: tf.zeros([6]) })).toThrow(/reset-after only/);
      expect(() => gruStep(t, s, uu, { cell: 'reset-after' })).toThrow(/reset-after only/);
    });
  });

  for (const cell of ['reset-before', 'reset-after'] as const) {
    it(`${cell}: gradients equal central differences of the plain-JS cell`, () => {
      checkGradients(cell);
    });
  }

  it('has no tensors left after a tidy', () => {
    run();
    const before = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(before);
  });
});

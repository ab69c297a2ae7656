import * as tf from '@tensorflow/tfjs-core';
import { matMulFast } from '../../util/tf-kernels.js';

/**
 * One step of a GRU (no BPTT: h is a constant of the step's graph). Two forms, both with sigmoid
 * gates and a tanh candidate; blocks (r, z, n) of width H:
 * - 'reset-before' (Theano GRU4Rec, HGRU4Rec; Cho et al. 2014): the reset gate scales the state
 *   before the recurrent product:  n = tanh(xProj_n + (r * h) U_n)
 * - 'reset-after' (PyTorch's GRUCell, used by the official PyTorch GRU4Rec's embedding modes): it
 *   scales the recurrent product, which has its own bias bh:  n = tanh(xProj_n + r * (h U_n + bh_n))
 * In both: [r, z] = sigmoid(xProj_rz + h U_rz (+ bh_rz) (+ extra_rz)),  h' = (1 - z) * h + z * n.
 * (PyTorch writes h' = (1 - z) n + z h: the same cell with z mirrored, equivalent under learning.)
 *
 * Shapes: xProj [B, 3H] (x W, + b unless inputBias is given); h [B, H]; u [H, 3H]; bh [3H]
 * (reset-after only); gateExtra [B, 3H]: added to the r and z pre-activations only (HGRU4Rec
 * "All": [c V_rz, 0]), its candidate block is ignored. Returns h' [B, H]. Runs inside the caller's tidy.
 *
 * Measured (wasm, 2 cores): a fused variant computing the gates and their gradients in JS under
 * one tf.customGrad cut the HRNN step from 354 to 144 kernels but ran 20-40% slower (the matrix
 * products and the copies in and out of the wasm heap dominate, not kernel launches), so the
 * cell stays on tf ops and autodiff.
 */
export type GruCellForm = 'reset-before' | 'reset-after';

export interface GruStepOptions {
  cell?: GruCellForm;
  /** Recurrent bias [3H] of 'reset-after' (required there, refused in 'reset-before'). */
  recurrentBias?: tf.Tensor;
  gateExtra?: tf.Tensor2D;
  /** Input bias [3H] added to xProj. */
  inputBias?: tf.Tensor;
  /** Dropout mask [B * H] (0 or 1/keep) applied to h'. */
  outputMask?: Float32Array;
}

export function gruStep(xProj: tf.Tensor2D, h: tf.Tensor2D, u: tf.Tensor2D, opts: GruStepOptions = {}): tf.Tensor2D {
  const cell = opts.cell ?? 'reset-before';
  if ((cell === 'reset-after') !== (opts.recurrentBias !== undefined)) {
    throw new Error(`gruStep: a recurrent bias goes with reset-after only (cell ${cell})`);
  }
  const [batch, units] = h.shape;
  const x = opts.inputBias ? tf.add(xProj, tf.reshape(opts.inputBias, [1, -1])) : xProj;
  // h @ u over all three blocks saves slicing u (slices are JS copies on wasm); the candidate
  // block of `pre` (and of gateExtra) is computed but unused.
  let hu: tf.Tensor = matMulFast(h, u);
  if (opts.recurrentBias) hu = tf.add(hu, tf.reshape(opts.recurrentBias, [1, -1]));
  let pre = tf.add(x, hu);
  if (opts.gateExtra) pre = tf.add(pre, opts.gateExtra);
  const gates = tf.sigmoid(pre);
  const r = tf.slice(gates, [0, 0], [batch, units]);
  const z = tf.slice(gates, [0, units], [batch, units]);
  const recurrent =
    cell === 'reset-after'
      ? tf.mul(r, tf.slice(hu, [0, 2 * units], [batch, units]))
      : matMulFast(tf.mul(r, h) as tf.Tensor2D, tf.slice(u, [0, 2 * units], [units, units]));
  const candidate = tf.tanh(tf.add(tf.slice(x, [0, 2 * units], [batch, units]), recurrent));
  const out = tf.add(h, tf.mul(z, tf.sub(candidate, h))) as tf.Tensor2D;
  return opts.outputMask ? (tf.mul(out, tf.tensor2d(opts.outputMask, [batch, units])) as tf.Tensor2D) : out;
}

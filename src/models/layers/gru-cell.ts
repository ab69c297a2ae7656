import * as tf from '@tensorflow/tfjs-core';
import { matMulFast } from '../../util/tf-kernels.js';

/**
 * One step of the GRU of GRU4Rec / HGRU4Rec (Hidasi et al. 2016, Quadrana et al. 2017), in the
 * reset-before form where the reset gate scales the state before U_h:
 *   [r, z] = sigmoid(xProj_rz + h U_rz + extra_rz)
 *   h~     = tanh(xProj_h + (r * h) U_h)
 *   h'     = (1 - z) * h + z * h~          (computed as h + z * (h~ - h))
 * Sigmoid (not hardSigmoid) gates and a tanh candidate, as the reference code.
 *
 * xProj [B, 3H]: the input projection x W + b, column blocks (r, z, candidate).
 * h [B, H]: previous state (a constant: no BPTT). u [H, 3H]: recurrent weights, blocks (r, z, candidate).
 * gateExtra [B, 3H], optional: added to the r and z pre-activations only; its candidate block is
 * ignored, as HGRU4Rec's "All" mode uses only the (r, z) blocks of its user term V.
 * Returns h' [B, H]. Runs inside the caller's tidy.
 */
export function gruStep(xProj: tf.Tensor2D, h: tf.Tensor2D, u: tf.Tensor2D, gateExtra?: tf.Tensor2D): tf.Tensor2D {
  const [batch, units] = h.shape;
  // h @ u over all three blocks saves slicing u (slices are JS copies on wasm); the candidate block
  // of `pre` (and of gateExtra) is computed but unused.
  let pre = tf.add(xProj, matMulFast(h, u));
  if (gateExtra) pre = tf.add(pre, gateExtra);
  const gates = tf.sigmoid(pre);
  const r = tf.slice(gates, [0, 0], [batch, units]);
  const z = tf.slice(gates, [0, units], [batch, units]);
  const uH = tf.slice(u, [0, 2 * units], [units, units]);
  const candidate = tf.tanh(tf.add(tf.slice(xProj, [0, 2 * units], [batch, units]), matMulFast(tf.mul(r, h), uH)));
  return tf.add(h, tf.mul(z, tf.sub(candidate, h)));
}

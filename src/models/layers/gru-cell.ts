import * as tf from '@tensorflow/tfjs-core';

/**
 * One step of a GRU. Two forms, both with sigmoid gates and a tanh candidate; blocks (r, z, n) of
 * width H:
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
 * The cell is one tf.customGrad with its gradient written out (below), not autodiff: about half
 * the kernels of the differentiated graph, and none for the state when it is a constant of the
 * step (no BPTT: the models say so with `constantState`). Kernel launches, not arithmetic,
 * dominate these small products on wasm.
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
  /** h needs no gradient (a constant of the step): skip its gradient. */
  constantState?: boolean;
}

export function gruStep(xProj: tf.Tensor2D, h: tf.Tensor2D, u: tf.Tensor2D, opts: GruStepOptions = {}): tf.Tensor2D {
  const cell = opts.cell ?? 'reset-before';
  if ((cell === 'reset-after') !== (opts.recurrentBias !== undefined)) {
    throw new Error(`gruStep: a recurrent bias goes with reset-after only (cell ${cell})`);
  }
  const x = opts.inputBias ? (tf.add(xProj, tf.reshape(opts.inputBias, [1, -1])) as tf.Tensor2D) : xProj;
  // Inputs in this order; the gradient returns one tensor per input, in the same order.
  const inputs: tf.Tensor[] = [x, u];
  if (opts.recurrentBias) inputs.push(opts.recurrentBias);
  if (opts.gateExtra) inputs.push(opts.gateExtra);
  if (!opts.constantState) inputs.push(h);
  const step = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const forward = cellForward(x, h, u, cell, opts.recurrentBias, opts.gateExtra);
    // Saved, not closed over: tensors made inside the differentiated function (h in HRNN) are
    // disposed before the gradient runs unless saved.
    save([h, u, forward.r, forward.z, forward.n, forward.recurrent]);
    return {
      value: forward.out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, su, r, z, n, recurrent] = saved as tf.Tensor2D[] as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        return cellBackward(dy as tf.Tensor2D, { h: sh, u: su, r, z, n, recurrent }, cell, opts);
      },
    };
  });
  const out = step(...inputs) as tf.Tensor2D;
  const [batch, units] = h.shape;
  return opts.outputMask ? (tf.mul(out, tf.tensor2d(opts.outputMask, [batch, units])) as tf.Tensor2D) : out;
}

interface Forward {
  out: tf.Tensor2D;
  r: tf.Tensor2D;
  z: tf.Tensor2D;
  n: tf.Tensor2D;
  /** reset-before: r * h; reset-after: h U_n + bh_n. */
  recurrent: tf.Tensor2D;
}

function cellForward(x: tf.Tensor2D, h: tf.Tensor2D, u: tf.Tensor2D, cell: GruCellForm, bh?: tf.Tensor, extra?: tf.Tensor2D): Forward {
  const [batch, units] = h.shape;
  // h @ u over all three blocks saves slicing u; the candidate block of `pre` (and of gateExtra)
  // is computed but unused.
  let hu: tf.Tensor = tf.matMul(h, u);
  if (bh) hu = tf.add(hu, tf.reshape(bh, [1, -1]));
  let pre = tf.add(x, hu);
  if (extra) pre = tf.add(pre, extra);
  const gates = tf.sigmoid(pre);
  const r = tf.slice(gates, [0, 0], [batch, units]) as tf.Tensor2D;
  const z = tf.slice(gates, [0, units], [batch, units]) as tf.Tensor2D;
  let recurrent: tf.Tensor2D;
  let candidatePre: tf.Tensor;
  if (cell === 'reset-after') {
    recurrent = tf.slice(hu, [0, 2 * units], [batch, units]) as tf.Tensor2D;
    candidatePre = tf.mul(r, recurrent);
  } else {
    recurrent = tf.mul(r, h) as tf.Tensor2D;
    candidatePre = tf.matMul(recurrent, tf.slice(u, [0, 2 * units], [units, units]) as tf.Tensor2D);
  }
  const n = tf.tanh(tf.add(tf.slice(x, [0, 2 * units], [batch, units]), candidatePre)) as tf.Tensor2D;
  const out = tf.add(h, tf.mul(z, tf.sub(n, h))) as tf.Tensor2D;
  return { out, r, z, n, recurrent };
}

interface Saved {
  h: tf.Tensor2D;
  u: tf.Tensor2D;
  r: tf.Tensor2D;
  z: tf.Tensor2D;
  n: tf.Tensor2D;
  recurrent: tf.Tensor2D;
}

/**
 * Gradients of h' w.r.t. the inputs of gruStep, in its input order. With a = the candidate's
 * pre-activation and dy = dL/dh':
 *   dn = dy z,  dz = dy (n - h),  da = dn (1 - n^2)
 *   reset-before: d(rh) = da U_n^T, dr = d(rh) h;  reset-after: dr = da (hU_n + bh_n), d(hU_n) = da r
 *   dr~ = dr r (1 - r),  dz~ = dz z (1 - z)  (pre-activation gradients)
 *   dx = [dr~, dz~, da];  d(hU) = [dr~, dz~, (reset-after: da r)];  dU = h^T d(hU) (+ (rh)^T da in block n)
 *   dbh = column sums of d(hU);  dextra = [dr~, dz~, 0]
 *   dh = dy (1 - z) + d(hU) U^T (+ reset-before: d(rh) r)
 * Products with a transposed operand are written with tf.transpose: wasm runs transposeA/B as a
 * scalar loop.
 */
function cellBackward(dy: tf.Tensor2D, s: Saved, cell: GruCellForm, opts: GruStepOptions): tf.Tensor[] {
  const [batch, units] = s.h.shape;
  const dn = tf.mul(dy, s.z);
  const dz = tf.mul(dy, tf.sub(s.n, s.h));
  const da = tf.mul(dn, tf.sub(1, tf.square(s.n))) as tf.Tensor2D;
  const uN = tf.slice(s.u, [0, 2 * units], [units, units]) as tf.Tensor2D;
  const dRh = cell === 'reset-before' ? (tf.matMul(da, tf.transpose(uN)) as tf.Tensor2D) : null;
  const dr = dRh ? tf.mul(dRh, s.h) : tf.mul(da, s.recurrent);
  const drPre = tf.mul(dr, tf.mul(s.r, tf.sub(1, s.r)));
  const dzPre = tf.mul(dz, tf.mul(s.z, tf.sub(1, s.z)));
  const dx = tf.concat([drPre, dzPre, da], 1);
  const hT = tf.transpose(s.h);
  let dHu: tf.Tensor2D;
  let du: tf.Tensor;
  if (cell === 'reset-after') {
    dHu = tf.concat([drPre, dzPre, tf.mul(da, s.r)], 1) as tf.Tensor2D;
    du = tf.matMul(hT, dHu);
  } else {
    dHu = tf.concat([drPre, dzPre], 1) as tf.Tensor2D;
    du = tf.concat([tf.matMul(hT, dHu), tf.matMul(tf.transpose(s.recurrent), da)], 1);
  }
  const grads: tf.Tensor[] = [dx, du];
  if (opts.recurrentBias) grads.push(tf.reshape(tf.sum(dHu, 0), opts.recurrentBias.shape));
  if (opts.gateExtra) grads.push(tf.concat([drPre, dzPre, tf.zeros([batch, units])], 1));
  if (!opts.constantState) {
    const uGates = cell === 'reset-after' ? s.u : tf.slice(s.u, [0, 0], [units, 2 * units]);
    let dh = tf.add(tf.mul(dy, tf.sub(1, s.z)), tf.matMul(dHu, tf.transpose(uGates)));
    if (dRh) dh = tf.add(dh, tf.mul(dRh, s.r));
    grads.push(dh);
  }
  return grads;
}

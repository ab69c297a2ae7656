import * as tf from '@tensorflow/tfjs-core';

/**
 * One step of a GRU, fused: the matrix products run as tf kernels, the gates and their gradients
 * in plain JS, under one hand-written gradient (tf.customGrad). On the CPU backends a step of
 * batch 50-64 x 100 units is bound by kernel launches, not FLOPs; autodiff of the element-wise
 * formula issued ~40 kernels per cell (slices, reshapes, identities of saved tensors), this issues
 * 1-2 forward and 2-3 backward. It reads tensor data synchronously, so it suits the cpu/wasm
 * backends only (the ones this project runs on).
 *
 * Two forms, both with sigmoid gates and a tanh candidate; blocks (r, z, n) of width H:
 * - 'reset-before' (Theano GRU4Rec, HGRU4Rec; Cho et al. 2014): the reset gate scales the state
 *   before the recurrent product:  n = tanh(xProj_n + (r * h) U_n)
 * - 'reset-after' (PyTorch's GRUCell, used by the official PyTorch GRU4Rec's embedding modes): it
 *   scales the recurrent product, which has its own bias bh:  n = tanh(xProj_n + r * (h U_n + bh_n))
 * In both: [r, z] = sigmoid(xProj_rz + h U_rz (+ bh_rz) (+ extra_rz)),  h' = (1 - z) * h + z * n.
 * (PyTorch writes h' = (1 - z) n + z h: the same cell with z mirrored, equivalent under learning.)
 *
 * Shapes: xProj [B, 3H] (x W + b); h [B, H]; u [H, 3H]; bh [3H] or [1, 3H] (reset-after only);
 * gateExtra [B, >= 2H]: added to the r and z pre-activations only (HGRU4Rec "All": c V_rz), any
 * further columns are ignored. Returns h' [B, H]. Runs inside the caller's tidy.
 */
export type GruCellForm = 'reset-before' | 'reset-after';

export interface GruStepOptions {
  cell?: GruCellForm;
  /** Recurrent bias of 'reset-after' (required there, refused in 'reset-before'). */
  recurrentBias?: tf.Tensor;
  gateExtra?: tf.Tensor2D;
  /** Whether h needs a gradient (false when h is a constant lane state: saves one product). */
  stateGrad?: boolean;
}

export function gruStep(xProj: tf.Tensor2D, h: tf.Tensor2D, u: tf.Tensor2D, opts: GruStepOptions = {}): tf.Tensor2D {
  const cell = opts.cell ?? 'reset-before';
  if ((cell === 'reset-after') !== (opts.recurrentBias !== undefined)) {
    throw new Error(`gruStep: a recurrent bias goes with reset-after only (cell ${cell})`);
  }
  const inputs: tf.Tensor[] = [xProj, h, u];
  if (opts.recurrentBias) inputs.push(opts.recurrentBias);
  if (opts.gateExtra) inputs.push(opts.gateExtra);
  const shape = { batch: h.shape[0], units: h.shape[1], extraWidth: opts.gateExtra?.shape[1] ?? 0 };
  const step = cell === 'reset-after' ? resetAfter : resetBefore;
  const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => step(args.slice(0, inputs.length) as tf.Tensor[], shape, opts.stateGrad !== false));
  return fused(...inputs) as tf.Tensor2D;
}

interface Shape {
  batch: number;
  units: number;
  extraWidth: number;
}

type Fused = { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor[] };

function read(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** Gate pre-activations [B, 3H]: xProj + hU (+ bias) (+ extra on r, z). Mutates and returns `hu`. */
function preActivations(x: Float32Array, hu: Float32Array, bias: Float32Array | null, extra: Float32Array | null, s: Shape): Float32Array {
  const width = 3 * s.units;
  for (let b = 0; b < s.batch; b++) {
    for (let j = 0; j < width; j++) {
      const i = b * width + j;
      let v = (hu[i] as number) + (bias ? (bias[j] as number) : 0);
      if (j < 2 * s.units) v += (x[i] as number) + (extra ? (extra[b * s.extraWidth + j] as number) : 0);
      hu[i] = v;
    }
  }
  return hu;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** r, z [B, H] from the pre-activations [B, 3H]. */
function gates(pre: Float32Array, s: Shape): { r: Float32Array; z: Float32Array } {
  const n = s.batch * s.units;
  const r = new Float32Array(n);
  const z = new Float32Array(n);
  for (let b = 0; b < s.batch; b++) {
    for (let k = 0; k < s.units; k++) {
      r[b * s.units + k] = sigmoid(pre[b * 3 * s.units + k] as number);
      z[b * s.units + k] = sigmoid(pre[b * 3 * s.units + s.units + k] as number);
    }
  }
  return { r, z };
}

/** Columns [from, from + width) of a row-major [rows, cols] matrix. */
function columns(m: Float32Array, rows: number, cols: number, from: number, width: number): Float32Array {
  const out = new Float32Array(rows * width);
  for (let i = 0; i < rows; i++) out.set(m.subarray(i * cols + from, i * cols + from + width), i * width);
  return out;
}

/** Transpose of a row-major [rows, cols] matrix. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j] as number;
  return out;
}

/** h' = h + z (n - h), and the element-wise backward of it: dz, dn, and dh through (1 - z). */
function blend(h: Float32Array, z: Float32Array, n: Float32Array): Float32Array {
  return h.map((hv, i) => hv + (z[i] as number) * ((n[i] as number) - hv));
}

/**
 * Gradient pieces common to both forms, per [b, k]: dPre_z = g (n - h) z (1 - z),
 * dPre_n = g z (1 - n^2), dh (direct) = g (1 - z).
 */
function blendBackward(g: Float32Array, h: Float32Array, z: Float32Array, n: Float32Array) {
  const dPz = new Float32Array(g.length);
  const dPn = new Float32Array(g.length);
  const dh = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) {
    const gi = g[i] as number;
    const zi = z[i] as number;
    const ni = n[i] as number;
    dPz[i] = gi * (ni - (h[i] as number)) * zi * (1 - zi);
    dPn[i] = gi * zi * (1 - ni * ni);
    dh[i] = gi * (1 - zi);
  }
  return { dPz, dPn, dh };
}

/** Gradient w.r.t. gateExtra [B, extraWidth]: the r, z pre-activation gradients, 0 elsewhere. */
function extraGrad(dPre: Float32Array, s: Shape): tf.Tensor {
  const out = new Float32Array(s.batch * s.extraWidth);
  for (let b = 0; b < s.batch; b++) out.set(dPre.subarray(b * 3 * s.units, b * 3 * s.units + 2 * s.units), b * s.extraWidth);
  return tf.tensor2d(out, [s.batch, s.extraWidth]);
}

/** dh = dPre @ u^T + direct, as a [B, H] tensor (zeros when h needs no gradient). */
function stateGradient(dPre: tf.Tensor2D, uT: () => tf.Tensor2D, direct: Float32Array, s: Shape, wanted: boolean): tf.Tensor {
  if (!wanted) return tf.zeros([s.batch, s.units]);
  const back = read(tf.matMul(dPre, uT()));
  return tf.tensor2d(back.map((v, i) => v + (direct[i] as number)), [s.batch, s.units]);
}

function resetAfter(inputs: tf.Tensor[], s: Shape, wantStateGrad: boolean): Fused {
  const [xProj, h, u, bh, extra] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor, tf.Tensor2D | undefined];
  const { batch, units } = s;
  const x = read(xProj);
  const hv = read(h);
  const bias = read(bh);
  // pre = xProj_rz + hU_rz + bh_rz (+ extra) on r, z; hU_n + bh_n (the "q" scaled by r) on n.
  const pre = preActivations(x, Float32Array.from(read(tf.matMul(h, u))), bias, extra ? read(extra) : null, s);
  const { r, z } = gates(pre, s);
  const q = columns(pre, batch, 3 * units, 2 * units, units);
  const n = new Float32Array(batch * units);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < units; k++) {
      const i = b * units + k;
      n[i] = Math.tanh((x[b * 3 * units + 2 * units + k] as number) + (r[i] as number) * (q[i] as number));
    }
  }
  const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
    const { dPz, dPn, dh } = blendBackward(read(dy), hv, z, n);
    // dPre_r = dPn q r (1 - r); d(hU_n + bh_n) = dPn r; d xProj_n = dPn.
    const dX = new Float32Array(batch * 3 * units);
    const dQ = new Float32Array(batch * 3 * units); // gradient of hU + bh, all three blocks
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < units; k++) {
        const i = b * units + k;
        const ri = r[i] as number;
        const row = b * 3 * units;
        const dPr = (dPn[i] as number) * (q[i] as number) * ri * (1 - ri);
        dX[row + k] = dQ[row + k] = dPr;
        dX[row + units + k] = dQ[row + units + k] = dPz[i] as number;
        dX[row + 2 * units + k] = dPn[i] as number;
        dQ[row + 2 * units + k] = (dPn[i] as number) * ri;
      }
    }
    const dQt = tf.tensor2d(dQ, [batch, 3 * units]);
    const dU = tf.matMul(tf.tensor2d(transpose(hv, batch, units), [units, batch]), dQt);
    const dBias = new Float32Array(3 * units);
    dQ.forEach((v, i) => {
      const j = i % (3 * units);
      dBias[j] = (dBias[j] as number) + v;
    });
    const uT = () => tf.tensor2d(transpose(read(u), units, 3 * units), [3 * units, units]);
    const grads = [tf.tensor2d(dX, [batch, 3 * units]), stateGradient(dQt, uT, dh, s, wantStateGrad), dU, tf.tensor(dBias, bh.shape)];
    return extra ? [...grads, extraGrad(dQ, s)] : grads;
  };
  return { value: tf.tensor2d(blend(hv, z, n), [batch, units]), gradFunc };
}

function resetBefore(inputs: tf.Tensor[], s: Shape, wantStateGrad: boolean): Fused {
  const [xProj, h, u, extra] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D | undefined];
  const { batch, units } = s;
  const x = read(xProj);
  const hv = read(h);
  const uv = read(u);
  // h U over all three blocks (the candidate block is unused): one product without slicing u.
  const pre = preActivations(x, Float32Array.from(read(tf.matMul(h, u))), null, extra ? read(extra) : null, s);
  const { r, z } = gates(pre, s);
  const rh = r.map((v, i) => v * (hv[i] as number));
  const uN = columns(uv, units, 3 * units, 2 * units, units);
  const m = read(tf.matMul(tf.tensor2d(rh, [batch, units]), tf.tensor2d(uN, [units, units])));
  const n = new Float32Array(batch * units);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < units; k++) n[b * units + k] = Math.tanh((x[b * 3 * units + 2 * units + k] as number) + (m[b * units + k] as number));
  }
  const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
    const { dPz, dPn, dh } = blendBackward(read(dy), hv, z, n);
    const dPnT = tf.tensor2d(dPn, [batch, units]);
    const dRh = read(tf.matMul(dPnT, tf.tensor2d(transpose(uN, units, units), [units, units])));
    // Rows 0..B-1: [dPre_r, dPre_z, 0] (products with h); rows B..2B-1: [0, 0, dPre_n] (with r*h).
    const dStack = new Float32Array(2 * batch * 3 * units);
    const dX = new Float32Array(batch * 3 * units);
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < units; k++) {
        const i = b * units + k;
        const ri = r[i] as number;
        const row = b * 3 * units;
        const dPr = (dRh[i] as number) * (hv[i] as number) * ri * (1 - ri);
        dh[i] = (dh[i] as number) + (dRh[i] as number) * ri;
        dX[row + k] = dStack[row + k] = dPr;
        dX[row + units + k] = dStack[row + units + k] = dPz[i] as number;
        dX[row + 2 * units + k] = dStack[(batch + b) * 3 * units + 2 * units + k] = dPn[i] as number;
      }
    }
    const hrhT = new Float32Array(units * 2 * batch); // [h ; r*h]^T, [H, 2B]
    for (let i = 0; i < batch; i++) {
      for (let k = 0; k < units; k++) {
        hrhT[k * 2 * batch + i] = hv[i * units + k] as number;
        hrhT[k * 2 * batch + batch + i] = rh[i * units + k] as number;
      }
    }
    const dU = tf.matMul(tf.tensor2d(hrhT, [units, 2 * batch]), tf.tensor2d(dStack, [2 * batch, 3 * units]));
    const dPreRz = tf.tensor2d(dX.map((v, i) => (i % (3 * units) < 2 * units ? v : 0)), [batch, 3 * units]);
    const uT = () => tf.tensor2d(transpose(uv, units, 3 * units), [3 * units, units]);
    const grads = [tf.tensor2d(dX, [batch, 3 * units]), stateGradient(dPreRz, uT, dh, s, wantStateGrad), dU];
    return extra ? [...grads, extraGrad(dX, s)] : grads;
  };
  return { value: tf.tensor2d(blend(hv, z, n), [batch, units]), gradFunc };
}

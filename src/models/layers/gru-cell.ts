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
  /** Input bias [3H] added to xProj here (saves a broadcast add and its gradient kernels). */
  inputBias?: tf.Tensor;
  /** Dropout mask [B * H] (0 or 1/keep) applied to h'. */
  outputMask?: Float32Array;
  /** Whether h needs a gradient (false when h is a constant lane state: saves one product). */
  stateGrad?: boolean;
}

export function gruStep(xProj: tf.Tensor2D, h: tf.Tensor2D, u: tf.Tensor2D, opts: GruStepOptions = {}): tf.Tensor2D {
  const cell = opts.cell ?? 'reset-before';
  if ((cell === 'reset-after') !== (opts.recurrentBias !== undefined)) {
    throw new Error(`gruStep: a recurrent bias goes with reset-after only (cell ${cell})`);
  }
  const optional = [opts.recurrentBias, opts.gateExtra, opts.inputBias];
  const inputs = [xProj, h, u, ...optional.filter((t): t is tf.Tensor => t !== undefined)];
  const shape = { batch: h.shape[0], units: h.shape[1], extraWidth: opts.gateExtra?.shape[1] ?? 0 };
  const step = cell === 'reset-after' ? resetAfter : resetBefore;
  const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const ts = args.slice(0, inputs.length) as tf.Tensor[];
    let at = 3;
    const [bh, extra, inBias] = optional.map((t) => (t ? (ts[at++] as tf.Tensor) : undefined));
    const x = read(xProj);
    const xb = inBias ? addRowVector(x, read(inBias)) : x;
    const { value, grads } = step({ x: xb, h: read(h), u: read(u), bh: bh && read(bh), extra: extra && read(extra) }, shape, opts.stateGrad !== false);
    const mask = opts.outputMask;
    const out = mask ? value.map((v, i) => v * (mask[i] as number)) : value;
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const g = read(dy);
      const d = grads(mask ? g.map((v, i) => v * (mask[i] as number)) : g);
      const all = [
        tf.tensor2d(d.dX, xProj.shape),
        d.dH ? tf.tensor2d(d.dH, h.shape) : tf.zeros(h.shape),
        d.dU,
        ...(bh ? [tf.tensor(d.dQ ? columnSums(d.dQ, 3 * shape.units) : new Float32Array(0), bh.shape)] : []),
        ...(extra ? [extraGrad(d.dX, shape)] : []),
        ...(inBias ? [tf.tensor(columnSums(d.dX, 3 * shape.units), inBias.shape)] : []),
      ];
      return all;
    };
    return { value: tf.tensor2d(out, h.shape), gradFunc };
  });
  return fused(...inputs) as tf.Tensor2D;
}

/** Row-major [rows, v.length] matrix m plus v on every row, as a new array. */
function addRowVector(m: Float32Array, v: Float32Array): Float32Array {
  return m.map((x, i) => x + (v[i % v.length] as number));
}

function columnSums(m: Float32Array, cols: number): Float32Array {
  const out = new Float32Array(cols);
  m.forEach((v, i) => {
    const j = i % cols;
    out[j] = (out[j] as number) + v;
  });
  return out;
}

interface Shape {
  batch: number;
  units: number;
  extraWidth: number;
}

/** Input data of one step: x = xProj (+ input bias) [B, 3H], h [B, H], u [H, 3H], bh [3H], extra [B, extraWidth]. */
interface StepData {
  x: Float32Array;
  h: Float32Array;
  u: Float32Array;
  bh: Float32Array | undefined;
  extra: Float32Array | undefined;
}

/** Gradients: dX of xProj (= of the gate pre-activations), dH (null: not wanted), dU, dQ of h U + bh (reset-after). */
interface StepGrads {
  dX: Float32Array;
  dH: Float32Array | null;
  dU: tf.Tensor;
  dQ?: Float32Array;
}

type Step = (d: StepData, s: Shape, wantStateGrad: boolean) => { value: Float32Array; grads: (g: Float32Array) => StepGrads };

function read(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

function product(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number): Float32Array {
  return read(tf.matMul(tf.tensor2d(a, [rows, inner]), tf.tensor2d(b, [inner, cols])));
}

/** Gate pre-activations [B, 3H]: hU (+ bh) on all blocks, plus x (+ extra) on r, z. Mutates and returns `hu`. */
function preActivations(d: StepData, hu: Float32Array, s: Shape): Float32Array {
  const width = 3 * s.units;
  for (let b = 0; b < s.batch; b++) {
    for (let j = 0; j < width; j++) {
      const i = b * width + j;
      let v = (hu[i] as number) + (d.bh ? (d.bh[j] as number) : 0);
      if (j < 2 * s.units) v += (d.x[i] as number) + (d.extra ? (d.extra[b * s.extraWidth + j] as number) : 0);
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

/** h' = h + z (n - h). */
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

/** dh = dPre @ u^T + direct [B, H]. */
function stateGradient(dPre: Float32Array, u: Float32Array, direct: Float32Array, s: Shape): Float32Array {
  const back = product(dPre, s.batch, 3 * s.units, transpose(u, s.units, 3 * s.units), s.units);
  return back.map((v, i) => v + (direct[i] as number));
}

const resetAfter: Step = (d, s, wantStateGrad) => {
  const { batch, units } = s;
  // pre = x_rz + hU_rz + bh_rz (+ extra) on r, z; q = hU_n + bh_n (scaled by r) on n.
  const pre = preActivations(d, Float32Array.from(product(d.h, batch, units, d.u, 3 * units)), s);
  const { r, z } = gates(pre, s);
  const q = columns(pre, batch, 3 * units, 2 * units, units);
  const n = new Float32Array(batch * units);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < units; k++) {
      const i = b * units + k;
      n[i] = Math.tanh((d.x[b * 3 * units + 2 * units + k] as number) + (r[i] as number) * (q[i] as number));
    }
  }
  const grads = (g: Float32Array): StepGrads => {
    const { dPz, dPn, dh } = blendBackward(g, d.h, z, n);
    // dPre_r = dPn q r (1 - r); dq = dPn r; d x_n = dPn.
    const dX = new Float32Array(batch * 3 * units);
    const dQ = new Float32Array(batch * 3 * units);
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
    const dU = tf.matMul(tf.tensor2d(transpose(d.h, batch, units), [units, batch]), tf.tensor2d(dQ, [batch, 3 * units]));
    return { dX, dQ, dU, dH: wantStateGrad ? stateGradient(dQ, d.u, dh, s) : null };
  };
  return { value: blend(d.h, z, n), grads };
};

const resetBefore: Step = (d, s, wantStateGrad) => {
  const { batch, units } = s;
  // h U over all three blocks (the candidate block is unused): one product without slicing u.
  const pre = preActivations(d, Float32Array.from(product(d.h, batch, units, d.u, 3 * units)), s);
  const { r, z } = gates(pre, s);
  const rh = r.map((v, i) => v * (d.h[i] as number));
  const uN = columns(d.u, units, 3 * units, 2 * units, units);
  const m = product(rh, batch, units, uN, units);
  const n = new Float32Array(batch * units);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < units; k++) n[b * units + k] = Math.tanh((d.x[b * 3 * units + 2 * units + k] as number) + (m[b * units + k] as number));
  }
  const grads = (g: Float32Array): StepGrads => {
    const { dPz, dPn, dh } = blendBackward(g, d.h, z, n);
    const dRh = product(dPn, batch, units, transpose(uN, units, units), units);
    // Rows 0..B-1: [dPre_r, dPre_z, 0] (products with h); rows B..2B-1: [0, 0, dPre_n] (with r*h).
    const dStack = new Float32Array(2 * batch * 3 * units);
    const dX = new Float32Array(batch * 3 * units);
    const hrhT = new Float32Array(units * 2 * batch); // [h ; r*h]^T, [H, 2B]
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < units; k++) {
        const i = b * units + k;
        const ri = r[i] as number;
        const row = b * 3 * units;
        const dPr = (dRh[i] as number) * (d.h[i] as number) * ri * (1 - ri);
        dh[i] = (dh[i] as number) + (dRh[i] as number) * ri;
        dX[row + k] = dStack[row + k] = dPr;
        dX[row + units + k] = dStack[row + units + k] = dPz[i] as number;
        dX[row + 2 * units + k] = dStack[(batch + b) * 3 * units + 2 * units + k] = dPn[i] as number;
        hrhT[k * 2 * batch + b] = d.h[i] as number;
        hrhT[k * 2 * batch + batch + b] = rh[i] as number;
      }
    }
    const dU = tf.matMul(tf.tensor2d(hrhT, [units, 2 * batch]), tf.tensor2d(dStack, [2 * batch, 3 * units]));
    const dH = wantStateGrad ? stateGradient(dStack.subarray(0, batch * 3 * units), d.u, dh, s) : null;
    return { dX, dU, dH };
  };
  return { value: blend(d.h, z, n), grads };
};

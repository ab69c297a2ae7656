import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batch.js';
import type { Rng } from '../util/rng.js';
import type { ParamStore } from './layers/param-store.js';
import { finalActivation, rankingLoss, type LossName } from './losses.js';
import { matMulFast } from '../util/tf-kernels.js';

/**
 * The step machinery GRU4Rec and HRNN share (see the neural design): every parameter lives in a
 * JS ParamStore; a step uploads the dense weights and the item rows it touches, builds one graph
 * inside one tf.tidy, differentiates w.r.t. the uploaded tensors, and downloads loss, gradients and
 * the new lane states. No tensor outlives a step, and there is no BPTT: the previous states are
 * constants of the step's graph.
 */

/** One uploaded tensor: a whole parameter (rows null) or some of its item rows. */
export interface UploadSpec {
  key: string;
  param: string;
  rows: Int32Array | null;
}

/** Resolves an upload key to its tensor inside the step's graph. */
export type Lookup = (key: string) => tf.Tensor;

/** Dropout masks of one step, by site name: [rows * units], 0 or 1/keep; absent = no dropout. */
export type Masks = ReadonlyMap<string, Float32Array>;

/** What a network contributes to a step: its uploads and its state transition. */
export interface SequenceNet {
  readonly store: ParamStore;
  /** Units of each lane state array (GRU4Rec: one per layer; HRNN: [session, user]). */
  readonly laneUnits: readonly number[];
  /** Units of the vector the output layer scores. */
  readonly outUnits: number;
  /** Uploads the state transition needs for `batch` (output rows excluded). */
  uploads(batch: Batch): UploadSpec[];
  /** Dropout masks for a training step, drawn from `rng` in a fixed order. */
  masks(rows: number, rng: Rng): Masks;
  /** Lane states before the graph (e.g. GRU4Rec zeroes reset lanes), in place. */
  resetLanes(batch: Batch, lanes: Float32Array[]): void;
  /** Dense parameters `batch`'s step leaves out of its uploads: they get a zero gradient, so
   *  momentum and Adam still move them as they would after a step that used them. */
  idleParams?(batch: Batch): readonly string[];
  /** Graph of one step: [B, outUnits] output and the new lane states. Shapes: lanes[i] [B, laneUnits[i]]. */
  advance(t: Lookup, batch: Batch, lanes: tf.Tensor2D[], masks: Masks | null): { out: tf.Tensor2D; lanes: tf.Tensor2D[] };
}

/** Gradient of one parameter: dense (rows null) or for the listed rows (duplicates allowed). */
export interface ParamGrad {
  param: string;
  rows: Int32Array | null;
  grad: Float32Array;
}

export interface TrainStepInput {
  batch: Batch;
  lanes: Float32Array[];
  /** Output columns: [batch targets ; shared samples]. */
  cols: Int32Array;
  /** log q of every column when the logQ correction is on. */
  logQ: Float32Array | null;
  logQWeight: number;
  loss: LossName;
  /** The configured batch size, the loss's divisor (the last batches of an epoch have fewer rows). */
  batchSize: number;
  bpreg: number;
  finalAct: string | undefined;
  masks: Masks | null;
}

export interface TrainStepOutput {
  loss: number;
  grads: ParamGrad[];
  lanes: Float32Array[];
}

/** One training step of `net` (see the file comment). Lanes are returned, not mutated. */
export function trainStep(net: SequenceNet, input: TrainStepInput): TrainStepOutput {
  const { batch, cols } = input;
  const specs = net.uploads(batch);
  let result: TrainStepOutput | undefined;
  tf.tidy(() => {
    const tensors = specs.map((s) => uploadParam(net.store, s));
    const byKey = new Map(specs.map((s, i) => [s.key, tensors[i] as tf.Tensor]));
    const t: Lookup = (key) => byKey.get(key) ?? missing(key);
    const laneTensors = input.lanes.map((a, i) => tf.tensor2d(a, [batch.size, net.laneUnits[i] as number]));
    const table = tf.tensor2d(outputTable(net.store, net.outUnits, cols, input), [cols.length, net.outUnits + 1]);
    let kept: tf.Tensor2D[] = [];
    const lossFn = (): tf.Scalar => {
      const step = net.advance(t, batch, laneTensors, input.masks);
      kept = step.lanes.map((l) => tf.keep(l));
      return rankingLoss(input.loss, scoreColumns(step.out, table), { bpreg: input.bpreg, finalAct: input.finalAct, batchSize: input.batchSize });
    };
    // Frozen parameters are constants of the graph: no gradient is computed for them.
    const trainable = specs.filter((s) => net.store.spec(s.param).frozen !== true);
    const { value, grads } = tf.valueAndGrads(lossFn)([...trainable.map((s) => t(s.key)), table]);
    const loss = value.dataSync()[0] as number;
    const lanes = kept.map((l) => l.dataSync() as Float32Array);
    tf.dispose(kept);
    const paramGrads = trainable.map((s, i) => ({ param: s.param, rows: s.rows, grad: (grads[i] as tf.Tensor).dataSync() as Float32Array }));
    const tableGrad = (grads[trainable.length] as tf.Tensor).dataSync() as Float32Array;
    const outGrads = splitTableGrad(tableGrad, cols, net.outUnits).filter((g) => net.store.spec(g.param).frozen !== true);
    result = { loss, grads: [...mergeGrads([...paramGrads, ...outGrads]), ...idleGrads(net, batch)], lanes };
  });
  return result as TrainStepOutput;
}

/**
 * The output rows of the columns `cols` as one table [C, H + 1]: out.W's row with out.b in the last
 * column, so one matrix product scores and biases (a broadcast bias add and its column-sum
 * gradient are slow on wasm). The logQ correction, -w log q per column, is a constant shift of
 * the bias and goes there too; it leaves the bias gradient unchanged.
 */
function outputTable(store: ParamStore, outUnits: number, cols: Int32Array, input: TrainStepInput): Float32Array {
  const w = store.get('out.W');
  const b = store.get('out.b');
  const width = outUnits + 1;
  const table = new Float32Array(cols.length * width);
  for (let c = 0; c < cols.length; c++) {
    const item = cols[c] as number;
    table.set(w.subarray(item * outUnits, (item + 1) * outUnits), c * width);
    const shift = input.logQ ? input.logQWeight * (input.logQ[c] as number) : 0;
    table[c * width + outUnits] = (b[item] as number) - shift;
  }
  return table;
}

/** The gradient of an outputTable, as row gradients of out.W and out.b. */
function splitTableGrad(grad: Float32Array, cols: Int32Array, outUnits: number): ParamGrad[] {
  const width = outUnits + 1;
  const w = new Float32Array(cols.length * outUnits);
  const b = new Float32Array(cols.length);
  for (let c = 0; c < cols.length; c++) {
    w.set(grad.subarray(c * width, c * width + outUnits), c * outUnits);
    b[c] = grad[c * width + outUnits] as number;
  }
  return [
    { param: 'out.W', rows: cols, grad: w },
    { param: 'out.b', rows: cols, grad: b },
  ];
}

/** h [B, H] scored against an outputTable [C, H + 1] -> [B, C]. */
function scoreColumns(h: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  return matMulFast(tf.concat([h, tf.ones([h.shape[0], 1])], 1), table, true);
}

/** Whether evaluation applies the loss's final activation: softmax is monotonic within a row, so
 *  ranking uses the logits (as the official GRU4Rec evaluation does); element-wise activations
 *  such as tanh are applied because their float32 saturation creates ties the reference counts. */
export function evalActivation(loss: LossName, finalAct: string | undefined): ((x: tf.Tensor) => tf.Tensor) | null {
  if (loss === 'cross-entropy') return null;
  const act = finalAct ?? (loss === 'top1' || loss === 'bpr' ? 'tanh' : 'linear');
  return act === 'linear' ? null : finalActivation(loss, finalAct);
}

function idleGrads(net: SequenceNet, batch: Batch): ParamGrad[] {
  const idle = (net.idleParams?.(batch) ?? []).filter((p) => net.store.spec(p).frozen !== true);
  return idle.map((param) => ({ param, rows: null, grad: new Float32Array(net.store.get(param).length) }));
}

/** Upload one parameter or some of its rows as a tensor of shape [rows, ...rest] / its shape. */
export function uploadParam(store: ParamStore, spec: UploadSpec): tf.Tensor {
  const shape = store.spec(spec.param).shape;
  if (spec.rows === null) return tf.tensor(store.get(spec.param), shape);
  const rowShape = shape.slice(1);
  return tf.tensor(store.gatherRows(spec.param, spec.rows), [spec.rows.length, ...rowShape]);
}

/** Merge gradients of the same parameter (constrained embedding: input and output rows of out.W)
 *  so the optimizer sees one update, as the reference accumulates them before stepping. */
export function mergeGrads(grads: ParamGrad[]): ParamGrad[] {
  const byParam = new Map<string, ParamGrad[]>();
  for (const g of grads) byParam.set(g.param, [...(byParam.get(g.param) ?? []), g]);
  return [...byParam.values()].map((group) => {
    const first = group[0] as ParamGrad;
    if (group.length === 1) return first;
    if (group.some((g) => g.rows === null)) throw new Error(`dense parameter ${first.param} uploaded twice`);
    return { param: first.param, rows: concatInt(group.map((g) => g.rows as Int32Array)), grad: concatFloat(group.map((g) => g.grad)) };
  });
}

/** New lane arrays holding the rows `keepRows` of the previous step (the batch shrank). */
export function remapLanes(lanes: Float32Array[], units: readonly number[], keepRows: Int32Array | null): Float32Array[] {
  if (keepRows === null) return lanes;
  return lanes.map((lane, i) => {
    const n = units[i] as number;
    const out = new Float32Array(keepRows.length * n);
    keepRows.forEach((r, row) => out.set(lane.subarray(r * n, (r + 1) * n), row * n));
    return out;
  });
}

/** Zero the rows of `lane` where `mask` is 1. */
export function zeroRows(lane: Float32Array, units: number, mask: Uint8Array): void {
  mask.forEach((m, row) => {
    if (m) lane.fill(0, row * units, (row + 1) * units);
  });
}

/** Inverted-dropout mask [rows * units]: 0 with probability p, else 1/(1-p). */
export function dropoutMask(rng: Rng, rows: number, units: number, p: number): Float32Array {
  const keep = 1 - p;
  const mask = new Float32Array(rows * units);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < keep ? 1 / keep : 0;
  return mask;
}

/** Multiply `x` [B, H] by the named mask when there is one. */
export function applyMask(x: tf.Tensor2D, masks: Masks | null, site: string): tf.Tensor2D {
  const m = masks?.get(site);
  return m ? tf.mul(x, tf.tensor2d(m, x.shape)) : x;
}

/** A [B, 1] float column from a 0/1 byte mask (session or user starts). */
export function maskColumn(mask: Uint8Array): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(mask), [mask.length, 1]);
}

function concatInt(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function concatFloat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function missing(key: string): never {
  throw new Error(`step uploaded no tensor "${key}"`);
}

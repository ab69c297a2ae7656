import * as tf from '@tensorflow/tfjs-core';
import { gruStep } from '../src/models/layers/gru-cell.js';
import { glorotGateBlocks, ParamStore } from '../src/models/layers/param-store.js';
import { rankingLoss } from '../src/models/losses.js';
import { NegativeSampler } from '../src/train/negative-sampler.js';
import { createOptimizer, type Optimizer } from '../src/train/optimizers.js';
import { Rng } from '../src/util/rng.js';
import { matMulFast } from '../src/util/tf-kernels.js';

/**
 * One GRU4Rec-like training step done the engine's way (constrained embedding: the output table Wy
 * is also the input embedding; cross-entropy over in-batch targets + shared samples): gather rows
 * in JS, upload, one tidy with valueAndGrads, download, JS optimizer. Used by bench/step.ts and by
 * the engine's leak test. `fast` folds biases into matMuls (a column of ones) and uses matMulFast;
 * otherwise tf.matMul with transposeB plus bias adds.
 */
export interface FakeStepOptions { nItems: number; batch: number; hidden: number; nSamples: number; fast: boolean; seed?: number }
export interface PhaseTimes { upload: number; ops: number; download: number; optimizer: number }

export class FakeStep {
  readonly store = new ParamStore();
  readonly times: PhaseTimes = { upload: 0, ops: 0, download: 0, optimizer: 0 };
  private readonly opt: Optimizer;
  private readonly sampler: NegativeSampler;
  private readonly rng: Rng;
  private h: Float32Array;

  constructor(private readonly o: FakeStepOptions) {
    const rng = new Rng(o.seed ?? 1);
    const H = o.hidden;
    this.rng = rng.fork('batches');
    this.store.add({ name: 'Wy', shape: [o.nItems, H], itemIndexed: true }, glorotGateBlocks(rng.fork('init'), o.nItems, H, 1));
    this.store.add({ name: 'by', shape: [o.nItems, 1], itemIndexed: true }, new Float32Array(o.nItems));
    this.store.add({ name: 'Wx', shape: [H, 3 * H], itemIndexed: false }, glorotGateBlocks(rng.fork('init'), H, H, 3));
    this.store.add({ name: 'bx', shape: [3 * H], itemIndexed: false }, new Float32Array(3 * H));
    this.store.add({ name: 'U', shape: [H, 3 * H], itemIndexed: false }, glorotGateBlocks(rng.fork('init'), H, H, 3));
    const support = Float64Array.from({ length: o.nItems }, (_, i) => 1 + (i % 97));
    this.sampler = new NegativeSampler(support, 0.5, rng.fork('negatives'));
    this.opt = createOptimizer({ type: 'adagrad', lr: 0.05, momentum: 0 }, this.store);
    this.h = new Float32Array(o.batch * H);
  }

  /** Runs one step on random inputs/targets; returns the loss. */
  run(): number {
    const { batch: B, nItems } = this.o;
    const inputs = Int32Array.from({ length: B }, () => this.rng.int(nItems));
    const targets = Int32Array.from({ length: B }, () => this.rng.int(nItems));
    const cols = new Int32Array(B + this.o.nSamples);
    cols.set(targets);
    cols.set(this.sampler.sample(this.o.nSamples), B);
    return this.o.fast ? this.runFast(inputs, cols) : this.runPlain(inputs, cols);
  }

  private runFast(inputs: Int32Array, cols: Int32Array): number {
    const { batch: B, hidden: H } = this.o;
    const C = cols.length;
    let t = performance.now();
    const x1 = withOnes(this.store.gatherRows('Wy', inputs), B, H);
    const wx1 = concat(this.store.get('Wx'), this.store.get('bx'));
    const wb = rowsWithBias(this.store, cols, H);
    const result = tf.tidy(() => {
      const [tx, twx, tu, twt] = [tf.tensor2d(x1, [B, H + 1]), tf.tensor2d(wx1, [H + 1, 3 * H]), tf.tensor2d(this.store.get('U'), [H, 3 * H]), tf.tensor2d(wb, [C, H + 1])];
      const th = tf.tensor2d(this.h, [B, H]);
      const ones = tf.ones([B, 1]);
      this.times.upload += performance.now() - t;
      t = performance.now();
      let hNew: tf.Tensor2D | undefined;
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor, w: tf.Tensor, u: tf.Tensor, out: tf.Tensor) => {
        hNew = tf.keep(gruStep(matMulFast(x as tf.Tensor2D, w as tf.Tensor2D), th, u as tf.Tensor2D));
        const scores = matMulFast(tf.concat([hNew, ones], 1) as tf.Tensor2D, out as tf.Tensor2D, true);
        return rankingLoss('cross-entropy', scores, { bpreg: 0, batchSize: B });
      })([tx, twx, tu, twt]);
      return [value, ...grads, hNew as tf.Tensor2D];
    });
    this.times.ops += performance.now() - t;
    t = performance.now();
    const [loss, gx, gwx, gu, gwb, hOut] = result.map((r) => r.dataSync() as Float32Array) as Float32Array[] as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    tf.dispose(result);
    this.h = hOut;
    this.times.download += performance.now() - t;
    t = performance.now();
    this.applyItemGrads(inputs, cols, dropLastColumn(gx, B, H + 1), gwb);
    this.opt.applyDense('Wx', gwx.subarray(0, H * 3 * H));
    this.opt.applyDense('bx', gwx.subarray(H * 3 * H));
    this.opt.applyDense('U', gu);
    this.times.optimizer += performance.now() - t;
    return loss[0] as number;
  }

  private runPlain(inputs: Int32Array, cols: Int32Array): number {
    const { batch: B, hidden: H } = this.o;
    const C = cols.length;
    let t = performance.now();
    const x = this.store.gatherRows('Wy', inputs);
    const w = this.store.gatherRows('Wy', cols);
    const b = this.store.gatherRows('by', cols);
    const result = tf.tidy(() => {
      const ins = [tf.tensor2d(x, [B, H]), tf.tensor2d(this.store.get('Wx'), [H, 3 * H]), tf.tensor1d(this.store.get('bx')), tf.tensor2d(this.store.get('U'), [H, 3 * H]), tf.tensor2d(w, [C, H]), tf.tensor1d(b)];
      const th = tf.tensor2d(this.h, [B, H]);
      this.times.upload += performance.now() - t;
      t = performance.now();
      let hNew: tf.Tensor2D | undefined;
      const { value, grads } = tf.valueAndGrads((tx: tf.Tensor, twx: tf.Tensor, tbx: tf.Tensor, tu: tf.Tensor, tw: tf.Tensor, tb: tf.Tensor) => {
        hNew = tf.keep(gruStep(tf.add(tf.matMul(tx as tf.Tensor2D, twx as tf.Tensor2D), tbx), th, tu as tf.Tensor2D));
        const scores = tf.add(tf.matMul(hNew, tw as tf.Tensor2D, false, true), tb) as tf.Tensor2D;
        return rankingLoss('cross-entropy', scores, { bpreg: 0, batchSize: B });
      })(ins);
      return [value, ...grads, hNew as tf.Tensor2D];
    });
    this.times.ops += performance.now() - t;
    t = performance.now();
    const [loss, gx, gwx, gbx, gu, gw, gb, hOut] = result.map((r) => r.dataSync() as Float32Array) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    tf.dispose(result);
    this.h = hOut;
    this.times.download += performance.now() - t;
    t = performance.now();
    this.opt.applySparse('Wy', concatInt(inputs, cols), concat(gx, gw));
    this.opt.applySparse('by', cols, gb);
    this.opt.applyDense('Wx', gwx);
    this.opt.applyDense('bx', gbx);
    this.opt.applyDense('U', gu);
    this.times.optimizer += performance.now() - t;
    return loss[0] as number;
  }

  /** gwb [C, H+1]: gradients of the output rows, last column the bias. */
  private applyItemGrads(inputs: Int32Array, cols: Int32Array, gx: Float32Array, gwb: Float32Array): void {
    const H = this.o.hidden;
    const C = cols.length;
    const rowGrads = new Float32Array((inputs.length + C) * H);
    rowGrads.set(gx);
    rowGrads.set(dropLastColumn(gwb, C, H + 1), inputs.length * H);
    const gb = new Float32Array(C);
    for (let c = 0; c < C; c++) gb[c] = gwb[c * (H + 1) + H] as number;
    this.opt.applySparse('Wy', concatInt(inputs, cols), rowGrads);
    this.opt.applySparse('by', cols, gb);
  }
}

/** [rows, width] -> [rows, width + 1] with a last column of ones. */
function withOnes(a: Float32Array, rows: number, width: number): Float32Array {
  const out = new Float32Array(rows * (width + 1));
  for (let r = 0; r < rows; r++) {
    out.set(a.subarray(r * width, (r + 1) * width), r * (width + 1));
    out[r * (width + 1) + width] = 1;
  }
  return out;
}

function dropLastColumn(a: Float32Array, rows: number, width: number): Float32Array {
  const out = new Float32Array(rows * (width - 1));
  for (let r = 0; r < rows; r++) out.set(a.subarray(r * width, r * width + width - 1), r * (width - 1));
  return out;
}

/** Rows `cols` of Wy with their bias appended: [C, H + 1]. */
function rowsWithBias(store: ParamStore, cols: Int32Array, H: number): Float32Array {
  const wy = store.get('Wy');
  const by = store.get('by');
  const out = new Float32Array(cols.length * (H + 1));
  for (let c = 0; c < cols.length; c++) {
    const row = cols[c] as number;
    out.set(wy.subarray(row * H, (row + 1) * H), c * (H + 1));
    out[c * (H + 1) + H] = by[row] as number;
  }
  return out;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function concatInt(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

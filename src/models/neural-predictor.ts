import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batch.js';
import type { Predictor } from './types.js';
import { scoreAll, uploadOutputTable } from './item-io.js';
import { remapLanes, uploadParam, type SequenceNet, type UploadSpec } from './session-step.js';

/**
 * Items scored per matMul. Catalogues up to this size take one matMul per batch; larger ones are
 * scored block by block, so the score tensors in the wasm heap stay [rows, SCORE_BLOCK] (13 MB at
 * 100 rows) instead of [rows, nItems] (400 MB at 1M items). Blocks of 16k-32k items were also the
 * fastest per item on wasm (cache-sized right operand): ~3 s per 1M items at 100 rows, 100 units.
 */
export const SCORE_BLOCK = 32_768;

/**
 * Evaluation of a GRU4Rec/HRNN network: lane states live in JS (remapped with keepRows, reset
 * exactly as in training, no dropout); the dense weights and the output table (as blocks of
 * [Hout+1, <= blockItems] items, 4 (Hout+1) nItems bytes in all) are uploaded once and owned here
 * (disposed in dispose()); item input rows are uploaded per step. Scores: [rows * nItems], filled
 * block by block in JS for the scored rows, with the final activation when it can change the
 * ranking (see evalActivation).
 */
export class NeuralPredictor implements Predictor {
  private readonly dense = new Map<string, tf.Tensor>();
  private blocks: { from: number; table: tf.Tensor2D }[] = [];
  private lanes: Float32Array[] | null = null;

  constructor(
    private readonly net: SequenceNet,
    private readonly nItems: number,
    private readonly activation: ((x: tf.Tensor) => tf.Tensor) | null,
    private readonly blockItems = SCORE_BLOCK,
  ) {}

  async step(batch: Batch, wantScores: boolean): Promise<Float32Array | null> {
    const { net } = this;
    const lanes = this.lanes === null ? net.laneUnits.map((u) => new Float32Array(batch.size * u)) : remapLanes(this.lanes, net.laneUnits, batch.keepRows);
    net.resetLanes(batch, lanes);
    const specs = net.uploads(batch);
    for (const s of specs) if (s.rows === null && !this.dense.has(s.key)) this.dense.set(s.key, uploadParam(net.store, s));
    if (wantScores && this.blocks.length === 0) this.uploadBlocks();
    const outputs = tf.tidy(() => {
      const step = net.advance(this.lookup(specs), batch, lanes.map((a, i) => tf.tensor2d(a, [batch.size, net.laneUnits[i] as number])), null);
      return wantScores ? [...step.lanes, step.out] : step.lanes;
    });
    try {
      const nLanes = net.laneUnits.length;
      const scores = wantScores ? await this.scoreRows(outputs[nLanes] as tf.Tensor2D, batch.scored) : null;
      this.lanes = await Promise.all(outputs.slice(0, nLanes).map((t) => t.data() as Promise<Float32Array>));
      return scores;
    } finally {
      tf.dispose(outputs);
    }
  }

  dispose(): void {
    tf.dispose([...this.dense.values()]);
    this.dense.clear();
    tf.dispose(this.blocks.map((b) => b.table));
    this.blocks = [];
  }

  private uploadBlocks(): void {
    for (let from = 0; from < this.nItems; from += this.blockItems) {
      const to = Math.min(this.nItems, from + this.blockItems);
      this.blocks.push({ from, table: uploadOutputTable(this.net.store, this.net.outUnits, { from, to }) });
    }
  }

  /**
   * Scores [rows * nItems] of the output h [rows, Hout], one block of items at a time. Only the
   * scored rows are computed (HRNN's replayed history shares batches with test sessions); the
   * others stay 0, as the Predictor contract allows.
   */
  private async scoreRows(h: tf.Tensor2D, scored: Uint8Array): Promise<Float32Array> {
    const rows = h.shape[0];
    const wanted = Int32Array.from(scored.keys()).filter((r) => scored[r] === 1);
    const all = wanted.length === rows;
    const hScored = all ? h : tf.tidy(() => tf.gather(h, tf.tensor1d(wanted, 'int32')) as tf.Tensor2D);
    try {
      let out: Float32Array | null = null;
      for (const { from, table } of this.blocks) {
        const data = await this.scoreBlock(hScored, table);
        // All rows, one block: its rows already are the full rows (the single-matMul path, no copy).
        if (all && this.blocks.length === 1) return data;
        out ??= new Float32Array(rows * this.nItems);
        const width = table.shape[1];
        wanted.forEach((r, k) => out?.set(data.subarray(k * width, (k + 1) * width), r * this.nItems + from));
      }
      return out ?? new Float32Array(rows * this.nItems);
    } finally {
      if (!all) hScored.dispose();
    }
  }

  /** Scores [rows * width] of h against one output table block [Hout+1, width]. */
  private async scoreBlock(h: tf.Tensor2D, table: tf.Tensor2D): Promise<Float32Array> {
    const block = tf.tidy(() => {
      const scores = scoreAll(h, table);
      return this.activation ? this.activation(scores) : scores;
    });
    try {
      return (await block.data()) as Float32Array;
    } finally {
      block.dispose();
    }
  }

  /** Dense weights from the cache, item rows uploaded inside the caller's tidy. */
  private lookup(specs: UploadSpec[]): (key: string) => tf.Tensor {
    const rows = new Map<string, UploadSpec>(specs.filter((s) => s.rows !== null).map((s) => [s.key, s]));
    return (key) => {
      const cached = this.dense.get(key);
      if (cached) return cached;
      const spec = rows.get(key);
      if (!spec) throw new Error(`predictor has no tensor "${key}"`);
      return uploadParam(this.net.store, spec);
    };
  }
}

import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batch.js';
import type { Predictor } from './types.js';
import { scoreAll, uploadOutputTable } from './item-io.js';
import { remapLanes, uploadParam, type SequenceNet, type UploadSpec } from './session-step.js';

/**
 * Evaluation of a GRU4Rec/HRNN network: lane states live in JS (remapped with keepRows, reset
 * exactly as in training, no dropout); the dense weights and the full output table [Hout+1,
 * nItems] are uploaded once and owned here (disposed in dispose()); item input rows are uploaded
 * per step. Scores: [rows * nItems], with the final activation when it can change the ranking
 * (see evalActivation).
 */
export class NeuralPredictor implements Predictor {
  private readonly dense = new Map<string, tf.Tensor>();
  private table: tf.Tensor2D | null = null;
  private lanes: Float32Array[] | null = null;

  constructor(
    private readonly net: SequenceNet,
    private readonly nItems: number,
    private readonly activation: ((x: tf.Tensor) => tf.Tensor) | null,
  ) {}

  async step(batch: Batch, wantScores: boolean): Promise<Float32Array | null> {
    const { net } = this;
    const lanes = this.lanes === null ? net.laneUnits.map((u) => new Float32Array(batch.size * u)) : remapLanes(this.lanes, net.laneUnits, batch.keepRows);
    net.resetLanes(batch, lanes);
    const specs = net.uploads(batch);
    for (const s of specs) if (s.rows === null && !this.dense.has(s.key)) this.dense.set(s.key, uploadParam(net.store, s));
    if (wantScores && this.table === null) this.table = uploadOutputTable(net.store, this.nItems, net.outUnits);
    const outputs = tf.tidy(() => {
      const step = net.advance(this.lookup(specs), batch, lanes.map((a, i) => tf.tensor2d(a, [batch.size, net.laneUnits[i] as number])), null);
      if (!wantScores || this.table === null) return step.lanes;
      const scores = scoreAll(step.out, this.table);
      return [...step.lanes, this.activation ? this.activation(scores) : scores];
    });
    try {
      const data = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
      this.lanes = data.slice(0, net.laneUnits.length);
      return wantScores ? (data[net.laneUnits.length] as Float32Array) : null;
    } finally {
      tf.dispose(outputs);
    }
  }

  dispose(): void {
    tf.dispose([...this.dense.values()]);
    this.dense.clear();
    this.table?.dispose();
    this.table = null;
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

import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../util/rng.js';
import { glorotGateBlocks, type ParamStore } from './layers/param-store.js';
import { matMulFast } from '../util/tf-kernels.js';
import type { Lookup, Masks, UploadSpec } from './session-step.js';

/**
 * Item input and output parameters shared by GRU4Rec and HRNN (GRU4Rec 2018+ embedding modes):
 * - onehot: the first GRU's input weights are item rows `in.W` [nItems, 3H] (one-hot times W = a row);
 * - separate: an embedding `in.E` [nItems, D], then `in.W` [D, 3H];
 * - constrained: the input embedding is the output matrix `out.W` [nItems, Hout], then `in.W` [Hout, 3H].
 * Output: scores = h `out.W`^T + `out.b`, `out.W` [nItems, Hout], `out.b` [nItems, 1].
 * All item-indexed tables are updated row-sparsely. Initialisation: per-gate-block Glorot
 * uniform (spec 1.3), biases 0.
 */
export type EmbeddingMode = 'onehot' | 'separate' | 'constrained';

export interface ItemIoSpec {
  mode: EmbeddingMode;
  nItems: number;
  /** Units of the first GRU (its input projection is [B, 3 * units]). */
  units: number;
  /** Units of the scored vector. */
  outUnits: number;
  /** Embedding size of 'separate'. */
  embeddingDim: number;
}

/** Add the item input/output parameters to `store`, drawing from `rng` in a fixed order. */
export function addItemParams(store: ParamStore, rng: Rng, spec: ItemIoSpec): void {
  const { nItems, units, outUnits } = spec;
  if (spec.mode === 'onehot') {
    store.add({ name: 'in.W', shape: [nItems, 3 * units], itemIndexed: true }, glorotGateBlocks(rng, nItems, units, 3));
  } else {
    const inDim = spec.mode === 'separate' ? spec.embeddingDim : outUnits;
    if (spec.mode === 'separate') {
      store.add({ name: 'in.E', shape: [nItems, inDim], itemIndexed: true }, glorotGateBlocks(rng, nItems, inDim, 1));
    }
    store.add({ name: 'in.W', shape: [inDim, 3 * units], itemIndexed: false }, glorotGateBlocks(rng, inDim, units, 3));
  }
  store.add({ name: 'in.b', shape: [3 * units], itemIndexed: false }, new Float32Array(3 * units));
  store.add({ name: 'out.W', shape: [nItems, outUnits], itemIndexed: true }, glorotGateBlocks(rng, nItems, outUnits, 1));
  store.add({ name: 'out.b', shape: [nItems, 1], itemIndexed: true }, new Float32Array(nItems));
}

/** Uploads of the input side for the items `inputIds`. */
export function itemInputUploads(mode: EmbeddingMode, inputIds: Int32Array): UploadSpec[] {
  const bias = { key: 'in.b', param: 'in.b', rows: null };
  if (mode === 'onehot') return [{ key: 'in.W@in', param: 'in.W', rows: inputIds }, bias];
  const table = mode === 'separate' ? 'in.E' : 'out.W';
  return [{ key: 'emb@in', param: table, rows: inputIds }, { key: 'in.W', param: 'in.W', rows: null }, bias];
}

/**
 * Input projection of the first GRU, [B, 3H] incl. bias. The 'embed' dropout site acts on the
 * embedding (separate/constrained); in onehot mode the model applies it to the first layer output.
 */
export function itemInputProjection(mode: EmbeddingMode, t: Lookup, masks: Masks | null): tf.Tensor2D {
  const bias = tf.reshape(t('in.b'), [1, -1]);
  if (mode === 'onehot') return tf.add(t('in.W@in'), bias);
  let emb = t('emb@in') as tf.Tensor2D;
  const m = masks?.get('embed');
  if (m) emb = tf.mul(emb, tf.tensor2d(m, emb.shape));
  return tf.add(matMulFast(emb, t('in.W') as tf.Tensor2D), bias);
}

/** Units of the input embedding (dropout mask size), 0 in onehot mode. */
export function embeddingUnits(spec: ItemIoSpec): number {
  if (spec.mode === 'onehot') return 0;
  return spec.mode === 'separate' ? spec.embeddingDim : spec.outUnits;
}

/**
 * The full output table for evaluation as one [Hout + 1, nItems] tensor (bias folded in as the
 * last row, so scoring is one plain matMul of [h, 1]; measured 3-7x faster than a broadcast add).
 * The caller owns (disposes) it.
 */
export function uploadOutputTable(store: ParamStore, nItems: number, outUnits: number): tf.Tensor2D {
  const w = store.get('out.W');
  const b = store.get('out.b');
  const table = new Float32Array((outUnits + 1) * nItems);
  for (let i = 0; i < nItems; i++) {
    for (let k = 0; k < outUnits; k++) table[k * nItems + i] = w[i * outUnits + k] as number;
    table[outUnits * nItems + i] = b[i] as number;
  }
  return tf.tensor2d(table, [outUnits + 1, nItems]);
}

/** Full-catalogue scores [B, nItems] from h [B, Hout] and the table of uploadOutputTable. */
export function scoreAll(h: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  const ones = tf.ones([h.shape[0], 1]);
  return tf.matMul(tf.concat([h, ones], 1), table);
}

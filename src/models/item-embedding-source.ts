import { itemEmbeddingsIssue, type ItemEmbeddingsConfig, type NeuralConfig } from '../config/neural-schema.js';
import { itemIndexFromIds } from '../data/item-index.js';
import { loadEmbeddings } from '../embeddings/embedding-io.js';
import { InternalError, UserError } from '../util/errors.js';
import type { ParamStore } from './layers/param-store.js';

/**
 * Pretrained item vectors (hrnn prod2vec / Meta-Prod2vec) as a source for the item input of
 * GRU4Rec and HRNN (spec 4.6); item-io.ts decides where the rows go. Modes:
 * - init: the input embedding starts from the vectors and is fine-tuned (separate: `in.E`, width
 *   = the file's dim, or `in.E` [n, dim] times a trainable `in.P` [dim, embeddingDim] with
 *   projection; constrained: the shared `out.W`, dims must match, or with projection the vectors
 *   times a fixed random Glorot [dim, units] map, which keeps their geometry approximately);
 * - freeze: as init, but the table holding the vectors is frozen (no gradient, never updated);
 *   a projection `in.P` still trains, so a frozen model can still adapt the vectors linearly;
 * - concat: a frozen `in.Ep` [n, dim] is concatenated with the learned item input
 *   (x = [E_id[i]; E_p2v[i]], `in.W` [D + dim, 3H]; onehot: x W = in.W[i] + E_p2v[i] `in.Wp`).
 * Items without a trained vector: in init mode their rows keep the seeded Glorot draw like every
 * other parameter (they are trained); in freeze/concat mode they are zeros, since a fixed random
 * vector would be noise the model cannot correct. Their count is logged and put in the fit result.
 */
export type PretrainedMode = ItemEmbeddingsConfig['mode'];

export interface PretrainedLayout {
  mode: PretrainedMode;
  projection: boolean;
  /** Width of the pretrained vectors. */
  dim: number;
}

/** Vectors aligned with the run's ItemIndex. */
export interface PretrainedItems {
  /** Row-major [nItems, dim]. */
  vectors: Float32Array;
  dim: number;
  /** 1 where the row is a trained vector, 0 for items the file has no vector for. */
  hasVector: Uint8Array;
  nWithoutVector: number;
}

/** Read the vectors of `cfg.path` for the run's items (in ItemIndex order); refuses another index. */
export async function loadPretrainedItems(cfg: ItemEmbeddingsConfig, itemIds: readonly string[]): Promise<PretrainedItems> {
  const index = itemIndexFromIds(itemIds);
  const loaded = await loadEmbeddings(cfg.path, index);
  const hasVector = new Uint8Array(itemIds.length).fill(1);
  for (const id of loaded.itemsWithoutVector) {
    const i = index.indexOf.get(id);
    if (i !== undefined) hasVector[i] = 0;
  }
  const nWithoutVector = hasVector.reduce((n, h) => n + (h === 0 ? 1 : 0), 0);
  return { vectors: loaded.items, dim: loaded.dim, hasVector, nWithoutVector };
}

export function pretrainedLayout(cfg: ItemEmbeddingsConfig | undefined, dim: number): PretrainedLayout | undefined {
  return cfg ? { mode: cfg.mode, projection: cfg.projection, dim } : undefined;
}

/**
 * Refuse a model that cannot take these vectors (UserError naming the model and the fix): the
 * config-level combinations (itemEmbeddingsIssue) and, for constrained init/freeze without
 * projection, a file dim other than the width of the shared out.W (`outUnits`).
 */
export function checkPretrainedFit(cfg: NeuralConfig, dim: number, outUnits: number): void {
  const where = `model "${cfg.name ?? cfg.type}" itemEmbeddings`;
  const issue = itemEmbeddingsIssue(cfg);
  if (issue !== null) throw new UserError(issue, { where, kind: 'usage' });
  const emb = cfg.itemEmbeddings;
  if (emb && cfg.embedding === 'constrained' && emb.mode !== 'concat' && !emb.projection && dim !== outUnits) {
    throw new UserError(
      `the vectors have ${dim} dimensions, the constrained embedding (out.W) has ${outUnits}: ` +
        `use embedding: separate (any dim) or projection: true, or train ${outUnits}-dimensional embeddings`,
      { where, kind: 'usage' },
    );
  }
}

/**
 * A [nItems, dim] table holding the vectors; rows without a vector keep `fallback`'s row (a Glorot
 * draw) or are zero when fallback is null. Rows are copied bit for bit.
 */
export function pretrainedTable(pretrained: PretrainedItems, fallback: Float32Array | null): Float32Array {
  const { dim, vectors, hasVector } = pretrained;
  const table = fallback ?? new Float32Array(vectors.length);
  if (table.length !== vectors.length) throw new InternalError(`pretrained table of ${table.length} values for ${vectors.length}`);
  hasVector.forEach((has, i) => {
    if (has) table.set(vectors.subarray(i * dim, (i + 1) * dim), i * dim);
  });
  return table;
}

/** Rows of `pretrained` times `map` [dim, width] into `table` [nItems, width] (rows without a vector untouched). */
export function projectInto(table: Float32Array, pretrained: PretrainedItems, map: Float32Array, width: number): Float32Array {
  const { dim, vectors, hasVector } = pretrained;
  hasVector.forEach((has, i) => {
    if (!has) return;
    for (let j = 0; j < width; j++) {
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += (vectors[i * dim + k] as number) * (map[k * width + j] as number);
      table[i * width + j] = sum;
    }
  });
  return table;
}

/** The pretrained width a saved model was built with, read from its tables (no embedding file needed). */
export function storedPretrainedDim(store: ParamStore): number {
  const names = store.names();
  const table = ['in.Ep', 'in.E', 'out.W'].find((n) => names.includes(n));
  return table === undefined ? 0 : (store.spec(table).shape[1] ?? 0);
}

import type { ModelConfig } from '../config/model-schema.js';
import type { SessionDataset } from '../data/types.js';
import type { Recommender } from './types.js';
import { Rng } from '../util/rng.js';
import { silentProgress } from '../util/progress.js';
import { createBaseline, isBaselineConfig } from './baselines/index.js';
import { createNeuralModel, isNeuralConfig, loadNeuralModel } from './neural.js';
import { loadPretrainedItems } from './item-embedding-source.js';
import { InternalError } from '../util/errors.js';

export interface CreateOptions {
  /** Original id of every item index: pretrained item embeddings are checked against it. */
  itemIds?: readonly string[];
}

/** Build an untrained model from its config entry (reading its pretrained item embeddings, if any). */
export async function createRecommender(cfg: ModelConfig, nItems: number, rng: Rng, options: CreateOptions = {}): Promise<Recommender> {
  if (isBaselineConfig(cfg)) return createBaseline(cfg, nItems);
  if (isNeuralConfig(cfg)) {
    const emb = cfg.itemEmbeddings;
    if (emb === undefined) return createNeuralModel(cfg, nItems, rng);
    if (options.itemIds === undefined) throw new InternalError('itemEmbeddings need the run\'s item ids');
    return createNeuralModel(cfg, nItems, rng, await loadPretrainedItems(emb, options.itemIds));
  }
  throw new Error(`no factory for model type ${(cfg as ModelConfig).type}`);
}

/**
 * Rebuild a trained model saved in `dir`. Baselines are deterministic counts that are cheaper to
 * recompute from the training split than to store, so they are refitted on `train`.
 */
export async function restoreRecommender(cfg: ModelConfig, nItems: number, dir: string, train: SessionDataset): Promise<Recommender> {
  if (isBaselineConfig(cfg)) {
    const model = createBaseline(cfg, nItems);
    await model.fit(train, { rng: new Rng(0), progress: silentProgress });
    return model;
  }
  if (isNeuralConfig(cfg)) return loadNeuralModel(dir);
  throw new Error(`no loader for model type ${(cfg as ModelConfig).type} (${dir})`);
}

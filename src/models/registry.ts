import type { ModelConfig } from '../config/model-schema.js';
import type { SessionDataset } from '../data/types.js';
import type { Recommender } from './types.js';
import { Rng } from '../util/rng.js';
import { silentProgress } from '../util/progress.js';
import { createBaseline, isBaselineConfig } from './baselines/index.js';
import { createNeuralModel, isNeuralConfig, loadNeuralModel } from './neural.js';

/** Build an untrained model from its config entry. */
export function createRecommender(cfg: ModelConfig, nItems: number, rng: Rng): Recommender {
  if (isBaselineConfig(cfg)) return createBaseline(cfg, nItems);
  if (isNeuralConfig(cfg)) return createNeuralModel(cfg, nItems, rng);
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

import type { ModelConfig } from '../config/model-schema.js';
import type { Recommender } from './types.js';
import type { Rng } from '../util/rng.js';
import { createBaseline, isBaselineConfig } from './baselines/index.js';

/** Build an untrained model from its config entry. */
export function createRecommender(cfg: ModelConfig, nItems: number, rng: Rng): Recommender {
  if (isBaselineConfig(cfg)) return createBaseline(cfg, nItems);
  throw new Error(`no factory for model type ${cfg.type}`);
}

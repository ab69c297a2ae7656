/**
 * Pop (GRU4Rec's baselines): every event gets the same scores, support/(1+support), where support
 * is the item's number of training events. Deviation: GRU4Rec scores only its top 100 items and
 * gives the rest 0; here every item keeps its own score.
 */
import type { z } from 'zod';
import type { popSchema } from '../../config/baseline-schema.js';
import type { SessionDataset } from '../../data/types.js';
import type { Predictor } from '../types.js';
import { BaselineModel, rowPredictor } from './baseline-model.js';
import { itemEventCounts } from './session-index.js';

export type PopConfig = z.infer<typeof popSchema>;

/** support/(1+support) per item, [nItems]: always below 1, so S-Pop can use it as a tie-breaker. */
export function popularityScores(train: SessionDataset, nItems: number): Float32Array {
  const counts = itemEventCounts(train, nItems);
  return Float32Array.from(counts, (c) => c / (1 + c));
}

export class Pop extends BaselineModel<PopConfig, Float32Array> {
  protected build(train: SessionDataset): Float32Array {
    return popularityScores(train, this.nItems);
  }

  predictor(_data: SessionDataset): Predictor {
    const pop = this.model();
    return rowPredictor(this.nItems, (_batch, _row, out) => out.set(pop));
  }
}

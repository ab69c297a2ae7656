/**
 * Item-KNN (GRU4Rec's baselines; Hidasi et al. ICLR 2016): the next item's score is its
 * similarity to the last item,
 *   sim(i, j) = co(i, j) / ((supp_i + lambda)^alpha * (supp_j + lambda)^(1 - alpha)),
 * keeping the `neighbors` most similar j of each i; all other items score 0.
 * Deviations: co(i, j) and supp count distinct sessions (GRU4Rec counts events, the same when a
 * session holds each item once); ties in the top-k keep the lower item index.
 */
import type { z } from 'zod';
import type { itemKnnSchema } from '../../config/baseline-schema.js';
import type { SessionDataset } from '../../data/types.js';
import type { Predictor } from '../types.js';
import { BaselineModel, rowPredictor } from './baseline-model.js';
import { distinctSessionItems, invertRows } from './session-index.js';
import { addRow, buildTopKRows, type WeightedRows } from './weighted-rows.js';

export type ItemKnnConfig = z.infer<typeof itemKnnSchema>;

/** The top-`neighbors` similarity rows of every item. Work is O(sum of squared session lengths). */
export function itemSimilarities(train: SessionDataset, nItems: number, cfg: ItemKnnConfig): WeightedRows {
  const sessionItems = distinctSessionItems(train, nItems);
  const itemSessions = invertRows(sessionItems, nItems);
  const support = (i: number): number => (itemSessions.offsets[i + 1] ?? 0) - (itemSessions.offsets[i] ?? 0);
  return buildTopKRows({
    nItems,
    keep: cfg.neighbors,
    visit: (i, add) => {
      for (let k = itemSessions.offsets[i] ?? 0; k < (itemSessions.offsets[i + 1] ?? 0); k++) {
        const s = itemSessions.values[k] ?? 0;
        for (let m = sessionItems.offsets[s] ?? 0; m < (sessionItems.offsets[s + 1] ?? 0); m++) {
          const j = sessionItems.values[m] ?? 0;
          if (j !== i) add(j, 1);
        }
      }
    },
    finish: (i, j, co) => co / ((support(i) + cfg.lambda) ** cfg.alpha * (support(j) + cfg.lambda) ** (1 - cfg.alpha)),
  });
}

export class ItemKnn extends BaselineModel<ItemKnnConfig, WeightedRows> {
  protected build(train: SessionDataset): WeightedRows {
    return itemSimilarities(train, this.nItems, this.config);
  }

  predictor(_data: SessionDataset): Predictor {
    const sims = this.model();
    return rowPredictor(this.nItems, (batch, row, out) => addRow(sims, batch.inputIds[row] ?? 0, out));
  }
}

/**
 * SR, sequential rules (Ludewig & Jannach, UMUAI 2018; session-rec): a rule a -> b gains
 * decay(d) each time b follows a at distance d <= `steps` in a training session (div: 1/d); the
 * `pruning` strongest rules of each a are kept, and the next item's score is the weight of the
 * rule (last item -> item). Deviations: session-rec divides each score vector by its maximum,
 * which leaves the ranking unchanged and is skipped; ties in pruning keep the lower item index.
 */
import type { z } from 'zod';
import type { sequentialRulesSchema } from '../../config/baseline-schema.js';
import type { SessionDataset } from '../../data/types.js';
import type { Predictor } from '../types.js';
import { BaselineModel, rowPredictor } from './baseline-model.js';
import { distanceDecay } from './decay.js';
import { itemEventIndex, nSessionsOf } from './session-index.js';
import { addRow, buildTopKRows, type WeightedRows } from './weighted-rows.js';

export type SequentialRulesConfig = z.infer<typeof sequentialRulesSchema>;

/** The pruned rule weights a -> b of every item a. */
export function sequentialRules(train: SessionDataset, nItems: number, cfg: SequentialRulesConfig): WeightedRows {
  // Each event's session end, and each item's events, so one item's rules are built at a time.
  const sessionEnd = new Int32Array(train.items.length);
  for (let s = 0; s < nSessionsOf(train); s++) {
    sessionEnd.fill(train.sessionOffsets[s + 1] ?? 0, train.sessionOffsets[s] ?? 0, train.sessionOffsets[s + 1] ?? 0);
  }
  const itemEvents = itemEventIndex(train, nItems);
  const decay = Array.from({ length: cfg.steps + 1 }, (_, d) => (d === 0 ? 0 : distanceDecay(cfg.weighting, d)));
  return buildTopKRows({
    nItems,
    keep: cfg.pruning,
    visit: (a, add) => {
      for (let k = itemEvents.offsets[a] ?? 0; k < (itemEvents.offsets[a + 1] ?? 0); k++) {
        const e = itemEvents.values[k] ?? 0;
        const end = Math.min(sessionEnd[e] ?? 0, e + cfg.steps + 1);
        for (let f = e + 1; f < end; f++) add(train.items[f] ?? 0, decay[f - e] ?? 0);
      }
    },
  });
}

export class SequentialRules extends BaselineModel<SequentialRulesConfig, WeightedRows> {
  protected build(train: SessionDataset): WeightedRows {
    return sequentialRules(train, this.nItems, this.config);
  }

  predictor(_data: SessionDataset): Predictor {
    const rules = this.model();
    return rowPredictor(this.nItems, (batch, row, out) => addRow(rules, batch.inputIds[row] ?? 0, out));
  }
}

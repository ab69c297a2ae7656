/**
 * S-Pop (GRU4Rec's SessionPop baseline, ICLR 2016): score = how often the item occurred in the
 * current session so far (including this step's input) + support/(1+support), the global
 * popularity scaled below 1 so it only breaks ties between equal session counts.
 */
import type { z } from 'zod';
import type { sessionPopSchema } from '../../config/baseline-schema.js';
import type { SessionDataset } from '../../data/types.js';
import type { Predictor } from '../types.js';
import { BaselineModel, rowPredictor } from './baseline-model.js';
import { LaneHistory } from './lane-history.js';
import { popularityScores } from './pop.js';

export type SessionPopConfig = z.infer<typeof sessionPopSchema>;

export class SessionPop extends BaselineModel<SessionPopConfig, Float32Array> {
  protected build(train: SessionDataset): Float32Array {
    return popularityScores(train, this.nItems);
  }

  predictor(_data: SessionDataset): Predictor {
    const pop = this.model();
    const history = new LaneHistory();
    return rowPredictor(
      this.nItems,
      (_batch, row, out) => {
        out.set(pop);
        for (const item of history.session(row)) out[item] = (out[item] ?? 0) + 1;
      },
      history,
    );
  }
}

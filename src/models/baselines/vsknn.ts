/**
 * V-SKNN, vector-multiplication session kNN (Ludewig & Jannach, UMUAI 2018; session-rec vsknn).
 * For the current session s (items so far, L events):
 *  - candidates: the `sampleSize` most recent training sessions sharing an item with s
 *    (recency = the session's last event time);
 *  - sim(s, n) = sum over distinct items i shared with n of w(pos_i, L) / |distinct items of s|,
 *    pos_i the last position of i in s (session-rec's `vec`);
 *  - the k most similar n vote: score(j) += sim(s, n) * decay(d_n) [* (1 + idfWeighting idf(j))]
 *    for every distinct j in n, d_n = 1 + how many events back the latest item shared with n is.
 * Deviations: ties in recency and similarity go to the more recent session (then the lower
 * session index), where session-rec keeps set order; scores are not divided by their maximum.
 */
import type { z } from 'zod';
import type { vsknnSchema } from '../../config/baseline-schema.js';
import type { SessionDataset } from '../../data/types.js';
import type { Predictor } from '../types.js';
import { BaselineModel, rowPredictor } from './baseline-model.js';
import { distanceDecay, positionWeight } from './decay.js';
import { LaneHistory } from './lane-history.js';
import { lastPositions, NeighbourScratch, rankSessionsByRecency, type RecentSessions } from './recent-sessions.js';
import { itemEventCounts, nSessionsOf } from './session-index.js';

export type VsknnConfig = z.infer<typeof vsknnSchema>;

interface VsknnModel {
  readonly recent: RecentSessions;
  /** log(nSessions / events of item), [nItems] (session-rec's idf). */
  readonly idf: Float64Array;
}

/** Add the V-SKNN scores of the session `items` into out, [nItems]. */
function scoreSession(model: VsknnModel, cfg: VsknnConfig, scratch: NeighbourScratch, items: readonly number[], out: Float32Array): void {
  const { distinct, position } = lastPositions(items);
  const weight = position.map((p) => positionWeight(cfg.weighting, p, items.length) / distinct.length);
  const neighbours = scratch.nearest(scratch.collect(distinct, position, weight, cfg.sampleSize), cfg.k);
  const { sessionItems } = model.recent;
  const inSession = new Set(items);
  for (const n of neighbours) {
    const vote = (scratch.sim[n] ?? 0) * distanceDecay(cfg.weightingScore, items.length - (scratch.lastPos[n] ?? 0) + 1);
    for (let m = sessionItems.offsets[n] ?? 0; m < (sessionItems.offsets[n + 1] ?? 0); m++) {
      const j = sessionItems.values[m] ?? 0;
      if (!cfg.remind && inSession.has(j)) continue;
      out[j] = (out[j] ?? 0) + vote * (1 + cfg.idfWeighting * (model.idf[j] ?? 0));
    }
  }
}

export class Vsknn extends BaselineModel<VsknnConfig, VsknnModel> {
  protected build(train: SessionDataset): VsknnModel {
    const nSessions = nSessionsOf(train);
    const idf = Float64Array.from(itemEventCounts(train, this.nItems), (c) => (c > 0 ? Math.log(nSessions / c) : 0));
    return { recent: rankSessionsByRecency(train, this.nItems), idf };
  }

  predictor(_data: SessionDataset): Predictor {
    const model = this.model();
    const scratch = new NeighbourScratch(model.recent);
    const history = new LaneHistory();
    return rowPredictor(this.nItems, (_batch, row, out) => scoreSession(model, this.config, scratch, history.session(row), out), history);
  }
}

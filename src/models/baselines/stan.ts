/**
 * STAN, sequence- and time-aware neighbourhood (Garg et al., SIGIR 2019; session-rec stan).
 * For the current session s (items so far, L events, scored at the input event's time t):
 *  - the item at last position p weighs w = exp((p - L) / lambdaSpw);
 *  - candidates: the `sampleSize` most recent training sessions sharing an item with s;
 *  - sim(s, n) = sum of w over shared items / (sqrt(sum of w^2) sqrt(|distinct items of n|))
 *    * exp(-(t - end time of n) / lambdaSnh days);
 *  - the k most similar n vote: score(j) += sim(s, n) * exp(-|pos_n(j) - pos_n(i*)| / lambdaInh),
 *    pos_n the last 1-based position in n, i* the last event of n whose item is in s.
 * Deviations: ties in recency and similarity go to the more recent session, where session-rec
 * keeps set order.
 */
import type { z } from 'zod';
import type { stanSchema } from '../../config/baseline-schema.js';
import type { SessionDataset } from '../../data/types.js';
import type { Predictor } from '../types.js';
import { BaselineModel, rowPredictor } from './baseline-model.js';
import { LaneHistory } from './lane-history.js';
import { lastPositions, NeighbourScratch, rankSessionsByRecency, type RecentSessions } from './recent-sessions.js';

export type StanConfig = z.infer<typeof stanSchema>;

const DAY_SECONDS = 86_400;

/** Per-predictor scratch: the neighbour search plus each item's last position in a neighbour. */
interface StanScratch {
  readonly neighbours: NeighbourScratch;
  readonly posInNeighbour: Int32Array;
}

/** The k neighbours of the session `items` at time `now`, with their final similarity in neighbours.sim. */
function findNeighbours(recent: RecentSessions, cfg: StanConfig, scratch: NeighbourScratch, items: readonly number[], now: number): number[] {
  const { distinct, position } = lastPositions(items);
  const weight = position.map((p) => Math.exp((p - items.length) / cfg.lambdaSpw));
  const norm = Math.sqrt(weight.reduce((sum, w) => sum + w * w, 0));
  const candidates = scratch.collect(distinct, position, weight, cfg.sampleSize);
  for (const n of candidates) {
    const nDistinct = (recent.sessionItems.offsets[n + 1] ?? 0) - (recent.sessionItems.offsets[n] ?? 0);
    const age = now - (recent.endTime[n] ?? 0);
    scratch.sim[n] = ((scratch.sim[n] ?? 0) / (norm * Math.sqrt(nDistinct))) * Math.exp(-age / (cfg.lambdaSnh * DAY_SECONDS));
  }
  return scratch.nearest(candidates, cfg.k);
}

/** Add the STAN scores of the session `items` at time `now` into out, [nItems]. */
function scoreSession(recent: RecentSessions, cfg: StanConfig, scratch: StanScratch, items: readonly number[], now: number, out: Float32Array): void {
  const inSession = new Set(items);
  const { sessionEvents, sessionItems } = recent;
  const pos = scratch.posInNeighbour;
  for (const n of findNeighbours(recent, cfg, scratch.neighbours, items, now)) {
    const first = sessionEvents.offsets[n] ?? 0;
    let lastShared = 0;
    for (let e = first; e < (sessionEvents.offsets[n + 1] ?? 0); e++) {
      const item = sessionEvents.values[e] ?? 0;
      pos[item] = e - first + 1;
      if (inSession.has(item)) lastShared = e - first + 1;
    }
    const sim = scratch.neighbours.sim[n] ?? 0;
    for (let m = sessionItems.offsets[n] ?? 0; m < (sessionItems.offsets[n + 1] ?? 0); m++) {
      const j = sessionItems.values[m] ?? 0;
      if (!cfg.remind && inSession.has(j)) continue;
      out[j] = (out[j] ?? 0) + sim * Math.exp(-Math.abs((pos[j] ?? 0) - lastShared) / cfg.lambdaInh);
    }
  }
}

export class Stan extends BaselineModel<StanConfig, RecentSessions> {
  protected build(train: SessionDataset): RecentSessions {
    return rankSessionsByRecency(train, this.nItems);
  }

  /** `data` is the split being evaluated: its event times date each prediction. */
  predictor(data: SessionDataset): Predictor {
    const recent = this.model();
    const scratch: StanScratch = { neighbours: new NeighbourScratch(recent), posInNeighbour: new Int32Array(this.nItems) };
    const history = new LaneHistory();
    return rowPredictor(
      this.nItems,
      (batch, row, out) => {
        const now = data.times[batch.inputEvent[row] ?? 0] ?? 0;
        scoreSession(recent, this.config, scratch, history.session(row), now, out);
      },
      history,
    );
  }
}

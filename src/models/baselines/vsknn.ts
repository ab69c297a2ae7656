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
import { distinctSessionItems, invertRows, itemEventCounts, nSessionsOf, type IntRows } from './session-index.js';

export type VsknnConfig = z.infer<typeof vsknnSchema>;

export interface VsknnIndex {
  /** Distinct items of each training session; row r is the r-th most recent session. */
  readonly sessionItems: IntRows;
  /** For each item, the recency ranks of the sessions holding it, most recent first. */
  readonly itemSessions: IntRows;
  /** log(nSessions / events of item), [nItems] (session-rec's idf). */
  readonly idf: Float64Array;
}

export function buildVsknnIndex(train: SessionDataset, nItems: number): VsknnIndex {
  const nSessions = nSessionsOf(train);
  const endTime = Float64Array.from({ length: nSessions }, (_, s) => {
    let t = -Infinity;
    for (let e = train.sessionOffsets[s] ?? 0; e < (train.sessionOffsets[s + 1] ?? 0); e++) t = Math.max(t, train.times[e] ?? 0);
    return t;
  });
  const order = Int32Array.from({ length: nSessions }, (_, s) => s).sort((a, b) => (endTime[b] ?? 0) - (endTime[a] ?? 0) || a - b);
  const sessionItems = distinctSessionItems(train, nItems, order);
  const idf = Float64Array.from(itemEventCounts(train, nItems), (c) => (c > 0 ? Math.log(nSessions / c) : 0));
  return { sessionItems, itemSessions: invertRows(sessionItems, nItems), idf };
}

/** Scratch arrays of one predictor, sized to the training sessions, reused at every event. */
class Neighbourhood {
  private readonly sim: Float64Array;
  private readonly lastPos: Int32Array;
  private readonly stamp: Uint32Array;
  /** Last 1-based position of each item in the session being scored. */
  private readonly itemPos: Int32Array;
  private epoch = 0;

  constructor(
    private readonly index: VsknnIndex,
    private readonly cfg: VsknnConfig,
    nItems: number,
  ) {
    this.itemPos = new Int32Array(nItems);
    const nSessions = index.sessionItems.offsets.length - 1;
    this.sim = new Float64Array(nSessions);
    this.lastPos = new Int32Array(nSessions);
    this.stamp = new Uint32Array(nSessions);
  }

  /** Add the k nearest neighbours' votes for the session `items` into out, [nItems]. */
  score(items: readonly number[], out: Float32Array): void {
    const distinct = this.lastPositions(items);
    const neighbours = this.nearest(this.candidates(distinct, items.length));
    const { sessionItems, idf } = this.index;
    const inSession = new Set(items);
    for (const n of neighbours) {
      const vote = (this.sim[n] ?? 0) * distanceDecay(this.cfg.weightingScore, items.length - (this.lastPos[n] ?? 0) + 1);
      for (let m = sessionItems.offsets[n] ?? 0; m < (sessionItems.offsets[n + 1] ?? 0); m++) {
        const j = sessionItems.values[m] ?? 0;
        if (!this.cfg.remind && inSession.has(j)) continue;
        out[j] = (out[j] ?? 0) + vote * (1 + this.cfg.idfWeighting * (idf[j] ?? 0));
      }
    }
  }

  /**
   * The k candidates of highest sim > 0, ties to the more recent: a numeric sort of the sims
   * finds the cut, then one pass in recency order keeps those above it and fills up with ties.
   */
  private nearest(candidates: Int32Array): number[] {
    const { k } = this.cfg;
    const sims = Float64Array.from(candidates, (n) => this.sim[n] ?? 0).sort();
    const cut = Math.max(0, candidates.length > k ? (sims[sims.length - k] ?? 0) : 0);
    let nAbove = 0;
    for (let i = sims.length - 1; i >= 0 && (sims[i] ?? 0) > cut; i--) nAbove++;
    let tiesLeft = cut > 0 ? k - nAbove : 0;
    const out: number[] = [];
    for (const n of candidates) {
      const sim = this.sim[n] ?? 0;
      if (sim > cut) out.push(n);
      else if (sim === cut && tiesLeft > 0) {
        out.push(n);
        tiesLeft--;
      }
    }
    return out;
  }

  /** Distinct items of the session with their last 1-based position. */
  private lastPositions(items: readonly number[]): number[] {
    const distinct: number[] = [];
    items.forEach((item, p) => {
      if (!distinct.includes(item)) distinct.push(item);
      this.itemPos[item] = p + 1;
    });
    return distinct;
  }

  /**
   * Recency ranks of the sampleSize most recent sessions sharing an item, with sim and lastPos
   * filled. Only the first sampleSize entries of each item's list can make that cut, and every
   * session that makes it is in the prefix of each of its shared items' lists, so its sim is full.
   */
  private candidates(distinct: readonly number[], len: number): Int32Array {
    this.epoch++;
    const { itemSessions } = this.index;
    const touched: number[] = [];
    const norm = distinct.length;
    for (const item of distinct) {
      const pos = this.itemPos[item] ?? 0;
      const w = positionWeight(this.cfg.weighting, pos, len) / norm;
      const start = itemSessions.offsets[item] ?? 0;
      const end = Math.min(itemSessions.offsets[item + 1] ?? 0, start + this.cfg.sampleSize);
      for (let k = start; k < end; k++) {
        const n = itemSessions.values[k] ?? 0;
        if (this.stamp[n] !== this.epoch) {
          this.stamp[n] = this.epoch;
          this.sim[n] = 0;
          this.lastPos[n] = 0;
          touched.push(n);
        }
        this.sim[n] = (this.sim[n] ?? 0) + w;
        this.lastPos[n] = Math.max(this.lastPos[n] ?? 0, pos);
      }
    }
    return Int32Array.from(touched).sort().subarray(0, this.cfg.sampleSize);
  }
}

export class Vsknn extends BaselineModel<VsknnConfig, VsknnIndex> {
  protected build(train: SessionDataset): VsknnIndex {
    return buildVsknnIndex(train, this.nItems);
  }

  predictor(_data: SessionDataset): Predictor {
    const neighbourhood = new Neighbourhood(this.model(), this.config, this.nItems);
    const history = new LaneHistory();
    return rowPredictor(this.nItems, (_batch, row, out) => neighbourhood.score(history.session(row), out), history);
  }
}

/**
 * The shared machinery of the session-kNN family (V-SKNN, STAN; session-rec): training sessions
 * ranked by recency, and per-predictor scratch that finds the `sampleSize` most recent sessions
 * sharing an item with the current one and the k most similar among them.
 */
import type { SessionDataset } from '../../data/types.js';
import { distinctSessionItems, invertRows, nSessionsOf, type IntRows } from './session-index.js';

export interface RecentSessions {
  /** Events of each training session in order; row r is the r-th most recent session. */
  readonly sessionEvents: IntRows;
  /** Distinct items of each session, same rows. */
  readonly sessionItems: IntRows;
  /** For each item, the ranks of the sessions holding it, most recent first. */
  readonly itemSessions: IntRows;
  /** Last event time of each ranked session (unix seconds). */
  readonly endTime: Float64Array;
}

/** Rank sessions by their last event time, latest first; ties keep the lower session index first. */
export function rankSessionsByRecency(train: SessionDataset, nItems: number): RecentSessions {
  const nSessions = nSessionsOf(train);
  const start = (s: number): number => train.sessionOffsets[s] ?? 0;
  const end = (s: number): number => train.sessionOffsets[s + 1] ?? 0;
  const lastTime = Float64Array.from({ length: nSessions }, (_, s) => Math.max(...train.times.subarray(start(s), end(s))));
  const order = Int32Array.from({ length: nSessions }, (_, s) => s).sort((a, b) => (lastTime[b] ?? 0) - (lastTime[a] ?? 0) || a - b);
  const offsets = new Int32Array(nSessions + 1);
  const values = new Int32Array(train.items.length);
  order.forEach((s, r) => {
    values.set(train.items.subarray(start(s), end(s)), offsets[r] ?? 0);
    offsets[r + 1] = (offsets[r] ?? 0) + end(s) - start(s);
  });
  const sessionItems = distinctSessionItems(train, nItems, order);
  return {
    sessionEvents: { offsets, values },
    sessionItems,
    itemSessions: invertRows(sessionItems, nItems),
    endTime: Float64Array.from(order, (s) => lastTime[s] ?? 0),
  };
}

/** The current session's distinct items in first-occurrence order, with their last 1-based position. */
export function lastPositions(items: readonly number[]): { distinct: number[]; position: number[] } {
  const at = new Map<number, number>();
  items.forEach((item, p) => at.set(item, p + 1));
  return { distinct: [...at.keys()], position: [...at.values()] };
}

/** Scratch sized to the training sessions, reused at every scored event. */
export class NeighbourScratch {
  /** Accumulated similarity of each candidate (valid for the last `collect` only). */
  readonly sim: Float64Array;
  /** Latest position in the current session of an item shared with each candidate. */
  readonly lastPos: Int32Array;
  private readonly stamp: Uint32Array;
  private epoch = 0;

  constructor(private readonly recent: RecentSessions) {
    const nSessions = recent.sessionItems.offsets.length - 1;
    this.sim = new Float64Array(nSessions);
    this.lastPos = new Int32Array(nSessions);
    this.stamp = new Uint32Array(nSessions);
  }

  /**
   * Ranks of the sampleSize most recent sessions sharing an item, in recency order, with
   * sim[n] = sum of weight[i] over the shared items. Only the first sampleSize sessions of each
   * item's list can make that cut, and a session that makes it is within the prefix of every
   * one of its shared items' lists, so its sum is complete.
   */
  collect(distinct: readonly number[], position: readonly number[], weight: readonly number[], sampleSize: number): Int32Array {
    this.epoch++;
    const { itemSessions } = this.recent;
    const touched: number[] = [];
    distinct.forEach((item, m) => {
      const from = itemSessions.offsets[item] ?? 0;
      const to = Math.min(itemSessions.offsets[item + 1] ?? 0, from + sampleSize);
      for (let k = from; k < to; k++) {
        const n = itemSessions.values[k] ?? 0;
        if (this.stamp[n] !== this.epoch) {
          this.stamp[n] = this.epoch;
          this.sim[n] = 0;
          this.lastPos[n] = 0;
          touched.push(n);
        }
        this.sim[n] = (this.sim[n] ?? 0) + (weight[m] ?? 0);
        this.lastPos[n] = Math.max(this.lastPos[n] ?? 0, position[m] ?? 0);
      }
    });
    return Int32Array.from(touched).sort().subarray(0, sampleSize);
  }

  /**
   * The k candidates of highest sim > 0, ties to the more recent: a numeric sort of the sims
   * finds the cut, then one pass in recency order keeps those above it and fills up with ties.
   */
  nearest(candidates: Int32Array, k: number): number[] {
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
}

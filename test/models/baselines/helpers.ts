import type { Batch } from '../../../src/data/batch.js';
import type { SessionDataset } from '../../../src/data/types.js';
import type { FitContext, Predictor, Recommender } from '../../../src/models/types.js';
import { Rng } from '../../../src/util/rng.js';
import { silentProgress } from '../../../src/util/progress.js';

/**
 * The tiny training log of the golden tests: 4 sessions over 5 items, one pseudo-user each.
 *   s0 [0, 1, 2] ends t=102;  s1 [1, 2, 3] ends t=202;  s2 [0, 2] ends t=301;  s3 [3, 4, 1] ends t=52
 * Events per item (= sessions per item): 0:2, 1:3, 2:3, 3:2, 4:1. Recency order: s2, s1, s0, s3.
 */
export const N_ITEMS = 5;
export const TINY_SESSIONS = [
  [0, 1, 2],
  [1, 2, 3],
  [0, 2],
  [3, 4, 1],
];
const END_TIMES = [102, 202, 301, 52];

export function makeDataset(sessions: readonly (readonly number[])[], endTimes?: readonly number[]): SessionDataset {
  const items: number[] = [];
  const times: number[] = [];
  const offsets = [0];
  sessions.forEach((s, k) => {
    s.forEach((item, p) => {
      items.push(item);
      times.push((endTimes?.[k] ?? 100 * (k + 1)) - (s.length - 1 - p));
    });
    offsets.push(items.length);
  });
  return {
    items: Int32Array.from(items),
    times: Float64Array.from(times),
    sessionOffsets: Int32Array.from(offsets),
    userOffsets: Int32Array.from(offsets.map((_, k) => k)),
    userIds: sessions.map((_, k) => `u${k}`),
    sessionIds: sessions.map((_, k) => `s${k}`),
  };
}

export const tinyLog = (): SessionDataset => makeDataset(TINY_SESSIONS, END_TIMES);

export const fitContext = (): FitContext => ({ rng: new Rng(1), progress: silentProgress });

/** A hand-made evaluation batch; the fields the baselines ignore are filled with zeros. */
export function makeBatch(inputIds: number[], sessionStart: number[], keepRows: number[] | null = null): Batch {
  const size = inputIds.length;
  return {
    size,
    inputIds: Int32Array.from(inputIds),
    targetIds: new Int32Array(size),
    sessionStart: Uint8Array.from(sessionStart),
    userStart: Uint8Array.from(sessionStart),
    keepRows: keepRows ? Int32Array.from(keepRows) : null,
    inputEvent: new Int32Array(size),
    userIndex: new Int32Array(size),
    sessionIndex: new Int32Array(size),
    scored: new Uint8Array(size).fill(1),
  };
}

/** Fit `model` on the tiny log and return a fresh predictor. */
export async function fitTiny(model: Recommender): Promise<Predictor> {
  const train = tinyLog();
  await model.fit(train, fitContext());
  return model.predictor(train);
}

/** Scores of a single lane after feeding it `session` (one step per item), [nItems]. */
export async function scoreSession(predictor: Predictor, session: readonly number[]): Promise<number[]> {
  let scores: Float32Array | null = null;
  for (const [p, item] of session.entries()) scores = await predictor.step(makeBatch([item], [p === 0 ? 1 : 0]), true);
  if (!scores) throw new Error('no scores');
  return Array.from(scores);
}

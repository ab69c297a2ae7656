/**
 * Synthetic user logs for the benchmarks: users with a fixed number of sessions, session lengths
 * uniform in [minLength, maxLength], items drawn with Zipf(1) popularity over the catalogue (so
 * the sampled and tail paths are exercised as in real logs). Seeded: same seed, same log.
 */
import type { SessionDataset } from '../src/data/types.js';
import { Rng } from '../src/util/rng.js';

export interface SyntheticLogOptions {
  nItems: number;
  nUsers: number;
  sessionsPerUser: number;
  minLength: number;
  maxLength: number;
  /** Users whose last session goes to the test split (default: all). */
  nTestUsers?: number;
  seed: number;
}

/** Train = every session but the test users' last one; test = those last sessions. */
export function syntheticSplit(o: SyntheticLogOptions): { train: SessionDataset; test: SessionDataset } {
  const rng = new Rng(o.seed);
  const draw = zipfSampler(o.nItems, rng);
  const span = o.maxLength - o.minLength + 1;
  const users = Array.from({ length: o.nUsers }, () =>
    Array.from({ length: o.sessionsPerUser }, () => Array.from({ length: o.minLength + rng.int(span) }, draw)),
  );
  const ids = users.map((_, u) => `u${u}`);
  const nTest = o.nTestUsers ?? o.nUsers;
  return {
    train: toDataset(users.map((s, u) => (u < nTest ? s.slice(0, -1) : s)), ids),
    test: toDataset(users.slice(0, nTest).map((s) => s.slice(-1)), ids.slice(0, nTest)),
  };
}

/** Item i drawn with probability proportional to 1 / (i + 1). */
function zipfSampler(nItems: number, rng: Rng): () => number {
  const cdf = new Float64Array(nItems);
  let total = 0;
  for (let i = 0; i < nItems; i++) cdf[i] = total += 1 / (i + 1);
  return () => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = nItems - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

function toDataset(users: number[][][], userIds: string[]): SessionDataset {
  const items: number[] = [];
  const sessionOffsets = [0];
  const userOffsets = [0];
  for (const sessions of users) {
    for (const s of sessions) {
      for (const item of s) items.push(item);
      sessionOffsets.push(items.length);
    }
    userOffsets.push(sessionOffsets.length - 1);
  }
  return {
    items: Int32Array.from(items),
    times: Float64Array.from(items, (_, i) => i * 60),
    sessionOffsets: Int32Array.from(sessionOffsets),
    userOffsets: Int32Array.from(userOffsets),
    userIds,
    sessionIds: Array.from({ length: sessionOffsets.length - 1 }, (_, s) => `s${s}`),
  };
}

/**
 * The evaluator's own cost, without any model: ranking the target and selecting the top-k list
 * from random scores (per event: one pass over nItems scores), and the parallel batcher.
 * Run: npx tsx bench/eval.ts
 */
import { makeParallelBatches } from '../src/data/batches.js';
import type { SessionDataset } from '../src/data/types.js';
import { countAroundTarget, tieRank, TopKSelector, type TargetCounts } from '../src/eval/ranks.js';
import { Rng } from '../src/util/rng.js';

const ROWS = 100; // one evaluation batch

function benchRanks(nItems: number, seconds: number): number {
  const rng = new Rng(1);
  const scores = rng.fillUniform(new Float32Array(ROWS * nItems), 1);
  const targets = Int32Array.from({ length: ROWS }, () => rng.int(nItems));
  const selector = new TopKSelector(20);
  const top = new Int32Array(20);
  const counts: TargetCounts = { greater: 0, equal: 0 };
  let events = 0;
  let checksum = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let r = 0; r < ROWS; r++) {
      countAroundTarget(scores, r * nItems, nItems, targets[r] as number, counts);
      checksum += tieRank(counts, 'median');
      selector.select(scores, r * nItems, nItems, top, 0);
    }
    events += ROWS;
  }
  if (checksum < 0) throw new Error('unreachable');
  return events / ((performance.now() - start) / 1000);
}

function benchBatches(nSessions: number, lanes: 'session' | 'user'): number {
  const rng = new Rng(2);
  const sessionOffsets = new Int32Array(nSessions + 1);
  for (let s = 0; s < nSessions; s++) sessionOffsets[s + 1] = (sessionOffsets[s] as number) + 2 + rng.int(8);
  const nEvents = sessionOffsets[nSessions] as number;
  const nUsers = nSessions / 10;
  const data: SessionDataset = {
    items: Int32Array.from({ length: nEvents }, () => rng.int(50_000)),
    times: Float64Array.from({ length: nEvents }, (_, i) => i),
    sessionOffsets,
    userOffsets: Int32Array.from({ length: nUsers + 1 }, (_, u) => u * 10),
    userIds: Array.from({ length: nUsers }, (_, u) => `u${u}`),
    sessionIds: Array.from({ length: nSessions }, (_, s) => `s${s}`),
  };
  const start = performance.now();
  let targets = 0;
  for (const batch of makeParallelBatches(data, { batchSize: 100, lanes, order: 'time' })) targets += batch.size;
  return targets / ((performance.now() - start) / 1000);
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
for (const nItems of [2_500, 50_000]) {
  console.log(`ranks + top-20, ${fmt(nItems)} items: ${fmt(benchRanks(nItems, 2))} events/s`);
}
for (const lanes of ['session', 'user'] as const) {
  console.log(`batches (${lanes} lanes, batch 100): ${fmt(benchBatches(200_000, lanes))} targets/s`);
}

/**
 * Baseline speed on a synthetic session log: fit seconds and scoring events/s for each baseline
 * at 2,500 and 50,000 items. Run: npx tsx bench/baselines.ts
 *
 * The log is seeded: session lengths 2 + geometric (mean ~8), items drawn from a skewed
 * popularity (u^3) or, 60% of the time, close after the previous item, so the neighbour
 * models find structure to index. Scoring drives each predictor with session-parallel batches
 * of 64 rows over a separate synthetic test log, as the evaluator does.
 */
import { makeParallelBatches } from '../src/data/batches.js';
import type { SessionDataset } from '../src/data/types.js';
import { createBaseline, type BaselineConfig } from '../src/models/baselines/index.js';
import { silentProgress } from '../src/util/progress.js';
import { Rng } from '../src/util/rng.js';

const CONFIGS: BaselineConfig[] = [
  { type: 'pop' },
  { type: 'spop' },
  { type: 'itemknn', neighbors: 100, lambda: 20, alpha: 0.5 },
  { type: 'sr', steps: 10, weighting: 'div', pruning: 20 },
  { type: 'vsknn', k: 100, sampleSize: 1000, weighting: 'div', weightingScore: 'div', idfWeighting: 0, remind: true },
  { type: 'stan', k: 100, sampleSize: 5000, lambdaSpw: 1.02, lambdaSnh: 5, lambdaInh: 2.05, remind: true },
];

function syntheticLog(rng: Rng, nItems: number, nEvents: number, startTime: number): SessionDataset {
  const items: number[] = [];
  const times: number[] = [];
  const offsets = [0];
  let t = startTime;
  while (items.length < nEvents) {
    let prev = Math.floor(nItems * rng.next() ** 3);
    let len = 2;
    while (rng.next() < 0.85) len++;
    for (let p = 0; p < len; p++) {
      items.push(prev);
      times.push(t++);
      prev = rng.next() < 0.6 ? (prev + 1 + rng.int(20)) % nItems : Math.floor(nItems * rng.next() ** 3);
    }
    offsets.push(items.length);
    t += 600;
  }
  const nSessions = offsets.length - 1;
  return {
    items: Int32Array.from(items),
    times: Float64Array.from(times),
    sessionOffsets: Int32Array.from(offsets),
    userOffsets: Int32Array.from({ length: nSessions + 1 }, (_, k) => k),
    userIds: Array.from({ length: nSessions }, (_, k) => `u${k}`),
    sessionIds: Array.from({ length: nSessions }, (_, k) => `s${k}`),
  };
}

async function scoringRate(cfg: BaselineConfig, nItems: number, train: SessionDataset, test: SessionDataset): Promise<[number, number]> {
  const model = createBaseline(cfg, nItems);
  const fit = await model.fit(train, { rng: new Rng(0), progress: silentProgress });
  const predictor = model.predictor(test);
  const start = performance.now();
  let scored = 0;
  for (const batch of makeParallelBatches(test, { batchSize: 64, lanes: 'session', order: 'time' })) {
    await predictor.step(batch, true);
    scored += batch.size;
  }
  const seconds = (performance.now() - start) / 1000;
  model.dispose();
  return [fit.seconds, scored / seconds];
}

async function main(): Promise<void> {
  const rng = new Rng(2024);
  for (const [nItems, nTrain, nTest] of [
    [2_500, 200_000, 20_000],
    [50_000, 200_000, 5_000],
  ] as const) {
    const train = syntheticLog(rng.fork(`train-${nItems}`), nItems, nTrain, 0);
    // The test log follows the training log in time, as in a time split (STAN decays by age).
    const test = syntheticLog(rng.fork(`test-${nItems}`), nItems, nTest, (train.times.at(-1) ?? 0) + 600);
    console.log(`\n${nItems} items, ${train.items.length} train events, ${test.items.length} test events`);
    console.log('model     fit s   scoring events/s');
    for (const cfg of CONFIGS) {
      const [fitSeconds, eventsPerSecond] = await scoringRate(cfg, nItems, train, test);
      console.log(`${cfg.type.padEnd(8)} ${fitSeconds.toFixed(3).padStart(6)}   ${Math.round(eventsPerSecond).toString().padStart(10)}`);
    }
  }
}

await main();

/**
 * A 1,000,000-item catalogue end to end within 24 GiB: GRU4Rec (official defaults: constrained
 * embedding, cross-entropy, 2048 shared samples) and HRNN (paper small Init net: onehot input,
 * TOP1) each train one epoch on a synthetic user log, write their per-epoch checkpoint and are
 * evaluated with full ranking over all 1M items. Prints seconds per phase, events/s, checkpoint
 * size and write time, the wasm heap and the process's peak RSS after each phase.
 * Run: npx tsx bench/scale.ts [--backend wasm|cpu]   (about 5-6 minutes on a busy 2-core machine)
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { evalSchema } from '../src/config/eval-schema.js';
import { gru4recSchema, hrnnSchema, type NeuralConfig } from '../src/config/neural-schema.js';
import type { SessionDataset } from '../src/data/types.js';
import { evalLanes, evaluateModel } from '../src/eval/evaluate.js';
import { createNeuralModel } from '../src/models/neural.js';
import { initBackend, type BackendName } from '../src/util/backend.js';
import { silentProgress } from '../src/util/progress.js';
import { Rng } from '../src/util/rng.js';
import { syntheticSplit } from './synthetic-log.js';

const N_ITEMS = 1_000_000;
const N_USERS = 8_000;
const SESSIONS_PER_USER = 4;
/** Users whose last session is the test split (the others train on all their sessions): full
 *  ranking costs ~3 s per batch at 1M items, so the test split is kept to ~600 targets. */
const N_TEST_USERS = 150;
interface Split {
  train: SessionDataset;
  test: SessionDataset;
}

/** Peak RSS so far and the wasm heap (which never shrinks and caps at 4 GB), in MB. */
function memory(): string {
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.byteLength;
  const heap = wasm === undefined ? '' : `, wasm heap ${mb(wasm)} MB`;
  return `peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB${heap}`;
}

const mb = (bytes: number): string => Math.round(bytes / 2 ** 20).toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const rate = (x: number): string => Math.round(x).toLocaleString('en-US');

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.path, entry.name))).size;
  }
  return total;
}

async function benchModel(cfg: NeuralConfig, split: Split): Promise<void> {
  const label = cfg.type.padEnd(8);
  const rng = new Rng(1);
  let t = performance.now();
  const model = createNeuralModel(cfg, N_ITEMS, rng);
  console.log(`${label} init ${secs(performance.now() - t)} | ${memory()}`);
  const checkpointDir = await mkdtemp(join(tmpdir(), 'hrnn-scale-'));
  try {
    let epochEnd = 0;
    t = performance.now();
    const fit = await model.fit(split.train, { rng, progress: silentProgress, checkpointDir, logEpoch: () => (epochEnd = performance.now()) });
    const done = performance.now();
    console.log(
      `${label} train 1 epoch ${secs(done - t)}, ${rate(fit.eventsPerSecond ?? 0)} ev/s | ` +
        `checkpoint ${mb(await dirBytes(checkpointDir))} MB written in ${secs(done - epochEnd)} | ${memory()}`,
    );
  } finally {
    await rm(checkpointDir, { recursive: true, force: true });
  }
  const evalCfg = evalSchema.parse({ cutoffs: [20], bootstrapSamples: 0 });
  const result = await evaluateModel(model, split, evalCfg, { progress: silentProgress, nItems: N_ITEMS });
  console.log(
    `${label} eval ${result.nEvaluated} targets, ${evalLanes(evalCfg.batchSize, N_ITEMS)} lanes, ${secs(result.seconds * 1000)}, ` +
      `${rate(result.eventsPerSecond)} ev/s, recall@20 ${(result.metrics['recall@20'] ?? 0).toFixed(4)} | ${memory()}`,
  );
  model.dispose();
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--backend');
  const info = await initBackend(arg > 0 ? (process.argv[arg + 1] as BackendName) : undefined);
  let t = performance.now();
  const split = syntheticSplit({ nItems: N_ITEMS, nUsers: N_USERS, sessionsPerUser: SESSIONS_PER_USER, minLength: 2, maxLength: 8, nTestUsers: N_TEST_USERS, seed: 7 });
  const trainEvents = split.train.items.length;
  console.log(
    `backend ${info.name}; ${N_ITEMS.toLocaleString('en-US')} items (Zipf s=1), ${N_USERS.toLocaleString('en-US')} users x ` +
      `${SESSIONS_PER_USER} sessions of 2-8 events: ${trainEvents.toLocaleString('en-US')} training events, ` +
      `test = last session of ${N_TEST_USERS} users; generated in ${secs(performance.now() - t)}`,
  );
  t = performance.now();
  await benchModel(gru4recSchema.parse({ type: 'gru4rec', epochs: 1 }), split);
  await benchModel(hrnnSchema.parse({ type: 'hrnn', epochs: 1 }), split);
  console.log(`total ${secs(performance.now() - t)} | ${memory()} (limit 24 GiB = 24,576 MB)`);
}

await main();

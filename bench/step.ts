import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/util/backend.js';
import { FakeStep, type PhaseTimes } from './fake-step.js';

/**
 * Events/s of one GRU4Rec-like training step (batch 64, 100 hidden units, constrained embedding,
 * cross-entropy, 2048 shared samples) at 2,500 and 50,000 items, on wasm and cpu, with the phase
 * breakdown (upload, tf ops, download, JS optimizer). `plain` = tf.matMul with transposeB + bias
 * adds; `fast` = biases folded into plain matMuls (matMulFast).
 * Run: npx tsx bench/step.ts [wasm|cpu ...]
 */
const BATCH = 64;
const HIDDEN = 100;
const SAMPLES = 2048;

async function benchOne(backend: BackendName, nItems: number, fast: boolean): Promise<void> {
  await initBackend(backend);
  const step = new FakeStep({ nItems, batch: BATCH, hidden: HIDDEN, nSamples: SAMPLES, fast });
  const warmup = backend === 'cpu' ? 2 : 10;
  const budgetMs = backend === 'cpu' ? 6000 : 4000;
  for (let i = 0; i < warmup; i++) step.run();
  Object.assign(step.times, { upload: 0, ops: 0, download: 0, optimizer: 0 } satisfies PhaseTimes);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < budgetMs || n < 3) {
    step.run();
    n++;
  }
  const ms = (performance.now() - start) / n;
  const phases = Object.entries(step.times).map(([k, v]) => `${k} ${(v / n).toFixed(2)}`).join(', ');
  const name = `${backend} ${fast ? 'fast ' : 'plain'} ${String(nItems).padStart(6)} items`;
  console.log(`${name}: ${Math.round((BATCH * 1000) / ms).toString().padStart(6)} events/s, ${ms.toFixed(2)} ms/step (${phases} ms); tensors ${tf.memory().numTensors}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const backends = (args.length > 0 ? args : ['wasm', 'cpu']) as BackendName[];
  for (const backend of backends) {
    for (const nItems of [2500, 50000]) {
      for (const fast of [false, true]) await benchOne(backend, nItems, fast);
    }
  }
}

await main();

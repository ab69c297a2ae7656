import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/util/backend.js';
import { FakeStep, type PhaseTimes } from './fake-step.js';

/**
 * Events/s of one GRU4Rec-like training step (batch 64, 100 hidden units, constrained embedding,
 * cross-entropy, 2048 shared samples) at 2,500 and 50,000 items, on wasm and cpu, with the phase
 * breakdown (upload, tf ops, download, JS optimizer). `plain` = tf.matMul (transposeB) + bias adds;
 * `fast` = biases folded into matMulFast. The variants run interleaved, so machine load hits both
 * alike; best and median step times are printed.
 * Run: npx tsx bench/step.ts [wasm|cpu ...]
 */
const BATCH = 64;
const HIDDEN = 100;
const SAMPLES = 2048;

interface Variant { label: string; step: FakeStep; ms: number[] }

async function benchCatalogue(backend: BackendName, nItems: number): Promise<void> {
  await initBackend(backend);
  const variants: Variant[] = [false, true].map((fast) => ({
    label: `${backend} ${fast ? 'fast ' : 'plain'} ${String(nItems).padStart(6)} items`,
    step: new FakeStep({ nItems, batch: BATCH, hidden: HIDDEN, nSamples: SAMPLES, fast }),
    ms: [],
  }));
  const rounds = backend === 'cpu' ? 8 : 60;
  for (let round = -3; round < rounds; round++) {
    for (const v of variants) {
      if (round === 0) Object.assign(v.step.times, { upload: 0, ops: 0, download: 0, optimizer: 0 } satisfies PhaseTimes);
      const t = performance.now();
      v.step.run();
      if (round >= 0) v.ms.push(performance.now() - t);
    }
  }
  for (const v of variants) report(v, rounds);
}

function report(v: Variant, rounds: number): void {
  const sorted = [...v.ms].sort((a, b) => a - b);
  const best = sorted[0] as number;
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  const phases = Object.entries(v.step.times).map(([k, t]) => `${k} ${(t / rounds).toFixed(1)}`).join(', ');
  const rate = (ms: number) => String(Math.round((BATCH * 1000) / ms)).padStart(6);
  console.log(
    `${v.label}: best ${rate(best)} events/s (${best.toFixed(1)} ms), median ${rate(median)} events/s (${median.toFixed(1)} ms); ` +
      `mean ms: ${phases}; tensors ${tf.memory().numTensors}`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const backends = (args.length > 0 ? args : ['wasm', 'cpu']) as BackendName[];
  for (const backend of backends) for (const nItems of [2500, 50000]) await benchCatalogue(backend, nItems);
}

await main();

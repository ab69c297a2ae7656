/**
 * Training and evaluation throughput of GRU4Rec (official PyTorch defaults: cross-entropy, 2048
 * shared samples, batch 64, 100 units) and HRNN (paper small Init net: TOP1, batch 50, 100/100
 * units) on a synthetic user log, at 2,500 and 50,000 items; and the process's peak RSS.
 * Training runs 3 epochs: the first includes the JIT and wasm warm-up, so it is printed apart from
 * the steady rate of epochs 2-3, which is what a 10-epoch run sees.
 * Run: npx tsx bench/train.ts [--backend wasm|cpu]
 */
import { evalSchema } from '../src/config/eval-schema.js';
import { gru4recSchema, hrnnSchema, type NeuralConfig } from '../src/config/neural-schema.js';
import { evaluateModel } from '../src/eval/evaluate.js';
import { createNeuralModel } from '../src/models/neural.js';
import { initBackend, type BackendName } from '../src/util/backend.js';
import { silentProgress } from '../src/util/progress.js';
import { Rng } from '../src/util/rng.js';
import { syntheticSplit } from './synthetic-log.js';

/** 400 users x 6 sessions of 3-10 events; the last session of each user is the test split. */
const LOG = { nUsers: 400, sessionsPerUser: 6, minLength: 3, maxLength: 10, seed: 1 };
const EPOCHS = 3;

async function benchModel(cfg: NeuralConfig, nItems: number): Promise<string> {
  const { train, test } = syntheticSplit({ ...LOG, nItems });
  const rng = new Rng(1);
  const model = createNeuralModel(cfg, nItems, rng);
  const epochs: { events: number; seconds: number }[] = [];
  const logEpoch = (entry: Record<string, unknown>): void => {
    const seconds = Number(entry.seconds);
    epochs.push({ seconds, events: Number(entry.eventsPerSecond) * seconds });
  };
  await model.fit(train, { rng, progress: silentProgress, logEpoch });
  const rate = (list: typeof epochs): number => list.reduce((n, e) => n + e.events, 0) / list.reduce((t, e) => t + e.seconds, 0);
  const evalCfg = evalSchema.parse({ cutoffs: [20], bootstrapSamples: 0 });
  const result = await evaluateModel(model, { train, test }, evalCfg, { progress: silentProgress, nItems });
  const rssMb = process.resourceUsage().maxRSS / 1024;
  return [
    `${cfg.type.padEnd(8)} items ${String(nItems).padStart(6)}`,
    `train ${Math.round(rate(epochs.slice(0, 1))).toString().padStart(6)} ev/s (epoch 1), ${Math.round(rate(epochs.slice(1))).toString().padStart(6)} (epochs 2-3)`,
    `eval ${Math.round(result.eventsPerSecond).toString().padStart(6)} ev/s`,
    `peak RSS ${rssMb.toFixed(0)} MB`,
  ].join(' | ');
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--backend');
  const info = await initBackend(arg > 0 ? (process.argv[arg + 1] as BackendName) : undefined);
  console.log(`backend: ${info.name}; synthetic log: ${LOG.nUsers} users x ${LOG.sessionsPerUser} sessions of ${LOG.minLength}-${LOG.maxLength} events, ${EPOCHS} epochs`);
  const gru4rec = gru4recSchema.parse({ type: 'gru4rec', epochs: EPOCHS });
  const hrnn = hrnnSchema.parse({ type: 'hrnn', epochs: EPOCHS });
  for (const nItems of [2_500, 50_000]) {
    for (const cfg of [gru4rec, hrnn]) console.log(await benchModel(cfg, nItems));
  }
}

await main();

/**
 * Training and evaluation throughput of GRU4Rec (official PyTorch defaults: cross-entropy, 2048
 * shared samples, batch 64, 100 units) and HRNN (paper small Init net: TOP1, batch 50, 100/100
 * units) on a synthetic user log, at 2,500 and 50,000 items; and the process's peak RSS.
 * Run: npx tsx bench/train.ts [--backend wasm|cpu]
 */
import { evalSchema } from '../src/config/eval-schema.js';
import { gru4recSchema, hrnnSchema, type NeuralConfig } from '../src/config/neural-schema.js';
import type { SessionDataset } from '../src/data/types.js';
import { evaluateModel } from '../src/eval/evaluate.js';
import { createNeuralModel } from '../src/models/neural.js';
import { initBackend, type BackendName } from '../src/util/backend.js';
import { silentProgress } from '../src/util/progress.js';
import { Rng } from '../src/util/rng.js';

const N_USERS = 400;
const SESSIONS_PER_USER = 6;

/** Users with SESSIONS_PER_USER sessions of 3-10 events; items Zipf(1)-distributed. The last
 *  session of each user is the test split. */
function syntheticLog(nItems: number, seed: number): { train: SessionDataset; test: SessionDataset } {
  const rng = new Rng(seed);
  const cdf = new Float64Array(nItems);
  let acc = 0;
  for (let i = 0; i < nItems; i++) cdf[i] = acc += 1 / (i + 1);
  const draw = (): number => {
    const u = rng.next() * acc;
    let lo = 0;
    let hi = nItems - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const users = Array.from({ length: N_USERS }, () => Array.from({ length: SESSIONS_PER_USER }, () => Array.from({ length: 3 + rng.int(8) }, draw)));
  return { train: toDataset(users.map((u) => u.slice(0, -1))), test: toDataset(users.map((u) => u.slice(-1))) };
}

function toDataset(users: number[][][]): SessionDataset {
  const items: number[] = [];
  const sessionOffsets = [0];
  const userOffsets = [0];
  for (const sessions of users) {
    for (const s of sessions) {
      items.push(...s);
      sessionOffsets.push(items.length);
    }
    userOffsets.push(sessionOffsets.length - 1);
  }
  return {
    items: Int32Array.from(items),
    times: Float64Array.from(items, (_, i) => i * 60),
    sessionOffsets: Int32Array.from(sessionOffsets),
    userOffsets: Int32Array.from(userOffsets),
    userIds: users.map((_, u) => `u${u}`),
    sessionIds: Array.from({ length: sessionOffsets.length - 1 }, (_, s) => `s${s}`),
  };
}

async function benchModel(cfg: NeuralConfig, nItems: number): Promise<string> {
  const { train, test } = syntheticLog(nItems, 1);
  const rng = new Rng(1);
  const model = createNeuralModel(cfg, nItems, rng);
  const fit = await model.fit(train, { rng, progress: silentProgress });
  const evalCfg = evalSchema.parse({ cutoffs: [20], bootstrapSamples: 0 });
  const result = await evaluateModel(model, { train, test }, evalCfg, { progress: silentProgress, nItems });
  const rssMb = process.resourceUsage().maxRSS / 1024;
  return [
    `${cfg.type.padEnd(8)} items ${String(nItems).padStart(6)}`,
    `train ${Math.round(fit.eventsPerSecond ?? 0).toString().padStart(6)} ev/s`,
    `eval ${Math.round(result.eventsPerSecond).toString().padStart(6)} ev/s`,
    `peak RSS ${rssMb.toFixed(0)} MB`,
  ].join(' | ');
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--backend');
  const info = await initBackend(arg > 0 ? (process.argv[arg + 1] as BackendName) : undefined);
  console.log(`backend: ${info.name}; synthetic log: ${N_USERS} users x ${SESSIONS_PER_USER} sessions of 3-10 events, 1 epoch`);
  const gru4rec = gru4recSchema.parse({ type: 'gru4rec', epochs: 1 });
  const hrnn = hrnnSchema.parse({ type: 'hrnn', epochs: 1 });
  for (const nItems of [2_500, 50_000]) {
    for (const cfg of [gru4rec, hrnn]) console.log(await benchModel(cfg, nItems));
  }
}

await main();

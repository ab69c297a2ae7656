import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gru4recSchema, hrnnSchema, type NeuralConfig } from '../../src/config/neural-schema.js';
import { createNeuralModel, loadNeuralModel, type NeuralModel } from '../../src/models/neural.js';
import { initBackend } from '../../src/util/backend.js';
import { silentProgress } from '../../src/util/progress.js';
import { Rng } from '../../src/util/rng.js';
import { usersDataset } from './helpers.js';

const N_ITEMS = 8;
// 4 users, 2-3 sessions each, strong sequential patterns (0->1->2, 3->4->5, ...).
const log = usersDataset([
  [[0, 1, 2], [3, 4, 5]],
  [[6, 7, 0, 1], [2, 3, 4]],
  [[5, 6, 7], [0, 1, 2, 3], [4, 5]],
  [[1, 2, 3], [6, 7, 0]],
]);

const gru4rec = gru4recSchema.parse({
  type: 'gru4rec',
  layers: [6],
  nSample: 3,
  batchSize: 2,
  epochs: 2,
  dropoutHidden: 0.2,
  dropoutEmbed: 0.1,
  optimizer: { type: 'adagrad', lr: 0.1, momentum: 0.3 },
});
const hrnn = hrnnSchema.parse({
  type: 'hrnn',
  variant: 'all',
  sessionUnits: 5,
  userUnits: 4,
  batchSize: 2,
  epochs: 2,
  dropoutUser: 0.1,
  dropoutInit: 0.2,
  optimizer: { type: 'adagrad', lr: 0.1, momentum: 0.2 },
});

let dir: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'hrnn-trainer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function train(cfg: NeuralConfig, seed: number, extra: { checkpointDir?: string; resume?: boolean } = {}): Promise<{ model: NeuralModel; losses: number[] }> {
  const rng = new Rng(seed);
  const model = createNeuralModel(cfg, N_ITEMS, rng);
  const losses: number[] = [];
  await model.fit(log, { rng, progress: silentProgress, logEpoch: (e) => losses.push(e.loss as number), ...extra });
  return { model, losses };
}

function withoutDropout(cfg: NeuralConfig, epochs: number): NeuralConfig {
  return cfg.type === 'gru4rec'
    ? { ...cfg, epochs, dropoutHidden: 0, dropoutEmbed: 0 }
    : { ...cfg, epochs, dropoutSession: 0, dropoutUser: 0, dropoutInit: 0 };
}

function params(model: NeuralModel): Float32Array[] {
  return model.net.store.names().map((n) => model.net.store.get(n));
}

describe.each([
  ['gru4rec', gru4rec],
  ['hrnn', hrnn],
] as const)('%s trainer', (label, cfg) => {
  it('over-fits a tiny log: the epoch loss falls within 20 steps', async () => {
    // about 2 steps per epoch with 2 lanes, so 8 epochs stay within 20 steps
    const { losses } = await train(withoutDropout(cfg, 8), 1);
    expect(losses).toHaveLength(8);
    losses.forEach((l) => expect(Number.isFinite(l)).toBe(true));
    expect(losses[7] as number).toBeLessThan((losses[0] as number) * 0.9);
  });

  it('same seed gives identical parameters, another seed different ones', async () => {
    const a = params((await train(cfg, 7)).model);
    const b = params((await train(cfg, 7)).model);
    const c = params((await train(cfg, 8)).model);
    a.forEach((p, i) => expect(Buffer.from(p.buffer).equals(Buffer.from((b[i] as Float32Array).buffer))).toBe(true));
    expect(a.some((p, i) => !Buffer.from(p.buffer).equals(Buffer.from((c[i] as Float32Array).buffer)))).toBe(true);
  });

  it('1 epoch + resume 1 epoch ends bitwise equal to 2 uninterrupted epochs', async () => {
    const full = params((await train(cfg, 3, { checkpointDir: join(dir, `${label}-full`) })).model);
    const ckpt = join(dir, `${label}-resume`);
    await train({ ...cfg, epochs: 1 }, 3, { checkpointDir: ckpt });
    const resumed = await train(cfg, 3, { checkpointDir: ckpt, resume: true });
    expect(resumed.losses).toHaveLength(1);
    params(resumed.model).forEach((p, i) => expect(Buffer.from(p.buffer).equals(Buffer.from((full[i] as Float32Array).buffer))).toBe(true));
  });

  it('save / loadNeuralModel round-trips parameters and config; training keeps no tensor', async () => {
    const before = tf.memory().numTensors;
    const { model } = await train(cfg, 5);
    expect(tf.memory().numTensors).toBe(before);
    await model.save(join(dir, `${label}-saved`));
    const loaded = await loadNeuralModel(join(dir, `${label}-saved`));
    expect(loaded.cfg).toEqual(model.cfg);
    expect(loaded.usesUserHistory).toBe(label === 'hrnn');
    params(loaded).forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(params(model)[i] as Float32Array)));
  });
});

it('loadNeuralModel names the file when nothing was saved', async () => {
  await expect(loadNeuralModel(join(dir, 'nothing'))).rejects.toThrow(/model\.json/);
});

it('early stopping ends training when the validation metric stops improving', async () => {
  // lr 1e-12: the metric cannot improve after epoch 1, so patience 1 stops after epoch 2 of 5.
  const cfg = gru4recSchema.parse({ ...gru4rec, epochs: 5, optimizer: { type: 'adagrad', lr: 1e-12 }, earlyStopping: { patience: 1, metric: 'mrr@5' } });
  const rng = new Rng(1);
  const model = createNeuralModel(cfg, N_ITEMS, rng);
  const entries: Record<string, unknown>[] = [];
  const validation = { train: log, test: usersDataset([[[0, 1, 2]], [[6, 7, 0]]]) };
  const fit = await model.fit(log, { rng, progress: silentProgress, validation, logEpoch: (e) => entries.push(e) });
  expect(fit.epochs).toBe(2);
  expect(entries.map((e) => typeof e['valid_mrr@5'])).toEqual(['number', 'number']);
});

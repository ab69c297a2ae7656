import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gru4recSchema, hrnnSchema, type NeuralConfig } from '../../src/config/neural-schema.js';
import { loadPretrainedItems } from '../../src/models/item-embedding-source.js';
import { createNeuralModel, loadNeuralModel, type NeuralModel } from '../../src/models/neural.js';
import type { FitResult } from '../../src/models/types.js';
import { initBackend } from '../../src/util/backend.js';
import { silentProgress } from '../../src/util/progress.js';
import { Rng } from '../../src/util/rng.js';
import { ITEM_IDS, N_ITEMS, writeVectors } from '../models/embedding-fixture.js';
import { makeBatch, usersDataset } from './helpers.js';

// Items 0..6 only (item 7 has no vector, as an item without training events would).
const log = usersDataset([
  [[0, 1, 2], [3, 4, 5]],
  [[6, 0, 1], [2, 3, 4]],
  [[5, 6, 0], [1, 2, 3], [4, 5]],
  [[1, 2, 3], [4, 5, 6]],
]);

let base: string;
beforeAll(async () => {
  await initBackend('cpu');
  base = await writeVectors();
});

function gru(mode: string, extra: Record<string, unknown> = {}): NeuralConfig {
  return gru4recSchema.parse({
    type: 'gru4rec',
    layers: [4],
    embedding: 'separate',
    embeddingDim: 3,
    nSample: 3,
    batchSize: 2,
    epochs: 2,
    optimizer: { type: 'adagrad', lr: 0.1 },
    itemEmbeddings: { path: base, mode },
    ...extra,
  });
}

interface Trained {
  model: NeuralModel;
  initial: Map<string, Float32Array>;
  losses: number[];
  fit: FitResult;
  logged: Record<string, unknown>[];
}

async function train(cfg: NeuralConfig): Promise<Trained> {
  const rng = new Rng(3);
  const model = createNeuralModel(cfg, N_ITEMS, rng, await loadPretrainedItems(cfg.itemEmbeddings!, ITEM_IDS));
  const initial = new Map(model.net.store.names().map((n) => [n, model.net.store.get(n).slice()]));
  const logged: Record<string, unknown>[] = [];
  const fit = await model.fit(log, { rng, progress: silentProgress, logEpoch: (e) => logged.push(e) });
  const losses = logged.filter((e) => typeof e.loss === 'number').map((e) => e.loss as number);
  return { model, initial, losses, fit, logged };
}

function unchanged(t: Trained, name: string): boolean {
  return Buffer.from(t.model.net.store.get(name).buffer).equals(Buffer.from((t.initial.get(name) as Float32Array).buffer));
}

/** Scores of a two-step evaluation pass, [rows * nItems] per step. */
async function predict(model: NeuralModel): Promise<number[]> {
  const predictor = model.predictor(log);
  const first = makeBatch({ inputIds: [0, 3], targetIds: [1, 4], sessionStart: [1, 1] });
  const second = makeBatch({ inputIds: [1, 4], targetIds: [2, 5], sessionStart: [0, 0] });
  const out = [...((await predictor.step(first, true)) ?? []), ...((await predictor.step(second, true)) ?? [])];
  predictor.dispose();
  return out;
}

describe('freeze', () => {
  it('leaves in.E bit-identical after training while the other parameters change', async () => {
    const t = await train(gru('freeze'));
    expect(unchanged(t, 'in.E')).toBe(true);
    for (const name of ['in.W', 'in.b', 'out.W', 'out.b', 'gru0.U']) expect(unchanged(t, name)).toBe(false);
  });

  it('with projection: in.E stays, the projection in.P trains', async () => {
    const t = await train(gru('freeze', { itemEmbeddings: { path: base, mode: 'freeze', projection: true } }));
    expect(unchanged(t, 'in.E')).toBe(true);
    expect(unchanged(t, 'in.P')).toBe(false);
  });

  it('constrained: the shared out.W stays, its bias trains', async () => {
    const t = await train(gru('freeze', { embedding: 'constrained', layers: [4] }));
    expect(unchanged(t, 'out.W')).toBe(true);
    expect(unchanged(t, 'out.b')).toBe(false);
  });
});

describe('init and concat', () => {
  it('init fine-tunes the pretrained rows of in.E', async () => {
    expect(unchanged(await train(gru('init')), 'in.E')).toBe(false);
  });

  it('concat keeps in.Ep, reports the item without a vector, and the loss decreases', async () => {
    const t = await train(gru('concat', { epochs: 8 }));
    expect(unchanged(t, 'in.Ep')).toBe(true);
    expect(unchanged(t, 'in.E')).toBe(false);
    expect(t.fit.itemsWithoutVector).toBe(1);
    expect(t.logged[0]).toEqual({ itemEmbeddings: { path: base, mode: 'concat', itemsWithoutVector: 1 } });
    expect(t.losses).toHaveLength(8);
    expect(t.losses[7] as number).toBeLessThan((t.losses[0] as number) * 0.9);
  });

  it('hrnn with onehot concat trains with decreasing loss', async () => {
    const cfg = hrnnSchema.parse({
      type: 'hrnn',
      sessionUnits: 4,
      userUnits: 3,
      batchSize: 2,
      epochs: 8,
      dropoutSession: 0,
      optimizer: { type: 'adagrad', lr: 0.1 },
      itemEmbeddings: { path: base, mode: 'concat' },
    });
    const t = await train(cfg);
    expect(unchanged(t, 'in.Ep')).toBe(true);
    expect(unchanged(t, 'in.Wp')).toBe(false);
    expect(t.losses[7] as number).toBeLessThan((t.losses[0] as number) * 0.9);
  });
});

describe('no tensor leaks, save and load', () => {
  it.each(['init', 'freeze', 'concat'])('%s: training and evaluation keep no tensor', async (mode) => {
    const cfg = gru(mode, { itemEmbeddings: { path: base, mode, projection: mode !== 'concat' } });
    await predict((await train(cfg)).model); // burn-in
    const before = tf.memory().numTensors;
    await predict((await train(cfg)).model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a saved model scores the same without the embedding file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hrnn-pretrained-'));
    const own = await writeVectors();
    const cfg = gru('concat', { itemEmbeddings: { path: own, mode: 'concat' } });
    const { model } = await train(cfg);
    await model.save(join(dir, 'model'));
    await rm(`${own}.f32`);
    await rm(`${own}.json`);
    const loaded = await loadNeuralModel(join(dir, 'model'));
    expect(loaded.net.store.spec('in.Ep').frozen).toBe(true);
    expect(await predict(loaded)).toEqual(await predict(model));
    await rm(dir, { recursive: true, force: true });
  });
});

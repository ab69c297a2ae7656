import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gru4recSchema, hrnnSchema, type NeuralConfig } from '../../src/config/neural-schema.js';
import { loadPretrainedItems, type PretrainedItems } from '../../src/models/item-embedding-source.js';
import { itemInputProjection, type ItemIoSpec } from '../../src/models/item-io.js';
import { createNeuralModel, type NeuralModel } from '../../src/models/neural.js';
import { uploadParam } from '../../src/models/session-step.js';
import { initBackend } from '../../src/util/backend.js';
import { Rng } from '../../src/util/rng.js';
import { makeBatch, matmul, param } from '../train/helpers.js';
import { DIM, ITEM_IDS, MISSING, N_ITEMS, row, vectorOf, writeVectors } from './embedding-fixture.js';

let base: string;
let vectors: PretrainedItems;
beforeAll(async () => {
  await initBackend('cpu');
  base = await writeVectors();
  vectors = await loadPretrainedItems({ path: base, mode: 'init', projection: false }, ITEM_IDS);
});

const f32 = (xs: number[]): number[] => Array.from(Float32Array.from(xs));

function gru(extra: Record<string, unknown>): NeuralConfig {
  return gru4recSchema.parse({ type: 'gru4rec', layers: [3], embedding: 'separate', embeddingDim: 5, ...extra });
}

function model(cfg: NeuralConfig, seed = 1): NeuralModel {
  return createNeuralModel(cfg, N_ITEMS, new Rng(seed), cfg.itemEmbeddings ? vectors : undefined);
}

const emb = (mode: string, projection = false) => ({ itemEmbeddings: { path: '/unused', mode, projection } });

/** The first GRU's input projection [B, 3H] for `items`, from the model's own uploads (no dropout). */
function inputProjection(m: NeuralModel, items: number[]): number[][] {
  const { io } = m.net as unknown as { io: ItemIoSpec };
  const batch = makeBatch({ inputIds: items, targetIds: items, sessionStart: items.map(() => 1) });
  const specs = m.net.uploads(batch);
  return tf.tidy(() => {
    const byKey = new Map(specs.map((s) => [s.key, uploadParam(m.net.store, s)]));
    return itemInputProjection(io, (k) => byKey.get(k) as tf.Tensor, null).arraySync();
  });
}

describe('loading pretrained vectors', () => {
  it('keeps row alignment: item k gets vector k, the item without a vector is flagged', () => {
    expect(vectors.dim).toBe(DIM);
    expect(Array.from(vectors.hasVector)).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
    expect(vectors.nWithoutVector).toBe(1);
    for (let k = 0; k < N_ITEMS; k++) expect(row(vectors.vectors, k, DIM)).toEqual(f32(vectorOf(k)));
  });

  it('refuses a file written for a permuted item index', async () => {
    const permuted = await writeVectors([...ITEM_IDS.slice(1), ITEM_IDS[0] as string]);
    await expect(loadPretrainedItems({ path: permuted, mode: 'init', projection: false }, ITEM_IDS)).rejects.toThrow(/item index mismatch at row 0/);
  });
});

describe('separate embedding', () => {
  it('init: in.E row k equals vector k; the missing item keeps the plain model\'s Glorot row', () => {
    const m = model(gru(emb('init')));
    const plain = model(gru({ embeddingDim: DIM }));
    const e = m.net.store.get('in.E');
    expect(m.net.store.spec('in.E').shape).toEqual([N_ITEMS, DIM]);
    for (let k = 0; k < MISSING; k++) expect(row(e, k, DIM)).toEqual(f32(vectorOf(k)));
    expect(row(e, MISSING, DIM)).toEqual(row(plain.net.store.get('in.E'), MISSING, DIM));
    expect(m.net.store.spec('in.E').frozen).toBeUndefined();
  });

  it('freeze: in.E holds the vectors, zero for the missing item, and is marked frozen', () => {
    const m = model(gru(emb('freeze')));
    expect(row(m.net.store.get('in.E'), 3, DIM)).toEqual(f32(vectorOf(3)));
    expect(row(m.net.store.get('in.E'), MISSING, DIM)).toEqual([0, 0, 0, 0]);
    expect(m.net.store.spec('in.E').frozen).toBe(true);
  });

  it('projection: x = E[i] P W + b with P [dim, embeddingDim]', () => {
    const m = model(gru(emb('init', true)));
    const s = m.net.store;
    expect(s.spec('in.P').shape).toEqual([DIM, 5]);
    expect(s.spec('in.W').shape).toEqual([5, 9]);
    const got = inputProjection(m, [1, 4]);
    const want = matmul(matmul([vectorOf(1), vectorOf(4)], param(s, 'in.P')), param(s, 'in.W'));
    got.forEach((r, b) => r.forEach((v, j) => expect(v).toBeCloseTo(((want[b] as number[])[j] as number) + (s.get('in.b')[j] as number), 5)));
  });

  it('concat: in.W is (D + dim) x 3H over [E_id[i]; E_p2v[i]], in.Ep frozen with a zero row for the missing item', () => {
    const m = model(gru(emb('concat')));
    const s = m.net.store;
    expect(s.spec('in.W').shape).toEqual([5 + DIM, 9]);
    expect(s.spec('in.Ep').frozen).toBe(true);
    expect(row(s.get('in.Ep'), MISSING, DIM)).toEqual([0, 0, 0, 0]);
    const x = [[...row(s.get('in.E'), 5, 5), ...f32(vectorOf(5))]];
    const want = matmul(x, param(s, 'in.W'))[0] as number[];
    (inputProjection(m, [5])[0] as number[]).forEach((v, j) => expect(v).toBeCloseTo(want[j] as number, 5));
  });
});

describe('constrained and onehot embeddings', () => {
  const constrained = (extra: Record<string, unknown>) => gru({ embedding: 'constrained', layers: [DIM], ...extra });

  it('constrained init: out.W row k equals vector k when the dims match', () => {
    const w = model(constrained(emb('init'))).net.store.get('out.W');
    for (let k = 0; k < MISSING; k++) expect(row(w, k, DIM)).toEqual(f32(vectorOf(k)));
  });

  it('constrained with another dim: refused without projection, a linear map of the vectors with it', () => {
    expect(() => model(gru({ embedding: 'constrained', layers: [6], ...emb('init') }))).toThrow(/4 dimensions, the constrained embedding \(out\.W\) has 6.*separate/);
    const m = model(gru({ embedding: 'constrained', layers: [6], ...emb('freeze', true) }));
    const w = m.net.store.get('out.W');
    // item 2's vector is twice item 1's, so a linear map keeps rows 2 = 2 x row 1
    row(w, 2, 6).forEach((v, j) => expect(v).toBeCloseTo(2 * (row(w, 1, 6)[j] as number), 5));
    expect(row(w, MISSING, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(m.net.store.spec('out.W').frozen).toBe(true);
  });

  it('onehot: init is refused with the reason, concat adds in.Wp [dim, 3H]', () => {
    const hrnn = (extra: Record<string, unknown>) => hrnnSchema.parse({ type: 'hrnn', sessionUnits: 3, userUnits: 2, ...extra });
    expect(() => model(hrnn(emb('init')))).toThrow(/onehot has none.*mode: concat/);
    const m = model(hrnn(emb('concat')));
    expect(m.net.store.spec('in.Wp').shape).toEqual([DIM, 9]);
    const s = m.net.store;
    const want = matmul([f32(vectorOf(3))], param(s, 'in.Wp'))[0] as number[];
    (inputProjection(m, [3])[0] as number[]).forEach((v, j) => expect(v).toBeCloseTo((want[j] as number) + (row(s.get('in.W'), 3, 9)[j] as number), 5));
  });

  it('concat with projection is refused', () => {
    expect(() => model(gru(emb('concat', true)))).toThrow(/projection has no effect with concat/);
  });
});

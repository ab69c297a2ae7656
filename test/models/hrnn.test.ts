import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../src/data/batch.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { hrnnSchema } from '../../src/config/neural-schema.js';
import { HrnnNet } from '../../src/models/hrnn.js';
import { NeuralPredictor } from '../../src/models/neural-predictor.js';
import { trainStep } from '../../src/models/session-step.js';
import { initBackend } from '../../src/util/backend.js';
import { Rng } from '../../src/util/rng.js';
import { addBias, gruRef, makeBatch, matmul, param, scoresRef, setPatternWeights, top1StepInput, type Mat } from '../train/helpers.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const N_ITEMS = 5;
const HS = 3;
const HU = 2;

function net(variant: 'init' | 'all', legacyInitBug: boolean): HrnnNet {
  const cfg = hrnnSchema.parse({ type: 'hrnn', variant, legacyInitBug, sessionUnits: HS, userUnits: HU });
  const n = HrnnNet.create(cfg, N_ITEMS, new Rng(1));
  setPatternWeights(n.store);
  return n;
}

// Four rows, one per (Sstart, Ustart) case: continuing, new session, new user, new user's first step.
const batch = makeBatch({ inputIds: [1, 3, 0, 4], targetIds: [2, 4, 1, 0], sessionStart: [0, 1, 0, 1], userStart: [0, 0, 0, 1] });
const sPrev: Mat = [
  [0.1, -0.2, 0.3],
  [0.4, 0.0, -0.5],
  [-0.3, 0.2, 0.1],
  [0.6, -0.1, 0.2],
];
const cPrev: Mat = [
  [0.2, -0.4],
  [-0.1, 0.3],
  [0.5, 0.5],
  [-0.6, 0.1],
];

/** Spec 1.2, steps 1-4, row by row in plain JS. */
function reference(n: HrnnNet, variant: 'init' | 'all', legacy: boolean, b0 = batch, sPrev0 = sPrev, cPrev0 = cPrev): { s: Mat; c: Mat } {
  return referenceFor(n, variant, legacy, b0, sPrev0, cPrev0);
}

function referenceFor(n: HrnnNet, variant: string, legacy: boolean, batch: Batch, sPrev: Mat, cPrev: Mat): { s: Mat; c: Mat } {
  const p = (name: string): Mat => param(n.store, name);
  const cCand = gruRef(addBias(matmul(sPrev, p('usr.W')), p('usr.b')[0] as number[]), cPrev, p('usr.U'));
  const c = cPrev.map((row, b) => (batch.userStart[b] ? row.map(() => 0) : batch.sessionStart[b] ? (cCand[b] as number[]) : row));
  const sInit = addBias(matmul(c, p('init.W')), p('init.b')[0] as number[]).map((row) => row.map(Math.tanh));
  const s = sPrev.map((row, b) => (batch.userStart[b] ? row.map(() => 0) : batch.sessionStart[b] ? (sInit[b] as number[]) : row));
  const xProj = addBias(
    Array.from(batch.inputIds, (i) => p('in.W')[i] as number[]),
    p('in.b')[0] as number[],
  );
  const extra = variant === 'all' ? matmul(c, p('all.V')) : undefined;
  return { s: gruRef(xProj, s, p('ses.U'), extra, legacy ? sPrev : undefined), c };
}

function run(n: HrnnNet): { s: Float32Array; c: Float32Array; loss: number } {
  const out = trainStep(n, top1StepInput(batch, [Float32Array.from(sPrev.flat()), Float32Array.from(cPrev.flat())], null));
  return { s: out.lanes[0] as Float32Array, c: out.lanes[1] as Float32Array, loss: out.loss };
}

const close = (actual: ArrayLike<number>, expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
};

describe('HRNN step (hand-set weights vs spec 1.2 in plain JS)', () => {
  for (const variant of ['init', 'all'] as const) {
    for (const legacy of [false, true]) {
      it(`${variant}, legacyInitBug ${legacy}: user and session states for all Sstart/Ustart cases`, () => {
        const n = net(variant, legacy);
        const ref = reference(n, variant, legacy);
        const got = run(n);
        close(got.c, ref.c.flat());
        close(got.s, ref.s.flat());
        // TOP1 over the 4 in-batch columns (spec 1.4), from the reference scores after tanh.
        const y = scoresRef(ref.s, param(n.store, 'out.W'), param(n.store, 'out.b')).map((r) => r.map(Math.tanh));
        const sig = (x: number): number => 1 / (1 + Math.exp(-x));
        const rows = Array.from(batch.targetIds, (t, a) => {
          const row = y[a] as number[];
          const pos = row[t] as number;
          const terms = Array.from(batch.targetIds, (u) => sig((row[u] as number) - pos) + sig((row[u] as number) ** 2));
          return terms.reduce((x, z) => x + z, 0) / 4 - sig(pos ** 2) / 4;
        });
        expect(got.loss).toBeCloseTo(rows.reduce((x, z) => x + z, 0) / 4, 5);
      });
    }
  }

  it('legacyInitBug changes only rows that start a session', () => {
    const fixed = run(net('init', false));
    const legacy = run(net('init', true));
    // row 0 and 2 continue (identical); rows 1 and 3 start a session (differ)
    for (const row of [0, 2]) close(legacy.s.subarray(row * HS, (row + 1) * HS), Array.from(fixed.s.subarray(row * HS, (row + 1) * HS)));
    expect(Array.from(legacy.s.subarray(HS, 2 * HS))).not.toEqual(Array.from(fixed.s.subarray(HS, 2 * HS)));
  });

  it('evaluation scores are tanh of the full-catalogue output, with the same state as training', async () => {
    const n = net('all', false);
    const first = makeBatch({ inputIds: [1, 3, 0, 4], targetIds: [2, 4, 1, 0], sessionStart: [1, 1, 1, 1], userStart: [1, 1, 1, 1] });
    const zeros = (k: number): Mat => sPrev.map(() => new Array<number>(k).fill(0));
    const ref1 = reference(n, 'all', false, first, zeros(HS), zeros(HU));
    // second step: the Sstart/Ustart mix of the training test, from the states of the first
    const ref = reference(n, 'all', false, batch, ref1.s, ref1.c);
    const before = tf.memory().numTensors;
    const predictor = new NeuralPredictor(n, N_ITEMS, (x) => tf.tanh(x));
    await predictor.step(first, false);
    const scores = await predictor.step(batch, true);
    predictor.dispose();
    expect(tf.memory().numTensors).toBe(before);
    close(scores as Float32Array, scoresRef(ref.s, param(n.store, 'out.W'), param(n.store, 'out.b')).flat().map(Math.tanh));
  });

  it('keeps no tensor across training steps with dropout', () => {
    const n = HrnnNet.create(hrnnSchema.parse({ type: 'hrnn', variant: 'all', sessionUnits: HS, userUnits: HU, dropoutUser: 0.5, dropoutInit: 0.5 }), N_ITEMS, new Rng(2));
    const step = (): void => {
      trainStep(n, top1StepInput(batch, [Float32Array.from(sPrev.flat()), Float32Array.from(cPrev.flat())], n.masks(4, new Rng(3)), Int32Array.from([2, 4, 1, 0, 3])));
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});

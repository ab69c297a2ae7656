import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../src/data/batch.js';
import { hrnnSchema } from '../../src/config/neural-schema.js';
import { HrnnNet } from '../../src/models/hrnn.js';
import { gruStep } from '../../src/models/layers/gru-cell.js';
import { applyMask, maskColumn, trainStep, type Lookup, type Masks, type SequenceNet, type TrainStepOutput } from '../../src/models/session-step.js';
import { initBackend } from '../../src/util/backend.js';
import { Rng } from '../../src/util/rng.js';
import { matMulFast } from '../../src/util/tf-kernels.js';
import { makeBatch, setPatternWeights, top1StepInput } from '../train/helpers.js';

// The HRNN step runs its user GRU and init layer only on the rows that start a session; here it is
// compared with the formula computed on all B rows and then selected per row (spec 1.2), which was
// the implementation before: states, loss and every gradient must agree to float32 round-off.

beforeAll(async () => {
  await initBackend('cpu');
});

const N_ITEMS = 7;
const HS = 3;
const HU = 2;
const ROWS = 6;

function net(variant: 'init' | 'all', legacyInitBug: boolean): HrnnNet {
  const cfg = hrnnSchema.parse({ type: 'hrnn', variant, legacyInitBug, sessionUnits: HS, userUnits: HU, dropoutUser: 0.3, dropoutInit: 0.4, dropoutSession: 0.2 });
  const n = HrnnNet.create(cfg, N_ITEMS, new Rng(1));
  setPatternWeights(n.store);
  return n;
}

/** The all-rows step: every dense parameter uploaded, user GRU and init layer on all B rows. */
function allRowsNet(n: HrnnNet, variant: 'init' | 'all', legacy: boolean): SequenceNet {
  const dense = n.store.names().filter((p) => !n.store.spec(p).itemIndexed);
  return {
    store: n.store,
    laneUnits: n.laneUnits,
    outUnits: n.outUnits,
    uploads: (b) => [{ key: 'in.W@in', param: 'in.W', rows: b.inputIds }, ...dense.map((p) => ({ key: p, param: p, rows: null }))],
    masks: (rows, rng) => n.masks(rows, rng),
    resetLanes: () => undefined,
    advance: (t: Lookup, b: Batch, lanes: tf.Tensor2D[], masks: Masks | null) => {
      const [sPrev, cPrev] = lanes as [tf.Tensor2D, tf.Tensor2D];
      const sStart = maskColumn(b.sessionStart);
      const keepUser = tf.sub(1, maskColumn(b.userStart));
      const select = (start: tf.Tensor2D, prev: tf.Tensor2D): tf.Tensor2D =>
        tf.mul(tf.add(tf.mul(sStart, start), tf.mul(tf.sub(1, sStart), prev)), keepUser) as tf.Tensor2D;
      const w = (key: string): tf.Tensor2D => t(key) as tf.Tensor2D;
      const bias = (key: string): tf.Tensor => tf.reshape(t(key), [1, -1]);
      const c = select(applyMask(gruStep(tf.add(matMulFast(sPrev, w('usr.W')), bias('usr.b')) as tf.Tensor2D, cPrev, w('usr.U')), masks, 'user'), cPrev);
      const s = select(applyMask(tf.tanh(tf.add(matMulFast(c, w('init.W')), bias('init.b'))) as tf.Tensor2D, masks, 'init'), sPrev);
      const xProj = tf.add(t('in.W@in'), bias('in.b')) as tf.Tensor2D;
      const gateExtra = variant === 'all' ? tf.concat([matMulFast(c, w('all.V')), tf.zeros([b.size, HS])], 1) as tf.Tensor2D : undefined;
      let h = gruStep(xProj, s, w('ses.U'), { gateExtra });
      if (legacy) {
        // z from the full gate pre-activation: block 1 of sigmoid(xProj + s U (+ extra)).
        let pre = tf.add(xProj, matMulFast(s, w('ses.U')));
        if (gateExtra) pre = tf.add(pre, gateExtra);
        const z = tf.slice(tf.sigmoid(pre), [0, HS], [-1, HS]);
        h = tf.add(h, tf.mul(tf.sub(1, z), tf.sub(sPrev, s))) as tf.Tensor2D;
      }
      const out = applyMask(h, masks, 'session');
      return { out, lanes: [out, c] };
    },
  };
}

const pattern = (n: number, phase: number): Float32Array => Float32Array.from({ length: n }, (_, i) => 0.6 * Math.sin(1.3 * i + phase));

function step(n: SequenceNet, batch: Batch, masks: Masks): TrainStepOutput {
  return trainStep(n, top1StepInput(batch, [pattern(ROWS * HS, 0.2), pattern(ROWS * HU, 1.1)], masks));
}

const near = (actual: ArrayLike<number>, expected: ArrayLike<number>): void => {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected[i] as number))));
};

/** New vs all-rows step on `batch` with the same dropout masks: lanes, loss and all gradients. */
function compare(variant: 'init' | 'all', legacy: boolean, batch: Batch): TrainStepOutput {
  const n = net(variant, legacy);
  const masks = n.masks(ROWS, new Rng(5));
  const got = step(n, batch, masks);
  const want = step(allRowsNet(n, variant, legacy), batch, masks);
  expect(got.loss).toBeCloseTo(want.loss, 6);
  got.lanes.forEach((lane, i) => near(lane, want.lanes[i] as Float32Array));
  const grads = new Map(got.grads.map((g) => [g.param, g]));
  expect([...grads.keys()].sort()).toEqual(want.grads.map((g) => g.param).sort());
  for (const g of want.grads) {
    const mine = grads.get(g.param);
    expect(mine?.rows === null ? null : Array.from(mine?.rows ?? [])).toEqual(g.rows === null ? null : Array.from(g.rows));
    near(mine?.grad ?? [], g.grad);
  }
  return got;
}

const ids = { inputIds: [1, 3, 0, 4, 6, 2], targetIds: [2, 4, 1, 0, 5, 6] };
// Rows: continuing; new session (k row 0); new user without Sstart; new user's first step; new
// session (k row 1); continuing.
const mixed = makeBatch({ ...ids, sessionStart: [0, 1, 0, 1, 1, 0], userStart: [0, 0, 1, 1, 0, 0] });
const noStart = makeBatch({ ...ids, sessionStart: [0, 0, 0, 0, 0, 0] });
const userOnly = makeBatch({ ...ids, sessionStart: [0, 0, 0, 1, 0, 0], userStart: [0, 0, 0, 1, 0, 0] });

describe('HRNN step on the session-start rows only vs the all-rows formula (same dropout draws)', () => {
  for (const variant of ['init', 'all'] as const) {
    for (const legacy of [false, true]) {
      it(`${variant}, legacyInitBug ${legacy}: all Sstart/Ustart cases, two start rows`, () => {
        const got = compare(variant, legacy, mixed);
        // the user GRU got a gradient (through the two start rows)
        expect(got.grads.find((g) => g.param === 'usr.W')?.grad.some((v) => v !== 0)).toBe(true);
      });
    }
  }

  for (const [name, batch] of [
    ['no row starts anything', noStart],
    ['only a new user starts', userOnly],
  ] as const) {
    it(`k = 0 (${name}): same state and loss, the user GRU and init layer neither uploaded nor computed`, () => {
      for (const variant of ['init', 'all'] as const) {
        const got = compare(variant, false, batch);
        const n = net(variant, false);
        const uploaded = n.uploads(batch).map((u) => u.param);
        for (const p of ['usr.W', 'usr.b', 'usr.U', 'init.W', 'init.b']) {
          expect(uploaded).not.toContain(p);
          // an idle parameter gets an explicit zero gradient (momentum/Adam still step)
          expect(got.grads.find((g) => g.param === p)?.grad.every((v) => v === 0)).toBe(true);
        }
      }
    });
  }

  it('a start row draws its dropout from its own row of the [B, H] masks', () => {
    // Only row 4 starts; a mask zeroing exactly that row's user units zeroes c there (c' masked).
    const n = net('init', false);
    const batch = makeBatch({ ...ids, sessionStart: [0, 0, 0, 0, 1, 0] });
    const user = new Float32Array(ROWS * HU).fill(2);
    user.fill(0, 4 * HU, 5 * HU);
    const masks = new Map([['user', user]]);
    const got = step(n, batch, masks);
    const want = step(allRowsNet(n, 'init', false), batch, masks);
    near(got.lanes[1] as Float32Array, want.lanes[1] as Float32Array);
    near((got.lanes[1] as Float32Array).subarray(4 * HU, 5 * HU), [0, 0]);
    // the continuing rows keep c_prev
    near((got.lanes[1] as Float32Array).subarray(0, HU), pattern(ROWS * HU, 1.1).subarray(0, HU));
  });
});

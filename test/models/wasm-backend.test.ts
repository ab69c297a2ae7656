import { describe, expect, it } from 'vitest';
import { gru4recSchema, hrnnSchema } from '../../src/config/neural-schema.js';
import { Gru4recNet } from '../../src/models/gru4rec.js';
import { HrnnNet } from '../../src/models/hrnn.js';
import type { LossName } from '../../src/models/losses.js';
import { trainStep, type SequenceNet, type TrainStepInput, type TrainStepOutput } from '../../src/models/session-step.js';
import { initBackend } from '../../src/util/backend.js';
import { Rng } from '../../src/util/rng.js';
import { makeBatch } from '../train/helpers.js';

/**
 * The model tests run on the cpu backend; training runs on wasm. The same step on both must give
 * the same loss, gradients and states: this caught a wasm kernel (OneHot with float output) that
 * silently returned wrong values.
 */
const N_ITEMS = 6;
const batch = makeBatch({ inputIds: [1, 3, 0, 4], targetIds: [2, 4, 1, 0], sessionStart: [0, 1, 0, 1], userStart: [0, 0, 0, 1] });

async function stepOn(backend: 'cpu' | 'wasm', net: SequenceNet, input: TrainStepInput): Promise<TrainStepOutput> {
  await initBackend(backend);
  return trainStep(net, input);
}

function lanesFor(units: readonly number[]): Float32Array[] {
  const rng = new Rng(9);
  return units.map((u) => Float32Array.from({ length: batch.size * u }, () => rng.next() - 0.5));
}

async function expectSameOnBoth(net: SequenceNet, loss: LossName, cols: Int32Array, logQ: Float32Array | null): Promise<void> {
  const input: TrainStepInput = {
    batch,
    lanes: lanesFor(net.laneUnits),
    cols,
    logQ,
    logQWeight: logQ ? 1 : 0,
    loss,
    batchSize: 8,
    bpreg: 1,
    finalAct: loss === 'bpr-max' ? 'elu-0.5' : undefined,
    masks: net.masks(batch.size, new Rng(3)),
  };
  const cpu = await stepOn('cpu', net, input);
  const wasm = await stepOn('wasm', net, input);
  expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
  expect(wasm.grads.map((g) => g.param)).toEqual(cpu.grads.map((g) => g.param));
  const close = (a: Float32Array, b: Float32Array) => Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 5));
  wasm.grads.forEach((g, i) => close(g.grad, (cpu.grads[i] as TrainStepOutput['grads'][number]).grad));
  wasm.lanes.forEach((lane, i) => close(lane, cpu.lanes[i] as Float32Array));
}

describe('a training step gives the same numbers on wasm as on cpu', () => {
  for (const cell of ['reset-before', 'reset-after'] as const) {
    it(`GRU4Rec ${cell}, cross-entropy with shared samples and logQ`, async () => {
      const cfg = gru4recSchema.parse({ type: 'gru4rec', layers: [5], cell, dropoutHidden: 0.2 });
      const net = Gru4recNet.create(cfg, N_ITEMS, new Rng(1));
      await expectSameOnBoth(net, 'cross-entropy', Int32Array.from([2, 4, 1, 0, 5, 2, 3]), Float32Array.from([-1, -2, -0.5, -1.5, -3, -1, -2]));
    });
  }

  for (const loss of ['top1', 'bpr-max'] as const) {
    for (const variant of ['init', 'all'] as const) {
      it(`HRNN ${variant}, ${loss}, rows that continue, start a session, a user`, async () => {
        const cfg = hrnnSchema.parse({ type: 'hrnn', variant, sessionUnits: 4, userUnits: 3, dropoutUser: 0.1, dropoutInit: 0.2, dropoutSession: 0.1 });
        const net = HrnnNet.create(cfg, N_ITEMS, new Rng(2));
        await expectSameOnBoth(net, loss, batch.targetIds, null);
      });
    }
  }
});

import { describe, expect, it } from 'vitest';
import { Stan, type StanConfig } from '../../../src/models/baselines/stan.js';
import { fitContext, makeBatch, makeDataset, N_ITEMS, tinyLog } from './helpers.js';

const E = Math.exp;
// lambdaSnh in days chosen so the recency decay is exp(-age / 100 s)
const config = (over: Partial<StanConfig>): StanConfig => ({
  type: 'stan',
  k: 100,
  sampleSize: 5000,
  lambdaSpw: 1,
  lambdaSnh: 100 / 86_400,
  lambdaInh: 1,
  remind: true,
  ...over,
});

/** Scores after the test session [1 (t=301), 2 (t=302)] on one lane. */
async function score(over: Partial<StanConfig>): Promise<number[]> {
  const model = new Stan(config(over), N_ITEMS);
  await model.fit(tinyLog(), fitContext());
  const predictor = model.predictor(makeDataset([[1, 2]], [302]));
  await predictor.step({ ...makeBatch([1], [1]), inputEvent: Int32Array.of(0) }, false);
  return Array.from((await predictor.step({ ...makeBatch([2], [0]), inputEvent: Int32Array.of(1) }, true)) ?? []);
}

/*
 * Session [1, 2] at t = 302, L = 2: w(1) = e^-1, w(2) = e^0 = 1, norm = sqrt(e^-2 + 1).
 * Training s0 [0,1,2] t102 (age 200), s1 [1,2,3] t202 (100), s2 [0,2] t301 (1), s3 [3,4,1] t52 (250):
 *   sim0 = (1 + e^-1) / (norm sqrt 3) e^-2      sim1 = (1 + e^-1) / (norm sqrt 3) e^-1
 *   sim2 = 1 / (norm sqrt 2) e^-0.01           sim3 = e^-1 / (norm sqrt 3) e^-2.5
 * Votes exp(-|pos(j) - pos(i*)|), i* = last event of n in the session:
 *   s0 (i* = 2 at 3): 0 e^-2, 1 e^-1, 2 1    s1 (i* = 2 at 2): 1 e^-1, 2 1, 3 e^-1
 *   s2 (i* = 2 at 2): 0 e^-1, 2 1            s3 (i* = 1 at 3): 3 e^-2, 4 e^-1, 1 1
 */
const norm = Math.sqrt(E(-2) + 1);
const sim0 = ((1 + E(-1)) / (norm * Math.sqrt(3))) * E(-2);
const sim1 = ((1 + E(-1)) / (norm * Math.sqrt(3))) * E(-1);
const sim2 = (1 / (norm * Math.sqrt(2))) * E(-0.01);
const sim3 = (E(-1) / (norm * Math.sqrt(3))) * E(-2.5);
const close = (xs: number[]): unknown[] => xs.map((x) => expect.closeTo(x, 6));

describe('STAN', () => {
  it('weights positions, neighbour recency and in-neighbour distance', async () => {
    expect(await score({})).toEqual(
      close([
        sim0 * E(-2) + sim2 * E(-1),
        sim0 * E(-1) + sim1 * E(-1) + sim3,
        sim0 + sim1 + sim2,
        sim1 * E(-1) + sim3 * E(-2),
        sim3 * E(-1),
      ]),
    );
  });

  it('keeps the k most similar neighbours (sim2 0.657 > sim1 0.273 > sim0 0.100 > sim3 0.016)', async () => {
    expect(await score({ k: 2 })).toEqual(close([sim2 * E(-1), sim1 * E(-1), sim1 + sim2, sim1 * E(-1), 0]));
  });

  it('leaves out the session\'s own items when remind is off', async () => {
    const scores = await score({ remind: false });
    expect([scores[1], scores[2], scores[4]]).toEqual([0, 0, expect.closeTo(sim3 * E(-1), 6)]);
  });
});

import { describe, expect, it } from 'vitest';
import { Vsknn, type VsknnConfig } from '../../../src/models/baselines/vsknn.js';
import { fitTiny, makeBatch, N_ITEMS, scoreSession } from './helpers.js';

const config = (over: Partial<VsknnConfig>): VsknnConfig => ({
  type: 'vsknn',
  k: 100,
  sampleSize: 1000,
  weighting: 'div',
  weightingScore: 'div',
  idfWeighting: 0,
  remind: true,
  ...over,
});

const close = (xs: number[]): unknown[] => xs.map((x) => expect.closeTo(x, 6));

async function score(over: Partial<VsknnConfig>, session: number[]): Promise<number[]> {
  return scoreSession(await fitTiny(new Vsknn(config(over), N_ITEMS)), session);
}

/*
 * Training sessions s0 {0,1,2} t102, s1 {1,2,3} t202, s2 {0,2} t301, s3 {3,4,1} t52.
 * Current session [1, 2], L = 2, div weights: w(1) = 1/2, w(2) = 2/2 = 1; 2 distinct items.
 *   sim: s0 (1/2+1)/2 = 0.75   s1 0.75   s2 1/2 = 0.5   s3 (1/2)/2 = 0.25
 *   latest shared item: item 2 (d=1, decay 1) for s0, s1, s2; item 1 for s3 (d=2, decay 1/2)
 *   votes: s0 .75 -> 0,1,2   s1 .75 -> 1,2,3   s2 .5 -> 0,2   s3 .125 -> 3,4,1
 *   score: 0: 1.25   1: 1.625   2: 2.0   3: 0.875   4: 0.125
 */
describe('V-SKNN', () => {
  it('scores by weighted-overlap neighbours with the recency decay', async () => {
    expect(await score({}, [1, 2])).toEqual(close([1.25, 1.625, 2.0, 0.875, 0.125]));
  });

  it('scores the first event from the sessions holding its item', async () => {
    // [1]: s0, s1, s3 each sim 1, decay 1 -> 0: 1, 1: 3, 2: 2, 3: 2, 4: 1
    expect(await score({}, [1])).toEqual(close([1, 3, 2, 2, 1]));
  });

  it('keeps the k most similar neighbours, the more recent on a tie', async () => {
    // k 2: s0 and s1 (0.75 each) -> 0: .75, 1: 1.5, 2: 1.5, 3: .75
    expect(await score({ k: 2 }, [1, 2])).toEqual(close([0.75, 1.5, 1.5, 0.75, 0]));
    // k 1: s0 and s1 tie; s1 (t202) is more recent than s0 (t102)
    expect(await score({ k: 1 }, [1, 2])).toEqual(close([0, 0.75, 0.75, 0.75, 0]));
  });

  it('samples the most recent candidate sessions', async () => {
    // sampleSize 2: the two most recent of {s0..s3} are s2 (t301) and s1 (t202): sims .5 and .75
    expect(await score({ sampleSize: 2 }, [1, 2])).toEqual(close([0.5, 0.75, 1.25, 0.75, 0]));
  });

  it('leaves out the session\'s own items when remind is off', async () => {
    expect(await score({ remind: false }, [1, 2])).toEqual(close([1.25, 0, 0, 0.875, 0.125]));
  });

  it('uses the last position of a repeated item and divides by distinct items', async () => {
    // [2, 1, 2], L = 3: w(1) = 2/3, w(2) = 3/3; 2 distinct. sims: s0 (2/3+1)/2 = 5/6, s1 5/6,
    // s2 1/2, s3 (2/3)/2 = 1/3 with decay 1/2 (item 1 is 2 events back) -> 1/6
    // 0: 5/6 + 1/2; 1: 5/6 + 5/6 + 1/6; 2: 5/6 + 5/6 + 1/2; 3: 5/6 + 1/6; 4: 1/6
    expect(await score({}, [2, 1, 2])).toEqual(close([4 / 3, 11 / 6, 13 / 6, 1, 1 / 6]));
  });

  it('boosts rare items with idf weighting', async () => {
    // idf = ln(4 sessions / events): item 4 ln 4; votes * (1 + idf): item 4 .125 (1 + ln 4)
    const scores = await score({ idfWeighting: 1 }, [1, 2]);
    expect(scores[4]).toBeCloseTo(0.125 * (1 + Math.log(4)), 6);
    expect(scores[2]).toBeCloseTo(2.0 * (1 + Math.log(4 / 3)), 6);
  });

  it('keeps each lane\'s session apart', async () => {
    const predictor = await fitTiny(new Vsknn(config({}), N_ITEMS));
    await predictor.step(makeBatch([1, 1], [1, 1]), true);
    const scores = Array.from((await predictor.step(makeBatch([2, 3], [0, 1]), true)) ?? []);
    // lane 0 is [1, 2] (as above); lane 1 restarted at [3]: s1 and s3, sim 1 -> 1: 2, 2: 1, 3: 2, 4: 1
    expect(scores).toEqual(close([1.25, 1.625, 2.0, 0.875, 0.125, 0, 2, 1, 2, 1]));
  });
});

import { describe, expect, it } from 'vitest';
import { Pop } from '../../../src/models/baselines/pop.js';
import { SessionPop } from '../../../src/models/baselines/session-pop.js';
import { fitTiny, makeBatch, N_ITEMS, scoreSession } from './helpers.js';

// support/(1+support) with supports 0:2, 1:3, 2:3, 3:2, 4:1
const POP = [2 / 3, 3 / 4, 3 / 4, 2 / 3, 1 / 2];

describe('Pop', () => {
  it('scores support/(1+support), the same for every row and event', async () => {
    const predictor = await fitTiny(new Pop({ type: 'pop' }, N_ITEMS));
    const scores = await predictor.step(makeBatch([4, 0], [1, 1]), true);
    expect(Array.from(scores ?? [])).toEqual([...POP, ...POP].map((x) => expect.closeTo(x, 6)));
  });

  it('returns null when no scores are wanted', async () => {
    const predictor = await fitTiny(new Pop({ type: 'pop' }, N_ITEMS));
    expect(await predictor.step(makeBatch([1], [1]), false)).toBeNull();
  });

  it('gives items unseen in training a score of 0', async () => {
    const predictor = await fitTiny(new Pop({ type: 'pop' }, N_ITEMS + 1));
    const scores = await predictor.step(makeBatch([1], [1]), true);
    expect(scores?.[N_ITEMS]).toBe(0);
  });

  it('refuses a training item outside the catalogue', async () => {
    await expect(fitTiny(new Pop({ type: 'pop' }, 4))).rejects.toThrow(/item index 4 outside the catalogue of 4/);
  });
});

describe('S-Pop', () => {
  it('adds the count of each item in the session so far to the global score', async () => {
    const predictor = await fitTiny(new SessionPop({ type: 'spop' }, N_ITEMS));
    // session [1, 2, 1]: item 1 twice -> 2 + 3/4, item 2 once -> 1 + 3/4, the others their pop only
    const scores = await scoreSession(predictor, [1, 2, 1]);
    expect(scores).toEqual([2 / 3, 2.75, 1.75, 2 / 3, 1 / 2].map((x) => expect.closeTo(x, 6)));
  });

  it('forgets the previous session at a session start', async () => {
    const predictor = await fitTiny(new SessionPop({ type: 'spop' }, N_ITEMS));
    await scoreSession(predictor, [1, 1]);
    const scores = await scoreSession(predictor, [3]);
    expect(scores).toEqual([2 / 3, 3 / 4, 3 / 4, 1 + 2 / 3, 1 / 2].map((x) => expect.closeTo(x, 6)));
  });
});

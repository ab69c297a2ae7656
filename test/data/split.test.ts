import { describe, expect, it } from 'vitest';
import { cleanTest, splitSessions } from '../../src/data/split.js';
import type { DropCounts, SessionDataset } from '../../src/data/types.js';
import { makeDataset, nested, userErrorTextSync } from './helpers.js';

describe('last-session split and test clean-up', () => {
  it("each user's last session is the test session; unseen items and short test sessions go", () => {
    const ds = makeDataset([
      [[1, 2], [2, 3], [3, 7, 4]], // test [3, 7, 4]: 7 and 4 unseen in train -> [3] too short -> dropped
      [[1, 2], [2, 1, 3]], // test [2, 1, 3]: all seen
    ]);
    const split = splitSessions(ds, { type: 'last-session' });
    expect(nested(split.train)).toEqual([[[1, 2], [2, 3]], [[1, 2]]]);
    expect(nested(split.test)).toEqual([[[3, 7, 4]], [[2, 1, 3]]]);
    const dropped: DropCounts = {};
    const clean = cleanTest(split, 8, 2, dropped, 'test');
    expect(nested(clean.test)).toEqual([[[2, 1, 3]]]);
    expect(clean.test.userIds).toEqual(['u1']);
    expect(dropped).toEqual({ 'test: item not in train': 2, 'test: session shorter than 2': 1 });
  });

  it('the last session is the one with the latest event, even if it started earlier', () => {
    const ds: SessionDataset = { ...makeDataset([[[1, 2], [3]]]), times: Float64Array.from([0, 900, 500]) };
    expect(nested(splitSessions(ds, { type: 'last-session' }).test)).toEqual([[[1, 2]]]);
  });
});

describe('time split and split errors', () => {
  it('sessions whose last event is within the final days*86400 s go to test (boundary included)', () => {
    const ds: SessionDataset = {
      ...makeDataset([[[1, 2]], [[3, 4]], [[5]]]),
      // max time 200000; cut = 200000 - 86400 = 113600
      times: Float64Array.from([0, 113599, 100, 113600, 200000]),
    };
    const { train, test } = splitSessions(ds, { type: 'time', days: 1 });
    expect(nested(train)).toEqual([[[1, 2]]]); // ends 113599 < cut
    expect(nested(test)).toEqual([[[3, 4]], [[5]]]); // end 113600 = cut, and 200000
  });

  it('an empty test part after clean-up is an error', () => {
    // the only test session holds items never seen in train
    const split = splitSessions(makeDataset([[[1, 2], [5, 6]]]), { type: 'last-session' });
    expect(userErrorTextSync(() => cleanTest(split, 7, 2, {}, 'test'))).toMatch(/data\.split: the test part of the split is empty/);
  });
});

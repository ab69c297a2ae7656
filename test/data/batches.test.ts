import { describe, expect, it } from 'vitest';
import { makeParallelBatches, type BatchOptions } from '../../src/data/batches.js';
import type { SessionDataset } from '../../src/data/types.js';

/*
 * user 0: s0 = [0, 1, 2] (events 0-2, t=100), s1 = [3, 4] (events 3-4, t=300)
 * user 1: s2 = [5, 6, 7, 8] (events 5-8, t=50), s3 = [0, 9] (events 9-10, t=400)
 */
const tiny: SessionDataset = {
  items: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 9]),
  times: Float64Array.from([100, 101, 102, 300, 301, 50, 51, 52, 53, 400, 401]),
  sessionOffsets: Int32Array.from([0, 3, 5, 9, 11]),
  userOffsets: Int32Array.from([0, 2, 4]),
  userIds: ['u0', 'u1'],
  sessionIds: ['s0', 's1', 's2', 's3'],
};

interface Step {
  input: number[];
  target: number[];
  ss: number[];
  us: number[];
  keep: number[] | null;
  event: number[];
  user: number[];
  session: number[];
  scored: number[];
}

function steps(data: SessionDataset, options: Partial<BatchOptions>): Step[] {
  const out: Step[] = [];
  for (const b of makeParallelBatches(data, { batchSize: 2, lanes: 'session', order: 'index', ...options })) {
    expect(b.inputIds.length).toBe(b.size);
    out.push({
      input: [...b.inputIds],
      target: [...b.targetIds],
      ss: [...b.sessionStart],
      us: [...b.userStart],
      keep: b.keepRows === null ? null : [...b.keepRows],
      event: [...b.inputEvent],
      user: [...b.userIndex],
      session: [...b.sessionIndex],
      scored: [...b.scored],
    });
  }
  return out;
}

// Session lanes, index order: lane0 s0, lane1 s1; s1 ends after step 1 -> lane1 takes s2;
// s0 ends after step 2 -> lane0 takes s3; s3 ends after step 3 and no session is left, so
// step 4 has only lane1 (previous row 1).
const sessionIndexSteps: Step[] = [
  { input: [0, 3], target: [1, 4], ss: [1, 1], us: [1, 1], keep: null, event: [0, 3], user: [0, 0], session: [0, 1], scored: [1, 1] },
  { input: [1, 5], target: [2, 6], ss: [0, 1], us: [0, 1], keep: null, event: [1, 5], user: [0, 1], session: [0, 2], scored: [1, 1] },
  { input: [0, 6], target: [9, 7], ss: [1, 0], us: [1, 0], keep: null, event: [9, 6], user: [1, 1], session: [3, 2], scored: [1, 1] },
  { input: [7], target: [8], ss: [0], us: [0], keep: [1], event: [7], user: [1], session: [2], scored: [1] },
];

describe('makeParallelBatches, session lanes', () => {
  it('index order: exact arrays of every step, with shrinking', () => {
    expect(steps(tiny, {})).toEqual(sessionIndexSteps);
  });

  it('time order: sessions by first event time (s2, s0, s1, s3)', () => {
    expect(steps(tiny, { order: 'time' })).toEqual([
      { input: [5, 0], target: [6, 1], ss: [1, 1], us: [1, 1], keep: null, event: [5, 0], user: [1, 0], session: [2, 0], scored: [1, 1] },
      { input: [6, 1], target: [7, 2], ss: [0, 0], us: [0, 0], keep: null, event: [6, 1], user: [1, 0], session: [2, 0], scored: [1, 1] },
      { input: [7, 3], target: [8, 4], ss: [0, 1], us: [0, 1], keep: null, event: [7, 3], user: [1, 0], session: [2, 1], scored: [1, 1] },
      { input: [0], target: [9], ss: [1], us: [1], keep: [0], event: [9], user: [1], session: [3], scored: [1] },
    ]);
  });

  it('truncateEpoch stops when the first lane cannot be refilled (after step 3)', () => {
    expect(steps(tiny, { truncateEpoch: true })).toEqual(sessionIndexSteps.slice(0, 3));
  });

  it('minRows = 2 stops before the single-row step', () => {
    expect(steps(tiny, { minRows: 2 })).toEqual(sessionIndexSteps.slice(0, 3));
  });

  it('scored flags follow scoredSessions', () => {
    const got = steps(tiny, { scoredSessions: Uint8Array.from([0, 1, 0, 1]) }).map((s) => s.scored);
    // sessions per step: [0,1], [0,2], [3,2], [2]
    expect(got).toEqual([[0, 1], [0, 0], [1, 0], [0]]);
  });

  it('skips sessions with fewer than 2 events and starts smaller than batchSize', () => {
    const data: SessionDataset = {
      items: Int32Array.from([7, 1, 2]),
      times: Float64Array.from([0, 1, 2]),
      sessionOffsets: Int32Array.from([0, 1, 3]),
      userOffsets: Int32Array.from([0, 1, 2]),
      userIds: ['a', 'b'],
      sessionIds: ['x', 'y'],
    };
    const got = steps(data, { batchSize: 3 });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ input: [1], target: [2], session: [1], user: [1], keep: null });
  });
});

describe('makeParallelBatches, user lanes', () => {
  // lane0 user0 (s0 then s1), lane1 user1 (s2 then s3). User 0 ends after step 3 and no user is
  // left, so step 4 keeps only lane1 (previous row 1), which has just entered s3 (same user).
  const userSteps: Step[] = [
    { input: [0, 5], target: [1, 6], ss: [1, 1], us: [1, 1], keep: null, event: [0, 5], user: [0, 1], session: [0, 2], scored: [1, 1] },
    { input: [1, 6], target: [2, 7], ss: [0, 0], us: [0, 0], keep: null, event: [1, 6], user: [0, 1], session: [0, 2], scored: [1, 1] },
    { input: [3, 7], target: [4, 8], ss: [1, 0], us: [0, 0], keep: null, event: [3, 7], user: [0, 1], session: [1, 2], scored: [1, 1] },
    { input: [0], target: [9], ss: [1], us: [0], keep: [1], event: [9], user: [1], session: [3], scored: [1] },
  ];

  it('exact arrays of every step, with shrinking', () => {
    expect(steps(tiny, { lanes: 'user' })).toEqual(userSteps);
  });

  it('truncateEpoch stops when user 0 runs out and no user is left', () => {
    expect(steps(tiny, { lanes: 'user', truncateEpoch: true })).toEqual(userSteps.slice(0, 3));
  });

  it('one lane walks both users; userStart only on a new user', () => {
    const got = steps(tiny, { lanes: 'user', batchSize: 1 });
    expect(got.map((s) => s.input[0])).toEqual([0, 1, 3, 5, 6, 7, 0]);
    expect(got.map((s) => s.ss[0])).toEqual([1, 0, 1, 1, 0, 0, 1]);
    expect(got.map((s) => s.us[0])).toEqual([1, 0, 0, 1, 0, 0, 0]);
    expect(got.every((s) => s.keep === null)).toBe(true);
  });

  it('rejects a non-positive batch size', () => {
    expect(() => [...makeParallelBatches(tiny, { batchSize: 0, lanes: 'user', order: 'index' })]).toThrow(/batchSize/);
  });
});

import { describe, expect, it } from 'vitest';
import type { EventLog } from '../../src/data/read-log.js';
import { sessionize } from '../../src/data/sessionize.js';
import { nested, userErrorTextSync } from './helpers.js';

function log(rows: { user?: number; session?: number; item: number; time: number }[], sessionIds: string[] = []): EventLog {
  const hasUser = rows.some((r) => r.user !== undefined);
  const hasSession = rows.some((r) => r.session !== undefined);
  return {
    path: 'log.csv',
    users: hasUser ? Int32Array.from(rows, (r) => r.user ?? 0) : null,
    sessions: hasSession ? Int32Array.from(rows, (r) => r.session ?? 0) : null,
    sessionIds,
    items: Int32Array.from(rows, (r) => r.item),
    times: Float64Array.from(rows, (r) => r.time),
  };
}

describe('sessionize by idle gap', () => {
  it('a gap of exactly 1800 s continues the session, 1801 s starts a new one', () => {
    const ds = sessionize(
      log([
        { user: 0, item: 1, time: 0 },
        { user: 0, item: 2, time: 1800 }, // gap 1800: same session
        { user: 0, item: 3, time: 3601 }, // gap 1801: new session
      ]),
      ['alice'],
      1800,
    );
    expect(nested(ds)).toEqual([[[1, 2], [3]]]);
    expect(ds.userIds).toEqual(['alice']);
    expect(Array.from(ds.times)).toEqual([0, 1800, 3601]);
  });

  it('sorts by (user, time), stable for ties; a new user starts a new session; users in first-row order', () => {
    const ds = sessionize(
      log([
        { user: 1, item: 10, time: 50 },
        { user: 0, item: 20, time: 100 },
        { user: 1, item: 11, time: 10 },
        { user: 0, item: 21, time: 100 }, // tie with item 20: file order kept
        { user: 1, item: 12, time: 50 }, // tie with item 10: file order kept
      ]),
      ['a', 'b'],
      1800,
    );
    // user 0 (id "a") comes first among interned users; user 1's events re-sorted by time
    expect(nested(ds)).toEqual([[[20, 21]], [[11, 10, 12]]]);
    expect(ds.userIds).toEqual(['a', 'b']);
    expect(ds.sessionIds).toEqual(['0', '1']);
  });
});

describe('sessionize with a session column', () => {
  it('groups sessions per user, ordered by first event time; events by time within a session', () => {
    const ds = sessionize(
      log(
        [
          { user: 0, session: 0, item: 1, time: 500 },
          { user: 0, session: 1, item: 2, time: 100 },
          { user: 0, session: 0, item: 3, time: 400 },
          { user: 1, session: 2, item: 4, time: 50 },
        ],
        ['late', 'early', 'other'],
      ),
      ['u0', 'u1'],
      1800,
    );
    expect(nested(ds)).toEqual([[[2], [3, 1]], [[4]]]);
    expect(ds.sessionIds).toEqual(['early', 'late', 'other']);
  });

  it('without users each session is its own pseudo-user, ordered by start time', () => {
    const ds = sessionize(
      log(
        [
          { session: 0, item: 1, time: 300 },
          { session: 1, item: 2, time: 100 },
          { session: 0, item: 3, time: 200 },
          { session: 2, item: 4, time: 100 }, // same start as session 1: first appearance wins
        ],
        ['s0', 's1', 's2'],
      ),
      [],
      1800,
    );
    expect(nested(ds)).toEqual([[[2]], [[4]], [[3, 1]]]);
    expect(ds.userIds).toEqual(['s1', 's2', 's0']);
  });

  it('a session shared by two users is an error naming the session', () => {
    const bad = log(
      [
        { user: 0, session: 0, item: 1, time: 1 },
        { user: 1, session: 0, item: 2, time: 2 },
      ],
      ['inv7'],
    );
    expect(userErrorTextSync(() => sessionize(bad, ['ann', 'bob'], 1800))).toMatch(/session "inv7" has events of two users \("ann", "bob"\)/);
  });
});

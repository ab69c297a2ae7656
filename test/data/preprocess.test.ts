import { describe, expect, it } from 'vitest';
import { preprocess, type PreprocessConfig } from '../../src/data/preprocess.js';
import type { DropCounts } from '../../src/data/types.js';
import { makeDataset, nested, userErrorTextSync } from './helpers.js';

const none: PreprocessConfig = { dedup: 'none', minItemSupport: 1, minSessionLength: 1, minSessionsPerUser: 1, maxSessionsPerUser: 0, iterateFilters: false };

describe('preprocess: dedup', () => {
  const ds = makeDataset([[[1, 2, 1, 1, 3, 2], [1]]]);
  it('session: keeps the first of each item per session (a repeat in another session stays)', () => {
    const dropped: DropCounts = {};
    expect(nested(preprocess(ds, 4, { ...none, dedup: 'session' }, true, dropped))).toEqual([[[1, 2, 3], [1]]]);
    expect(dropped['dedup: repeated item in session']).toBe(3);
  });
  it('consecutive: collapses runs only', () => {
    const dropped: DropCounts = {};
    expect(nested(preprocess(ds, 4, { ...none, dedup: 'consecutive' }, true, dropped))).toEqual([[[1, 2, 1, 3, 2], [1]]]);
    expect(dropped['dedup: consecutive repeat']).toBe(1);
  });
  it('none: keeps everything', () => {
    expect(nested(preprocess(ds, 4, none, true, {}))).toEqual(nested(ds));
  });
});

describe('preprocess: support, length and user filters', () => {
  it('drops rare items, then short sessions, then users outside [min, max)', () => {
    // support: item 1 x4, 2 x3, 9 x1, 8 x1 (rare)
    const ds = makeDataset([
      [[1, 2], [1, 9]], // 2 sessions, but [1, 9] -> [1] is too short: 1 session left -> user dropped (min 2)
      [[1, 2], [1, 2]], // 2 sessions: kept
      [[8]], // only a rare item: the session and the user vanish with it
    ]);
    const dropped: DropCounts = {};
    const cfg = { ...none, minItemSupport: 2, minSessionLength: 2, minSessionsPerUser: 2, maxSessionsPerUser: 3 };
    const out = preprocess(ds, 10, cfg, true, dropped);
    expect(nested(out)).toEqual([[[1, 2], [1, 2]]]);
    expect(out.userIds).toEqual(['u1']);
    expect(dropped).toEqual({ 'item support < 2': 2, 'session length < 2': 1, 'user sessions outside [2, 3)': 2 });
  });

  it('max sessions per user is exclusive; 0 means no limit; pseudo-users are not user-filtered', () => {
    const ds = makeDataset([[[1], [1]], [[1], [1], [1]]]);
    expect(nested(preprocess(ds, 2, { ...none, maxSessionsPerUser: 3 }, true, {}))).toEqual([[[1], [1]]]);
    expect(nested(preprocess(ds, 2, { ...none, maxSessionsPerUser: 0 }, true, {}))).toEqual(nested(ds));
    expect(nested(preprocess(ds, 2, { ...none, minSessionsPerUser: 5 }, false, {}))).toEqual(nested(ds));
  });

  it('single pass and iterated filters differ on a chained log', () => {
    // support >= 2, length >= 2. Items: a=1 b=2 c=3 d=4 e=5; support a2 b1 c2 d3 e2.
    const ds = makeDataset([[[1, 2]], [[1, 3]], [[3, 4]], [[4, 5]], [[4, 5]]]);
    const cfg = { ...none, minItemSupport: 2, minSessionLength: 2 };
    // one pass: b goes, so [a] is too short -> 4 sessions left (a now has support 1, c too: ignored)
    expect(nested(preprocess(ds, 6, cfg, false, {}))).toEqual([[[1, 3]], [[3, 4]], [[4, 5]], [[4, 5]]]);
    // iterated: then a goes ([c] too short), then c goes ([d] too short) -> only [d,e] x2 (d2 e2: stable)
    const dropped: DropCounts = {};
    expect(nested(preprocess(ds, 6, { ...cfg, iterateFilters: true }, false, dropped))).toEqual([[[4, 5]], [[4, 5]]]);
    expect(dropped).toEqual({ 'item support < 2': 3, 'session length < 2': 3 }); // 10 events in, 4 out
  });

  it('an emptied dataset names the step', () => {
    const ds = makeDataset([[[1, 2]]]);
    expect(userErrorTextSync(() => preprocess(ds, 3, { ...none, minItemSupport: 5 }, true, {}))).toMatch(/no events left after the step "item support < 5"/);
  });
});

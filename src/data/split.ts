import type { DataConfig } from '../config/data-schema.js';
import { UserError } from '../util/errors.js';
import { compact, sessionCount, sessionMask } from './compact.js';
import type { DropCounts, SessionDataset } from './types.js';

export interface TrainTest {
  train: SessionDataset;
  test: SessionDataset;
}

export type SplitConfig = DataConfig['split'];

/** Cut `ds` into train and test by the configured rule (before test clean-up). */
export function splitSessions(ds: SessionDataset, split: SplitConfig): TrainTest {
  const isTest = split.type === 'last-session' ? lastSessionOfUser(ds) : endsInLastDays(ds, split.days);
  return {
    train: compact(ds, sessionMask(ds, (s) => isTest[s] === 0)),
    test: compact(ds, sessionMask(ds, (s) => isTest[s] === 1)),
  };
}

/**
 * Each user's session holding the user's latest event goes to test (HRNN paper). With explicit
 * session ids sessions may overlap in time, so this is the latest end, not the latest start;
 * ties go to the later session.
 */
function lastSessionOfUser(ds: SessionDataset): Uint8Array {
  const isTest = new Uint8Array(sessionCount(ds));
  for (let u = 0; u + 1 < ds.userOffsets.length; u++) {
    let best = -1;
    let bestEnd = -Infinity;
    for (let s = ds.userOffsets[u] as number; s < (ds.userOffsets[u + 1] as number); s++) {
      const end = sessionEnd(ds, s);
      if (end >= bestEnd) {
        best = s;
        bestEnd = end;
      }
    }
    if (best >= 0) isTest[best] = 1;
  }
  return isTest;
}

/** Sessions whose last event is within the final `days` days of the data go to test (GRU4Rec). */
function endsInLastDays(ds: SessionDataset, days: number): Uint8Array {
  let maxTime = -Infinity;
  for (const t of ds.times) if (t > maxTime) maxTime = t;
  const cut = maxTime - days * 86400;
  return Uint8Array.from({ length: sessionCount(ds) }, (_, s) => (sessionEnd(ds, s) >= cut ? 1 : 0));
}

function sessionEnd(ds: SessionDataset, s: number): number {
  let end = -Infinity;
  for (let e = ds.sessionOffsets[s] as number; e < (ds.sessionOffsets[s + 1] as number); e++) {
    end = Math.max(end, ds.times[e] as number);
  }
  return end;
}

/**
 * Test clean-up: drop test events whose item never occurs in train, then test sessions shorter
 * than `minLength`. Counts go to `dropped` under `<label>: ...`.
 */
export function cleanTest(
  { train, test }: TrainTest,
  nItems: number,
  minLength: number,
  dropped: DropCounts,
  label: string,
): TrainTest {
  const inTrain = new Uint8Array(nItems);
  for (const item of train.items) inTrain[item] = 1;
  const seen = compact(test, Uint8Array.from(test.items, (item) => inTrain[item] as number));
  dropped[`${label}: item not in train`] = test.items.length - seen.items.length;
  const long = compact(seen, sessionMask(seen, (s) => (seen.sessionOffsets[s + 1] as number) - (seen.sessionOffsets[s] as number) >= minLength));
  dropped[`${label}: session shorter than ${minLength}`] = seen.items.length - long.items.length;
  for (const [name, part] of [['train', train], [label, long]] as const) {
    if (part.items.length === 0) {
      throw new UserError(`the ${name} part of the split is empty`, {
        where: 'data.split',
        hint: 'use a longer test period, lower data.minTestSessionLength, or check that users have several sessions',
      });
    }
  }
  return { train, test: long };
}

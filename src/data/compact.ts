import type { SessionDataset } from './types.js';

/**
 * Keep the events where `keep[e]` is 1; sessions left empty and users left without sessions
 * disappear. Order is preserved, so every filter is a mask over events.
 */
export function compact(ds: SessionDataset, keep: Uint8Array): SessionDataset {
  let nKept = 0;
  for (const k of keep) nKept += k;
  const items = new Int32Array(nKept);
  const times = new Float64Array(nKept);
  const sessionOffsets: number[] = [];
  const userOffsets: number[] = [];
  const userIds: string[] = [];
  const sessionIds: string[] = [];
  let e2 = 0;
  for (let u = 0; u + 1 < ds.userOffsets.length; u++) {
    let userStarted = false;
    for (let s = ds.userOffsets[u] as number; s < (ds.userOffsets[u + 1] as number); s++) {
      const start = e2;
      for (let e = ds.sessionOffsets[s] as number; e < (ds.sessionOffsets[s + 1] as number); e++) {
        if (keep[e] !== 1) continue;
        items[e2] = ds.items[e] as number;
        times[e2] = ds.times[e] as number;
        e2++;
      }
      if (e2 === start) continue;
      if (!userStarted) {
        userOffsets.push(sessionOffsets.length);
        userIds.push(ds.userIds[u] as string);
        userStarted = true;
      }
      sessionOffsets.push(start);
      sessionIds.push(ds.sessionIds[s] as string);
    }
  }
  userOffsets.push(sessionOffsets.length);
  sessionOffsets.push(e2);
  return { items, times, sessionOffsets: Int32Array.from(sessionOffsets), userOffsets: Int32Array.from(userOffsets), userIds, sessionIds };
}

/** An event mask that keeps the whole sessions where `keepSession(s)` is true. */
export function sessionMask(ds: SessionDataset, keepSession: (s: number) => boolean): Uint8Array {
  const keep = new Uint8Array(ds.items.length);
  for (let s = 0; s + 1 < ds.sessionOffsets.length; s++) {
    if (keepSession(s)) keep.fill(1, ds.sessionOffsets[s] as number, ds.sessionOffsets[s + 1] as number);
  }
  return keep;
}

/** Number of sessions of the dataset. */
export function sessionCount(ds: SessionDataset): number {
  return ds.sessionOffsets.length - 1;
}

/** Number of users of the dataset. */
export function userCount(ds: SessionDataset): number {
  return ds.userOffsets.length - 1;
}

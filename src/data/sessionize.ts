import { UserError } from '../util/errors.js';
import type { EventLog } from './read-log.js';
import type { SessionDataset } from './types.js';

/**
 * Turn an event log into sessions grouped by user (SessionDataset layout; `items` still hold
 * the interned raw item ids). Three cases:
 * - user column, no session column: stable sort by (user, time); a new session starts when
 *   the user changes or after more than `gapSeconds` idle (HRNN paper). Session ids are a running counter.
 * - session column: events sorted by time within each session (file order for ties); with a
 *   user column, each user's sessions are ordered by their first event time.
 * - session column, no user column: each session is its own pseudo-user, sessions ordered by start time.
 * Users appear in order of their first row in the file.
 */
export function sessionize(log: EventLog, userIds: readonly string[], gapSeconds: number): SessionDataset {
  if (log.sessions === null) {
    if (log.users === null) throw new UserError('a log needs a session or a user column', { where: 'data.columns', kind: 'usage' });
    return cutByGap(log, log.users, userIds, gapSeconds);
  }
  return groupSessions(log, log.sessions, userIds);
}

function cutByGap(log: EventLog, users: Int32Array, userIds: readonly string[], gapSeconds: number): SessionDataset {
  const { order, offsets } = groupBy(users, userIds.length);
  const { times } = log;
  const sessionOffsets: number[] = [];
  const userOffsets: number[] = [];
  const keptUserIds: string[] = [];
  for (let u = 0; u < userIds.length; u++) {
    const start = offsets[u] as number;
    const end = offsets[u + 1] as number;
    if (start === end) continue;
    sortByTime(order.subarray(start, end), times);
    userOffsets.push(sessionOffsets.length);
    keptUserIds.push(userIds[u] as string);
    for (let e = start; e < end; e++) {
      if (e === start || (times[order[e] as number] as number) - (times[order[e - 1] as number] as number) > gapSeconds) {
        sessionOffsets.push(e);
      }
    }
  }
  userOffsets.push(sessionOffsets.length);
  sessionOffsets.push(order.length);
  const sessionIds = Array.from({ length: sessionOffsets.length - 1 }, (_, s) => String(s));
  return gather(log, order, sessionOffsets, userOffsets, keptUserIds, sessionIds);
}

function groupSessions(log: EventLog, sessions: Int32Array, userIds: readonly string[]): SessionDataset {
  const nSessions = log.sessionIds.length;
  const { order, offsets } = groupBy(sessions, nSessions);
  const { times, users } = log;
  const firstTime = new Float64Array(nSessions);
  const sessionUser = new Int32Array(nSessions);
  for (let s = 0; s < nSessions; s++) {
    const start = offsets[s] as number;
    const end = offsets[s + 1] as number;
    sortByTime(order.subarray(start, end), times);
    firstTime[s] = times[order[start] as number] as number;
    if (users === null) continue;
    const user = users[order[start] as number] as number;
    for (let e = start; e < end; e++) {
      if (users[order[e] as number] !== user) {
        throw new UserError(
          `session "${log.sessionIds[s]}" has events of two users ("${userIds[user]}", "${userIds[users[order[e] as number] as number]}")`,
          { where: log.path, hint: 'session ids must be unique per user; or drop data.columns.session to cut sessions by idle gap' },
        );
      }
    }
    sessionUser[s] = user;
  }
  // Sessions by user (first appearance), then by first event time, then first appearance.
  const byStart = (a: number, b: number): number => (firstTime[a] as number) - (firstTime[b] as number) || a - b;
  let sorted: Int32Array;
  const userStarts: number[] = [];
  const keptUserIds: string[] = [];
  if (users === null) {
    sorted = Int32Array.from({ length: nSessions }, (_, s) => s).sort(byStart);
    sorted.forEach((s, i) => {
      userStarts.push(i);
      keptUserIds.push(log.sessionIds[s] as string);
    });
  } else {
    const byUser = groupBy(sessionUser, userIds.length);
    sorted = byUser.order;
    for (let u = 0; u < userIds.length; u++) {
      const start = byUser.offsets[u] as number;
      const end = byUser.offsets[u + 1] as number;
      if (start === end) continue;
      sorted.subarray(start, end).sort(byStart);
      userStarts.push(start);
      keptUserIds.push(userIds[u] as string);
    }
  }
  const eventOrder = new Int32Array(order.length);
  const sessionOffsets: number[] = [];
  let nEvents = 0;
  for (const s of sorted) {
    sessionOffsets.push(nEvents);
    eventOrder.set(order.subarray(offsets[s] as number, offsets[s + 1] as number), nEvents);
    nEvents += (offsets[s + 1] as number) - (offsets[s] as number);
  }
  sessionOffsets.push(nEvents);
  userStarts.push(nSessions);
  const sessionIds = Array.from(sorted, (s) => log.sessionIds[s] as string);
  return gather(log, eventOrder, sessionOffsets, userStarts, keptUserIds, sessionIds);
}

/** Stable counting sort of row indices by an int key in [0, nKeys). */
export function groupBy(keys: Int32Array, nKeys: number): { order: Int32Array; offsets: Int32Array } {
  const offsets = new Int32Array(nKeys + 1);
  for (const k of keys) offsets[k + 1] = (offsets[k + 1] as number) + 1;
  for (let k = 0; k < nKeys; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
  const next = offsets.slice(0, nKeys);
  const order = new Int32Array(keys.length);
  keys.forEach((k, i) => {
    const at = next[k] as number;
    order[at] = i;
    next[k] = at + 1;
  });
  return { order, offsets };
}

/** Sort row indices by time, ties in file order; skips the sort when already in order (the usual case). */
function sortByTime(rows: Int32Array, times: Float64Array): void {
  for (let i = 1; i < rows.length; i++) {
    if ((times[rows[i] as number] as number) < (times[rows[i - 1] as number] as number)) {
      rows.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
      return;
    }
  }
}

function gather(
  log: EventLog,
  order: Int32Array,
  sessionOffsets: number[],
  userOffsets: number[],
  userIds: string[],
  sessionIds: string[],
): SessionDataset {
  const items = new Int32Array(order.length);
  const times = new Float64Array(order.length);
  order.forEach((row, e) => {
    items[e] = log.items[row] as number;
    times[e] = log.times[row] as number;
  });
  return {
    items,
    times,
    sessionOffsets: Int32Array.from(sessionOffsets),
    userOffsets: Int32Array.from(userOffsets),
    userIds,
    sessionIds,
  };
}

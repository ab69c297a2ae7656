import type { Batch } from './batch.js';
import type { SessionDataset } from './types.js';

/**
 * Parallel mini-batching over a SessionDataset: session-parallel (GRU4Rec, Hidasi et al. 2016)
 * or user-parallel (HRNN, Quadrana et al. 2017). A stream is one session (session lanes) or one
 * user's sessions in time order (user lanes). Lane b starts on stream b; each step feeds event k
 * of every active lane's session as input and event k+1 as target. A finished lane moves to its
 * user's next session (user lanes) or to the next unused stream; when none is left it goes
 * inactive and the batch shrinks (rows compacted in lane order, `keepRows` says which of the
 * previous rows carry on). Sessions with fewer than 2 events have no target and are skipped.
 */
export interface BatchOptions {
  batchSize: number;
  /** 'session': session-parallel (GRU4Rec); 'user': user-parallel (HRNN). */
  lanes: 'session' | 'user';
  /** Session lanes only: sessions by first event time (GRU4Rec time_sort) or by index. */
  order: 'time' | 'index';
  /** Per session: 1 = its predictions are scored (Batch.scored), 0 = replayed only. Default: all 1. */
  scoredSessions?: Uint8Array;
  /** Stop when fewer rows remain active (default 1; in-batch negatives need 2). */
  minRows?: number;
  /** Stop as soon as a lane cannot be refilled (2016 GRU4Rec / original HRNN truncated epochs). */
  truncateEpoch?: boolean;
}

const INACTIVE = -1;

/** Mutable per-lane cursor state, one typed array entry per lane (no per-event objects). */
interface Lanes {
  session: Int32Array;
  /** Absolute index of the current input event. */
  event: Int32Array;
  user: Int32Array;
  sessionStart: Uint8Array;
  userStart: Uint8Array;
}

export function* makeParallelBatches(data: SessionDataset, options: BatchOptions): Generator<Batch> {
  const nLanes = options.batchSize;
  if (!Number.isInteger(nLanes) || nLanes < 1) throw new RangeError(`batchSize must be a positive integer, got ${nLanes}`);
  const minRows = Math.max(1, options.minRows ?? 1);
  const feeder = new StreamFeeder(data, options);
  const lanes: Lanes = {
    session: new Int32Array(nLanes).fill(INACTIVE),
    event: new Int32Array(nLanes),
    user: new Int32Array(nLanes),
    sessionStart: new Uint8Array(nLanes),
    userStart: new Uint8Array(nLanes),
  };
  for (let b = 0; b < nLanes; b++) feeder.startStream(lanes, b);
  let previous: Int32Array | null = null;
  for (;;) {
    const active = activeLanes(lanes.session);
    if (active.length === 0 || active.length < minRows) return;
    yield emitBatch(data, lanes, active, keepRowsOf(previous, active), options.scoredSessions);
    previous = active;
    if (!advanceLanes(lanes, active, feeder) && options.truncateEpoch) return;
  }
}

/** Move every active lane one event on; false when some lane could not be refilled. */
function advanceLanes(lanes: Lanes, active: Int32Array, feeder: StreamFeeder): boolean {
  let allRefilled = true;
  for (const b of active) {
    lanes.sessionStart[b] = 0;
    lanes.userStart[b] = 0;
    const next = (lanes.event[b] as number) + 1;
    if (next + 1 < feeder.sessionEnd(lanes.session[b] as number)) {
      lanes.event[b] = next;
    } else if (!feeder.nextSessionOfUser(lanes, b) && !feeder.startStream(lanes, b)) {
      allRefilled = false;
    }
  }
  return allRefilled;
}

function activeLanes(session: Int32Array): Int32Array {
  let n = 0;
  for (const s of session) if (s !== INACTIVE) n++;
  const out = new Int32Array(n);
  let r = 0;
  for (let b = 0; b < session.length; b++) if (session[b] !== INACTIVE) out[r++] = b;
  return out;
}

/** Rows of the previous step that carry on; lanes only ever leave, so a merge walk suffices. */
function keepRowsOf(previous: Int32Array | null, active: Int32Array): Int32Array | null {
  if (previous === null || previous.length === active.length) return null;
  const keep = new Int32Array(active.length);
  let p = 0;
  for (let r = 0; r < active.length; r++) {
    while (previous[p] !== active[r]) p++;
    keep[r] = p;
  }
  return keep;
}

function emitBatch(
  data: SessionDataset,
  lanes: Lanes,
  active: Int32Array,
  keepRows: Int32Array | null,
  scoredSessions: Uint8Array | undefined,
): Batch {
  const size = active.length;
  const batch = {
    size,
    inputIds: new Int32Array(size),
    targetIds: new Int32Array(size),
    sessionStart: new Uint8Array(size),
    userStart: new Uint8Array(size),
    keepRows,
    inputEvent: new Int32Array(size),
    userIndex: new Int32Array(size),
    sessionIndex: new Int32Array(size),
    scored: new Uint8Array(size),
  };
  for (let r = 0; r < size; r++) {
    const b = active[r] as number;
    const event = lanes.event[b] as number;
    const session = lanes.session[b] as number;
    batch.inputIds[r] = data.items[event] as number;
    batch.targetIds[r] = data.items[event + 1] as number;
    batch.sessionStart[r] = lanes.sessionStart[b] as number;
    batch.userStart[r] = lanes.userStart[b] as number;
    batch.inputEvent[r] = event;
    batch.userIndex[r] = lanes.user[b] as number;
    batch.sessionIndex[r] = session;
    batch.scored[r] = scoredSessions === undefined ? 1 : (scoredSessions[session] as number);
  }
  return batch;
}

/** Hands out streams in order and knows the session/user layout of the dataset. */
class StreamFeeder {
  private readonly streams: Int32Array;
  private nextStream = 0;
  private readonly offsets: Int32Array;
  private readonly userOffsets: Int32Array;
  private readonly sessionUser: Int32Array;
  private readonly isUserLanes: boolean;

  constructor(data: SessionDataset, options: BatchOptions) {
    this.offsets = data.sessionOffsets;
    this.userOffsets = data.userOffsets;
    this.sessionUser = userOfSessions(data);
    this.isUserLanes = options.lanes === 'user';
    this.streams = this.isUserLanes ? this.userStreams() : this.sessionStreams(data, options.order);
  }

  sessionEnd(session: number): number {
    return this.offsets[session + 1] as number;
  }

  /** Put lane b on the first session of the next unused stream; false when none is left. */
  startStream(lanes: Lanes, b: number): boolean {
    if (this.nextStream >= this.streams.length) {
      lanes.session[b] = INACTIVE;
      return false;
    }
    const stream = this.streams[this.nextStream++] as number;
    const session = this.isUserLanes ? this.firstUsable(this.userOffsets[stream] as number, stream) : stream;
    this.enter(lanes, b, session);
    lanes.userStart[b] = 1;
    return true;
  }

  /** User lanes: move lane b to its user's next usable session; false at the user's end. */
  nextSessionOfUser(lanes: Lanes, b: number): boolean {
    if (!this.isUserLanes) return false;
    const user = lanes.user[b] as number;
    const session = this.firstUsable((lanes.session[b] as number) + 1, user);
    if (session === INACTIVE) return false;
    this.enter(lanes, b, session);
    return true;
  }

  private enter(lanes: Lanes, b: number, session: number): void {
    lanes.session[b] = session;
    lanes.event[b] = this.offsets[session] as number;
    lanes.user[b] = this.sessionUser[session] as number;
    lanes.sessionStart[b] = 1;
  }

  /** First session from `from` on of `user` with at least 2 events, or INACTIVE. */
  private firstUsable(from: number, user: number): number {
    const end = this.userOffsets[user + 1] as number;
    for (let s = from; s < end; s++) if (this.isUsable(s)) return s;
    return INACTIVE;
  }

  private isUsable(session: number): boolean {
    return (this.offsets[session + 1] as number) - (this.offsets[session] as number) >= 2;
  }

  private userStreams(): Int32Array {
    const nUsers = this.userOffsets.length - 1;
    const users: number[] = [];
    for (let u = 0; u < nUsers; u++) if (this.firstUsable(this.userOffsets[u] as number, u) !== INACTIVE) users.push(u);
    return Int32Array.from(users);
  }

  private sessionStreams(data: SessionDataset, order: BatchOptions['order']): Int32Array {
    const sessions: number[] = [];
    for (let s = 0; s + 1 < this.offsets.length; s++) if (this.isUsable(s)) sessions.push(s);
    const out = Int32Array.from(sessions);
    if (order === 'time') {
      const firstTime = (s: number): number => data.times[this.offsets[s] as number] as number;
      out.sort((a, b) => firstTime(a) - firstTime(b) || a - b);
    }
    return out;
  }
}

function userOfSessions(data: SessionDataset): Int32Array {
  const out = new Int32Array(data.sessionOffsets.length - 1);
  for (let u = 0; u + 1 < data.userOffsets.length; u++) {
    out.fill(u, data.userOffsets[u] as number, data.userOffsets[u + 1] as number);
  }
  return out;
}

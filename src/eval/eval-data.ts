import type { SessionDataset } from '../data/types.js';

/**
 * The dataset the evaluator drives through a predictor, and how its sessions and users map
 * back to the test split. For user-aware models (HRNN bootstrap, spec 1.8) every test user's
 * training sessions come first, replayed but not scored, then the user's test sessions. Users
 * are matched by their original id.
 */
export interface EvalData {
  readonly data: SessionDataset;
  /** Per session of `data`: 1 = a test session (scored), 0 = replayed history. */
  readonly scoredSessions: Uint8Array;
  /** Per session of `data`: its test session index, -1 for replayed history. */
  readonly testSession: Int32Array;
  /** Per user of `data`: its test user index. */
  readonly testUser: Int32Array;
  /** Per test user: number of training sessions of that user (0 when unknown to train). */
  readonly historyLength: Int32Array;
}

export function buildEvalData(train: SessionDataset, test: SessionDataset, withHistory: boolean): EvalData {
  const trainUser = trainUsersOf(train, test);
  const historyLength = trainUser.map((u) => (u < 0 ? 0 : (train.userOffsets[u + 1] as number) - (train.userOffsets[u] as number)));
  const nTestSessions = test.sessionOffsets.length - 1;
  if (!withHistory) {
    return {
      data: test,
      scoredSessions: new Uint8Array(nTestSessions).fill(1),
      testSession: Int32Array.from({ length: nTestSessions }, (_, s) => s),
      testUser: Int32Array.from({ length: trainUser.length }, (_, u) => u),
      historyLength,
    };
  }
  return { ...withTrainingHistory(train, test, trainUser), historyLength };
}

/** Train user index of every test user, -1 when the user has no training sessions. */
function trainUsersOf(train: SessionDataset, test: SessionDataset): Int32Array {
  const byId = new Map<string, number>();
  train.userIds.forEach((id, u) => byId.set(id, u));
  return Int32Array.from(test.userIds, (id) => byId.get(id) ?? -1);
}

interface SessionSource {
  from: SessionDataset;
  session: number;
  testSession: number;
}

function withTrainingHistory(train: SessionDataset, test: SessionDataset, trainUser: Int32Array): Omit<EvalData, 'historyLength'> {
  const sources: SessionSource[] = [];
  const userOffsets = [0];
  for (let u = 0; u < trainUser.length; u++) {
    const tu = trainUser[u] as number;
    if (tu >= 0) {
      for (let s = train.userOffsets[tu] as number; s < (train.userOffsets[tu + 1] as number); s++) {
        sources.push({ from: train, session: s, testSession: -1 });
      }
    }
    for (let s = test.userOffsets[u] as number; s < (test.userOffsets[u + 1] as number); s++) {
      sources.push({ from: test, session: s, testSession: s });
    }
    userOffsets.push(sources.length);
  }
  return {
    data: concatSessions(sources, Int32Array.from(userOffsets), test.userIds),
    scoredSessions: Uint8Array.from(sources, (src) => (src.testSession >= 0 ? 1 : 0)),
    testSession: Int32Array.from(sources, (src) => src.testSession),
    testUser: Int32Array.from({ length: trainUser.length }, (_, u) => u),
  };
}

function concatSessions(sources: readonly SessionSource[], userOffsets: Int32Array, userIds: readonly string[]): SessionDataset {
  const sessionOffsets = new Int32Array(sources.length + 1);
  sources.forEach((src, i) => {
    const length = (src.from.sessionOffsets[src.session + 1] as number) - (src.from.sessionOffsets[src.session] as number);
    sessionOffsets[i + 1] = (sessionOffsets[i] as number) + length;
  });
  const nEvents = sessionOffsets[sources.length] as number;
  const items = new Int32Array(nEvents);
  const times = new Float64Array(nEvents);
  sources.forEach((src, i) => {
    const start = src.from.sessionOffsets[src.session] as number;
    const end = src.from.sessionOffsets[src.session + 1] as number;
    items.set(src.from.items.subarray(start, end), sessionOffsets[i]);
    times.set(src.from.times.subarray(start, end), sessionOffsets[i]);
  });
  const sessionIds = sources.map((src) => src.from.sessionIds[src.session] as string);
  return { items, times, sessionOffsets, userOffsets, userIds, sessionIds };
}

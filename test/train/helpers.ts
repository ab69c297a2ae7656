import type { Batch } from '../../src/data/batch.js';
import type { SessionDataset } from '../../src/data/types.js';
import type { ParamStore } from '../../src/models/layers/param-store.js';
import type { Masks, TrainStepInput } from '../../src/models/session-step.js';

/** A dataset from users -> sessions -> item indices (users named u0, u1, ... unless `userIds`); times increase by 60 s per event. */
export function usersDataset(users: readonly (readonly (readonly number[])[])[], userIds = users.map((_, u) => `u${u}`)): SessionDataset {
  const items: number[] = [];
  const sessionOffsets = [0];
  const userOffsets = [0];
  const sessionIds: string[] = [];
  for (const sessions of users) {
    for (const s of sessions) {
      items.push(...s);
      sessionOffsets.push(items.length);
      sessionIds.push(`s${sessionIds.length}`);
    }
    userOffsets.push(sessionOffsets.length - 1);
  }
  return {
    items: Int32Array.from(items),
    times: Float64Array.from(items.map((_, i) => i * 60)),
    sessionOffsets: Int32Array.from(sessionOffsets),
    userOffsets: Int32Array.from(userOffsets),
    userIds,
    sessionIds,
  };
}

/** A hand-made batch (training: every row scored). */
export function makeBatch(b: { inputIds: number[]; targetIds: number[]; sessionStart: number[]; userStart?: number[]; keepRows?: number[] }): Batch {
  const n = b.inputIds.length;
  return {
    size: n,
    inputIds: Int32Array.from(b.inputIds),
    targetIds: Int32Array.from(b.targetIds),
    sessionStart: Uint8Array.from(b.sessionStart),
    userStart: Uint8Array.from(b.userStart ?? new Array<number>(n).fill(0)),
    keepRows: b.keepRows ? Int32Array.from(b.keepRows) : null,
    inputEvent: new Int32Array(n),
    userIndex: new Int32Array(n),
    sessionIndex: new Int32Array(n),
    scored: new Uint8Array(n).fill(1),
  };
}

/** Overwrite every parameter with a fixed, distinct pattern (hand-set weights). */
export function setPatternWeights(store: ParamStore): void {
  store.names().forEach((name, p) => {
    const v = store.get(name);
    for (let i = 0; i < v.length; i++) v[i] = 0.5 * Math.sin(1.7 * i + 0.9 * p + 0.3);
  });
}

/** Plain-JS matrix helpers for the reference computations: row-major [rows, cols]. */
export type Mat = number[][];

export function param(store: ParamStore, name: string): Mat {
  const shape = store.spec(name).shape;
  const cols = shape.length === 1 ? (shape[0] as number) : shape.slice(1).reduce((a, b) => a * b, 1);
  const v = Array.from(store.get(name));
  const rows = v.length / cols;
  return Array.from({ length: rows }, (_, r) => v.slice(r * cols, (r + 1) * cols));
}

export function matmul(a: Mat, b: Mat): Mat {
  return a.map((row) => (b[0] as number[]).map((_, j) => row.reduce((s, x, k) => s + x * ((b[k] as number[])[j] as number), 0)));
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The GRU of spec 2.2 with blocks (r, z, candidate): xProj [B,3H] incl. bias, h [B,H], u [H,3H],
 *  extraRz [B,2H] added to the r,z pre-activations; `interp` is the state interpolated with (1-z). */
export function gruRef(xProj: Mat, h: Mat, u: Mat, extraRz?: Mat, interp?: Mat): Mat {
  const H = (h[0] as number[]).length;
  const hu = matmul(h, u);
  return h.map((hrow, b) => {
    const x = xProj[b] as number[];
    const gate = (j: number): number => sigmoid((x[j] as number) + ((hu[b] as number[])[j] as number) + (extraRz ? ((extraRz[b] as number[])[j] as number) : 0));
    const r = hrow.map((_, j) => gate(j));
    const z = hrow.map((_, j) => gate(H + j));
    const rh = [hrow.map((v, j) => v * (r[j] as number))];
    const cand = matmul(rh, u.map((row) => row.slice(2 * H)))[0] as number[];
    const prev = interp ? (interp[b] as number[]) : hrow;
    return hrow.map((_, j) => {
      const c = Math.tanh((x[2 * H + j] as number) + (cand[j] as number));
      return (1 - (z[j] as number)) * (prev[j] as number) + (z[j] as number) * c;
    });
  });
}

/** scores = h W^T + b over all items. */
export function scoresRef(h: Mat, w: Mat, b: Mat): Mat {
  return h.map((row) => w.map((wr, i) => wr.reduce((s, x, k) => s + x * (row[k] as number), 0) + ((b[i] as number[])[0] as number)));
}

export function addBias(m: Mat, bias: number[]): Mat {
  return m.map((row) => row.map((v, j) => v + (bias[j] as number)));
}

/** A training step input with the HRNN paper's loss: TOP1 with tanh over the in-batch targets (or `cols`). */
export function top1StepInput(batch: Batch, lanes: Float32Array[], masks: Masks | null, cols: Int32Array = batch.targetIds): TrainStepInput {
  return { batch, lanes, cols, logQ: null, logQWeight: 0, loss: 'top1', batchSize: batch.size, bpreg: 0, finalAct: 'tanh', masks };
}

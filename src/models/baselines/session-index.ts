import type { SessionDataset } from '../../data/types.js';
import { InternalError } from '../../util/errors.js';

/** Compressed rows of integers: row r is values[offsets[r] .. offsets[r+1]). */
export interface IntRows {
  readonly offsets: Int32Array;
  readonly values: Int32Array;
}

export function nSessionsOf(data: SessionDataset): number {
  return data.sessionOffsets.length - 1;
}

/** Throws if the dataset uses an item index outside the catalogue (the index and split disagree). */
export function checkItemRange(data: SessionDataset, nItems: number): void {
  for (const item of data.items) {
    if (item < 0 || item >= nItems) throw new InternalError(`item index ${item} outside the catalogue of ${nItems} items`);
  }
}

/** Events per item, [nItems]. */
export function itemEventCounts(data: SessionDataset, nItems: number): Float64Array {
  const counts = new Float64Array(nItems);
  for (const item of data.items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

/** For each item, the indices (into data.items) of its events, in dataset order. */
export function itemEventIndex(data: SessionDataset, nItems: number): IntRows {
  return invertRows({ offsets: Int32Array.of(0, data.items.length), values: data.items }, nItems, true);
}

/**
 * The distinct items of each session in first-occurrence order, one row per session. With
 * `order`, row r holds session order[r] (V-SKNN puts the most recent session first).
 */
export function distinctSessionItems(data: SessionDataset, nItems: number, order?: Int32Array): IntRows {
  const nSessions = nSessionsOf(data);
  const offsets = new Int32Array(nSessions + 1);
  const values = new Int32Array(data.items.length);
  // seenIn[item] = 1 + the row that last saw it, so no clearing between rows.
  const seenIn = new Int32Array(nItems);
  let n = 0;
  for (let row = 0; row < nSessions; row++) {
    const s = order ? (order[row] ?? 0) : row;
    for (let e = data.sessionOffsets[s] ?? 0; e < (data.sessionOffsets[s + 1] ?? 0); e++) {
      const item = data.items[e] ?? 0;
      if (seenIn[item] === row + 1) continue;
      seenIn[item] = row + 1;
      values[n++] = item;
    }
    offsets[row + 1] = n;
  }
  return { offsets, values: values.slice(0, n) };
}

/**
 * Transpose item rows: for each item, the rows (sessions) that contain it, in ascending row order;
 * with `positions`, the positions in rows.values instead of the rows.
 */
export function invertRows(rows: IntRows, nItems: number, positions = false): IntRows {
  const offsets = new Int32Array(nItems + 1);
  for (const item of rows.values) offsets[item + 1] = (offsets[item + 1] ?? 0) + 1;
  for (let i = 0; i < nItems; i++) offsets[i + 1] = (offsets[i + 1] ?? 0) + (offsets[i] ?? 0);
  const fill = offsets.slice(0, nItems);
  const values = new Int32Array(rows.values.length);
  for (let row = 0; row + 1 < rows.offsets.length; row++) {
    for (let k = rows.offsets[row] ?? 0; k < (rows.offsets[row + 1] ?? 0); k++) {
      const item = rows.values[k] ?? 0;
      const at = fill[item] ?? 0;
      values[at] = positions ? k : row;
      fill[item] = at + 1;
    }
  }
  return { offsets, values };
}

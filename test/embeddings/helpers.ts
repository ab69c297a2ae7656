import type { ItemIndex, ItemMetadata, SessionDataset } from '../../src/data/types.js';

/** An ItemIndex over the given ids, in order. */
export function itemIndex(ids: string[]): ItemIndex {
  return { ids, indexOf: new Map(ids.map((id, i) => [id, i])) };
}

/** A SessionDataset with one pseudo-user per session, from dense item indices. */
export function sessions(list: number[][]): SessionDataset {
  const offsets = [0];
  for (const s of list) offsets.push((offsets[offsets.length - 1] ?? 0) + s.length);
  return {
    items: Int32Array.from(list.flat()),
    times: new Float64Array(offsets[offsets.length - 1] ?? 0),
    sessionOffsets: Int32Array.from(offsets),
    userOffsets: Int32Array.from(list.map((_, i) => i).concat(list.length)),
    userIds: list.map((_, i) => `u${i}`),
    sessionIds: list.map((_, i) => `s${i}`),
  };
}

/** Metadata with one field `g`: item id -> its values. */
export function metadata(byItem: Record<string, string[]>): ItemMetadata {
  return { fields: ['g'], values: new Map(Object.entries(byItem).map(([id, v]) => [id, [v]])) };
}

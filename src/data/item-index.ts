import type { ItemIndex, SessionDataset } from './types.js';

/**
 * The item index of a training split: every item of `train` gets a dense index in order of
 * first appearance in train (deterministic). `rawIds` names the raw ids used in `train.items`.
 * Returns the index and the raw -> dense map (-1 for items not in train).
 */
export function buildItemIndex(train: SessionDataset, rawIds: readonly string[]): { index: ItemIndex; denseOf: Int32Array } {
  const denseOf = new Int32Array(rawIds.length).fill(-1);
  const ids: string[] = [];
  for (const raw of train.items) {
    if (denseOf[raw] !== -1) continue;
    denseOf[raw] = ids.length;
    ids.push(rawIds[raw] as string);
  }
  return { index: itemIndexFromIds(ids), denseOf };
}

/** An ItemIndex from the original ids in dense order. */
export function itemIndexFromIds(ids: readonly string[]): ItemIndex {
  return { ids, indexOf: new Map(ids.map((id, i) => [id, i])) };
}

/** Re-express a dataset's items through `denseOf`; every item must be mapped. */
export function encodeItems(ds: SessionDataset, denseOf: Int32Array): SessionDataset {
  return { ...ds, items: ds.items.map((raw) => denseOf[raw] as number) };
}

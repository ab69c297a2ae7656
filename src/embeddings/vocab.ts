import type { ItemIndex, ItemMetadata } from '../data/types.js';

/**
 * The joint token vocabulary of Meta-Prod2vec: tokens 0..nItems-1 are the items in ItemIndex
 * order, then the metadata values, interned per field (spec 4.3: one shared embedding space).
 * Each token has a type: 0 for items, 1 + f for values of metadata field f; negatives for a pair
 * are drawn from its output token's type, so the item part of training never depends on metadata.
 */
export interface TokenVocab {
  readonly nItems: number;
  readonly nTokens: number;
  /** Type of each token, [nTokens]: 0 = item, 1 + f = value of metadata field f. */
  readonly tokenType: Uint8Array;
  /** Metadata value tokens of each item (all fields), CSR: item i -> metaTokens[metaOffsets[i] .. metaOffsets[i+1]). */
  readonly metaOffsets: Int32Array;
  readonly metaTokens: Int32Array;
  /** Per field: its values in token order (token = firstToken[f] + position). */
  readonly fields: readonly MetadataField[];
  /** Original ids of items that have no metadata value at all. */
  readonly itemsWithoutMetadata: readonly string[];
}

export interface MetadataField {
  readonly name: string;
  readonly firstToken: number;
  readonly values: readonly string[];
}

/** A vocabulary of items only (plain prod2vec). */
export function itemOnlyVocab(items: ItemIndex): TokenVocab {
  const n = items.ids.length;
  return {
    nItems: n,
    nTokens: n,
    tokenType: new Uint8Array(n),
    metaOffsets: new Int32Array(n + 1),
    metaTokens: new Int32Array(0),
    fields: [],
    itemsWithoutMetadata: [],
  };
}

/** Intern the metadata values of every item of `items`; items absent from `meta` get none. */
export function buildTokenVocab(items: ItemIndex, meta: ItemMetadata): TokenVocab {
  const nItems = items.ids.length;
  const perField = meta.fields.map(() => new Map<string, number>());
  const itemValues: number[][] = [];
  const itemsWithoutMetadata: string[] = [];
  for (const id of items.ids) {
    const cells = meta.values.get(id) ?? [];
    const local: number[] = [];
    cells.forEach((cellValues, f) => {
      const interned = perField[f];
      if (interned === undefined) return;
      for (const v of cellValues) {
        let pos = interned.get(v);
        if (pos === undefined) interned.set(v, (pos = interned.size));
        local.push((f << 24) | pos);
      }
    });
    if (local.length === 0) itemsWithoutMetadata.push(id);
    itemValues.push(local);
  }
  const fields: MetadataField[] = [];
  let next = nItems;
  meta.fields.forEach((name, f) => {
    const values = [...(perField[f]?.keys() ?? [])];
    fields.push({ name, firstToken: next, values });
    next += values.length;
  });
  const tokenType = new Uint8Array(next);
  fields.forEach((field, f) => tokenType.fill(1 + f, field.firstToken, field.firstToken + field.values.length));
  const metaOffsets = new Int32Array(nItems + 1);
  const flat: number[] = [];
  itemValues.forEach((local, i) => {
    for (const packed of local) flat.push((fields[packed >>> 24]?.firstToken ?? 0) + (packed & 0xffffff));
    metaOffsets[i + 1] = flat.length;
  });
  return { nItems, nTokens: next, tokenType, metaOffsets, metaTokens: Int32Array.from(flat), fields, itemsWithoutMetadata };
}

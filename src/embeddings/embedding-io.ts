import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ItemIndex } from '../data/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { UserError } from '../util/errors.js';

/**
 * Embedding files: `<name>.f32` holds little-endian float32 rows [nTokens, dim] (items in
 * ItemIndex order, then metadata values), `<name>.json` the header that says which row is what.
 */
const headerSchema = z.object({
  format: z.literal('hrnn-embeddings/1'),
  dim: z.number().int().positive(),
  nItems: z.number().int().min(0),
  itemIds: z.array(z.string()),
  /** Items whose row was never trained (no training events): random init, not a real vector. */
  itemsWithoutVector: z.array(z.string()),
  metadata: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
  info: z.record(z.string(), z.unknown()).optional(),
});

export type EmbeddingHeader = z.infer<typeof headerSchema>;

export interface SavedEmbeddings {
  /** Row-major [header.itemIds.length + metadata values, dim]. */
  vectors: Float32Array;
  header: Omit<EmbeddingHeader, 'format' | 'nItems'>;
}

/** Write `<base>.f32` and `<base>.json` (each atomically; the header last, so it never describes a missing file). */
export async function saveEmbeddings(base: string, saved: SavedEmbeddings): Promise<void> {
  const nRows = saved.header.itemIds.length + saved.header.metadata.reduce((n, f) => n + f.values.length, 0);
  if (saved.vectors.length !== nRows * saved.header.dim) {
    throw new UserError(`embedding rows do not match the header: ${saved.vectors.length} floats for ${nRows} rows of ${saved.header.dim}`);
  }
  const bytes = new Uint8Array(saved.vectors.buffer, saved.vectors.byteOffset, saved.vectors.byteLength);
  await writeFileAtomic(`${base}.f32`, bytes);
  const header: EmbeddingHeader = { format: 'hrnn-embeddings/1', nItems: saved.header.itemIds.length, ...saved.header };
  await writeFileAtomic(`${base}.json`, `${JSON.stringify(header)}\n`);
}

export interface LoadedEmbeddings {
  /** Item rows only, [expected.ids.length, dim], aligned with the expected ItemIndex. */
  items: Float32Array;
  dim: number;
  /** Items whose row is not a trained vector (for the caller to report). */
  itemsWithoutVector: string[];
  header: EmbeddingHeader;
}

/**
 * Read embeddings for `expected`. Refuses (UserError) a file written for another item index
 * (other items, another order) or another dimension, rather than silently misaligning rows.
 */
export async function loadEmbeddings(base: string, expected: ItemIndex, dim?: number): Promise<LoadedEmbeddings> {
  const path = base.replace(/\.(f32|json)$/, '');
  const header = await readHeader(`${path}.json`);
  const where = `${path}.json`;
  const hint = 'train the embeddings on the same prepared data (hrnn prod2vec with the same data section)';
  if (dim !== undefined && header.dim !== dim) {
    throw new UserError(`embedding dimension is ${header.dim}, the model expects ${dim}`, { where, hint: 'set the model embedding size to match' });
  }
  if (header.itemIds.length !== expected.ids.length) {
    throw new UserError(`item index mismatch: the file has ${header.itemIds.length} items, the data has ${expected.ids.length}`, { where, hint });
  }
  const diff = header.itemIds.findIndex((id, i) => id !== expected.ids[i]);
  if (diff >= 0) {
    throw new UserError(
      `item index mismatch at row ${diff}: the file has item "${header.itemIds[diff]}", the data has "${expected.ids[diff]}"`,
      { where, hint },
    );
  }
  const bytes = await readFile(`${path}.f32`).catch(() => {
    throw new UserError('embedding file not found or unreadable', { where: `${path}.f32` });
  });
  const nRows = header.nItems + header.metadata.reduce((n, f) => n + f.values.length, 0);
  if (bytes.byteLength !== nRows * header.dim * 4) {
    throw new UserError(`embedding file has ${bytes.byteLength} bytes, the header describes ${nRows} x ${header.dim} float32`, {
      where: `${path}.f32`,
    });
  }
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { items: all.slice(0, header.nItems * header.dim), dim: header.dim, itemsWithoutVector: header.itemsWithoutVector, header };
}

async function readHeader(path: string): Promise<EmbeddingHeader> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new UserError('embedding header not found or not JSON', { where: path });
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`not an hrnn embedding header: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`, { where: path });
  }
  return parsed.data;
}

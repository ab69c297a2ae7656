import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveEmbeddings } from '../../src/embeddings/embedding-io.js';

export const N_ITEMS = 8;
export const DIM = 4;
export const ITEM_IDS = Array.from({ length: N_ITEMS }, (_, i) => `item${i}`);
/** Item 7 has no trained vector (its file row is junk the model must not use). */
export const MISSING = 7;

/** Row k = [k + 0.1, -0.2 k, 0.05 k^2, 1 - k / 8]; item 2's row is twice item 1's (linearity checks). */
export function vectorOf(k: number): number[] {
  if (k === 2) return vectorOf(1).map((v) => 2 * v);
  if (k === MISSING) return [99, 99, 99, 99];
  return [k + 0.1, -0.2 * k, 0.05 * k * k, 1 - k / 8];
}

/** Writes `<dir>/vectors.f32/.json` for ITEM_IDS (order as given) and returns the base path. */
export async function writeVectors(ids: readonly string[] = ITEM_IDS): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hrnn-item-emb-'));
  const base = join(dir, 'vectors');
  const vectors = Float32Array.from(ids.flatMap((id) => vectorOf(ITEM_IDS.indexOf(id))));
  await saveEmbeddings(base, {
    vectors,
    header: { dim: DIM, itemIds: [...ids], itemsWithoutVector: [`item${MISSING}`], metadata: [] },
  });
  return base;
}

export function row(table: Float32Array, k: number, width: number): number[] {
  return Array.from(table.subarray(k * width, (k + 1) * width));
}

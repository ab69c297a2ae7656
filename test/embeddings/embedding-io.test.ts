import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEmbeddings, saveEmbeddings } from '../../src/embeddings/embedding-io.js';
import { itemIndex } from './helpers.js';

describe('embedding-io', () => {
  const vectors = Float32Array.from([1, 2, 3, 4, 5, 6, 0.5, -0.5]); // 3 items + 1 metadata value, dim 2
  const header = { dim: 2, itemIds: ['a', 'b', 'c'], itemsWithoutVector: ['c'], metadata: [{ name: 'g', values: ['x'] }] };

  it('round-trips item rows and reports items without a vector', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emb-'));
    await saveEmbeddings(join(dir, 'e'), { vectors, header });
    expect((await readdir(dir)).sort()).toEqual(['e.f32', 'e.json']);
    const loaded = await loadEmbeddings(join(dir, 'e.f32'), itemIndex(['a', 'b', 'c']), 2);
    expect(Array.from(loaded.items)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(loaded.itemsWithoutVector).toEqual(['c']);
    expect(loaded.header.metadata).toEqual([{ name: 'g', values: ['x'] }]);
  });

  it('refuses a permuted or different item index and a wrong dimension', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emb-'));
    await saveEmbeddings(join(dir, 'e'), { vectors, header });
    const base = join(dir, 'e');
    await expect(loadEmbeddings(base, itemIndex(['a', 'c', 'b']))).rejects.toThrow(/mismatch at row 1: the file has item "b", the data has "c"/);
    await expect(loadEmbeddings(base, itemIndex(['a', 'b']))).rejects.toThrow(/file has 3 items, the data has 2/);
    await expect(loadEmbeddings(base, itemIndex(['a', 'b', 'c']), 4)).rejects.toThrow(/dimension is 2, the model expects 4/);
  });

  it('refuses vectors that do not match the header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emb-'));
    await expect(saveEmbeddings(join(dir, 'e'), { vectors: vectors.subarray(0, 6), header })).rejects.toThrow(/6 floats for 4 rows of 2/);
  });
});

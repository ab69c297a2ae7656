import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParamStore } from '../../src/models/layers/param-store.js';
import { loadCheckpoint, restoreParams, saveCheckpoint } from '../../src/train/checkpoint.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hrnn-ckpt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function store(values: number[]): ParamStore {
  const s = new ParamStore();
  s.add({ name: 'out.W', shape: [values.length / 2, 2], itemIndexed: true }, Float32Array.from(values));
  return s;
}

describe('checkpoints', () => {
  it('returns null when the directory has no checkpoint', async () => {
    expect(await loadCheckpoint(join(dir, 'empty'))).toBeNull();
  });

  it('round-trips parameters, optimizer state and meta; a later save replaces the earlier one', async () => {
    const ckpt = join(dir, 'a');
    const optimizerState = { 'out.W/acc': Float32Array.from([1, 2, 3, 4]), 'out.W/vel': Float32Array.from([0.5, -0.5, 0, 0]) };
    await saveCheckpoint(ckpt, { params: store([1, 2, 3, 4]), optimizerState, meta: { epoch: 1, best: null, badEpochs: 0 } });
    await saveCheckpoint(ckpt, { params: store([5, 6, 7, 8]), optimizerState, meta: { epoch: 2, best: 0.25, badEpochs: 1 } });
    const loaded = await loadCheckpoint(ckpt);
    expect(loaded?.meta).toEqual({ epoch: 2, best: 0.25, badEpochs: 1 });
    expect(Array.from(loaded?.params.get('out.W') ?? [])).toEqual([5, 6, 7, 8]);
    expect(Array.from(loaded?.optimizerState['out.W/vel'] ?? [])).toEqual([0.5, -0.5, 0, 0]);
    // atomic: only the finished checkpoint, no temporary directory left behind
    expect(await readdir(ckpt)).toEqual(['last']);
  });

  it('restoreParams copies in place and rejects a checkpoint of another shape', async () => {
    const target = store([0, 0, 0, 0]);
    const w = target.get('out.W');
    restoreParams(target, store([1, 2, 3, 4]), 'ckpt');
    expect(target.get('out.W')).toBe(w);
    expect(Array.from(w)).toEqual([1, 2, 3, 4]);
    expect(() => restoreParams(target, store([1, 2]), 'ckpt')).toThrow(/out\.W.*another shape/);
  });
});

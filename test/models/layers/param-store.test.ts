import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { glorotGateBlocks, ParamStore } from '../../../src/models/layers/param-store.js';
import { Rng } from '../../../src/util/rng.js';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function sample(): ParamStore {
  const store = new ParamStore();
  store.add({ name: 'Wy', shape: [3, 2], itemIndexed: true }, Float32Array.from([1, 2, 3, 4, 5, 6]));
  store.add({ name: 'b/h', shape: [2], itemIndexed: false }, Float32Array.from([0.5, -1e-7]));
  return store;
}

describe('ParamStore', () => {
  it('gathers rows in the requested order, duplicates included', () => {
    expect([...sample().gatherRows('Wy', Int32Array.from([2, 0, 2]))]).toEqual([5, 6, 1, 2, 5, 6]);
  });

  it('rejects a size mismatch and unknown names', () => {
    const store = sample();
    expect(() => store.add({ name: 'x', shape: [2, 2], itemIndexed: false }, new Float32Array(3))).toThrow(/3 values for shape \[2, 2\]/);
    expect(() => store.get('nope')).toThrow(/unknown parameter 'nope'/);
    expect(() => store.add({ name: 'Wy', shape: [1], itemIndexed: false }, new Float32Array(1))).toThrow(/added twice/);
  });

  it('save/load round-trips specs and exact values, leaving no temp dir', async () => {
    dir = await mkdtemp(join(tmpdir(), 'params-'));
    const target = join(dir, 'model');
    await sample().save(target);
    const loaded = await ParamStore.load(target);
    expect(loaded.names()).toEqual(['Wy', 'b/h']);
    expect(loaded.spec('Wy')).toEqual({ name: 'Wy', shape: [3, 2], itemIndexed: true });
    expect([...loaded.get('Wy')]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(loaded.get('b/h')).toEqual(Float32Array.from([0.5, -1e-7]));
    expect(await readdir(dir)).toEqual(['model']);
  });

  it('load reports a truncated parameter file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'params-'));
    await sample().save(join(dir, 'm'));
    await writeFile(join(dir, 'm', 'Wy.f32'), new Uint8Array(8));
    const load = ParamStore.load(join(dir, 'm'));
    await expect(load).rejects.toThrow(/8 bytes, expected 24 for shape \[3, 2\]/);
    await expect(load).rejects.toMatchObject({ where: expect.stringMatching(/Wy\.f32$/) });
  });
});

describe('glorotGateBlocks', () => {
  it('draws each gate block within sqrt(6 / (fanIn + units))', () => {
    // fanIn 4, units 2: limit = sqrt(6 / 6) = 1; 3 blocks -> shape [4, 6]
    const w = glorotGateBlocks(new Rng(1), 4, 2, 3);
    expect(w.length).toBe(24);
    for (let b = 0; b < 3; b++) {
      const block = [0, 1, 2, 3].flatMap((i) => [w[i * 6 + b * 2], w[i * 6 + b * 2 + 1]] as number[]);
      const maxAbs = Math.max(...block.map(Math.abs));
      expect(maxAbs).toBeLessThanOrEqual(1);
      expect(maxAbs).toBeGreaterThan(0.5); // 8 draws: P(all |u| < 0.5) = 0.5^8
    }
    // a wider layer has a smaller limit: fanIn 100, units 200 -> sqrt(6/300) = 0.1414
    const wide = glorotGateBlocks(new Rng(2), 100, 200, 3);
    expect(Math.max(...wide.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 300));
    expect(Math.max(...wide.map(Math.abs))).toBeGreaterThan(0.14);
  });

  it('block 0 does not depend on the number of blocks', () => {
    const one = glorotGateBlocks(new Rng(3), 2, 2, 1);
    const three = glorotGateBlocks(new Rng(3), 2, 2, 3);
    expect([three[0], three[1], three[6], three[7]]).toEqual([...one]);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelSchema, type ModelConfig } from '../../../src/config/model-schema.js';
import { createBaseline, isBaselineConfig, restoreBaseline } from '../../../src/models/baselines/index.js';
import { fitContext, fitTiny, N_ITEMS, scoreSession, tinyLog } from './helpers.js';

const TYPES = ['pop', 'spop', 'itemknn', 'sr', 'vsknn', 'stan'] as const;

describe('baseline configs', () => {
  it('fills the documented defaults of sr, vsknn and stan', () => {
    expect(modelSchema.parse({ type: 'sr' })).toEqual({ type: 'sr', steps: 10, weighting: 'div', pruning: 20 });
    expect(modelSchema.parse({ type: 'vsknn' })).toEqual({
      type: 'vsknn',
      k: 100,
      sampleSize: 1000,
      weighting: 'div',
      weightingScore: 'div',
      idfWeighting: 0,
      remind: true,
    });
    expect(modelSchema.parse({ type: 'stan' })).toEqual({
      type: 'stan',
      k: 100,
      sampleSize: 5000,
      lambdaSpw: 1.02,
      lambdaSnh: 5,
      lambdaInh: 2.05,
      remind: true,
    });
    expect(() => modelSchema.parse({ type: 'vsknn', simlarity: 'vec' })).toThrow(/simlarity/);
  });

  it('creates every baseline type, labelled by name or type', () => {
    for (const type of TYPES) {
      const cfg = modelSchema.parse({ type }) as ModelConfig;
      expect(isBaselineConfig(cfg)).toBe(true);
      if (!isBaselineConfig(cfg)) continue;
      const model = createBaseline(cfg, N_ITEMS);
      expect([model.name, model.nItems, model.usesUserHistory]).toEqual([type, N_ITEMS, false]);
    }
    const named = modelSchema.parse({ type: 'sr', name: 'rules' });
    expect(isBaselineConfig(named) && createBaseline(named, N_ITEMS).name).toBe('rules');
  });

  it('refuses to predict before fitting', () => {
    const model = createBaseline({ type: 'pop' }, N_ITEMS);
    expect(() => model.predictor(tinyLog())).toThrow(/pop: predictor\(\) called before fit\(\)/);
  });
});

describe('save and restore', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hrnn-baseline-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refits from the saved config to the same scores', async () => {
    for (const type of TYPES) {
      const cfg = modelSchema.parse({ type, name: `my-${type}` });
      if (!isBaselineConfig(cfg)) throw new Error('not a baseline');
      const model = createBaseline(cfg, N_ITEMS);
      const before = await scoreSession(await fitTiny(model), [1, 2]);
      await model.save(dir);
      const restored = await restoreBaseline(dir, tinyLog(), fitContext());
      expect(restored.name).toBe(`my-${type}`);
      expect(await scoreSession(restored.predictor(tinyLog()), [1, 2])).toEqual(before);
    }
  });

  it('reports a missing or foreign file with its path', async () => {
    await expect(restoreBaseline(dir, tinyLog(), fitContext())).rejects.toThrow(/cannot read the saved baseline/);
    await writeFile(join(dir, 'baseline.json'), JSON.stringify({ format: 'hrnn-baseline-v1', nItems: 5, config: { type: 'knn' } }));
    await expect(restoreBaseline(dir, tinyLog(), fitContext())).rejects.toThrow(/not a saved hrnn baseline: config.type/);
  });
});

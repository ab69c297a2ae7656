import { describe, expect, it } from 'vitest';
import { ParamStore } from '../../src/models/layers/param-store.js';
import { createOptimizer, type OptimizerConfig } from '../../src/train/optimizers.js';

function scalarStore(value: number): ParamStore {
  const store = new ParamStore();
  store.add({ name: 'w', shape: [1], itemIndexed: false }, Float32Array.of(value));
  return store;
}

/** Two steps on a single weight p = 1 with gradients 0.5 then -1. */
function twoSteps(cfg: OptimizerConfig): number[] {
  const store = scalarStore(1);
  const opt = createOptimizer(cfg, store);
  opt.applyDense('w', Float32Array.of(0.5));
  const first = store.get('w')[0] as number;
  opt.applyDense('w', Float32Array.of(-1));
  return [first, store.get('w')[0] as number];
}

function table(): ParamStore {
  const store = new ParamStore();
  store.add({ name: 'E', shape: [4, 2], itemIndexed: true }, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
  return store;
}

describe('optimizers, hand-computed two-step updates', () => {
  it('adagrad without momentum', () => {
    // step 1: acc = 0.25, g^ = 0.5 / sqrt(0.250001) = 0.999998, p = 1 - 0.1 * 0.999998 = 0.9000002
    // step 2: acc = 1.25, g^ = -1 / sqrt(1.250001) = -0.894427, p = 0.9000002 + 0.0894427 = 0.9894429
    const [p1, p2] = twoSteps({ type: 'adagrad', lr: 0.1, momentum: 0 });
    expect(p1).toBeCloseTo(0.9000002, 6);
    expect(p2).toBeCloseTo(0.9894429, 6);
  });

  it('adagrad with heavy-ball momentum 0.9', () => {
    // step 1: v = -0.0999998, p = 0.9000002
    // step 2: v = 0.9 * -0.0999998 + 0.1 * 0.894427 = -0.0005571, p = 0.8994431
    const [p1, p2] = twoSteps({ type: 'adagrad', lr: 0.1, momentum: 0.9 });
    expect(p1).toBeCloseTo(0.9000002, 6);
    expect(p2).toBeCloseTo(0.8994431, 6);
  });

  it('adam with bias correction', () => {
    // step 1: m = 0.05, v = 0.00025; m^ = 0.5, v^ = 0.25 -> p = 1 - 0.1 * 0.5 / 0.5 = 0.9
    // step 2: m = 0.045 - 0.1 = -0.055, v = 0.00024975 + 0.001 = 0.00124975;
    //   m^ = -0.055 / 0.19 = -0.289474, v^ = 0.00124975 / 0.001999 = 0.625188 -> p = 0.9 + 0.1 * 0.289474 / 0.790688 = 0.936610
    const [p1, p2] = twoSteps({ type: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(p1).toBeCloseTo(0.9, 6);
    expect(p2).toBeCloseTo(0.93661, 5);
  });
});

describe.each<OptimizerConfig>([
  { type: 'adagrad', lr: 0.1, momentum: 0 },
  { type: 'adagrad', lr: 0.1, momentum: 0.5 },
  { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
])('sparse updates ($type, momentum $momentum)', (cfg) => {
  it('equal dense updates on touched rows (duplicates summed) and leave other rows and state alone', () => {
    const sparse = table();
    const dense = table();
    const so = createOptimizer(cfg, sparse);
    const dO = createOptimizer(cfg, dense);
    // rows 2, 0, 2 -> row 0 gets [0.1, 0.2], row 2 gets [0.3 + 0.5, 0.4 + 0.6]
    const rows = Int32Array.from([2, 0, 2]);
    const grad = Float32Array.from([0.3, 0.4, 0.1, 0.2, 0.5, 0.6]);
    for (let step = 0; step < 2; step++) {
      so.applySparse('E', rows, grad);
      dO.applyDense('E', Float32Array.from([0.1, 0.2, 0, 0, 0.8, 1.0, 0, 0]));
    }
    const s = sparse.get('E');
    const d = dense.get('E');
    for (const i of [0, 1, 4, 5]) expect(s[i]).toBeCloseTo(d[i] as number, 6);
    expect([s[2], s[3], s[6], s[7]]).toEqual([3, 4, 7, 8]);
    for (const [key, slot] of Object.entries(so.state())) {
      if (key.endsWith('/step')) continue;
      expect([slot[2], slot[3], slot[6], slot[7]]).toEqual([0, 0, 0, 0]);
      expect(slot[4]).not.toBe(0);
    }
  });
});

describe('optimizer state', () => {
  it('state/loadState resumes exactly where it left off', () => {
    const cfg: OptimizerConfig = { type: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const a = scalarStore(1);
    const optA = createOptimizer(cfg, a);
    optA.applyDense('w', Float32Array.of(0.5));
    const b = scalarStore(a.get('w')[0] as number);
    const optB = createOptimizer(cfg, b);
    optB.loadState(optA.state());
    optA.applyDense('w', Float32Array.of(-1));
    optB.applyDense('w', Float32Array.of(-1));
    expect(b.get('w')[0]).toBe(a.get('w')[0]);
    expect(Object.keys(optA.state()).sort()).toEqual(['w/m', 'w/step', 'w/v']);
  });

  it('rejects a gradient of the wrong size', () => {
    const opt = createOptimizer({ type: 'adagrad', lr: 0.1, momentum: 0 }, table());
    expect(() => opt.applyDense('E', new Float32Array(3))).toThrow(/gradient of 3 for 8 values/);
    expect(() => opt.applySparse('E', Int32Array.of(1), new Float32Array(3))).toThrow(/size mismatch/);
  });
});

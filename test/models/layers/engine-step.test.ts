import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FakeStep } from '../../../bench/fake-step.js';
import { initBackend, type BackendName } from '../../../src/util/backend.js';

describe.each<BackendName>(['wasm', 'cpu'])('a full engine training step on %s', (backend) => {
  it.each([true, false])('leaves no tensor behind (fast %s) and updates the touched rows only', async (fast) => {
    await initBackend(backend);
    const step = new FakeStep({ nItems: 50, batch: 4, hidden: 3, nSamples: 6, fast, seed: 5 });
    const before = tf.memory().numTensors;
    const wy = step.store.get('Wy').slice();
    const l1 = step.run();
    expect(tf.memory().numTensors).toBe(before);
    const l2 = step.run();
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(l1) && Number.isFinite(l2)).toBe(true);
    // 2 steps touch at most 2 * (4 inputs + 4 targets + 6 samples) = 28 of the 50 rows
    const after = step.store.get('Wy');
    let changedRows = 0;
    for (let r = 0; r < 50; r++) if ([0, 1, 2].some((k) => after[r * 3 + k] !== wy[r * 3 + k])) changedRows++;
    expect(changedRows).toBeGreaterThan(0);
    expect(changedRows).toBeLessThanOrEqual(28);
  });

  it('the fast and plain step compute the same loss and updates', async () => {
    await initBackend(backend);
    const a = new FakeStep({ nItems: 30, batch: 4, hidden: 3, nSamples: 5, fast: true, seed: 9 });
    const b = new FakeStep({ nItems: 30, batch: 4, hidden: 3, nSamples: 5, fast: false, seed: 9 });
    for (let i = 0; i < 3; i++) expect(a.run()).toBeCloseTo(b.run(), 5);
    const wa = a.store.get('Wy');
    const wb = b.store.get('Wy');
    wa.forEach((v, i) => expect(v).toBeCloseTo(wb[i] as number, 5));
  });
});

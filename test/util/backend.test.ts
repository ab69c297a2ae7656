import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/util/backend.js';
import { UserError } from '../../src/util/errors.js';

describe('initBackend', () => {
  it('loads the preferred cpu backend and registers the segment-sum kernel', async () => {
    const info = await initBackend('cpu');
    expect(info).toEqual({ name: 'cpu', threads: 1, simd: null, tried: {} });
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'cpu')).toBeDefined();
  });

  it('is idempotent for the same request', async () => {
    expect(initBackend('cpu')).toBe(initBackend('cpu'));
  });

  it('without a preference falls through the absent native packages to wasm', async () => {
    const info = await initBackend();
    // The native packages are optional and not installed in this environment.
    expect(info.name).toBe('wasm');
    expect(Object.keys(info.tried)).toEqual(['node-gpu', 'node']);
    expect(info.threads).toBe(1);
    expect(typeof info.simd).toBe('boolean');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBeDefined();
  });

  it('a preferred backend that does not load is a UserError naming it', async () => {
    await expect(initBackend('node')).rejects.toThrow(/backend 'node' did not load/);
    await expect(initBackend('node')).rejects.toBeInstanceOf(UserError);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../../src/util/backend.js';
import { matMulFast } from '../../src/util/tf-kernels.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 5);
};

describe.each<BackendName>(['cpu', 'wasm'])('custom kernels on %s', (backend) => {
  it('unsortedSegmentSum sums rows by id and drops out-of-range ids', async () => {
    await initBackend(backend);
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const out = tf.unsortedSegmentSum(x, tf.tensor1d([2, 0, 2, 5], 'int32'), 3);
    // row 0 = x1 = [3,4]; row 1 untouched; row 2 = x0 + x2 = [6,8]; id 5 >= 3 dropped
    expect(out.shape).toEqual([3, 2]);
    close(out.dataSync(), [3, 4, 0, 0, 6, 8]);
    tf.dispose([x, out]);
  });

  it('the gradient of gather (which needs the kernel) adds duplicate rows', async () => {
    await initBackend(backend);
    const table = tf.tensor2d([[1, 1], [2, 2], [3, 3]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([2, 0, 2], 'int32'))))(table);
    close(g.dataSync(), [1, 1, 0, 0, 2, 2]);
    tf.dispose([table, g]);
  });

  it('matMulFast equals tf.matMul in value and gradients, with and without transposeB', async () => {
    await initBackend(backend);
    const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const b = tf.tensor2d([[1, -1], [0.5, 2], [-3, 1]]);
    const bt = tf.transpose(b) as tf.Tensor2D;
    const w = tf.tensor2d([[1, 2], [3, 4]]); // weights so that the upstream gradient is not all ones
    const ref = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), w)));
    const fast = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMulFast(x as tf.Tensor2D, y as tf.Tensor2D), w)));
    const fastT = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMulFast(x as tf.Tensor2D, y as tf.Tensor2D, true), w)));
    const [ra, rb] = ref([a, b]) as [tf.Tensor, tf.Tensor];
    const [fa, fb] = fast([a, b]) as [tf.Tensor, tf.Tensor];
    const [ta, tb] = fastT([a, bt]) as [tf.Tensor, tf.Tensor];
    close(matMulFast(a, b).dataSync(), tf.matMul(a, b).dataSync());
    close(matMulFast(a, bt, true).dataSync(), tf.matMul(a, b).dataSync());
    close(fa.dataSync(), ra.dataSync());
    close(fb.dataSync(), rb.dataSync());
    close(ta.dataSync(), ra.dataSync());
    close(tb.dataSync(), tf.transpose(rb).dataSync());
  });
});

import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels tfjs lacks or runs badly on CPU backends (measured, see the project's tfjs-on-cpu notes):
 * wasm has no UnsortedSegmentSum (needed by the gradient of tf.gather), and the cpu backend's own
 * one is orders of magnitude too slow for gather gradients. `matMulFast` keeps every matMul on the
 * wasm backend's non-transposed fast path, including in its gradient.
 */

/** The part of a KernelBackend these kernels use (present on both cpu and wasm). */
interface ReadWriteBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object;
}

/**
 * UnsortedSegmentSum in plain JS: out[segmentIds[i], ...] += x[i, ...]. Ids outside [0, numSegments)
 * are dropped, as in TensorFlow. One pass over x, so O(x.size) instead of O(numSegments * x.size).
 */
const segmentSumKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const be = backend as ReadWriteBackend;
  const xs = be.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = be.readSync(segmentIds.dataId) as Int32Array;
  const inner = ids.length === 0 ? 0 : xs.length / ids.length;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const seg = ids[i] as number;
    if (seg < 0 || seg >= numSegments) continue;
    const src = i * inner;
    const dst = seg * inner;
    for (let k = 0; k < inner; k++) out[dst + k] = (out[dst + k] as number) + (xs[src + k] as number);
  }
  return { dataId: be.write(out, outShape, x.dtype), shape: outShape, dtype: x.dtype };
};

/**
 * Identity without a copy: the output shares the input's memory (tensors are immutable), as the cpu
 * backend does it. The engine clones every tensor a gradient saves, so wasm's copying Identity
 * ran about 45 times per HRNN training step.
 */
const sharedIdentityKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as unknown as { x: tf.TensorInfo };
  (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Register the replacement kernels for `backendName` (idempotent). */
export function registerCustomKernels(backendName: string): void {
  if (backendName !== 'wasm' && backendName !== 'cpu') return;
  replaceKernel(tf.UnsortedSegmentSum, backendName, segmentSumKernel);
  if (backendName === 'wasm') replaceKernel(tf.Identity, backendName, sharedIdentityKernel);
}

function replaceKernel(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): void {
  if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc });
}

/**
 * Why the shapes below: wasm's matMul repacks its right operand on every call when that tensor is
 * new (always, in a training step), which costs more than the product itself for a large operand.
 * So every product keeps its right operand small (measured, 64 x 101 vs 2112 x 101: 1.1 ms instead
 * of 1.7-5.6 ms), and transposeA/B, which wasm runs as a scalar loop, are never used.
 */

/** a [M, K] @ b [K, N] for a small b (weights): dA = dy @ b^T, dB = a^T @ dy. */
const plainMatMul = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)];
    },
  };
});

/**
 * a [M, K] @ b^T for b [N, K] with N large (scoring M rows against N item rows), computed as
 * (b @ a^T)^T so the right operand is a^T [K, M]. Gradients: dA = (b^T @ dy^T)^T, dB = dy^T @ a.
 */
const rowsMatMul = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.transpose(tf.matMul(b, tf.transpose(a))),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dyT = tf.transpose(dy as tf.Tensor2D);
      return [tf.transpose(tf.matMul(tf.transpose(sb), dyT)), tf.matMul(dyT, sa)];
    },
  };
});

/**
 * Matrix product on the wasm fast path, forward and backward (tf.matMul's own gradient uses
 * transposeA/B). a [M, K]; b [K, N] (weights), or with transposeB b [N, K] (e.g. item rows for
 * scoring, N large) -> [M, N].
 */
export function matMulFast(a: tf.Tensor2D, b: tf.Tensor2D, transposeB = false): tf.Tensor2D {
  return (transposeB ? rowsMatMul(a, b) : plainMatMul(a, b)) as tf.Tensor2D;
}

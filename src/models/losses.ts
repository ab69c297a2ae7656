import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../util/errors.js';

/**
 * The ranking losses of GRU4Rec (Hidasi et al. 2016; Hidasi & Karatzoglou 2018, "top-k gains") with
 * the reference code's normalisations (spec 2.5). scores [B, C], C >= B: row i's target is column i,
 * the other columns are its negatives (other rows' targets, then the shared samples). Duplicate
 * items among the columns are not masked, as in the reference.
 * The sum over rows is divided by the configured batch size, not by the rows present, as the
 * reference does. This matters: dividing by the rows present scaled the gradients of the shrinking
 * batches at each epoch's end up to 64-fold. Adagrad's accumulators keep their squares, so every
 * later step was smaller. On the full Online Retail II split that cost GRU4Rec about 3% of R@20
 * and MRR@20; an independent PyTorch script showed it.
 */
export type LossName = 'cross-entropy' | 'bpr' | 'top1' | 'bpr-max' | 'top1-max';

export interface LossOptions {
  /** BPR-max score regularisation weight (lambda of spec 2.5). */
  bpreg: number;
  /** Final activation name (see finalActivation); the loss's default when absent. */
  finalAct?: string;
  /** The configured batch size: the sum over rows is divided by it (rows present <= batchSize). */
  batchSize: number;
}

const EPS = 1e-24;

/** Scalar loss: sum over rows of the per-row loss, divided by the configured batch size. */
export function rankingLoss(name: LossName, scores: tf.Tensor2D, opts: LossOptions): tf.Scalar {
  return tf.div(rowLossSum(name, scores, opts), opts.batchSize);
}

function rowLossSum(name: LossName, scores: tf.Tensor2D, opts: LossOptions): tf.Tensor {
  const [rows, cols] = scores.shape;
  if (name === 'cross-entropy') return crossEntropy(scores);
  const y = finalActivation(name, opts.finalAct)(scores) as tf.Tensor2D;
  if (name === 'top1') return top1(y);
  const eye = targetMask(rows, cols);
  const target = tf.sum(tf.mul(y, eye), 1, true); // [B, 1]: r_i
  return tf.sum(perRow(name, y, target, eye, opts.bpreg));
}

/**
 * Cross-entropy over the softmax of all columns, summed over rows: -sum_i log(p_ii + 1e-24), with
 * its gradient in closed form: d/dz_ij = w_i (p_ij - [i = j]), w_i = p_ii / (p_ii + 1e-24). Autodiff
 * through softmax, mask and log issues a dozen [B, C] ops, several of them slow broadcasts on wasm.
 */
const crossEntropy = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [z, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const [rows, cols] = z.shape;
  const p = tf.softmax(z);
  const target = tf.sum(tf.mul(tf.slice(p, [0, 0], [rows, rows]), targetMask(rows, rows)), 1, true); // [B, 1]: p_ii
  save([p, target]);
  return {
    value: tf.neg(tf.sum(tf.log(tf.add(target, EPS)))),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sp, st] = saved as [tf.Tensor2D, tf.Tensor2D];
      const scale = tf.mul(tf.div(st, tf.add(st, EPS)), dy); // [B, 1]
      return [tf.mul(tf.sub(sp, targetMask(rows, cols)), scale)];
    },
  };
});

/**
 * TOP1 over activated scores y [B, C] (target t_i = y_ii), summed over rows with the reference's
 * per-row normalisation: sum_i [(1/C) sum_j (s(y_ij - t_i) + s(y_ij^2)) - s(t_i^2) / C], s the
 * sigmoid. Gradient in closed form, with A = s(y - t) and S = s(y^2):
 *   d/dy_ij = (A_ij (1 - A_ij) + 2 y_ij S_ij (1 - S_ij)) / C, and on the diagonal, through t_i,
 *   minus (sum_j A_ij (1 - A_ij) + 2 t_i S_ii (1 - S_ii)) / C.
 * Autodiff of the formula took about twice the kernels, each a launch that costs more than its
 * arithmetic at these sizes.
 */
const top1 = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [y, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const [rows, cols] = y.shape;
  const eye = targetMask(rows, cols);
  const target = tf.sum(tf.mul(y, eye), 1, true); // [B, 1]
  const a = tf.sigmoid(tf.sub(y, target));
  const sq = tf.sigmoid(tf.square(y));
  save([y, a, sq, eye]);
  const total = tf.sub(tf.sum(tf.add(a, sq)), tf.sum(tf.mul(sq, eye)));
  return {
    value: tf.div(total, cols),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sy, sa, ss, se] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const da = tf.mul(sa, tf.sub(1, sa));
      const dsq = tf.mul(tf.mul(sy, 2), tf.mul(ss, tf.sub(1, ss)));
      const diagonal = tf.sum(tf.mul(dsq, se), 1, true); // [B, 1]: 2 t_i S_ii (1 - S_ii)
      const correction = tf.mul(se, tf.add(tf.sum(da, 1, true), diagonal));
      return [tf.mul(tf.sub(tf.add(da, dsq), correction), tf.div(dy, cols))];
    },
  };
});

/**
 * [B, C] float mask, 1 at (i, i), built by the backend (tf.eye fills a [B, C] array in JS and
 * uploads it). An int32 one-hot cast to float: the wasm backend's OneHot writes integer bits
 * when asked for float32 output (tfjs 4.22), so 1 came out as 1.4e-45.
 */
function targetMask(rows: number, cols: number): tf.Tensor2D {
  // tf.oneHot needs a depth of 2 or more; one column (a batch of one row) is all target.
  if (cols === 1) return tf.ones([rows, 1]);
  return tf.cast(tf.oneHot(tf.range(0, rows, 1, 'int32'), cols), 'float32') as tf.Tensor2D;
}

/** [B] per-row losses from activated scores y [B, C], targets [B, 1] and the target mask eye [B, C]. */
function perRow(name: Exclude<LossName, 'cross-entropy' | 'top1'>, y: tf.Tensor2D, target: tf.Tensor, eye: tf.Tensor2D, bpreg: number): tf.Tensor {
  switch (name) {
    case 'bpr':
      // sum over all columns, diagonal (log 2) included
      return tf.neg(tf.sum(tf.logSigmoid(tf.sub(target, y)), 1));
    case 'top1-max': {
      const s = negativeSoftmax(y, eye);
      return tf.sum(tf.mul(s, tf.add(tf.sigmoid(tf.sub(y, target)), tf.sigmoid(tf.square(y)))), 1);
    }
    case 'bpr-max': {
      const s = negativeSoftmax(y, eye);
      const ranking = tf.neg(tf.log(tf.add(tf.sum(tf.mul(s, tf.sigmoid(tf.sub(target, y))), 1), EPS)));
      return tf.add(ranking, tf.mul(tf.sum(tf.mul(s, tf.square(y)), 1), bpreg));
    }
  }
}

/** Softmax of each row over its negatives only: the target column gets weight 0. */
function negativeSoftmax(y: tf.Tensor2D, eye: tf.Tensor2D): tf.Tensor2D {
  return tf.softmax(tf.sub(y, tf.mul(eye, 1e9)) as tf.Tensor2D);
}

/**
 * The loss's final activation, also used to score at evaluation: softmax for cross-entropy; for
 * the others `finalAct` or the default (tanh for top1/bpr, linear for the max losses). Accepted
 * names: linear, tanh, relu, leaky-X (slope X), elu-X (alpha X).
 */
export function finalActivation(name: LossName, finalAct?: string): (x: tf.Tensor) => tf.Tensor {
  if (name === 'cross-entropy') return (x) => tf.softmax(x);
  const act = finalAct ?? (name === 'top1' || name === 'bpr' ? 'tanh' : 'linear');
  if (act === 'linear') return (x) => x;
  if (act === 'tanh') return (x) => tf.tanh(x);
  if (act === 'relu') return (x) => tf.relu(x);
  const match = /^(leaky|elu)-(\d+(?:\.\d+)?)$/.exec(act);
  const param = Number(match?.[2]);
  if (match?.[1] === 'leaky') return (x) => tf.leakyRelu(x, param);
  if (match?.[1] === 'elu') return (x) => tf.add(tf.relu(x), tf.mul(tf.sub(tf.exp(tf.minimum(x, 0)), 1), param));
  throw new UserError(`unknown final activation '${act}'`, {
    kind: 'usage',
    hint: 'use linear, tanh, relu, leaky-X or elu-X (e.g. elu-0.5)',
  });
}

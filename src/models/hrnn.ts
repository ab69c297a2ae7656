import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batch.js';
import type { HrnnConfig } from '../config/neural-schema.js';
import type { Rng } from '../util/rng.js';
import { ParamStore, glorotGateBlocks } from './layers/param-store.js';
import { gruStep } from './layers/gru-cell.js';
import { matMulFast } from '../util/tf-kernels.js';
import { checkPretrainedFit, pretrainedLayout, type PretrainedItems } from './item-embedding-source.js';
import { addItemParams, itemInputProjection, itemInputUploads, type ItemIoSpec } from './item-io.js';
import { applyMask, dropoutMask, type Lookup, type Masks, type SequenceNet, type UploadSpec } from './session-step.js';

/**
 * HRNN / HGRU4Rec (Quadrana, Karatzoglou, Hidasi, Cremonesi, RecSys 2017): a session GRU whose
 * state is initialised from a user GRU at each new session. User-parallel lanes; per row the
 * flags Sstart (first step of a session) and Ustart (first session of a user). One step:
 *   c' = drop_usr(GRU_usr(s_prev, c_prev))       s_prev: stored state after the penultimate event
 *   c  = Ustart ? 0 : (Sstart ? c' : c_prev)
 *   s  = Ustart ? 0 : (Sstart ? drop_init(tanh(c W_init + b_init)) : s_prev)
 *   s_t = drop_ses(GRU_ses(x_t, s [, c V_rz on the r,z gates: variant 'all']))
 * Scores are computed from s_t. Shapes: s [B, Hs], c [B, Hu], V_rz [Hu, 2Hs], W_init [Hu, Hs].
 * legacyInitBug: the pre-2019 code interpolated (1-z) with s_prev instead of s (issue #11).
 *
 * Deviations from reference:
 * - Complete epochs by default (truncateEpoch reproduces the original truncated ones).
 * - Only the one-layer nets of the paper (the code's multi-layer variant scores from layer 0).
 */
export class HrnnNet implements SequenceNet {
  readonly laneUnits: readonly number[];
  readonly outUnits: number;
  private readonly io: ItemIoSpec;

  constructor(
    readonly store: ParamStore,
    private readonly cfg: HrnnConfig,
    nItems: number,
    /** Width of the pretrained item vectors (itemEmbeddings), when configured. */
    pretrainedDim = 0,
  ) {
    this.laneUnits = [cfg.sessionUnits, cfg.userUnits];
    this.outUnits = cfg.sessionUnits;
    const pretrained = pretrainedLayout(cfg.itemEmbeddings, pretrainedDim);
    this.io = { mode: cfg.embedding, nItems, units: cfg.sessionUnits, outUnits: cfg.sessionUnits, embeddingDim: cfg.embeddingDim, pretrained };
  }

  /** A freshly initialised network (init stream `rng`), with `pretrained` item vectors when configured. */
  static create(cfg: HrnnConfig, nItems: number, rng: Rng, pretrained?: PretrainedItems): HrnnNet {
    const store = new ParamStore();
    const net = new HrnnNet(store, cfg, nItems, pretrained?.dim);
    if (pretrained) checkPretrainedFit(cfg, pretrained.dim, net.outUnits);
    const hs = cfg.sessionUnits;
    const hu = cfg.userUnits;
    addItemParams(store, rng, net.io, pretrained);
    store.add({ name: 'ses.U', shape: [hs, 3 * hs], itemIndexed: false }, glorotGateBlocks(rng, hs, hs, 3));
    store.add({ name: 'usr.W', shape: [hs, 3 * hu], itemIndexed: false }, glorotGateBlocks(rng, hs, hu, 3));
    store.add({ name: 'usr.b', shape: [3 * hu], itemIndexed: false }, new Float32Array(3 * hu));
    store.add({ name: 'usr.U', shape: [hu, 3 * hu], itemIndexed: false }, glorotGateBlocks(rng, hu, hu, 3));
    store.add({ name: 'init.W', shape: [hu, hs], itemIndexed: false }, glorotGateBlocks(rng, hu, hs, 1));
    store.add({ name: 'init.b', shape: [hs], itemIndexed: false }, new Float32Array(hs));
    if (cfg.variant === 'all') {
      store.add({ name: 'all.V', shape: [hu, 2 * hs], itemIndexed: false }, glorotGateBlocks(rng, hu, hs, 2));
    }
    return net;
  }

  /** The user GRU and init layer are uploaded only when some row starts a session (see advance). */
  uploads(batch: Batch): UploadSpec[] {
    const user = startRows(batch).length > 0 ? USER_PARAMS : [];
    const names = ['ses.U', ...user, ...(this.cfg.variant === 'all' ? ['all.V'] : [])];
    return [...itemInputUploads(this.io, batch.inputIds), ...names.map((n) => ({ key: n, param: n, rows: null }))];
  }

  idleParams(batch: Batch): readonly string[] {
    return startRows(batch).length > 0 ? [] : USER_PARAMS;
  }

  masks(rows: number, rng: Rng): Masks {
    const masks = new Map<string, Float32Array>();
    const sites: [string, number, number][] = [
      ['user', this.cfg.userUnits, this.cfg.dropoutUser],
      ['init', this.cfg.sessionUnits, this.cfg.dropoutInit],
      ['session', this.cfg.sessionUnits, this.cfg.dropoutSession],
    ];
    for (const [site, units, p] of sites) if (p > 0) masks.set(site, dropoutMask(rng, rows, units, p));
    return masks;
  }

  resetLanes(): void {
    // Resets depend on the user GRU's output, so they happen inside the graph (advance).
  }

  /**
   * The user GRU and the init layer run only on the k rows that start a session of a known user
   * (typically a few of B): elsewhere their result is discarded, and without BPTT those rows give
   * them no gradient. The lanes are constants of the step, so rows are picked and placed in JS
   * (measured on wasm: a gather of [B, H] rows took ~120 us, as long as a [50, 100] x [100, 300] product).
   */
  advance(t: Lookup, batch: Batch, lanes: tf.Tensor2D[], masks: Masks | null): { out: tf.Tensor2D; lanes: tf.Tensor2D[] } {
    const [sPrev, cPrev] = lanes as [tf.Tensor2D, tf.Tensor2D];
    const rows = startRows(batch);
    const restart = batch.sessionStart.some((v, r) => v || batch.userStart[r]);
    let s = sPrev;
    let c = cPrev;
    if (restart) {
      const sData = sPrev.dataSync() as Float32Array;
      const cData = cPrev.dataSync() as Float32Array;
      const fresh = rows.length > 0 ? this.sessionInit(t, rows, sData, cData, masks) : null;
      c = placeRows(restartBase(batch, cData), this.cfg.userUnits, rows, fresh?.c);
      s = placeRows(restartBase(batch, sData), this.cfg.sessionUnits, rows, fresh?.s);
    }

    const xProj = itemInputProjection(this.io, t, null);
    const gateExtra = this.cfg.variant === 'all' ? this.userGateTerm(t, c) : undefined;
    // s carries a gradient (to the init layer and the user GRU) only where rows were initialised.
    let h = gruStep(xProj, s, t('ses.U') as tf.Tensor2D, { gateExtra, constantState: s === sPrev || rows.length === 0 });
    if (this.cfg.legacyInitBug) h = tf.add(h, tf.mul(tf.sub(1, this.updateGate(t, xProj, s, gateExtra)), tf.sub(sPrev, s))) as tf.Tensor2D;
    const sOut = applyMask(h, masks, 'session');
    return { out: sOut, lanes: [sOut, c] };
  }

  /** c' = drop_usr(GRU_usr(s_prev, c_prev)) and drop_init(tanh(c' W_init + b_init)) on `rows` only; [k, H]. */
  private sessionInit(t: Lookup, rows: Int32Array, sPrev: Float32Array, cPrev: Float32Array, masks: Masks | null): { c: tf.Tensor2D; s: tf.Tensor2D } {
    const { sessionUnits: hs, userUnits: hu } = this.cfg;
    const userProj = tf.add(constantTimes(pickRows(sPrev, rows, hs), t('usr.W') as tf.Tensor2D), tf.reshape(t('usr.b'), [1, -1])) as tf.Tensor2D;
    const c = maskRows(gruStep(userProj, pickRows(cPrev, rows, hu), t('usr.U') as tf.Tensor2D, { constantState: true }), masks, 'user', rows);
    // c' has few rows: c' W_init as c' (W_init^T)^T keeps W_init off the right operand (see constantTimes).
    const initPre = tf.add(matMulFast(c, tf.transpose(t('init.W') as tf.Tensor2D), true), tf.reshape(t('init.b'), [1, -1])) as tf.Tensor2D;
    return { c, s: maskRows(tf.tanh(initPre) as tf.Tensor2D, masks, 'init', rows) };
  }

  /** [c V_rz, 0]: the user term on the r and z gates only, as the reference code ([B, 3Hs]). */
  private userGateTerm(t: Lookup, c: tf.Tensor2D): tf.Tensor2D {
    const rz = matMulFast(c, t('all.V') as tf.Tensor2D);
    return tf.concat([rz, tf.zeros([c.shape[0], this.cfg.sessionUnits])], 1);
  }

  /** z = sigmoid(x_z + s U_z (+ extra_z)), block 1 of (r, z, candidate); [B, Hs]. */
  private updateGate(t: Lookup, xProj: tf.Tensor2D, s: tf.Tensor2D, extra: tf.Tensor2D | undefined): tf.Tensor2D {
    const hs = this.cfg.sessionUnits;
    const uz = tf.slice(t('ses.U') as tf.Tensor2D, [0, hs], [hs, hs]);
    let pre = tf.add(tf.slice(xProj, [0, hs], [-1, hs]), tf.matMul(s, uz));
    if (extra) pre = tf.add(pre, tf.slice(extra, [0, hs], [-1, hs]));
    return tf.sigmoid(pre) as tf.Tensor2D;
  }
}

const USER_PARAMS: readonly string[] = ['usr.W', 'usr.b', 'usr.U', 'init.W', 'init.b'];

/** Rows that start a session of a known user (Sstart and not Ustart): where the user GRU runs. */
function startRows(batch: Batch): Int32Array {
  const rows: number[] = [];
  batch.sessionStart.forEach((s, r) => {
    if (s && !batch.userStart[r]) rows.push(r);
  });
  return Int32Array.from(rows);
}

/** A lane [B * H] with the rows that start a session or a user zeroed (a copy). */
function restartBase(batch: Batch, lane: Float32Array): Float32Array {
  const units = lane.length / batch.size;
  const out = lane.slice();
  batch.sessionStart.forEach((v, r) => {
    if (v || batch.userStart[r]) out.fill(0, r * units, (r + 1) * units);
  });
  return out;
}

/** Rows `rows` of a [B * H] array as a [k, H] tensor. */
function pickRows(data: Float32Array, rows: Int32Array, units: number): tf.Tensor2D {
  const out = new Float32Array(rows.length * units);
  rows.forEach((r, j) => out.set(data.subarray(r * units, (r + 1) * units), j * units));
  return tf.tensor2d(out, [rows.length, units]);
}

/** base [B * H] with row rows[j] replaced by fresh row j, as a [B, H] tensor; gradient: the rows of dy. */
function placeRows(base: Float32Array, units: number, rows: Int32Array, fresh: tf.Tensor2D | undefined): tf.Tensor2D {
  const shape: [number, number] = [base.length / units, units];
  if (!fresh) return tf.tensor2d(base, shape);
  const place = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const values = (args[0] as tf.Tensor).dataSync();
    const out = base.slice();
    rows.forEach((r, j) => out.set(values.subarray(j * units, (j + 1) * units), r * units));
    return { value: tf.tensor2d(out, shape), gradFunc: (dy: tf.Tensor) => pickRows(dy.dataSync() as Float32Array, rows, units) };
  });
  return place(fresh) as tf.Tensor2D;
}

/**
 * a @ w for a constant a [k, K] with few rows, as (w^T a^T)^T: wasm repacks a matMul's right
 * operand on every call, so the small a^T takes that place instead of w; only w gets a gradient,
 * dW = a^T dy (right operand dy [k, N]). Measured (k = 8, w [100, 300]): 190 instead of 287 us.
 */
function constantTimes(a: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const product = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [weights, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const aT = tf.transpose(a);
    save([aT]);
    return {
      value: tf.transpose(tf.matMul(tf.transpose(weights), aT)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.matMul(saved[0] as tf.Tensor2D, dy as tf.Tensor2D),
    };
  });
  return product(w) as tf.Tensor2D;
}

/** x [k, H] times the rows `rows` of the named [B, H] dropout mask (the draws of all B rows). */
function maskRows(x: tf.Tensor2D, masks: Masks | null, site: string, rows: Int32Array): tf.Tensor2D {
  const m = masks?.get(site);
  return m ? tf.mul(x, pickRows(m, rows, x.shape[1])) : x;
}

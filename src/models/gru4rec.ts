import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batch.js';
import type { Gru4recConfig } from '../config/neural-schema.js';
import type { Rng } from '../util/rng.js';
import { ParamStore, glorotGateBlocks } from './layers/param-store.js';
import { gruStep } from './layers/gru-cell.js';
import { matMulFast } from '../util/tf-kernels.js';
import { checkPretrainedFit, pretrainedLayout, type PretrainedItems } from './item-embedding-source.js';
import { addItemParams, embeddingUnits, itemInputProjection, itemInputUploads, type ItemIoSpec } from './item-io.js';
import { dropoutMask, zeroRows, type Lookup, type Masks, type SequenceNet, type UploadSpec } from './session-step.js';

/**
 * GRU4Rec (Hidasi et al., ICLR 2016; Hidasi & Karatzoglou, CIKM 2018 "top-k gains"), as the
 * official PyTorch code: session-parallel lanes, state reset at each new session, a stack of GRU
 * layers, scores h W_y^T + b_y over [batch targets ; shared samples] in training.
 * Shapes: lanes[l] [B, layers[l]]; input projection [B, 3 layers[0]]; output [B, layers[last]].
 * With concatUserSessions ("RNN Concat", Quadrana et al. 2017) lanes run over users and the
 * state is reset only when a lane starts a new user.
 *
 * Deviations from reference:
 * - In onehot mode the official code drops the first layer output with dropout_p_embed; we do
 *   the same and store the dropped state (the stored state is always the dropped one here).
 * - Negative samples are drawn per mini-batch from a seeded stream, not from a 10M-id cache.
 * - `cell` picks the GRU form (layers/gru-cell.ts): reset-before is the Theano code's (and the
 *   PyTorch one-hot mode's); the PyTorch code's embedding modes use torch's GRUCell, reset-after
 *   with a recurrent bias `gru<l>.bh` next to the input bias. On the full Online Retail II split
 *   (official defaults, seed 42) reset-after moved R@20 .3683 -> .3715 and MRR@20 .1804 -> .1783,
 *   within seed noise, so reset-before stays the default.
 */
export class Gru4recNet implements SequenceNet {
  readonly laneUnits: readonly number[];
  readonly outUnits: number;
  private readonly io: ItemIoSpec;

  constructor(
    readonly store: ParamStore,
    private readonly cfg: Gru4recConfig,
    nItems: number,
    /** Width of the pretrained item vectors (itemEmbeddings), when configured. */
    pretrainedDim = 0,
  ) {
    this.laneUnits = [...cfg.layers];
    this.outUnits = cfg.layers[cfg.layers.length - 1] as number;
    const pretrained = pretrainedLayout(cfg.itemEmbeddings, pretrainedDim);
    this.io = { mode: cfg.embedding, nItems, units: cfg.layers[0] as number, outUnits: this.outUnits, embeddingDim: cfg.embeddingDim, pretrained };
  }

  /** A freshly initialised network (init stream `rng`), with `pretrained` item vectors when configured. */
  static create(cfg: Gru4recConfig, nItems: number, rng: Rng, pretrained?: PretrainedItems): Gru4recNet {
    const store = new ParamStore();
    const net = new Gru4recNet(store, cfg, nItems, pretrained?.dim);
    if (pretrained) checkPretrainedFit(cfg, pretrained.dim, net.outUnits);
    addItemParams(store, rng, net.io, pretrained);
    cfg.layers.forEach((units, l) => {
      if (l > 0) {
        const fanIn = cfg.layers[l - 1] as number;
        store.add({ name: `gru${l}.W`, shape: [fanIn, 3 * units], itemIndexed: false }, glorotGateBlocks(rng, fanIn, units, 3));
        store.add({ name: `gru${l}.b`, shape: [3 * units], itemIndexed: false }, new Float32Array(3 * units));
      }
      store.add({ name: `gru${l}.U`, shape: [units, 3 * units], itemIndexed: false }, glorotGateBlocks(rng, units, units, 3));
      if (cfg.cell === 'reset-after') store.add({ name: `gru${l}.bh`, shape: [3 * units], itemIndexed: false }, new Float32Array(3 * units));
    });
    return net;
  }

  uploads(batch: Batch): UploadSpec[] {
    const specs = itemInputUploads(this.io, batch.inputIds);
    this.cfg.layers.forEach((_, l) => {
      if (l > 0) specs.push(dense(`gru${l}.W`), dense(`gru${l}.b`));
      specs.push(dense(`gru${l}.U`));
      if (this.cfg.cell === 'reset-after') specs.push(dense(`gru${l}.bh`));
    });
    return specs;
  }

  masks(rows: number, rng: Rng): Masks {
    const masks = new Map<string, Float32Array>();
    const embedUnits = embeddingUnits(this.io);
    if (this.cfg.dropoutEmbed > 0 && embedUnits > 0) masks.set('embed', dropoutMask(rng, rows, embedUnits, this.cfg.dropoutEmbed));
    this.cfg.layers.forEach((units, l) => {
      const p = l === 0 && this.cfg.embedding === 'onehot' ? this.cfg.dropoutEmbed : this.cfg.dropoutHidden;
      if (p > 0) masks.set(`hidden${l}`, dropoutMask(rng, rows, units, p));
    });
    return masks;
  }

  resetLanes(batch: Batch, lanes: Float32Array[]): void {
    const starts = this.cfg.concatUserSessions ? batch.userStart : batch.sessionStart;
    lanes.forEach((lane, l) => zeroRows(lane, this.laneUnits[l] as number, starts));
  }

  advance(t: Lookup, _batch: Batch, lanes: tf.Tensor2D[], masks: Masks | null): { out: tf.Tensor2D; lanes: tf.Tensor2D[] } {
    let xProj = itemInputProjection(this.io, t, masks);
    const next: tf.Tensor2D[] = [];
    this.cfg.layers.forEach((_, l) => {
      if (l > 0) {
        const prev = next[l - 1] as tf.Tensor2D;
        xProj = matMulFast(prev, t(`gru${l}.W`) as tf.Tensor2D);
      }
      const inputBias = l > 0 ? t(`gru${l}.b`) : undefined;
      const recurrentBias = this.cfg.cell === 'reset-after' ? t(`gru${l}.bh`) : undefined;
      const outputMask = masks?.get(`hidden${l}`);
      // The lane states are constants of the step (no BPTT): no gradient for them.
      const opts = { cell: this.cfg.cell, recurrentBias, inputBias, outputMask, constantState: true };
      next.push(gruStep(xProj, lanes[l] as tf.Tensor2D, t(`gru${l}.U`) as tf.Tensor2D, opts));
    });
    return { out: next[next.length - 1] as tf.Tensor2D, lanes: next };
  }
}

function dense(name: string): UploadSpec {
  return { key: name, param: name, rows: null };
}

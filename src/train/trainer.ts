import type { BatchOptions } from '../data/batches.js';
import { makeParallelBatches } from '../data/batches.js';
import type { Batch } from '../data/batch.js';
import type { SessionDataset } from '../data/types.js';
import type { NeuralConfig } from '../config/neural-schema.js';
import type { FitContext, FitResult } from '../models/types.js';
import { remapLanes, trainStep, type SequenceNet } from '../models/session-step.js';
import type { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';
import { createOptimizer, type Optimizer } from './optimizers.js';
import { NegativeSampler } from './negative-sampler.js';
import { loadCheckpoint, restoreParams, saveCheckpoint, type CheckpointMeta } from './checkpoint.js';

/**
 * The training loop of GRU4Rec and HRNN: epochs over parallel mini-batches, one graph per step (no
 * BPTT), row-sparse updates of item tables, a checkpoint after every epoch, resume, and early
 * stopping on the validation split. Every epoch forks its own 'negatives' and 'dropout' streams
 * from the fit rng, so a resumed run draws exactly what an uninterrupted one would.
 */
export interface TrainOptions {
  net: SequenceNet;
  cfg: NeuralConfig;
  nItems: number;
  /** Validation metric (higher is better) for early stopping, when configured. */
  validate?: () => Promise<number>;
}

interface EpochStats {
  loss: number;
  events: number;
  seconds: number;
}

export async function fitNeural(train: SessionDataset, ctx: FitContext, options: TrainOptions): Promise<FitResult> {
  const { net, cfg } = options;
  const optimizer = createOptimizer(cfg.optimizer, net.store);
  const meta = await resumeState(ctx, net, optimizer);
  const support = itemSupport(train, options.nItems);
  const logSupport = Float32Array.from(support, Math.log);
  const logSampleQ = Float32Array.from(support, (s) => Math.log(s ** cfg.sampleAlpha));
  const totalEvents = targetCount(train);
  let events = 0;
  let seconds = 0;
  let epochsRun = meta.epoch;
  for (let epoch = meta.epoch; epoch < cfg.epochs; epoch++) {
    const stats = runEpoch(train, ctx, { ...options, optimizer, support, logSupport, logSampleQ, epoch, totalEvents });
    events += stats.events;
    seconds += stats.seconds;
    epochsRun = epoch + 1;
    const entry: Record<string, unknown> = {
      epoch: epoch + 1,
      loss: stats.loss,
      seconds: stats.seconds,
      eventsPerSecond: stats.events / Math.max(stats.seconds, 1e-9),
    };
    const stop = await earlyStopCheck(options, meta, entry);
    ctx.logEpoch?.(entry);
    meta.epoch = epoch + 1;
    if (ctx.checkpointDir !== undefined) {
      await saveCheckpoint(ctx.checkpointDir, { params: net.store, optimizerState: optimizer.state(), meta });
    }
    if (stop) break;
  }
  return { seconds, epochs: epochsRun, ...(events > 0 ? { eventsPerSecond: events / Math.max(seconds, 1e-9) } : {}) };
}

interface EpochOptions extends TrainOptions {
  optimizer: Optimizer;
  support: Float64Array;
  /** log(support) and log(support^alpha) of each item (logQ of in-batch and sampled columns). */
  logSupport: Float32Array;
  logSampleQ: Float32Array;
  epoch: number;
  totalEvents: number;
}

function runEpoch(train: SessionDataset, ctx: FitContext, o: EpochOptions): EpochStats {
  const { net, cfg } = o;
  const sampler = new NegativeSampler(o.support, cfg.sampleAlpha, ctx.rng.fork('negatives').fork(`epoch:${o.epoch}`));
  const dropoutRng = ctx.rng.fork('dropout').fork(`epoch:${o.epoch}`);
  const task = ctx.progress.task(`${cfg.name ?? cfg.type} epoch ${o.epoch + 1}/${cfg.epochs}`, o.totalEvents);
  const start = performance.now();
  let lanes: Float32Array[] | null = null;
  let lossSum = 0;
  let events = 0;
  let steps = 0;
  for (const batch of makeParallelBatches(train, batchOptions(cfg))) {
    lanes = lanes === null ? zeroLanes(net, batch.size) : remapLanes(lanes, net.laneUnits, batch.keepRows);
    net.resetLanes(batch, lanes);
    const out = trainStep(net, stepInput(o, batch, lanes, sampler, dropoutRng));
    if (!Number.isFinite(out.loss)) {
      throw new UserError(`training loss became ${out.loss} in epoch ${o.epoch + 1}, step ${steps + 1}`, {
        hint: 'lower optimizer.lr or use another loss',
      });
    }
    for (const g of out.grads) {
      if (g.rows) o.optimizer.applySparse(g.param, g.rows, g.grad);
      else o.optimizer.applyDense(g.param, g.grad);
    }
    lanes = out.lanes;
    lossSum += out.loss * batch.size;
    events += batch.size;
    if (++steps % 50 === 0) task.update(events, progressFields(lossSum / events, events, start));
  }
  task.update(events, progressFields(lossSum / Math.max(events, 1), events, start));
  task.stop();
  return { loss: lossSum / Math.max(events, 1), events, seconds: (performance.now() - start) / 1000 };
}

function stepInput(o: EpochOptions, batch: Batch, lanes: Float32Array[], sampler: NegativeSampler, dropoutRng: Rng) {
  const { cfg } = o;
  const samples = cfg.nSample > 0 ? sampler.sample(cfg.nSample) : new Int32Array(0);
  const cols = new Int32Array(batch.size + samples.length);
  cols.set(batch.targetIds);
  cols.set(samples, batch.size);
  const useLogQ = cfg.logQ > 0 && cfg.loss === 'cross-entropy';
  // As the official code: log support of the in-batch targets, log(support^alpha) of the samples
  // (unnormalised: the two column groups get different offsets, which matters for the softmax).
  const logQ = useLogQ ? Float32Array.from(cols, (item, c) => (c < batch.size ? o.logSupport : o.logSampleQ)[item] as number) : null;
  const masks = o.net.masks(batch.size, dropoutRng);
  return {
    batch,
    lanes,
    cols,
    logQ,
    logQWeight: useLogQ ? cfg.logQ : 0,
    loss: cfg.loss,
    batchSize: cfg.batchSize,
    bpreg: cfg.bpreg,
    finalAct: cfg.finalAct,
    masks: masks.size > 0 ? masks : null,
  };
}

/** Session lanes in time order for GRU4Rec, user lanes for HRNN and RNN Concat. */
export function batchOptions(cfg: NeuralConfig): BatchOptions {
  const userLanes = cfg.type === 'hrnn' || cfg.concatUserSessions;
  return {
    batchSize: cfg.batchSize,
    lanes: userLanes ? 'user' : 'session',
    order: 'time',
    // In-batch negatives need another row; with shared samples one row suffices.
    minRows: cfg.nSample > 0 ? 1 : 2,
    truncateEpoch: cfg.type === 'hrnn' && cfg.truncateEpoch,
  };
}

export function zeroLanes(net: SequenceNet, rows: number): Float32Array[] {
  return net.laneUnits.map((units) => new Float32Array(rows * units));
}

async function resumeState(ctx: FitContext, net: SequenceNet, optimizer: Optimizer): Promise<CheckpointMeta> {
  const fresh: CheckpointMeta = { epoch: 0, best: null, badEpochs: 0 };
  if (!ctx.resume || ctx.checkpointDir === undefined) return fresh;
  const checkpoint = await loadCheckpoint(ctx.checkpointDir);
  if (checkpoint === null) return fresh;
  restoreParams(net.store, checkpoint.params, ctx.checkpointDir);
  optimizer.loadState(checkpoint.optimizerState);
  ctx.progress.info(`resuming after epoch ${checkpoint.meta.epoch} from ${ctx.checkpointDir}`);
  return checkpoint.meta;
}

/** Records the validation value in `entry`; true when patience ran out. */
async function earlyStopCheck(options: TrainOptions, meta: CheckpointMeta, entry: Record<string, unknown>): Promise<boolean> {
  const es = options.cfg.earlyStopping;
  if (!es || !options.validate) return false;
  const value = await options.validate();
  entry[`valid_${es.metric}`] = value;
  if (meta.best === null || value > meta.best) {
    meta.best = value;
    meta.badEpochs = 0;
    return false;
  }
  meta.badEpochs++;
  return meta.badEpochs >= es.patience;
}

/** Events of each item in the training split: the popularity the negative sampler draws from. */
export function itemSupport(train: SessionDataset, nItems: number): Float64Array {
  const support = new Float64Array(nItems);
  for (const item of train.items) support[item] = (support[item] as number) + 1;
  return support;
}

/** Training examples per epoch (every event but the first of each session). */
function targetCount(train: SessionDataset): number {
  const nSessions = train.sessionOffsets.length - 1;
  let n = 0;
  for (let s = 0; s < nSessions; s++) n += Math.max(0, (train.sessionOffsets[s + 1] as number) - (train.sessionOffsets[s] as number) - 1);
  return n;
}

function progressFields(loss: number, events: number, start: number): Record<string, string> {
  const seconds = (performance.now() - start) / 1000;
  return { loss: loss.toFixed(4), 'ev/s': Math.round(events / Math.max(seconds, 1e-9)).toString() };
}

import type { EvalConfig } from '../config/eval-schema.js';
import { makeParallelBatches } from '../data/batches.js';
import type { Batch } from '../data/batch.js';
import type { SessionDataset } from '../data/types.js';
import type { Recommender } from '../models/types.js';
import { InternalError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { buildEvalData, type EvalData } from './eval-data.js';
import { computeMetrics, itemCoverage, type MetricValues } from './metrics.js';
import { countAroundTarget, tieRank, TopKSelector, type TargetCounts } from './ranks.js';

/**
 * Next-item evaluation with full ranking over all items (GRU4Rec protocol, spec 2.9; HRNN
 * bootstrap, spec 1.8). Every event of a test session but the first is a target; the input is
 * the true previous item. Per-event arrays are in evaluation order; (sessionIndex, position) is
 * the stable key of an event across models.
 */
export interface EvalResult {
  model: string;
  nEvaluated: number;
  /** Target rank under eval.tieBreak (may be x.5 for median), [nEvaluated]. */
  ranks: Float64Array;
  /** 1 where the target's score equals another item's; null when unknown (read from a ranks file). */
  tied: Uint8Array | null;
  /** Test user index of each event. */
  userIndex: Int32Array;
  /** Test session index of each event. */
  sessionIndex: Int32Array;
  /** 1-based index of the target in its session (the first target has position 2). */
  position: Int32Array;
  targetItem: Int32Array;
  targetScore: Float32Array;
  /** Training sessions of the event's user; null when unknown (read from a ranks file). */
  historyLength: Int32Array | null;
  /** coverage@k for every cutoff (empty when unknown). */
  coverage: Record<string, number>;
  metrics: MetricValues;
  seconds: number;
  eventsPerSecond: number;
}

export interface EvaluateOptions {
  progress: Progress;
  nItems: number;
  /** Most scores one batch may return (rows * nItems); default MAX_BATCH_SCORES. */
  maxBatchScores?: number;
}

/**
 * A batch's scores are held in JS, [rows * nItems] floats: 256 MB at most, so above 671,088 items
 * evaluation runs fewer lanes than eval.batchSize (67 at 1M items). Lanes are independent, so
 * this changes the speed, never the ranks.
 */
export const MAX_BATCH_SCORES = 1 << 26;

/** Lanes of an evaluation batch: eval.batchSize, reduced so rows * nItems <= maxScores. */
export function evalLanes(batchSize: number, nItems: number, maxScores = MAX_BATCH_SCORES): number {
  return Math.max(1, Math.min(batchSize, Math.floor(maxScores / Math.max(nItems, 1))));
}

export async function evaluateModel(
  model: Recommender,
  split: { train: SessionDataset; test: SessionDataset },
  cfg: EvalConfig,
  options: EvaluateOptions,
): Promise<EvalResult> {
  const started = performance.now();
  const evalData = buildEvalData(split.train, split.test, model.usesUserHistory);
  const recorder = new EventRecorder(evalData, cfg, options.nItems);
  const task = options.progress.task(`evaluate ${model.name}`, recorder.capacity);
  const predictor = model.predictor(evalData.data);
  try {
    const batches = makeParallelBatches(evalData.data, {
      batchSize: evalLanes(cfg.batchSize, options.nItems, options.maxBatchScores),
      lanes: model.usesUserHistory ? 'user' : 'session',
      order: 'index',
      scoredSessions: evalData.scoredSessions,
    });
    for (const batch of batches) {
      const wantScores = batch.scored.includes(1);
      const scores = await predictor.step(batch, wantScores);
      if (!wantScores) continue;
      if (scores === null || scores.length !== batch.size * options.nItems) {
        throw new InternalError(`${model.name}: predictor returned ${scores?.length ?? 'no'} scores, expected ${batch.size * options.nItems}`);
      }
      recorder.record(batch, scores);
      task.update(recorder.count);
    }
  } finally {
    task.stop();
    predictor.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  return recorder.finish(model.name, seconds);
}

/** Number of targets in the scored sessions. */
function countTargets(evalData: EvalData): number {
  const offsets = evalData.data.sessionOffsets;
  let n = 0;
  for (let s = 0; s < evalData.scoredSessions.length; s++) {
    if (evalData.scoredSessions[s] === 1) n += Math.max(0, (offsets[s + 1] as number) - (offsets[s] as number) - 1);
  }
  return n;
}

/** Fills the per-event arrays row by row; one pass over each scored row of scores. */
class EventRecorder {
  readonly capacity: number;
  count = 0;
  private readonly ranks: Float64Array;
  private readonly tied: Uint8Array;
  private readonly userIndex: Int32Array;
  private readonly sessionIndex: Int32Array;
  private readonly position: Int32Array;
  private readonly targetItem: Int32Array;
  private readonly targetScore: Float32Array;
  private readonly historyLength: Int32Array;
  private readonly bestPosition: Int32Array;
  private readonly selector: TopKSelector;
  private readonly top: Int32Array;
  private readonly counts: TargetCounts = { greater: 0, equal: 0 };

  constructor(
    private readonly evalData: EvalData,
    private readonly cfg: EvalConfig,
    private readonly nItems: number,
  ) {
    this.capacity = countTargets(evalData);
    this.ranks = new Float64Array(this.capacity);
    this.tied = new Uint8Array(this.capacity);
    this.userIndex = new Int32Array(this.capacity);
    this.sessionIndex = new Int32Array(this.capacity);
    this.position = new Int32Array(this.capacity);
    this.targetItem = new Int32Array(this.capacity);
    this.targetScore = new Float32Array(this.capacity);
    this.historyLength = new Int32Array(this.capacity);
    this.bestPosition = new Int32Array(nItems);
    this.selector = new TopKSelector(Math.max(...cfg.cutoffs));
    this.top = new Int32Array(this.selector.k);
  }

  record(batch: Batch, scores: Float32Array): void {
    const { data, testSession, testUser, historyLength } = this.evalData;
    for (let r = 0; r < batch.size; r++) {
      if (batch.scored[r] !== 1) continue;
      const i = this.count++;
      const offset = r * this.nItems;
      const target = batch.targetIds[r] as number;
      const session = batch.sessionIndex[r] as number;
      const user = testUser[batch.userIndex[r] as number] as number;
      countAroundTarget(scores, offset, this.nItems, target, this.counts);
      this.ranks[i] = tieRank(this.counts, this.cfg.tieBreak);
      this.tied[i] = this.counts.equal > 1 ? 1 : 0;
      this.userIndex[i] = user;
      this.sessionIndex[i] = testSession[session] as number;
      this.position[i] = (batch.inputEvent[r] as number) - (data.sessionOffsets[session] as number) + 2;
      this.targetItem[i] = target;
      this.targetScore[i] = scores[offset + target] as number;
      this.historyLength[i] = historyLength[user] as number;
      this.markTop(scores, offset);
    }
  }

  finish(model: string, seconds: number): EvalResult {
    if (this.count !== this.capacity) throw new InternalError(`evaluated ${this.count} of ${this.capacity} test events`);
    return {
      model,
      nEvaluated: this.count,
      ranks: this.ranks,
      tied: this.tied,
      userIndex: this.userIndex,
      sessionIndex: this.sessionIndex,
      position: this.position,
      targetItem: this.targetItem,
      targetScore: this.targetScore,
      historyLength: this.historyLength,
      coverage: itemCoverage(this.bestPosition, this.cfg.cutoffs, this.nItems),
      metrics: computeMetrics(this.ranks, this.cfg),
      seconds,
      eventsPerSecond: seconds > 0 ? this.count / seconds : 0,
    };
  }

  private markTop(scores: Float32Array, offset: number): void {
    this.selector.select(scores, offset, this.nItems, this.top, 0);
    for (let p = 0; p < this.top.length; p++) {
      const item = this.top[p] as number;
      if (item < 0) break;
      const best = this.bestPosition[item] as number;
      if (best === 0 || p + 1 < best) this.bestPosition[item] = p + 1;
    }
  }
}

import type { Batch } from '../data/batch.js';
import type { SessionDataset } from '../data/types.js';
import type { Rng } from '../util/rng.js';
import type { Progress } from '../util/progress.js';

/**
 * The contract every recommender (baseline or neural) fulfils, so that one evaluator and one
 * report serve them all.
 */
export interface Recommender {
  readonly name: string;
  /** Catalogue size: scores are over item indices 0..nItems-1. */
  readonly nItems: number;
  /**
   * True for user-aware models (HRNN, RNN Concat): the evaluator replays each test user's
   * training sessions (unscored) before the test session, as the HRNN paper's bootstrap.
   */
  readonly usesUserHistory: boolean;
  /** Train on the training split. */
  fit(train: SessionDataset, context: FitContext): Promise<FitResult>;
  /** A fresh predictor for evaluation with lanes driven by the evaluator's batches. */
  predictor(data: SessionDataset): Predictor;
  /** Persist what `load` needs to rebuild the fitted model into `dir` (created by the caller). */
  save(dir: string): Promise<void>;
  /** Release tensors and other resources. */
  dispose(): void;
}

export interface FitContext {
  readonly rng: Rng;
  readonly progress: Progress;
  /** Validation split for early stopping (never the test split), when configured. */
  readonly validation?: { train: SessionDataset; test: SessionDataset };
  /** Directory for per-epoch checkpoints, when the run has one. */
  readonly checkpointDir?: string;
  /** Continue from the last checkpoint in checkpointDir instead of starting afresh. */
  readonly resume?: boolean;
  /** Append one JSON line to the run's training log. */
  readonly logEpoch?: (entry: Record<string, unknown>) => void;
}

export interface FitResult {
  /** Training throughput, when the model trains iteratively. */
  readonly eventsPerSecond?: number;
  readonly seconds: number;
  readonly epochs?: number;
  /** Items the pretrained item embeddings had no vector for (itemEmbeddings). */
  readonly itemsWithoutVector?: number;
}

/**
 * Evaluation-time state machine over lanes. `step` consumes one batch (each row's input item,
 * with session/user starts and shrinking as in training) and, when `wantScores`, returns the
 * scores of all items for every row, row-major [batch.size * nItems]. Higher is better. Rows
 * with `batch.scored` 0 (replayed history) are never read and may be left 0.
 */
export interface Predictor {
  step(batch: Batch, wantScores: boolean): Promise<Float32Array | null>;
  dispose(): void;
}

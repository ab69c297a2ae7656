import { join } from 'node:path';
import type { BaselineConfig } from '../../config/baseline-schema.js';
import type { Batch } from '../../data/batch.js';
import type { SessionDataset } from '../../data/types.js';
import { InternalError } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { FitContext, FitResult, Predictor, Recommender } from '../types.js';
import type { LaneHistory } from './lane-history.js';
import { checkItemRange } from './session-index.js';

/** The file `save` writes: the config only, because every baseline refits in seconds. */
export const BASELINE_FILE = 'baseline.json';
export const BASELINE_FORMAT = 'hrnn-baseline-v1';

/**
 * What every baseline shares: a synchronous `build` on the training split, timing, saving the
 * config, and no tensors to release.
 */
export abstract class BaselineModel<C extends BaselineConfig, Fitted> implements Recommender {
  readonly name: string;
  readonly usesUserHistory = false;
  private fitted: Fitted | undefined;

  constructor(
    readonly config: C,
    readonly nItems: number,
  ) {
    this.name = config.name ?? config.type;
  }

  async fit(train: SessionDataset, _context: FitContext): Promise<FitResult> {
    const start = performance.now();
    checkItemRange(train, this.nItems);
    this.fitted = this.build(train);
    const seconds = (performance.now() - start) / 1000;
    return { seconds, eventsPerSecond: train.items.length / Math.max(seconds, 1e-9) };
  }

  async save(dir: string): Promise<void> {
    const body = { format: BASELINE_FORMAT, nItems: this.nItems, config: this.config };
    await writeFileAtomic(join(dir, BASELINE_FILE), `${JSON.stringify(body, null, 2)}\n`);
  }

  dispose(): void {}

  abstract predictor(data: SessionDataset): Predictor;

  protected abstract build(train: SessionDataset): Fitted;

  protected model(): Fitted {
    if (this.fitted === undefined) throw new InternalError(`${this.name}: predictor() called before fit()`);
    return this.fitted;
  }
}

/** Writes the scores of one row into `out` ([nItems], zero-filled). */
export type RowScorer = (batch: Batch, row: number, out: Float32Array) => void;

/** A predictor that scores each row independently, after advancing the lanes' histories if any. */
export function rowPredictor(nItems: number, scoreRow: RowScorer, history?: LaneHistory): Predictor {
  return {
    async step(batch: Batch, wantScores: boolean): Promise<Float32Array | null> {
      history?.advance(batch);
      if (!wantScores) return null;
      const scores = new Float32Array(batch.size * nItems);
      for (let r = 0; r < batch.size; r++) scoreRow(batch, r, scores.subarray(r * nItems, (r + 1) * nItems));
      return scores;
    },
    dispose(): void {},
  };
}

import { appendFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExperimentConfig } from '../config/schema.js';
import { modelLabel, type ModelConfig } from '../config/model-schema.js';
import type { SessionDataset } from '../data/types.js';
import { evaluateModel, type EvalResult } from '../eval/evaluate.js';
import { writeRanksFile } from '../eval/ranks-file.js';
import { createRecommender, restoreRecommender } from '../models/registry.js';
import type { FitResult, Recommender } from '../models/types.js';
import type { RunWriter } from '../report/run-dir.js';
import { writeDirAtomic } from '../util/atomic-write.js';
import type { Progress } from '../util/progress.js';
import type { Rng } from '../util/rng.js';
import { pathExists } from '../util/path-exists.js';

/** The splits one experiment trains and evaluates on. */
export interface ExperimentSplits {
  nItems: number;
  /** Original id of every item index (for ranks files). */
  itemIds: readonly string[];
  train: SessionDataset;
  test: SessionDataset;
  /** For early stopping: a split of `train` (never the test split). */
  validation?: { train: SessionDataset; test: SessionDataset };
}

export interface ModelOutcome {
  label: string;
  fit: FitResult | { restored: true };
  result: EvalResult;
}

export interface RunModelsOptions {
  config: ExperimentConfig;
  splits: ExperimentSplits;
  run: RunWriter;
  rng: Rng;
  progress: Progress;
  /** Reuse finished models and checkpoints already in the run folder. */
  resume: boolean;
}

/**
 * Train (or restore) and evaluate every model of the config, one after the other, so that only
 * one model's memory is held at a time. Each model draws from its own forked stream, so adding
 * a model to the config leaves the others' numbers unchanged.
 */
export async function trainAndEvaluateModels(options: RunModelsOptions): Promise<ModelOutcome[]> {
  const outcomes: ModelOutcome[] = [];
  for (const modelConfig of options.config.models) {
    outcomes.push(await trainAndEvaluateOne(modelConfig, options));
  }
  return outcomes;
}

async function trainAndEvaluateOne(cfg: ModelConfig, options: RunModelsOptions): Promise<ModelOutcome> {
  const { splits, run, progress, config } = options;
  const label = modelLabel(cfg);
  const modelDir = run.path(join('models', label));
  const finalDir = join(modelDir, 'final');
  const rng = options.rng.fork(`model:${label}`);
  let model: Recommender | undefined;
  try {
    let fit: ModelOutcome['fit'];
    if (options.resume && (await pathExists(finalDir))) {
      progress.info(`${label}: restoring the trained model from ${finalDir}`);
      model = await restoreRecommender(cfg, splits.nItems, finalDir, splits.train);
      fit = { restored: true };
    } else {
      model = await createRecommender(cfg, splits.nItems, rng, { itemIds: splits.itemIds });
      progress.info(`${label}: training`);
      const checkpointDir = join(modelDir, 'checkpoint');
      await mkdir(checkpointDir, { recursive: true });
      fit = await model.fit(splits.train, {
        rng,
        progress,
        validation: splits.validation,
        checkpointDir,
        resume: options.resume,
        logEpoch: (entry) => appendTrainLog(run, { model: label, ...entry }),
      });
      const trained = model;
      await writeDirAtomic(finalDir, (dir) => trained.save(dir));
    }
    return { label, fit, result: await evaluateInto(run, model, label, { splits, config, progress }) };
  } finally {
    model?.dispose();
  }
}

/** Evaluate one model on the test split; with eval.ranksFile, also write ranks-<label>.csv into the run. */
export async function evaluateInto(
  run: RunWriter,
  model: Recommender,
  label: string,
  options: { splits: ExperimentSplits; config: ExperimentConfig; progress: Progress },
): Promise<EvalResult> {
  const { splits, config, progress } = options;
  progress.info(`${label}: evaluating`);
  const result = await evaluateModel(model, { train: splits.train, test: splits.test }, config.eval, {
    progress,
    nItems: splits.nItems,
  });
  if (config.eval.ranksFile) {
    await writeRanksFile(run.path(`ranks-${label}.csv`), result, {
      itemIds: splits.itemIds,
      userIds: splits.test.userIds,
      sessionIds: splits.test.sessionIds,
    });
  }
  return result;
}

/** The training log is append-only (one line per epoch), so a crash loses at most the last line. */
function appendTrainLog(run: RunWriter, entry: Record<string, unknown>): void {
  appendFileSync(run.path('train-log.jsonl'), `${JSON.stringify(entry)}\n`);
}

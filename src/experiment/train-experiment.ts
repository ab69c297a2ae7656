import { stringify } from 'yaml';
import type { ExperimentConfig } from '../config/schema.js';
import { prepareData } from '../data/prepare.js';
import { savePreparedDir } from '../data/prepared-cache.js';
import { formatDatasetTable } from '../data/stats.js';
import type { PreparedData } from '../data/types.js';
import { buildManifest } from '../report/manifest.js';
import { RunWriter } from '../report/run-dir.js';
import type { Progress } from '../util/progress.js';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';
import { writeReport, type ExperimentReport } from './write-report.js';
import { trainAndEvaluateModels, type ExperimentSplits } from './run-models.js';
import { needsTensorBackend, startBackend } from './backend-choice.js';

export interface TrainExperimentOptions {
  config: ExperimentConfig;
  /** The command line, recorded in the manifest. */
  command: string;
  backend?: string;
  /** An unfinished run folder to continue. */
  resumeDir?: string;
  progress: Progress;
}

/**
 * `hrnn train`: config -> prepared data -> every model trained and evaluated -> one run folder
 * with the comparison table.
 */
export async function trainExperiment(options: TrainExperimentOptions): Promise<ExperimentReport> {
  const { config, progress } = options;
  const run = options.resumeDir
    ? await RunWriter.reopen(options.resumeDir)
    : await RunWriter.create(config.experiment.outDir, config.experiment.name);
  progress.info(`run folder: ${run.dir}`);
  await run.writeJson('config.resolved.json', config);
  await run.writeText('config.resolved.yaml', stringify(config));

  const backend = needsTensorBackend(config) ? await startBackend(options.backend, progress) : null;
  const prepared = await prepareData(config.data, { progress });
  if (!prepared.fromCache) progress.info(`prepared data cached in ${prepared.cachePath}`);
  await savePreparedDir(run.path('data'), prepared.data);
  await run.writeJson('item-index.json', prepared.data.items.ids);

  const rng = new Rng(config.experiment.seed);
  const splits = splitsFor(prepared.data, config);
  const outcomes = await trainAndEvaluateModels({ config, splits, run, rng, progress, resume: options.resumeDir !== undefined });

  const manifest = await buildManifest({
    command: options.command,
    seed: config.experiment.seed,
    backend,
    inputs: [prepared.input],
    dropped: prepared.data.dropped,
    extra: { dataCacheKey: prepared.cacheKey },
  });
  return writeReport({
    run,
    config,
    manifest,
    outcomes,
    rng,
    datasetTable: formatDatasetTable(prepared.data.stats),
  });
}

/** Train on train and score test, or (eval.split: valid) train on valid_train and score valid_test. */
export function splitsFor(data: PreparedData, config: ExperimentConfig): ExperimentSplits {
  const nItems = data.items.ids.length;
  const itemIds = data.items.ids;
  const validation = data.validTrain && data.validTest ? { train: data.validTrain, test: data.validTest } : undefined;
  if (config.eval.split === 'valid') {
    if (!validation) {
      throw new UserError('eval.split is "valid" but the data has no validation split', {
        where: 'data.validation',
        hint: 'set data.validation: true',
        kind: 'usage',
      });
    }
    return { nItems, itemIds, train: validation.train, test: validation.test };
  }
  return { nItems, itemIds, train: data.train, test: data.test, validation };
}

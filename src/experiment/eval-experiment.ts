import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExperimentConfig } from '../config/schema.js';
import { modelLabel } from '../config/model-schema.js';
import { prepareData } from '../data/prepare.js';
import { loadPreparedDir } from '../data/prepared-cache.js';
import { remapDataset } from '../data/remap.js';
import { formatDatasetTable } from '../data/stats.js';
import type { DropCounts, ItemIndex, PreparedData } from '../data/types.js';
import { restoreRecommender } from '../models/registry.js';
import { buildManifest, type InputFile } from '../report/manifest.js';
import { RunWriter } from '../report/run-dir.js';
import { UserError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { Rng } from '../util/rng.js';
import { needsTensorBackend, startBackend } from './backend-choice.js';
import { evaluateInto, type ModelOutcome } from './run-models.js';
import { splitsFor } from './train-experiment.js';
import { writeReport, type ExperimentReport } from './write-report.js';

export interface EvalExperimentOptions {
  runDir: string;
  config: ExperimentConfig;
  /** True when the data config differs from the run's own (other data or preprocessing). */
  otherData: boolean;
  command: string;
  backend?: string;
  progress: Progress;
}

/**
 * `hrnn eval`: restore the models saved by a finished run and evaluate them again, on the run's
 * own prepared data or on other data re-encoded with the run's item index. Writes a new run
 * folder `<name>-eval`.
 */
export async function evalExperiment(options: EvalExperimentOptions): Promise<ExperimentReport> {
  const { config, progress, runDir } = options;
  const items = await readItemIndex(runDir);
  const backend = needsTensorBackend(config) ? await startBackend(options.backend, progress) : null;
  const { data, inputs } = options.otherData
    ? await prepareOtherData(config, items, progress)
    : { data: await loadPreparedDir(join(runDir, 'data')), inputs: [] as InputFile[] };

  const run = await RunWriter.create(config.experiment.outDir, `${config.experiment.name}-eval`);
  await run.writeJson('config.resolved.json', config);
  const splits = splitsFor(data, config);
  const outcomes: ModelOutcome[] = [];
  for (const modelConfig of config.models) {
    const label = modelLabel(modelConfig);
    const modelDir = join(runDir, 'models', label, 'final');
    const model = await restoreRecommender(modelConfig, splits.nItems, modelDir, splits.train).catch((err: unknown) => {
      throw new UserError(`cannot restore model "${label}": ${err instanceof Error ? err.message : String(err)}`, {
        where: modelDir,
      });
    });
    try {
      const result = await evaluateInto(run, model, label, { splits, config, progress });
      outcomes.push({ label, fit: { restored: true }, result });
    } finally {
      model.dispose();
    }
  }
  const manifest = await buildManifest({
    command: options.command,
    seed: config.experiment.seed,
    backend,
    inputs,
    dropped: data.dropped,
    extra: { evaluatedRun: runDir },
  });
  return writeReport({ run, config, manifest, outcomes, rng: new Rng(config.experiment.seed), datasetTable: formatDatasetTable(data.stats) });
}

async function readItemIndex(runDir: string): Promise<ItemIndex> {
  const path = join(runDir, 'item-index.json');
  let ids: string[];
  try {
    ids = JSON.parse(await readFile(path, 'utf8')) as string[];
  } catch {
    throw new UserError('not a finished run folder: item-index.json is missing or unreadable', { where: runDir, kind: 'usage' });
  }
  return { ids, indexOf: new Map(ids.map((id, i) => [id, i])) };
}

/** Prepare the other data, then re-encode every split with the run's item index. */
async function prepareOtherData(
  config: ExperimentConfig,
  items: ItemIndex,
  progress: Progress,
): Promise<{ data: PreparedData; inputs: InputFile[] }> {
  const prepared = await prepareData(config.data, { progress });
  const source = prepared.data;
  const dropped: DropCounts = { ...source.dropped };
  const remap = (label: string, split: PreparedData['train']): PreparedData['train'] =>
    remapDataset(split, source.items, items, { minSessionLength: 2, dropped, label });
  const data: PreparedData = {
    ...source,
    items,
    train: remap('train', source.train),
    test: remap('test', source.test),
    validTrain: source.validTrain && remap('valid_train', source.validTrain),
    validTest: source.validTest && remap('valid_test', source.validTest),
    dropped,
  };
  return { data, inputs: [prepared.input] };
}

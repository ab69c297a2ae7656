import type { ExperimentConfig } from '../config/schema.js';
import { compareModels, type Comparison } from '../eval/compare.js';
import { formatComparison } from '../report/format.js';
import type { Manifest } from '../report/manifest.js';
import type { RunWriter } from '../report/run-dir.js';
import type { Rng } from '../util/rng.js';
import type { ModelOutcome } from './run-models.js';

export interface ExperimentReport {
  runDir: string;
  comparison: Comparison;
  /** The Markdown report (also written as metrics.md). */
  markdown: string;
}

export interface WriteReportOptions {
  run: RunWriter;
  config: ExperimentConfig;
  manifest: Manifest;
  outcomes: ModelOutcome[];
  rng: Rng;
  datasetTable: string;
}

/** metrics.json is the source of truth; metrics.md is rendered from it. Then the run is finished. */
export async function writeReport(options: WriteReportOptions): Promise<ExperimentReport> {
  const { run, config, outcomes } = options;
  const comparison = compareModels(
    outcomes.map((o) => o.result),
    config.eval,
    options.rng.fork('bootstrap'),
  );
  const training = Object.fromEntries(outcomes.map((o) => [o.label, o.fit]));
  await run.writeJson('metrics.json', { comparison, training });
  const markdown = [
    `# ${config.experiment.name}`,
    '',
    '## Data',
    '',
    options.datasetTable,
    '',
    '## Results',
    '',
    formatComparison(comparison),
  ].join('\n');
  await run.writeText('metrics.md', `${markdown}\n`);
  await run.writeJson('manifest.json', options.manifest);
  const runDir = await run.finish();
  return { runDir, comparison, markdown };
}

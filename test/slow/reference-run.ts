import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { trainExperiment } from '../../src/experiment/train-experiment.js';
import { silentProgress } from '../../src/util/progress.js';

/** The full Online Retail II log in ../shared (the slow tests skip when it is absent). */
export const rawLog = fileURLToPath(new URL('../../../shared/data/online-retail-ii/online_retail_ii_2009_2010.csv.gz', import.meta.url));

/** Train configs/<configFile> into a temporary folder and return R@20 and MRR@20 of `model`. */
export async function referenceRun(configFile: string, model: string): Promise<{ recall: number; mrr: number }> {
  const out = mkdtempSync(join(tmpdir(), 'hrnn-slow-'));
  const config = fileURLToPath(new URL(`../../configs/${configFile}`, import.meta.url));
  const cfg = await loadConfig(config, { overrides: [`experiment.outDir=${out}`, 'eval.bootstrapSamples=0'] });
  const report = await trainExperiment({ config: cfg, command: 'test', progress: silentProgress });
  const metrics = report.comparison.models.find((m) => m.model === model)?.metrics;
  return { recall: metrics?.['recall@20']?.value ?? 0, mrr: metrics?.['mrr@20']?.value ?? 0 };
}

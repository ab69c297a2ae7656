import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { trainExperiment } from '../../src/experiment/train-experiment.js';
import { silentProgress } from '../../src/util/progress.js';

// Reproduction check against the official PyTorch GRU4Rec on the full Online Retail II split
// (reference-results.md: R@20 .3801, MRR@20 .1866 with its defaults). About 6 minutes on 2 cores;
// runs only where the shared data is present.
const rawLog = fileURLToPath(new URL('../../../shared/data/online-retail-ii/online_retail_ii_2009_2010.csv.gz', import.meta.url));
const config = fileURLToPath(new URL('../../configs/gru4rec-online-retail.yaml', import.meta.url));

describe.skipIf(!existsSync(rawLog))('GRU4Rec, official defaults, full Online Retail II', () => {
  it('reaches the official code\'s Recall@20 and MRR@20 within 2%', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gru4rec-slow-'));
    const cfg = await loadConfig(config, { overrides: [`experiment.outDir=${out}`, 'eval.bootstrapSamples=0'] });
    const report = await trainExperiment({ config: cfg, command: 'test', progress: silentProgress });
    const gru4rec = report.comparison.models.find((m) => m.model === 'gru4rec');
    const recall = gru4rec?.metrics['recall@20']?.value ?? 0;
    const mrr = gru4rec?.metrics['mrr@20']?.value ?? 0;
    expect(Math.abs(recall - 0.3801) / 0.3801).toBeLessThan(0.02);
    expect(Math.abs(mrr - 0.1866) / 0.1866).toBeLessThan(0.02);
  }, 1_800_000);
});

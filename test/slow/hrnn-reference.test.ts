import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { trainExperiment } from '../../src/experiment/train-experiment.js';
import { silentProgress } from '../../src/util/progress.js';

// Reproduction check against the original HRNN code's figures on the full Online Retail II split
// (reference-results.md: R@5 .2268, MRR@5 .1378, R@20 .3484, MRR@20 .1504; other seeds move them by
// .001-.003). About 4 minutes on 2 cores; runs only where the shared data is present.
const rawLog = fileURLToPath(new URL('../../../shared/data/online-retail-ii/online_retail_ii_2009_2010.csv.gz', import.meta.url));
const config = fileURLToPath(new URL('../../configs/hrnn-online-retail-init-small.yaml', import.meta.url));

describe.skipIf(!existsSync(rawLog))('HRNN Init, paper small net, full Online Retail II', () => {
  it('at least matches the original code\'s Recall@20 and MRR@20 (no more than 2% below)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hrnn-slow-'));
    const cfg = await loadConfig(config, { overrides: [`experiment.outDir=${out}`, 'eval.bootstrapSamples=0'] });
    const report = await trainExperiment({ config: cfg, command: 'test', progress: silentProgress });
    const hrnn = report.comparison.models.find((m) => m.model === 'hrnn-init-small');
    const recall = hrnn?.metrics['recall@20']?.value ?? 0;
    const mrr = hrnn?.metrics['mrr@20']?.value ?? 0;
    // One-sided: the original code truncates every epoch; complete epochs may do better (seed 42:
    // .3495 / .1546).
    expect(recall).toBeGreaterThan(0.3484 * 0.98);
    expect(mrr).toBeGreaterThan(0.1504 * 0.98);
  }, 1_200_000);
});

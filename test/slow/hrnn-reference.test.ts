import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rawLog, referenceRun } from './reference-run.js';

// Reproduction check against the original HRNN code's figures on the full Online Retail II split
// (reference-results.md: R@5 .2268, MRR@5 .1378, R@20 .3484, MRR@20 .1504; other seeds move them by
// .001-.003). About 3 minutes on 2 cores; runs only where the shared data is present.
describe.skipIf(!existsSync(rawLog))('HRNN Init, paper small net, full Online Retail II', () => {
  it('at least matches the original code\'s Recall@20 and MRR@20 (no more than 2% below)', async () => {
    const { recall, mrr } = await referenceRun('hrnn-online-retail-init-small.yaml', 'hrnn-init-small');
    // One-sided: the original code truncates every epoch; complete epochs may do better (seed 42:
    // .3495 / .1546).
    expect(recall).toBeGreaterThan(0.3484 * 0.98);
    expect(mrr).toBeGreaterThan(0.1504 * 0.98);
  }, 1_200_000);
});

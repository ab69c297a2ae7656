import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rawLog, referenceRun } from './reference-run.js';

// Reproduction check against the official PyTorch GRU4Rec on the full Online Retail II split
// (reference-results.md: R@20 .3801, MRR@20 .1866 with its defaults). About 6 minutes on 2 cores;
// runs only where the shared data is present.
describe.skipIf(!existsSync(rawLog))('GRU4Rec, official defaults, full Online Retail II', () => {
  it('reaches the official code\'s Recall@20 and MRR@20 within 2%', async () => {
    const { recall, mrr } = await referenceRun('gru4rec-online-retail.yaml', 'gru4rec');
    expect(Math.abs(recall - 0.3801) / 0.3801).toBeLessThan(0.02);
    expect(Math.abs(mrr - 0.1866) / 0.1866).toBeLessThan(0.02);
  }, 1_800_000);
});

import { z } from 'zod';

/** The `eval:` section: the protocol every model is scored with. */
export const evalSchema = z
  .object({
    split: z.enum(['test', 'valid']).default('test').describe('evaluate on the test split or the validation split'),
    cutoffs: z.array(z.number().int().positive()).min(1).default([5, 10, 20]).describe('list lengths k for @k metrics'),
    tieBreak: z
      .enum(['optimistic', 'conservative', 'median'])
      .default('conservative')
      .describe('rank of a target tied with other items: optimistic (1 + #greater), conservative (#>=), median'),
    legacyCutoffLt: z.boolean().default(false).describe('count a hit when rank < k (pre-2018 GRU4Rec/HRNN code) instead of rank <= k'),
    batchSize: z.number().int().positive().default(100).describe('lanes evaluated in parallel (capped so one batch holds at most 2^26 scores: 67 lanes at 1M items)'),
    bootstrapSamples: z.number().int().min(0).default(1000).describe('bootstrap resamples for confidence intervals (0: none)'),
    confidence: z.number().gt(0).lt(1).default(0.95).describe('confidence level of the intervals'),
    ranksFile: z.boolean().default(false).describe('write per-event ranks (ranks-<model>.csv) into the run folder'),
  })
  .strict();

export type EvalConfig = z.infer<typeof evalSchema>;

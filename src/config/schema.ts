import { z } from 'zod';
import { dataSchema } from './data-schema.js';
import { prod2vecSchema } from './embeddings-schema.js';
import { evalSchema } from './eval-schema.js';
import { modelSchema } from './model-schema.js';

export const experimentSchema = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, 'letters, digits, _ . - only').default('experiment').describe('run name (used in the run folder name)'),
    seed: z.number().int().min(0).default(42).describe('the seed every random draw derives from'),
    outDir: z.string().default('runs').describe('where run folders are created (relative to the working directory)'),
  })
  .strict();

export const configSchema = z
  .object({
    experiment: experimentSchema.prefault({}),
    data: dataSchema,
    eval: evalSchema.prefault({}),
    models: z.array(modelSchema).min(1).describe('models trained and compared; the first is the reference of paired tests'),
    prod2vec: prod2vecSchema.optional().describe('item embeddings trained and evaluated by hrnn prod2vec'),
  })
  .strict();

/** The user's file before validation. */
export type RawConfig = z.input<typeof configSchema>;
/** A validated config with every default filled in. */
export type ExperimentConfig = z.infer<typeof configSchema>;

import { z } from 'zod';

/** Non-neural baselines. Each entry of `models:` is one model; `name` labels its report row. */
const name = z.string().optional().describe('label in reports (default: the type)');

export const popSchema = z.object({ type: z.literal('pop'), name }).strict();
export const sessionPopSchema = z.object({ type: z.literal('spop'), name }).strict();
export const itemKnnSchema = z
  .object({
    type: z.literal('itemknn'),
    name,
    neighbors: z.number().int().positive().default(100).describe('similar items kept per item'),
    lambda: z.number().min(0).default(20).describe('support regulariser of the similarity'),
    alpha: z.number().min(0).max(1).default(0.5).describe('0.5 = regularised cosine'),
  })
  .strict();

export const baselineSchemas = [popSchema, sessionPopSchema, itemKnnSchema] as const;

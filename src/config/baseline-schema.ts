import { z } from 'zod';

/** Non-neural baselines. Each entry of `models:` is one model; `name` labels its report row. */
const name = z.string().optional().describe('label in reports (default: the type)');

/** Decay of a weight with a distance d >= 1 (session-rec's score weightings): same 1, div 1/d, linear 1-0.1d, log 1/log10(d+1.7), quadratic 1/d^2. */
export const distanceDecaySchema = z.enum(['same', 'div', 'linear', 'log', 'quadratic']);

/** Weight of the current session's item at position i of L (1-based; V-SKNN): same 1, div i/L, linear 1-0.1(L-i), log 1/log10(L-i+1.7), quadratic (i/L)^2. */
export const positionWeightSchema = z.enum(['same', 'div', 'linear', 'log', 'quadratic']);

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

export const sequentialRulesSchema = z
  .object({
    type: z.literal('sr'),
    name,
    steps: z.number().int().positive().default(10).describe('rule a->b counted when b follows a within this many positions'),
    weighting: distanceDecaySchema.default('div').describe('weight of a rule by its distance d: same | div (1/d) | linear | log | quadratic'),
    pruning: z.number().int().min(0).default(20).describe('rules kept per item, strongest first (0 = keep all)'),
  })
  .strict();

export const vsknnSchema = z
  .object({
    type: z.literal('vsknn'),
    name,
    k: z.number().int().positive().default(100).describe('neighbour sessions that score the items'),
    sampleSize: z.number().int().positive().default(1000).describe('most recent training sessions sharing an item that are candidate neighbours'),
    weighting: positionWeightSchema
      .default('div')
      .describe('weight of the current session item at position i of L: same | div (i/L) | linear | log | quadratic ((i/L)^2)'),
    weightingScore: distanceDecaySchema.default('div').describe('decay of a neighbour\'s votes by how far back its most recent shared item is'),
    idfWeighting: z.number().min(0).default(0).describe('vote *= 1 + idfWeighting * idf(item); 0 = off'),
    remind: z.boolean().default(true).describe('also recommend items already in the current session'),
  })
  .strict();

export const stanSchema = z
  .object({
    type: z.literal('stan'),
    name,
    k: z.number().int().positive().default(100).describe('neighbour sessions that score the items'),
    sampleSize: z.number().int().positive().default(5000).describe('most recent training sessions sharing an item that are candidate neighbours'),
    lambdaSpw: z.number().positive().default(1.02).describe('current-session decay: the item at position i of L weighs exp((i - L) / lambdaSpw)'),
    lambdaSnh: z.number().positive().default(5).describe('neighbour recency decay in days: sim *= exp(-(now - neighbour end) / lambdaSnh days)'),
    lambdaInh: z.number().positive().default(2.05).describe('in-neighbour decay: a candidate d positions from the last shared item weighs exp(-d / lambdaInh)'),
    remind: z.boolean().default(true).describe('also recommend items already in the current session'),
  })
  .strict();

export const baselineSchemas = [popSchema, sessionPopSchema, itemKnnSchema, sequentialRulesSchema, vsknnSchema, stanSchema] as const;

/** Any baseline's validated config. */
export type BaselineConfig = z.infer<(typeof baselineSchemas)[number]>;
export type DistanceDecay = z.infer<typeof distanceDecaySchema>;
export type PositionWeight = z.infer<typeof positionWeightSchema>;

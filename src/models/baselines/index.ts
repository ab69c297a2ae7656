import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { baselineSchemas, type BaselineConfig } from '../../config/baseline-schema.js';
import type { ModelConfig } from '../../config/model-schema.js';
import type { SessionDataset } from '../../data/types.js';
import { UserError } from '../../util/errors.js';
import type { FitContext, Recommender } from '../types.js';
import { BASELINE_FILE, BASELINE_FORMAT } from './baseline-model.js';
import { ItemKnn } from './item-knn.js';
import { Pop } from './pop.js';
import { SequentialRules } from './sequential-rules.js';
import { SessionPop } from './session-pop.js';
import { Stan } from './stan.js';
import { Vsknn } from './vsknn.js';

export type { BaselineConfig } from '../../config/baseline-schema.js';

const baselineTypes: ReadonlySet<string> = new Set(baselineSchemas.map((schema) => schema.shape.type.value));

export function isBaselineConfig(cfg: ModelConfig): cfg is BaselineConfig {
  return baselineTypes.has(cfg.type);
}

/** An unfitted baseline over items 0..nItems-1. */
export function createBaseline(cfg: BaselineConfig, nItems: number): Recommender {
  switch (cfg.type) {
    case 'pop':
      return new Pop(cfg, nItems);
    case 'spop':
      return new SessionPop(cfg, nItems);
    case 'itemknn':
      return new ItemKnn(cfg, nItems);
    case 'sr':
      return new SequentialRules(cfg, nItems);
    case 'vsknn':
      return new Vsknn(cfg, nItems);
    case 'stan':
      return new Stan(cfg, nItems);
  }
}

const savedSchema = z.object({
  format: z.literal(BASELINE_FORMAT),
  nItems: z.number().int().positive(),
  config: z.discriminatedUnion('type', [...baselineSchemas]),
});

/**
 * Rebuild a saved baseline: read the config `save` wrote and refit on `train` (the same training
 * split gives the same model; every baseline fits in seconds, so nothing else is stored).
 */
export async function restoreBaseline(dir: string, train: SessionDataset, context: FitContext): Promise<Recommender> {
  const file = join(dir, BASELINE_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read the saved baseline: ${(err as Error).message}`, { where: file });
  }
  const parsed = savedSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`not a saved hrnn baseline: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), { where: file });
  }
  const model = createBaseline(parsed.data.config, parsed.data.nItems);
  await model.fit(train, context);
  return model;
}

import { z } from 'zod';
import { baselineSchemas } from './baseline-schema.js';
import { neuralSchemas } from './neural-schema.js';

export const modelSchema = z.discriminatedUnion('type', [...baselineSchemas, ...neuralSchemas]);

export type ModelConfig = z.infer<typeof modelSchema>;

/** The label of a model in reports. */
export function modelLabel(model: ModelConfig): string {
  return model.name ?? model.type;
}

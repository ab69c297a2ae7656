import type { ExperimentConfig } from '../config/schema.js';
import { isBaselineConfig } from '../models/baselines/index.js';
import type { Progress } from '../util/progress.js';
import { initBackend, type BackendInfo, type BackendName } from '../util/backend.js';

/** Baselines are plain JS; only neural models need TensorFlow.js. */
export function needsTensorBackend(config: ExperimentConfig): boolean {
  return config.models.some((m) => !isBaselineConfig(m));
}

/** Load the requested (or the fastest available) backend and say which one runs. */
export async function startBackend(preferred: string | undefined, progress: Progress): Promise<BackendInfo> {
  const info = await initBackend(preferred as BackendName | undefined);
  progress.info(`tensorflow.js backend: ${info.name} (${info.threads} thread${info.threads === 1 ? '' : 's'})`);
  return info;
}

import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { trainExperiment } from '../../experiment/train-experiment.js';
import { UserError } from '../../util/errors.js';
import type { CommonOptions } from '../main.js';
import { cliProgress, commandLine } from '../io.js';

export type TrainOptions = Partial<CommonOptions> & Omit<CommonOptions, 'config'> & { resume?: string };

export async function trainCommand(opts: TrainOptions): Promise<void> {
  if (opts.config === undefined && opts.resume === undefined) {
    throw new UserError("train needs --config FILE (or --resume RUN_DIR)", { kind: 'usage' });
  }
  // A resumed run keeps the exact config it started with.
  const configFile = opts.resume ? join(opts.resume, 'config.resolved.yaml') : (opts.config as string);
  if (opts.resume && opts.config) {
    throw new UserError('--resume continues a run with its own saved config; drop --config', { kind: 'usage' });
  }
  const config = await loadConfig(configFile, { overrides: opts.set, dataPath: opts.data });
  const report = await trainExperiment({
    config,
    command: commandLine(),
    backend: opts.backend,
    resumeDir: opts.resume,
    progress: cliProgress(opts.quiet),
  });
  process.stdout.write(`${report.markdown}\n\nrun folder: ${report.runDir}\n`);
}

import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { evalExperiment } from '../../experiment/eval-experiment.js';
import { cliProgress, commandLine } from '../io.js';

export interface EvalOptions {
  run: string;
  config?: string;
  set: string[];
  data?: string;
  quiet: boolean;
  backend?: string;
}

export async function evalCommand(opts: EvalOptions): Promise<void> {
  const runConfig = join(opts.run, 'config.resolved.yaml');
  const config = await loadConfig(opts.config ?? runConfig, { overrides: opts.set, dataPath: opts.data });
  const ownConfig = await loadConfig(runConfig);
  const otherData = JSON.stringify(config.data) !== JSON.stringify(ownConfig.data);
  const report = await evalExperiment({
    runDir: opts.run,
    config,
    otherData,
    command: commandLine(),
    backend: opts.backend,
    progress: cliProgress(opts.quiet),
  });
  process.stdout.write(`${report.markdown}\n\nrun folder: ${report.runDir}\n`);
}

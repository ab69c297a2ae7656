import { loadConfig } from '../../config/load.js';
import { runProd2vec } from '../../embeddings/run-prod2vec.js';
import { cliProgress, commandLine } from '../io.js';
import type { CommonOptions } from '../main.js';

/** `hrnn prod2vec`: train and evaluate prod2vec / Meta-Prod2vec item embeddings. */
export async function prod2vecCommand(opts: CommonOptions): Promise<void> {
  const config = await loadConfig(opts.config, { overrides: opts.set, dataPath: opts.data });
  const result = await runProd2vec(config, { progress: cliProgress(opts.quiet), command: commandLine() });
  process.stdout.write(`${result.markdown}\n\nrun folder: ${result.runDir}\n`);
}

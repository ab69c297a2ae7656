import { loadConfig } from '../../config/load.js';
import { prepareData } from '../../data/prepare.js';
import { formatDatasetTable } from '../../data/stats.js';
import { createProgress } from '../../util/progress.js';
import type { CommonOptions } from '../main.js';

/** `hrnn prepare`: clean, sessionise, filter and split the configured log; print the dataset table. */
export async function prepareCommand(opts: CommonOptions): Promise<void> {
  const config = await loadConfig(opts.config, { overrides: opts.set, dataPath: opts.data });
  const progress = createProgress({
    interactive: process.stderr.isTTY === true,
    quiet: opts.quiet,
    write: (line) => process.stderr.write(`${line}\n`),
  });
  const started = performance.now();
  const result = await prepareData(config.data, { progress });
  const seconds = (performance.now() - started) / 1000;
  const out: string[] = [formatDatasetTable(result.data.stats), '', 'Rows read and removed:'];
  for (const [reason, n] of Object.entries(result.data.dropped)) out.push(`  ${reason}: ${n.toLocaleString('en-US')}`);
  out.push('', `input: ${result.input.path} (${result.input.bytes.toLocaleString('en-US')} bytes, sha256 ${result.input.sha256.slice(0, 12)})`);
  out.push(`${result.fromCache ? 'loaded from cache' : 'cached'}: ${result.cachePath} (${seconds.toFixed(2)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

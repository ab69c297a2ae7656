import { basename } from 'node:path';
import { evalSchema } from '../../config/eval-schema.js';
import { compareModels } from '../../eval/compare.js';
import { readRanksFile } from '../../eval/ranks-file.js';
import { formatComparison } from '../../report/format.js';
import { UserError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';

export interface ScoreOptions {
  cutoffs: string;
  legacyCutoffLt: boolean;
  bootstrap: string;
  seed: string;
}

/**
 * `hrnn score <ranksFile>`: every metric with bootstrap CIs and the breakdown by position from
 * per-event ranks (ours or another tool's). The ranks are taken as written, so the tie rule is
 * whoever wrote the file's; tie rate, coverage and history breakdowns need the scores of all
 * items and are not available.
 */
export async function scoreCommand(file: string, opts: ScoreOptions): Promise<void> {
  const cfg = evalSchema.parse({
    cutoffs: parseCutoffs(opts.cutoffs),
    legacyCutoffLt: opts.legacyCutoffLt,
    bootstrapSamples: parseCount(opts.bootstrap, '--bootstrap'),
  });
  const seed = parseCount(opts.seed, '--seed');
  const { result } = await readRanksFile(file, { ...cfg, model: basename(file).replace(/\.csv$/, '') });
  const comparison = compareModels([result], cfg, new Rng(seed).fork('score'));
  const markdown = formatComparison({ ...comparison, protocol: { ...comparison.protocol, tieBreak: 'from file' } });
  process.stdout.write(markdown);
}

function parseCutoffs(text: string): number[] {
  const cutoffs = text.split(',').map((s) => Number(s.trim()));
  if (cutoffs.length === 0 || cutoffs.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new UserError(`--cutoffs must be positive integers separated by commas, found "${text}"`, { kind: 'usage', where: '--cutoffs' });
  }
  return cutoffs;
}

function parseCount(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${option} must be an integer >= 0, found "${text}"`, { kind: 'usage', where: option });
  return n;
}

import type { BreakdownRow } from '../eval/breakdown.js';
import type { Comparison, Estimate, ModelComparison } from '../eval/compare.js';
import { METRIC_NAMES, metricKey } from '../eval/metrics.js';

/**
 * Render a Comparison (metrics.json) as Markdown: the protocol, one row per model with every
 * metric and its CI, then the breakdowns at the largest cutoff.
 */
export function formatComparison(c: Comparison): string {
  const { protocol } = c;
  const kMax = Math.max(...protocol.cutoffs);
  const hit = protocol.legacyCutoffLt ? 'rank < k (legacy)' : 'rank <= k';
  const ci =
    protocol.bootstrapSamples > 0
      ? `${Math.round(protocol.confidence * 100)}% ${protocol.intervals}, ${protocol.bootstrapSamples} resamples`
      : 'no confidence intervals (bootstrapSamples = 0)';
  const lines = [
    `Ties: ${protocol.tieBreak}; hit: ${hit}; intervals: ${ci}.`,
    `p vs ${c.models[0]?.model ?? 'first model'}: ${protocol.pairedTest}.`,
    '',
    ...mainTable(c.models, protocol.cutoffs, kMax),
  ];
  if (c.models.some((m) => m.tieRate === null)) lines.push('', 'Tie rate: n/a where ranks were read from a file (ties cannot be recomputed from ranks).');
  lines.push('', `By events seen in the session before the target (@${kMax}):`, '');
  lines.push(...breakdownTable(c.models, (m) => m.byPosition, 'seen', kMax));
  if (c.models.some((m) => m.byHistory !== null)) {
    lines.push('', `By the user's number of training sessions (@${kMax}):`, '');
    lines.push(...breakdownTable(c.models, (m) => m.byHistory ?? [], 'history', kMax));
  }
  return `${lines.join('\n')}\n`;
}

function mainTable(models: readonly ModelComparison[], cutoffs: readonly number[], kMax: number): string[] {
  const keys = cutoffs.flatMap((k) => METRIC_NAMES.map((name) => metricKey(name, k)));
  const coverageKeys = cutoffs.map((k) => `coverage@${k}`);
  const header = ['model', ...keys, ...coverageKeys, 'tie rate', 'events', `p recall@${kMax}`, `p mrr@${kMax}`];
  const rows = models.map((m) => [
    m.model,
    ...keys.map((key) => formatEstimate(m.metrics[key])),
    ...coverageKeys.map((key) => formatNumber(m.coverage[key], 3)),
    formatNumber(m.tieRate ?? undefined, 3),
    String(m.nEvaluated),
    formatP(m.vsFirst?.differences[metricKey('recall', kMax)]?.pValue),
    formatP(m.vsFirst?.differences[metricKey('mrr', kMax)]?.pValue),
  ]);
  return markdownTable(header, rows);
}

function breakdownTable(
  models: readonly ModelComparison[],
  rowsOf: (m: ModelComparison) => BreakdownRow[],
  label: string,
  kMax: number,
): string[] {
  const buckets = [...new Set(models.flatMap((m) => rowsOf(m).map((r) => r.bucket)))];
  const header = [label, ...models.flatMap((m) => [`${m.model} n`, `${m.model} recall@${kMax}`, `${m.model} mrr@${kMax}`])];
  const rows = buckets.map((bucket) => [
    bucket,
    ...models.flatMap((m) => {
      const row = rowsOf(m).find((r) => r.bucket === bucket);
      if (row === undefined) return ['0', '–', '–'];
      return [String(row.n), formatNumber(row.metrics[metricKey('recall', kMax)], 4), formatNumber(row.metrics[metricKey('mrr', kMax)], 4)];
    }),
  ]);
  return markdownTable(header, rows);
}

function markdownTable(header: readonly string[], rows: readonly string[][]): string[] {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}

/** `.3801 [.374, .386]`, or just the value without an interval. */
function formatEstimate(e: Estimate | undefined): string {
  if (e === undefined) return '–';
  const value = formatNumber(e.value, 4);
  return e.low === null || e.high === null ? value : `${value} [${formatNumber(e.low, 3)}, ${formatNumber(e.high, 3)}]`;
}

/** Fixed decimals without the leading zero of |x| < 1, as in the papers' tables. */
export function formatNumber(x: number | undefined, digits: number): string {
  if (x === undefined || Number.isNaN(x)) return '–';
  const s = x.toFixed(digits);
  return s.replace(/^(-?)0\./, '$1.');
}

function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined) return '–';
  return p < 0.001 ? '<.001' : formatNumber(p, 3);
}

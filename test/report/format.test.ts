import { describe, expect, it } from 'vitest';
import type { Comparison, ModelComparison } from '../../src/eval/compare.js';
import { formatComparison, formatNumber } from '../../src/report/format.js';

function model(name: string, recall: number, p: number | null): ModelComparison {
  return {
    model: name,
    nEvaluated: 1234,
    metrics: {
      'recall@20': { value: recall, low: recall - 0.006, high: recall + 0.0059 },
      'mrr@20': { value: 0.1, low: null, high: null },
      'ndcg@20': { value: 0.2, low: 0.19, high: 0.21 },
    },
    coverage: { 'coverage@20': 0.5 },
    tieRate: 0,
    seconds: 1,
    eventsPerSecond: 1234,
    vsFirst: p === null ? null : { nPaired: 1234, differences: { 'recall@20': { value: 0.01, low: 0, high: 0.02, pValue: p } } },
    byPosition: [{ bucket: '1', n: 10, metrics: { 'recall@20': 0.5, 'mrr@20': 0.25 } }],
    byHistory: null,
  };
}

const comparison: Comparison = {
  protocol: {
    cutoffs: [20],
    tieBreak: 'conservative',
    legacyCutoffLt: false,
    confidence: 0.95,
    bootstrapSamples: 1000,
    intervals: 'percentile bootstrap over evaluated events',
    pairedTest: 'sign-flip',
  },
  models: [model('pop', 0.3801, null), model('gru4rec', 0.45, 0.0004)],
};

describe('formatComparison', () => {
  const text = formatComparison(comparison);

  it('renders one row per model with CIs and p-values', () => {
    expect(text).toContain('| pop | .3801 [.374, .386] | .1000 | .2000 [.190, .210] | .500 | .000 | 1234 | – | – |');
    expect(text).toContain('| gru4rec | .4500 [.444, .456] |');
    expect(text).toContain('| <.001 | – |');
    expect(text).toContain('Ties: conservative; hit: rank <= k; intervals: 95% percentile bootstrap');
  });

  it('renders the position breakdown and skips an unknown history breakdown', () => {
    expect(text).toContain('| seen | pop n | pop recall@20 | pop mrr@20 | gru4rec n |');
    expect(text).toContain('| 1 | 10 | .5000 | .2500 | 10 | .5000 | .2500 |');
    expect(text).not.toContain('training sessions');
  });

  it('formats numbers like the papers', () => {
    expect(formatNumber(0.38014, 4)).toBe('.3801');
    expect(formatNumber(-0.012, 3)).toBe('-.012');
    expect(formatNumber(1.5, 2)).toBe('1.50');
    expect(formatNumber(Number.NaN, 2)).toBe('–');
  });
});

import type { EvalConfig } from '../config/eval-schema.js';
import type { Rng } from '../util/rng.js';
import { alignEvents } from './align.js';
import { bootstrapIntervals, rankClasses, signFlipPValues, type ClassedEvents } from './bootstrap.js';
import { breakdown, HISTORY_BUCKETS, SEEN_EVENT_BUCKETS, seenEvents, type BreakdownRow } from './breakdown.js';
import type { EvalResult } from './evaluate.js';
import { eventMetric, METRIC_NAMES, metricKey, tieRate } from './metrics.js';

/** A point estimate with its confidence interval (null bounds when bootstrapSamples = 0). */
export interface Estimate {
  value: number;
  low: number | null;
  high: number | null;
}

/** Mean per-event difference (this model minus the first) with its paired bootstrap CI and p-value. */
export interface PairedDifference extends Estimate {
  pValue: number | null;
}

export interface ModelComparison {
  model: string;
  nEvaluated: number;
  metrics: Record<string, Estimate>;
  coverage: Record<string, number>;
  /** Null when unknown (ranks read from a file). */
  tieRate: number | null;
  seconds: number;
  eventsPerSecond: number;
  /** Paired comparison with the first model on the events both evaluated; null for the first model. */
  vsFirst: { nPaired: number; differences: Record<string, PairedDifference> } | null;
  /** By events seen in the session before the target (position - 1). */
  byPosition: BreakdownRow[];
  /** By the user's number of training sessions; null when unknown. */
  byHistory: BreakdownRow[] | null;
}

/** Everything metrics.json holds: the protocol and one entry per model, the first being the reference. */
export interface Comparison {
  protocol: {
    cutoffs: number[];
    /** 'from file' when the ranks were read from a ranks file (computed by whoever wrote it). */
    tieBreak: EvalConfig['tieBreak'] | 'from file';
    legacyCutoffLt: boolean;
    confidence: number;
    bootstrapSamples: number;
    intervals: string;
    pairedTest: string;
  };
  models: ModelComparison[];
}

interface MetricSpec {
  key: string;
  name: (typeof METRIC_NAMES)[number];
  k: number;
}

export function compareModels(results: EvalResult[], cfg: EvalConfig, rng: Rng): Comparison {
  const specs = cfg.cutoffs.flatMap((k) => METRIC_NAMES.map((name) => ({ key: metricKey(name, k), name, k })));
  const first = results[0];
  return {
    protocol: {
      cutoffs: [...cfg.cutoffs],
      tieBreak: cfg.tieBreak,
      legacyCutoffLt: cfg.legacyCutoffLt,
      confidence: cfg.confidence,
      bootstrapSamples: cfg.bootstrapSamples,
      intervals: 'percentile bootstrap over evaluated events',
      pairedTest: 'events paired by (test session, position); CI: paired percentile bootstrap; p: two-sided sign-flip randomisation test',
    },
    models: results.map((r, i) => ({
      model: r.model,
      nEvaluated: r.nEvaluated,
      metrics: estimates(r, specs, cfg, rng.fork(`bootstrap:${r.model}`)),
      coverage: r.coverage,
      tieRate: r.tied === null ? null : tieRate(r.tied),
      seconds: r.seconds,
      eventsPerSecond: r.eventsPerSecond,
      vsFirst: i === 0 || first === undefined ? null : pairedTest(first, r, specs, cfg, rng.fork(`paired:${r.model}`)),
      byPosition: breakdown(r.ranks, seenEvents(r.position), SEEN_EVENT_BUCKETS, cfg),
      byHistory: r.historyLength === null ? null : breakdown(r.ranks, r.historyLength, HISTORY_BUCKETS, cfg),
    })),
  };
}

function classed(ranks: Float64Array, specs: readonly MetricSpec[], cfg: EvalConfig): ClassedEvents {
  const { classOf, classRanks } = rankClasses(ranks, Math.max(...cfg.cutoffs));
  const values = specs.map((s) => Float64Array.from(classRanks, (rank) => eventMetric(s.name, rank, s.k, cfg.legacyCutoffLt)));
  return { classOf, values };
}

function estimates(r: EvalResult, specs: readonly MetricSpec[], cfg: EvalConfig, rng: Rng): Record<string, Estimate> {
  const intervals = cfg.bootstrapSamples > 0 ? bootstrapIntervals(classed(r.ranks, specs, cfg), cfg.bootstrapSamples, cfg.confidence, rng) : null;
  const out: Record<string, Estimate> = {};
  specs.forEach((s, m) => {
    const interval = intervals?.[m];
    out[s.key] = { value: r.metrics[s.key] ?? NaN, low: interval?.low ?? null, high: interval?.high ?? null };
  });
  return out;
}

/**
 * Per metric: mean of (model - first) over the paired events, a paired bootstrap CI (pairs of
 * rank classes resampled together) and a sign-flip p-value.
 */
function pairedTest(first: EvalResult, r: EvalResult, specs: readonly MetricSpec[], cfg: EvalConfig, rng: Rng): ModelComparison['vsFirst'] {
  const { ia, ib } = alignEvents(first, r);
  const a = classed(Float64Array.from(ia, (i) => first.ranks[i] as number), specs, cfg);
  const b = classed(Float64Array.from(ib, (i) => r.ranks[i] as number), specs, cfg);
  const nB = b.values[0]?.length ?? 1;
  const pairs: ClassedEvents = {
    classOf: a.classOf.map((ca, i) => ca * nB + (b.classOf[i] as number)),
    values: specs.map((_, m) => pairValues(a.values[m] as Float64Array, b.values[m] as Float64Array)),
  };
  const hasSamples = cfg.bootstrapSamples > 0 && ia.length > 0;
  const intervals = hasSamples ? bootstrapIntervals(pairs, cfg.bootstrapSamples, cfg.confidence, rng.fork('ci')) : null;
  const pValues = hasSamples ? signFlipPValues(pairs, cfg.bootstrapSamples, rng.fork('sign-flip')) : null;
  const differences: Record<string, PairedDifference> = {};
  specs.forEach((s, m) => {
    const values = pairs.values[m] as Float64Array;
    let sum = 0;
    for (const c of pairs.classOf) sum += values[c] as number;
    differences[s.key] = {
      value: ia.length === 0 ? NaN : sum / ia.length,
      low: intervals?.[m]?.low ?? null,
      high: intervals?.[m]?.high ?? null,
      pValue: pValues?.[m] ?? null,
    };
  });
  return { nPaired: ia.length, differences };
}

/** Value of every (class of a, class of b) pair: b's metric minus a's. */
function pairValues(va: Float64Array, vb: Float64Array): Float64Array {
  const out = new Float64Array(va.length * vb.length);
  for (let ca = 0; ca < va.length; ca++) {
    for (let cb = 0; cb < vb.length; cb++) out[ca * vb.length + cb] = (vb[cb] as number) - (va[ca] as number);
  }
  return out;
}

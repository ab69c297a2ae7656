import type { EmbeddingEvalConfig } from '../config/embeddings-schema.js';
import type { SessionDataset } from '../data/types.js';
import { cooccurrenceScorer, cosineScorer, countCooccurrences, mixScorer, popularityScorer } from './cooccurrence.js';
import { evaluateScorer, nextEventPairs, type EmbeddingMetrics } from './evaluate-embeddings.js';
import type { TrainStats } from './metaprod2vec.js';

export interface EmbeddingVariant {
  name: string;
  /** Rows 0..nItems-1 are the item vectors, [*, dim]. */
  vectors: Float32Array;
  dim: number;
  stats: TrainStats;
}

export interface EmbeddingReport {
  nPairs: number;
  nColdPairs: number;
  skippedPairs: number;
  coldMaxCount: number;
  methods: ({ method: string } & EmbeddingMetrics)[];
  training: Record<string, TrainStats>;
}

/**
 * Score every variant and the baselines of the Meta-Prod2vec paper (popularity, co-occurrence
 * counts within the training window, and their mixture with each variant) on the same test pairs.
 */
export function evaluateEmbeddings(options: {
  train: SessionDataset;
  test: SessionDataset;
  nItems: number;
  window: number;
  eval: EmbeddingEvalConfig;
  variants: readonly EmbeddingVariant[];
}): EmbeddingReport {
  const { train, nItems, eval: cfg } = options;
  const pairs = nextEventPairs(train, options.test, nItems);
  const settings = { nItems, cutoffs: cfg.cutoffs, coldMaxCount: cfg.coldMaxCount };
  const cooc = cooccurrenceScorer(countCooccurrences(train, nItems, options.window));
  const methods: EmbeddingReport['methods'] = [
    { method: 'popularity', ...evaluateScorer(pairs, popularityScorer(train, nItems), settings) },
    { method: `co-occurrence (window ${options.window})`, ...evaluateScorer(pairs, cooc, settings) },
  ];
  for (const v of options.variants) {
    const cosine = cosineScorer(v.vectors, nItems, v.dim);
    methods.push({ method: v.name, ...evaluateScorer(pairs, cosine, settings) });
    const mix = mixScorer(cooc, cosine, nItems, cfg.mixWeight);
    methods.push({ method: `mix(${v.name}, co-occurrence; w ${cfg.mixWeight})`, ...evaluateScorer(pairs, mix, settings) });
  }
  return {
    nPairs: pairs.query.length,
    nColdPairs: methods[0]?.nColdPairs ?? 0,
    skippedPairs: pairs.skipped,
    coldMaxCount: cfg.coldMaxCount,
    methods,
    training: Object.fromEntries(options.variants.map((v) => [v.name, v.stats])),
  };
}

/** The report as Markdown: one metrics table (all pairs, then cold pairs) and the training speed. */
export function formatEmbeddingReport(report: EmbeddingReport, cutoffs: readonly number[]): string {
  const keys = cutoffs.flatMap((k) => [`hit@${k}`, `ndcg@${k}`]);
  const head = ['method', ...keys.map((k) => k.replace('hit', 'Hit').replace('ndcg', 'NDCG')), ...keys.map((k) => `cold ${k.replace('hit', 'Hit').replace('ndcg', 'NDCG')}`)];
  const lines = [
    `Next-event prediction on ${report.nPairs.toLocaleString('en-US')} consecutive test pairs ` +
      `(${report.nColdPairs.toLocaleString('en-US')} cold: b followed a at most ${report.coldMaxCount} times in training; ` +
      `${report.skippedPairs} pairs skipped: unknown item or b = a). Items ranked by score, ties in the method's favour; ` +
      'Hit@k = share of pairs with the next item in the top k (recall-style, not 1/k per hit).',
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
  ];
  for (const m of report.methods) {
    const cells = [...keys.map((k) => fmt(m.overall[k])), ...keys.map((k) => fmt(m.cold[k]))];
    lines.push(`| ${m.method} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    '| variant | seconds | words/s (raw) | words/s (after subsampling) | pairs/s | pairs |',
    '|---|---|---|---|---|---|',
  );
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  for (const [name, s] of Object.entries(report.training)) {
    lines.push(`| ${name} | ${s.seconds.toFixed(1)} | ${n(s.wordsPerSecond)} | ${n(s.keptWordsPerSecond)} | ${n(s.pairsPerSecond)} | ${n(s.pairs)} |`);
  }
  return lines.join('\n');
}

function fmt(x: number | undefined): string {
  return x === undefined ? '' : x.toFixed(4).replace(/^0/, '');
}

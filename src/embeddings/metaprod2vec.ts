import type { Lambdas, Prod2vecConfig } from '../config/embeddings-schema.js';
import type { SessionDataset } from '../data/types.js';
import type { Progress } from '../util/progress.js';
import type { Rng } from '../util/rng.js';
import { keepProbabilities, PairGenerator } from './pairs.js';
import { NoiseSampler, SgnsModel } from './sgns.js';
import type { TokenVocab } from './vocab.js';

export type TrainSettings = Pick<
  Prod2vecConfig,
  'dim' | 'window' | 'dynamicWindow' | 'negatives' | 'negativeExponent' | 'subsample' | 'epochs' | 'lr' | 'minLr'
>;

export interface TrainedEmbeddings {
  /** Input vectors of every token, row-major [vocab.nTokens, dim]; rows 0..nItems-1 are the items. */
  readonly vectors: Float32Array;
  readonly dim: number;
  readonly stats: TrainStats;
}

export interface TrainStats {
  seconds: number;
  /** Training events read (before subsampling), summed over epochs: gensim's "raw words". */
  words: number;
  /** Events kept by subsampling: gensim's "effective words". */
  keptWords: number;
  pairs: number;
  wordsPerSecond: number;
  keptWordsPerSecond: number;
  pairsPerSecond: number;
}

export interface TrainOptions {
  train: SessionDataset;
  vocab: TokenVocab;
  settings: TrainSettings;
  /** All zero for plain prod2vec. */
  lambdas: Lambdas;
  /** Forked per variant by the caller; streams init, negatives, subsample, window fork from it. */
  rng: Rng;
  progress: Progress;
  label: string;
}

/**
 * Train Meta-Prod2vec (Vasile et al. 2016) with SGNS: per epoch, per session, generate the
 * weighted pairs and take one SGD step each. The learning rate falls linearly from lr to minLr
 * over all epochs' events, updated per session (gensim updates per job of sentences).
 */
export function trainMetaProd2vec(options: TrainOptions): TrainedEmbeddings {
  const { train, vocab, settings: s, lambdas, rng } = options;
  const counts = tokenCounts(train, vocab);
  const model = new SgnsModel(vocab.nTokens, s.dim, s.negatives, rng.fork('init'));
  const noise = new NoiseSampler(counts, vocab.tokenType, s.negativeExponent, rng.fork('negatives'));
  const generator = new PairGenerator(
    vocab,
    { window: s.window, dynamicWindow: s.dynamicWindow, lambdas, keepProb: keepProbabilities(counts.subarray(0, vocab.nItems), s.subsample) },
    { subsample: rng.fork('subsample'), window: rng.fork('window') },
  );
  const nSessions = train.sessionOffsets.length - 1;
  const totalWords = s.epochs * train.items.length;
  const task = options.progress.task(options.label, totalWords);
  const started = performance.now();
  let words = 0;
  let keptWords = 0;
  let pairs = 0;
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    for (let sess = 0; sess < nSessions; sess++) {
      const start = train.sessionOffsets[sess] ?? 0;
      const end = train.sessionOffsets[sess + 1] ?? 0;
      const lr = s.lr - (s.lr - s.minLr) * (words / totalWords);
      const batch = generator.session(train.items, start, end);
      for (let p = 0; p < batch.length; p++) {
        model.trainPair(batch.input[p]!, batch.output[p]!, lr * batch.weight[p]!, noise);
      }
      words += end - start;
      keptWords += batch.keptItems;
      pairs += batch.length;
      if ((sess & 255) === 0) task.update(words, { 'pairs/s': rate(pairs, started) });
    }
  }
  task.update(words, { 'pairs/s': rate(pairs, started) });
  task.stop();
  return { vectors: model.inputVectors(), dim: s.dim, stats: trainStats(words, keptWords, pairs, started) };
}

function trainStats(words: number, keptWords: number, pairs: number, started: number): TrainStats {
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    words,
    keptWords,
    pairs,
    wordsPerSecond: words / seconds,
    keptWordsPerSecond: keptWords / seconds,
    pairsPerSecond: pairs / seconds,
  };
}

/** Training frequency of every token: item events, and for metadata the events of its items. */
export function tokenCounts(train: SessionDataset, vocab: TokenVocab): Float64Array {
  const counts = new Float64Array(vocab.nTokens);
  for (const item of train.items) {
    counts[item]!++;
    for (let j = vocab.metaOffsets[item]!; j < vocab.metaOffsets[item + 1]!; j++) counts[vocab.metaTokens[j]!]!++;
  }
  return counts;
}

function rate(n: number, started: number): string {
  return Math.round(n / Math.max(1e-3, (performance.now() - started) / 1000)).toLocaleString('en-US');
}

import { describe, expect, it } from 'vitest';
import { keepProbabilities, PairGenerator, type PairOptions } from '../../src/embeddings/pairs.js';
import { buildTokenVocab, itemOnlyVocab } from '../../src/embeddings/vocab.js';
import { Rng } from '../../src/util/rng.js';
import { itemIndex, metadata } from './helpers.js';

const lambdas = { mi: 0.1, jm: 0.2, mm: 0.3, im: 0.4 };
const fixed: Omit<PairOptions, 'lambdas'> = { window: 1, dynamicWindow: false, keepProb: null };

function pairsOf(gen: PairGenerator, seq: number[]): string[] {
  const b = gen.session(Int32Array.from(seq), 0, seq.length);
  const out: string[] = [];
  for (let p = 0; p < b.length; p++) out.push(`${b.input[p]}>${b.output[p]}:${Math.round(b.weight[p]! * 10) / 10}`);
  return out;
}

const rngs = () => ({ subsample: new Rng(1), window: new Rng(2) });

describe('PairGenerator', () => {
  // Items A=0, B=1, C=2; metadata A:x, B:y, C:x -> tokens x=3, y=4.
  const vocab = buildTokenVocab(itemIndex(['A', 'B', 'C']), metadata({ A: ['x'], B: ['y'], C: ['x'] }));

  it('emits every Meta-Prod2vec term with its weight (spec 4.3, window 1)', () => {
    expect(vocab.nTokens).toBe(5);
    const gen = new PairGenerator(vocab, { ...fixed, lambdas }, rngs());
    expect(pairsOf(gen, [0, 1, 2])).toEqual([
      // t=0 (A), context B: J|I, M|I, J|M, M|M; then I|M
      '0>1:1', '0>4:0.1', '3>1:0.2', '3>4:0.3', '3>0:0.4',
      // t=1 (B), context A then C
      '1>0:1', '1>3:0.1', '4>0:0.2', '4>3:0.3',
      '1>2:1', '1>3:0.1', '4>2:0.2', '4>3:0.3', '4>1:0.4',
      // t=2 (C), context B
      '2>1:1', '2>4:0.1', '3>1:0.2', '3>4:0.3', '3>2:0.4',
    ]);
  });

  it('crosses several metadata values of one item in M|M', () => {
    const multi = buildTokenVocab(itemIndex(['A', 'B']), metadata({ A: ['x', 'z'], B: ['y'] }));
    // tokens: x=2, z=3, y=4; only mm on
    const gen = new PairGenerator(multi, { ...fixed, lambdas: { mi: 0, jm: 0, mm: 1, im: 0 } }, rngs());
    expect(pairsOf(gen, [0, 1])).toEqual(['0>1:1', '2>4:1', '3>4:1', '1>0:1', '4>2:1', '4>3:1']);
  });

  it('gives plain prod2vec pairs when every lambda is 0', () => {
    const zero = { mi: 0, jm: 0, mm: 0, im: 0 };
    const seq = [0, 1, 2, 1, 0, 2, 2, 1];
    const options = { window: 3, dynamicWindow: true, keepProb: Float32Array.from([0.5, 0.9, 1]) };
    const plain = pairsOf(new PairGenerator(itemOnlyVocab(itemIndex(['A', 'B', 'C'])), { ...options, lambdas: zero }, rngs()), seq);
    const meta = pairsOf(new PairGenerator(vocab, { ...options, lambdas: zero }, rngs()), seq);
    expect(meta).toEqual(plain);
    expect(plain.length).toBeGreaterThan(0);
  });

  it('respects the window and drops subsampled items before windowing', () => {
    const items = itemOnlyVocab(itemIndex(['A', 'B', 'C', 'D']));
    const gen = new PairGenerator(items, { window: 2, dynamicWindow: false, keepProb: Float32Array.from([1, 0, 1, 1]), lambdas }, rngs());
    // B (keep 0) never survives: the sequence becomes A C D, window 2 covers all of it.
    expect(pairsOf(gen, [0, 1, 2, 3]).sort()).toEqual(['0>2:1', '0>3:1', '2>0:1', '2>3:1', '3>0:1', '3>2:1']);
  });
});

describe('keepProbabilities', () => {
  it('follows word2vec: min(1, (sqrt(c/(t N)) + 1) t N / c)', () => {
    // N = 101, tN = 1.01; c=100: (sqrt(100/1.01) + 1) * 1.01/100 = (9.9504 + 1) * 0.0101 = 0.110599
    const keep = keepProbabilities(Float64Array.from([100, 1]), 0.01);
    expect(keep?.[0]).toBeCloseTo(0.110599, 5);
    expect(keep?.[1]).toBe(1);
    expect(keepProbabilities(Float64Array.from([5]), 0)).toBeNull();
  });
});

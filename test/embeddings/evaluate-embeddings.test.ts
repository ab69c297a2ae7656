import { describe, expect, it } from 'vitest';
import { countCooccurrences, cooccurrenceScorer, cosineScorer, mixScorer, popularityScorer } from '../../src/embeddings/cooccurrence.js';
import { evaluateScorer, nextEventPairs, rankMetrics, targetRanks, type Scorer } from '../../src/embeddings/evaluate-embeddings.js';
import { sessions } from './helpers.js';

describe('rankMetrics', () => {
  it('computes recall-style Hit@k and NDCG@k', () => {
    // ranks 1, 3, 12: hit@10 = 2/3; ndcg@10 = (1/log2(2) + 1/log2(4)) / 3 = (1 + 0.5) / 3 = 0.5
    // hit@20 = 3/3; ndcg@20 = (1 + 0.5 + 1/log2(13)) / 3 = (1.5 + 0.270238) / 3 = 0.590079
    const m = rankMetrics([1, 3, 12], [10, 20]);
    expect(m['hit@10']).toBeCloseTo(2 / 3, 10);
    expect(m['ndcg@10']).toBeCloseTo(0.5, 10);
    expect(m['hit@20']).toBe(1);
    expect(m['ndcg@20']).toBeCloseTo(0.590079, 5);
  });
});

describe('next-event evaluation', () => {
  // items 0..4; item 4 never in train
  const train = sessions([[0, 1, 2], [0, 1], [3, 2]]);
  const test = sessions([[0, 1, 4], [2, 3, 0]]);

  it('takes consecutive test pairs with both items known and counts their training support', () => {
    const pairs = nextEventPairs(train, test, 5);
    expect(Array.from(pairs.query)).toEqual([0, 2, 3]);
    expect(Array.from(pairs.target)).toEqual([1, 3, 0]);
    expect(Array.from(pairs.trainCount)).toEqual([2, 0, 0]); // 0->1 twice; 2->3 never (3->2 once); 3->0 never
    expect(pairs.skipped).toBe(1); // (1, 4)
  });

  it('ranks excluding the query, ties in the scorer\'s favour', () => {
    const pairs = nextEventPairs(train, test, 5);
    const fixedScores: Scorer = (_q, s) => s.set([5, 1, 1, 3, 9]);
    // (0 -> 1): higher than 1 among others: 3 (3), 4 (9); item 2 ties -> rank 3
    // (2 -> 3): higher than 3: 0 (5), 4 (9) -> rank 3; (3 -> 0): higher than 5: 4 -> rank 2
    expect(Array.from(targetRanks(pairs, fixedScores, 5))).toEqual([3, 3, 2]);
    const m = evaluateScorer(pairs, fixedScores, { nItems: 5, cutoffs: [2], coldMaxCount: 0 });
    expect(m).toMatchObject({ nPairs: 3, nColdPairs: 2 });
    expect(m.overall['hit@2']).toBeCloseTo(1 / 3, 10);
    expect(m.cold['hit@2']).toBeCloseTo(1 / 2, 10); // cold pairs: ranks 3 and 2
  });

  it('scores co-occurrence within the window, popularity, cosine and their mixture', () => {
    const cooc = countCooccurrences(train, 5, 1);
    const s = new Float64Array(5);
    // around 0 (window 1): 1 twice
    cooccurrenceScorer(cooc)(0, s);
    expect(Array.from(s)).toEqual([0, 2, 0, 0, 0]);
    // around 2: 1 once (session 1), 3 once (session 3)
    cooccurrenceScorer(cooc)(2, s);
    expect(Array.from(s)).toEqual([0, 1, 0, 1, 0]);
    popularityScorer(train, 5)(4, s);
    expect(Array.from(s)).toEqual([2, 2, 2, 1, 0]);
    const vectors = Float32Array.from([1, 0, 0, 2, 3, 3, -1, 0, 0, 0]);
    cosineScorer(vectors, 5, 2)(0, s);
    expect(Array.from(s).map((x) => Math.round(x * 1e6) / 1e6)).toEqual([1, 0, 0.707107, -1, 0]);
    // w = 0.5, query 0: counts / max 2 = [0, 1, 0, 0, 0]; 0.5 * that + 0.5 * cosine
    mixScorer(cooccurrenceScorer(cooc), cosineScorer(vectors, 5, 2), 5, 0.5)(0, s);
    expect(Array.from(s).map((x) => Math.round(x * 1e6) / 1e6)).toEqual([0.5, 0.5, 0.353553, -0.5, 0]);
  });
});

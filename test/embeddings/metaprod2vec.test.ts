import { describe, expect, it } from 'vitest';
import { trainMetaProd2vec, tokenCounts, type TrainSettings } from '../../src/embeddings/metaprod2vec.js';
import { SgnsModel } from '../../src/embeddings/sgns.js';
import { buildTokenVocab, itemOnlyVocab } from '../../src/embeddings/vocab.js';
import { silentProgress } from '../../src/util/progress.js';
import { Rng } from '../../src/util/rng.js';
import { itemIndex, metadata, sessions } from './helpers.js';

const settings: TrainSettings = {
  dim: 8, window: 2, dynamicWindow: true, negatives: 3, negativeExponent: 0.75,
  subsample: 0, epochs: 20, lr: 0.05, minLr: 0.0001,
};
const zero = { mi: 0, jm: 0, mm: 0, im: 0 };
const ids = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

/** Two groups that never mix: sessions are 3 shuffled items of either 0..3 or 4..7. */
function groupedSessions(): number[][] {
  const rng = new Rng(9);
  const out: number[][] = [];
  for (let s = 0; s < 80; s++) out.push(rng.shuffle(s % 2 === 0 ? [0, 1, 2, 3] : [4, 5, 6, 7]).slice(0, 3));
  return out;
}

function cosine(v: Float32Array | Float64Array, dim: number, a: number, b: number): number {
  let dot = 0, na = 0, nb = 0;
  for (let c = 0; c < dim; c++) {
    dot += v[a * dim + c]! * v[b * dim + c]!;
    na += v[a * dim + c]! ** 2;
    nb += v[b * dim + c]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe('trainMetaProd2vec', () => {
  const train = sessions(groupedSessions());
  const index = itemIndex(ids);

  it('with every lambda 0 gives exactly the prod2vec item vectors (same seed)', () => {
    const meta = buildTokenVocab(index, metadata({ A: ['x'], B: ['x'], C: ['y'], D: ['y'], E: ['z'] }));
    const common = { train, settings, rng: new Rng(5), progress: silentProgress, label: 't' };
    const plain = trainMetaProd2vec({ ...common, vocab: itemOnlyVocab(index), lambdas: zero });
    const withMeta = trainMetaProd2vec({ ...common, rng: new Rng(5), vocab: meta, lambdas: zero });
    expect(withMeta.vectors.length).toBe((8 + 3) * 8);
    expect(Array.from(withMeta.vectors.subarray(0, 8 * 8))).toEqual(Array.from(plain.vectors));
    expect(withMeta.stats.pairs).toBe(plain.stats.pairs);
    const full = trainMetaProd2vec({ ...common, rng: new Rng(5), vocab: meta, lambdas: { mi: 1, jm: 1, mm: 1, im: 1 } });
    expect(Array.from(full.vectors.subarray(0, 8 * 8))).not.toEqual(Array.from(plain.vectors));
  });

  it('moves items that co-occur closer together, and apart from items they never meet', () => {
    const before = new SgnsModel(8, 8, settings.negatives, new Rng(3).fork('init')).inputVectors();
    const after = trainMetaProd2vec({ train, vocab: itemOnlyVocab(index), settings, lambdas: zero, rng: new Rng(3), progress: silentProgress, label: 't' }).vectors;
    // Pairs that start far apart (init cosine about 0.1) end well aligned.
    for (const [a, b] of [[0, 1], [1, 3], [0, 3]] as const) {
      expect(cosine(after, 8, a, b)).toBeGreaterThan(cosine(before, 8, a, b) + 0.3);
    }
    // Every same-group pair ends closer than every cross-group pair.
    const same: number[] = [];
    const cross: number[] = [];
    for (let a = 0; a < 8; a++) for (let b = a + 1; b < 8; b++) ((a < 4) === (b < 4) ? same : cross).push(cosine(after, 8, a, b));
    expect(Math.min(...same)).toBeGreaterThan(Math.max(...cross));
  });

  it('counts metadata tokens once per event of their items', () => {
    const vocab = buildTokenVocab(itemIndex(['A', 'B']), metadata({ A: ['x'], B: ['x', 'y'] }));
    // events A, B, B -> A:1, B:2, x: 1 + 2 = 3, y: 2
    expect(Array.from(tokenCounts(sessions([[0, 1], [1]]), vocab))).toEqual([1, 2, 3, 2]);
  });
});

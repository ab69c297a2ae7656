import type { SessionDataset } from '../data/types.js';
import type { Scorer } from './evaluate-embeddings.js';

/** Sparse symmetric co-occurrence counts, CSR: row a holds (item, count) for items seen near a. */
export interface CooccurrenceCounts {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly counts: Float64Array;
}

/**
 * How often each item appeared within `window` positions of each other item in a training
 * session (the "CoCounts" baseline of Meta-Prod2vec, spec 4.5). Sparse, so large catalogues fit.
 */
export function countCooccurrences(train: SessionDataset, nItems: number, window: number): CooccurrenceCounts {
  const rows = Array.from({ length: nItems }, () => new Map<number, number>());
  for (let s = 0; s + 1 < train.sessionOffsets.length; s++) {
    const start = train.sessionOffsets[s]!;
    const end = train.sessionOffsets[s + 1]!;
    for (let t = start; t < end; t++) {
      const row = rows[train.items[t]!]!;
      for (let c = Math.max(start, t - window); c < Math.min(end, t + window + 1); c++) {
        if (c !== t) row.set(train.items[c]!, (row.get(train.items[c]!) ?? 0) + 1);
      }
    }
  }
  const offsets = new Int32Array(nItems + 1);
  rows.forEach((row, a) => (offsets[a + 1] = offsets[a]! + row.size));
  const items = new Int32Array(offsets[nItems]!);
  const counts = new Float64Array(offsets[nItems]!);
  rows.forEach((row, a) => {
    let k = offsets[a]!;
    for (const [b, n] of row) {
      items[k] = b;
      counts[k++] = n;
    }
  });
  return { offsets, items, counts };
}

/** Scores = co-occurrence counts with the query (0 for items never seen near it). */
export function cooccurrenceScorer(cooc: CooccurrenceCounts): Scorer {
  return (query, scores) => {
    scores.fill(0);
    for (let k = cooc.offsets[query]!; k < cooc.offsets[query + 1]!; k++) scores[cooc.items[k]!] = cooc.counts[k]!;
  };
}

/** Scores = training popularity, the same for every query ("BestOf"). */
export function popularityScorer(train: SessionDataset, nItems: number): Scorer {
  const pop = new Float64Array(nItems);
  for (const item of train.items) pop[item]!++;
  return (_query, scores) => scores.set(pop);
}

/** Scores = cosine similarity of the item vectors (rows 0..nItems-1 of [*, dim]). */
export function cosineScorer(vectors: Float32Array, nItems: number, dim: number): Scorer {
  const unit = new Float32Array(nItems * dim);
  for (let i = 0; i < nItems; i++) {
    let norm = 0;
    for (let c = 0; c < dim; c++) norm += vectors[i * dim + c]! ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < dim; c++) unit[i * dim + c] = vectors[i * dim + c]! * inv;
  }
  return (query, scores) => {
    const q = query * dim;
    for (let i = 0; i < nItems; i++) {
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += unit[q + c]! * unit[i * dim + c]!;
      scores[i] = dot;
    }
  };
}

/**
 * The "Mix(embedding, CoCounts)" baseline: w * count / (largest count of the query) + (1 - w) * cosine.
 * Normalising the counts per query puts both terms on a comparable 0..1 scale.
 */
export function mixScorer(cooc: Scorer, embedding: Scorer, nItems: number, weight: number): Scorer {
  const counts = new Float64Array(nItems);
  return (query, scores) => {
    cooc(query, counts);
    embedding(query, scores);
    let max = 0;
    for (let i = 0; i < nItems; i++) if (i !== query && counts[i]! > max) max = counts[i]!;
    const scale = max > 0 ? weight / max : 0;
    for (let i = 0; i < nItems; i++) scores[i] = scale * counts[i]! + (1 - weight) * scores[i]!;
  };
}

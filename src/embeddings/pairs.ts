import type { Lambdas } from '../config/embeddings-schema.js';
import type { Rng } from '../util/rng.js';
import type { TokenVocab } from './vocab.js';

export interface PairOptions {
  /** Context items on each side. */
  window: number;
  /** Draw the window of each position uniformly from 1..window (word2vec). */
  dynamicWindow: boolean;
  /** Term weights; all 0 gives plain prod2vec. */
  lambdas: Lambdas;
  /** Keep probability of each item (frequent-item subsampling), or null to keep all. */
  keepProb: Float32Array | null;
}

/** The pairs of one session: parallel arrays valid up to `length`, reused between sessions. */
export interface PairBatch {
  input: Int32Array;
  output: Int32Array;
  weight: Float32Array;
  length: number;
  /** Items of the session that survived subsampling. */
  keptItems: number;
}

/**
 * Meta-Prod2vec training pairs (spec 4.3), generated one session at a time so no epoch-sized pair
 * array ever exists. For kept positions t and 0 < |d| <= window(t), in this order:
 * (p_t -> p_t+d, 1), (p_t -> m(p_t+d), mi), (m(p_t) -> p_t+d, jm), (m(p_t) -> m(p_t+d), mm);
 * then (m(p_t) -> p_t, im). Zero-weight terms emit nothing, and the random draws (subsampling,
 * then windows) depend only on the items, so lambdas = 0 yields exactly prod2vec's pairs.
 */
export class PairGenerator {
  private readonly batch: PairBatch = {
    input: new Int32Array(1024),
    output: new Int32Array(1024),
    weight: new Float32Array(1024),
    length: 0,
    keptItems: 0,
  };
  private seq = new Int32Array(64);
  private win = new Int32Array(64);

  constructor(
    private readonly vocab: TokenVocab,
    private readonly options: PairOptions,
    private readonly rngs: { subsample: Rng; window: Rng },
  ) {}

  /** The pairs of the session items[start..end). */
  session(items: Int32Array, start: number, end: number): PairBatch {
    const n = this.subsample(items, start, end);
    const { window, dynamicWindow } = this.options;
    for (let t = 0; t < n; t++) this.win[t] = dynamicWindow ? 1 + this.rngs.window.int(window) : window;
    const b = this.batch;
    b.length = 0;
    b.keptItems = n;
    for (let t = 0; t < n; t++) this.position(t, n);
    return b;
  }

  private subsample(items: Int32Array, start: number, end: number): number {
    if (this.seq.length < end - start) {
      this.seq = new Int32Array(2 * (end - start));
      this.win = new Int32Array(2 * (end - start));
    }
    const keep = this.options.keepProb;
    let n = 0;
    for (let e = start; e < end; e++) {
      const item = items[e] ?? 0;
      if (keep !== null && (keep[item] ?? 1) < this.rngs.subsample.next()) continue;
      this.seq[n++] = item;
    }
    return n;
  }

  private position(t: number, n: number): void {
    const { mi, jm, mm, im } = this.options.lambdas;
    const { metaOffsets, metaTokens } = this.vocab;
    const p = this.seq[t] ?? 0;
    const w = this.win[t] ?? 0;
    const pm0 = metaOffsets[p] ?? 0;
    const pm1 = metaOffsets[p + 1] ?? 0;
    for (let c = Math.max(0, t - w); c < Math.min(n, t + w + 1); c++) {
      if (c === t) continue;
      const q = this.seq[c] ?? 0;
      const qm0 = metaOffsets[q] ?? 0;
      const qm1 = metaOffsets[q + 1] ?? 0;
      this.emit(p, q, 1);
      if (mi > 0) for (let j = qm0; j < qm1; j++) this.emit(p, metaTokens[j] ?? 0, mi);
      if (jm > 0) for (let i = pm0; i < pm1; i++) this.emit(metaTokens[i] ?? 0, q, jm);
      if (mm > 0) {
        for (let i = pm0; i < pm1; i++) for (let j = qm0; j < qm1; j++) this.emit(metaTokens[i] ?? 0, metaTokens[j] ?? 0, mm);
      }
    }
    if (im > 0) for (let i = pm0; i < pm1; i++) this.emit(metaTokens[i] ?? 0, p, im);
  }

  private emit(input: number, output: number, weight: number): void {
    const b = this.batch;
    if (b.length === b.input.length) grow(b);
    b.input[b.length] = input;
    b.output[b.length] = output;
    b.weight[b.length] = weight;
    b.length++;
  }
}

function grow(b: PairBatch): void {
  const size = b.input.length * 2;
  const input = new Int32Array(size);
  const output = new Int32Array(size);
  const weight = new Float32Array(size);
  input.set(b.input);
  output.set(b.output);
  weight.set(b.weight);
  b.input = input;
  b.output = output;
  b.weight = weight;
}

/**
 * word2vec's keep probability for each item with `counts[i]` training events out of `total`:
 * min(1, (sqrt(c / (t total)) + 1) (t total) / c). Null when t = 0 (no subsampling).
 */
export function keepProbabilities(counts: Float64Array, t: number): Float32Array | null {
  if (t <= 0) return null;
  let total = 0;
  for (const c of counts) total += c;
  const threshold = t * total;
  return Float32Array.from(counts, (c) => (c <= 0 ? 1 : Math.min(1, (Math.sqrt(c / threshold) + 1) * (threshold / c))));
}

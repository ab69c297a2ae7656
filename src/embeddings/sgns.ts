import type { Rng } from '../util/rng.js';

/**
 * Skip-gram with negative sampling (Mikolov et al. 2013) in plain typed-array loops: for each
 * positive pair one dot product and one update per target (the output token and `negatives`
 * noise tokens). Small dense loops like these run faster in plain JS than as tensor ops.
 *
 * Deviations from word2vec: the sigmoid is computed exactly (word2vec reads a clipped table), and
 * each pair's gradient is scaled by its weight (Meta-Prod2vec's lambdas).
 */
export class SgnsModel {
  /** Input ("word") vectors, row-major [nTokens, dim]: the embeddings that are kept. */
  readonly input: Float64Array;
  /** Output ("context") vectors, row-major [nTokens, dim]. */
  readonly output: Float64Array;
  private readonly grad: Float64Array;
  private readonly row: Float64Array;

  constructor(
    readonly nTokens: number,
    readonly dim: number,
    initRng: Rng,
  ) {
    // word2vec's init: inputs uniform in +-0.5/dim (rows in token order), outputs zero.
    this.input = Float64Array.from(initRng.fillUniform(new Float32Array(nTokens * dim), 0.5 / dim));
    this.output = new Float64Array(nTokens * dim);
    this.grad = new Float64Array(dim);
    this.row = new Float64Array(dim);
  }

  /** One SGD step on (inToken -> outToken) with `negatives` noise tokens; lr already includes the pair weight. */
  trainPair(inToken: number, outToken: number, lr: number, noise: NoiseSampler, negatives: number): void {
    const { dim, input, output, grad, row } = this;
    const l1 = inToken * dim;
    // The input row is read 2 (negatives + 1) times: a float64 copy saves the offset and conversion.
    for (let c = 0; c < dim; c++) {
      row[c] = input[l1 + c]!;
      grad[c] = 0;
    }
    for (let k = 0; k <= negatives; k++) {
      let target = outToken;
      let label = 1;
      if (k > 0) {
        target = noise.draw(outToken);
        if (target === outToken) continue;
        label = 0;
      }
      const l2 = target * dim;
      let f = 0;
      for (let c = 0; c < dim; c++) f += row[c]! * output[l2 + c]!;
      const g = (label - 1 / (1 + Math.exp(-f))) * lr;
      for (let c = 0; c < dim; c++) {
        const o = output[l2 + c]!;
        grad[c]! += g * o;
        output[l2 + c] = o + g * row[c]!;
      }
    }
    for (let c = 0; c < dim; c++) input[l1 + c] = row[c]! + grad[c]!;
  }
}

/**
 * Negative samples drawn from count^exponent, separately per token type (items, each metadata
 * field): the negatives of a pair share its output token's type. Walker's alias method makes a
 * draw one random number and two reads from small arrays; word2vec's 1e8-entry lookup table
 * (here a few MB) missed the cache on every draw and took a quarter of the training time.
 * Tokens with count 0 are never drawn.
 */
export class NoiseSampler {
  private readonly tables: AliasTable[];

  constructor(
    counts: Float64Array,
    private readonly tokenType: Uint8Array,
    exponent: number,
    private readonly rng: Rng,
  ) {
    const nTypes = tokenType.reduce((m, t) => Math.max(m, t + 1), 1);
    this.tables = [];
    for (let type = 0; type < nTypes; type++) this.tables.push(buildAliasTable(counts, tokenType, type, exponent));
  }

  /** A noise token of the same type as `outToken`. */
  draw(outToken: number): number {
    const t = this.tables[this.tokenType[outToken] ?? 0];
    // A type without counted tokens has no noise: returning outToken skips the draw.
    if (t === undefined || t.tokens.length === 0) return outToken;
    // One 32-bit draw gives both the column (integer part) and the coin (fractional part).
    const x = (this.rng.nextUint32() / 4294967296) * t.tokens.length;
    const column = Math.floor(x);
    return x - column < t.keep[column]! ? t.tokens[column]! : t.alias[column]!;
  }
}

interface AliasTable {
  tokens: Int32Array;
  /** Probability of keeping the column's own token rather than its alias. */
  keep: Float64Array;
  alias: Int32Array;
}

/** Vose's alias table over the tokens of one type, weights count^exponent. */
function buildAliasTable(counts: Float64Array, tokenType: Uint8Array, type: number, exponent: number): AliasTable {
  const list: number[] = [];
  tokenType.forEach((t, token) => {
    if (t === type && (counts[token] ?? 0) > 0) list.push(token);
  });
  const n = list.length;
  const tokens = Int32Array.from(list);
  const weights = list.map((token) => Math.pow(counts[token]!, exponent));
  const total = weights.reduce((a, b) => a + b, 0);
  const scaled = Float64Array.from(weights, (w) => (w * n) / total);
  const keep = new Float64Array(n).fill(1);
  const alias = Int32Array.from(tokens);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large[large.length - 1]!;
    keep[s] = scaled[s]!;
    alias[s] = tokens[l]!;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    if (scaled[l]! < 1) small.push(large.pop()!);
  }
  return { tokens, keep, alias };
}

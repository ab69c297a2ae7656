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
  readonly input: Float32Array;
  /** Output ("context") vectors, row-major [nTokens, dim]. */
  readonly output: Float32Array;
  private readonly grad: Float64Array;
  private readonly row: Float64Array;

  constructor(
    readonly nTokens: number,
    readonly dim: number,
    initRng: Rng,
  ) {
    // word2vec's init: inputs uniform in +-0.5/dim (rows in token order), outputs zero.
    this.input = initRng.fillUniform(new Float32Array(nTokens * dim), 0.5 / dim);
    this.output = new Float32Array(nTokens * dim);
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
 * field): the negatives of a pair share its output token's type. word2vec-style lookup tables
 * make every draw one random integer. Tokens with count 0 are never drawn.
 */
export class NoiseSampler {
  private readonly tables: Int32Array[];

  constructor(
    counts: Float64Array,
    private readonly tokenType: Uint8Array,
    exponent: number,
    private readonly rng: Rng,
  ) {
    const nTypes = tokenType.reduce((m, t) => Math.max(m, t + 1), 1);
    this.tables = [];
    for (let type = 0; type < nTypes; type++) this.tables.push(buildTable(counts, tokenType, type, exponent));
  }

  /** A noise token of the same type as `outToken`. */
  draw(outToken: number): number {
    const table = this.tables[this.tokenType[outToken] ?? 0];
    // A type without counted tokens has no noise: returning outToken skips the draw.
    if (table === undefined || table.length === 0) return outToken;
    return table[(this.rng.nextUint32() % table.length) >>> 0] ?? 0;
  }
}

function buildTable(counts: Float64Array, tokenType: Uint8Array, type: number, exponent: number): Int32Array {
  const tokens: number[] = [];
  const weights: number[] = [];
  let total = 0;
  tokenType.forEach((t, token) => {
    const c = counts[token] ?? 0;
    if (t !== type || c <= 0) return;
    const w = Math.pow(c, exponent);
    tokens.push(token);
    weights.push(w);
    total += w;
  });
  if (tokens.length === 0) return new Int32Array(0);
  const size = Math.min(1 << 22, Math.max(1 << 12, tokens.length * 256));
  const table = new Int32Array(size);
  let i = 0;
  let cumulative = (weights[0] ?? 0) / total;
  for (let s = 0; s < size; s++) {
    table[s] = tokens[i] ?? 0;
    if ((s + 1) / size > cumulative && i < tokens.length - 1) cumulative += (weights[++i] ?? 0) / total;
  }
  return table;
}

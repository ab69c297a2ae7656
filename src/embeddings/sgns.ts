import type { Rng } from '../util/rng.js';

/**
 * Skip-gram with negative sampling (Mikolov et al. 2013) in plain typed-array loops: for each
 * positive pair one dot product and one update per target (the output token and `negatives`
 * noise tokens). Small dense loops like these run faster in plain JS than as tensor ops.
 *
 * Deviations from word2vec: each pair's gradient is scaled by its weight (Meta-Prod2vec's
 * lambdas); weights are float64 (float32 storage was 20% slower in V8); noise comes from an alias
 * table per token type instead of one lookup table.
 */
export class SgnsModel {
  /** Input ("word") vectors, row-major [nTokens, dim]: the embeddings that are kept. */
  readonly input: Float64Array;
  /** Output ("context") vectors, row-major [nTokens, dim]. */
  readonly output: Float64Array;
  private readonly grad: Float64Array;

  constructor(
    readonly nTokens: number,
    readonly dim: number,
    initRng: Rng,
  ) {
    // word2vec's init: inputs uniform in +-0.5/dim (rows in token order), outputs zero.
    this.input = Float64Array.from(initRng.fillUniform(new Float32Array(nTokens * dim), 0.5 / dim));
    this.output = new Float64Array(nTokens * dim);
    this.grad = new Float64Array(dim);
  }

  /** One SGD step on (inToken -> outToken) with `negatives` noise tokens; lr already includes the pair weight. */
  trainPair(inToken: number, outToken: number, lr: number, noise: NoiseSampler, negatives: number): void {
    const { dim, input, output, grad } = this;
    const l1 = inToken * dim;
    grad.fill(0);
    const table = noise.tableFor(outToken);
    for (let k = 0; k <= negatives; k++) {
      let target = outToken;
      let label = 1;
      if (k > 0) {
        target = noise.draw(table);
        if (target === outToken || target < 0) continue;
        label = 0;
      }
      const l2 = target * dim;
      const g = (label - sigmoid(dot(input, l1, output, l2, dim))) * lr;
      axpyPair(g, input, l1, output, l2, grad, dim);
    }
    for (let c = 0; c < dim; c++) input[l1 + c]! += grad[c]!;
  }
}

/** a[i..i+dim) . b[j..j+dim), four partial sums: V8 does not vectorise, and unrolling dot and update made training ~25% faster. */
function dot(a: Float64Array, i: number, b: Float64Array, j: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c + 3 < dim; c += 4) {
    s0 += a[i + c]! * b[j + c]!;
    s1 += a[i + c + 1]! * b[j + c + 1]!;
    s2 += a[i + c + 2]! * b[j + c + 2]!;
    s3 += a[i + c + 3]! * b[j + c + 3]!;
  }
  for (; c < dim; c++) s0 += a[i + c]! * b[j + c]!;
  return s0 + s1 + s2 + s3;
}

/** grad += g * out[j..j+dim) and out[j..j+dim) += g * in[i..i+dim), reading the old out row, unrolled by four. */
function axpyPair(g: number, input: Float64Array, i: number, output: Float64Array, j: number, grad: Float64Array, dim: number): void {
  let c = 0;
  for (; c + 3 < dim; c += 4) {
    const o0 = output[j + c]!;
    const o1 = output[j + c + 1]!;
    const o2 = output[j + c + 2]!;
    const o3 = output[j + c + 3]!;
    grad[c]! += g * o0;
    grad[c + 1]! += g * o1;
    grad[c + 2]! += g * o2;
    grad[c + 3]! += g * o3;
    output[j + c] = o0 + g * input[i + c]!;
    output[j + c + 1] = o1 + g * input[i + c + 1]!;
    output[j + c + 2] = o2 + g * input[i + c + 2]!;
    output[j + c + 3] = o3 + g * input[i + c + 3]!;
  }
  for (; c < dim; c++) {
    const o = output[j + c]!;
    grad[c]! += g * o;
    output[j + c] = o + g * input[i + c]!;
  }
}

const SIGMOID_RANGE = 6;
const SIGMOID_STEPS = 1000;
const SIGMOID_TABLE = Float64Array.from({ length: SIGMOID_STEPS + 1 }, (_, i) => 1 / (1 + Math.exp(-((i / SIGMOID_STEPS) * 2 - 1) * SIGMOID_RANGE)));

/** word2vec's tabulated sigmoid: clipped to +-6, 1,000 steps (Math.exp was a tenth of the step). */
function sigmoid(x: number): number {
  if (x >= SIGMOID_RANGE) return 1;
  if (x <= -SIGMOID_RANGE) return 0;
  return SIGMOID_TABLE[((x + SIGMOID_RANGE) * (SIGMOID_STEPS / (2 * SIGMOID_RANGE))) | 0]!;
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

  /** The alias table of `outToken`'s type, for `draw`. */
  tableFor(outToken: number): AliasTable {
    return this.tables[this.tokenType[outToken] ?? 0] ?? EMPTY_TABLE;
  }

  /** A noise token from `table`; -1 when the type has no counted tokens (so it never equals a target). */
  draw(table: AliasTable): number {
    const n = table.tokens.length;
    if (n === 0) return -1;
    // One 32-bit draw gives both the column (integer part) and the coin (fractional part).
    const x = (this.rng.nextUint32() / 4294967296) * n;
    const column = Math.floor(x);
    return x - column < table.keep[column]! ? table.tokens[column]! : table.alias[column]!;
  }
}

export interface AliasTable {
  tokens: Int32Array;
  /** Probability of keeping the column's own token rather than its alias. */
  keep: Float64Array;
  alias: Int32Array;
}

const EMPTY_TABLE: AliasTable = { tokens: new Int32Array(0), keep: new Float64Array(0), alias: new Int32Array(0) };

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

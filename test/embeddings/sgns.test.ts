import { describe, expect, it } from 'vitest';
import { NoiseSampler, SgnsModel } from '../../src/embeddings/sgns.js';
import { Rng } from '../../src/util/rng.js';

function frequencies(sampler: NoiseSampler, outToken: number, n: number, size: number): number[] {
  const hist = new Array<number>(size).fill(0);
  const table = sampler.tableFor(outToken);
  for (let i = 0; i < n; i++) hist[sampler.draw(table)]!++;
  return hist.map((h) => h / n);
}

describe('NoiseSampler', () => {
  // tokens 0..3 are items (counts 1, 3, 0, 4), tokens 4..5 values of one metadata field (counts 2, 2)
  const counts = Float64Array.from([1, 3, 0, 4, 2, 2]);
  const types = Uint8Array.from([0, 0, 0, 0, 1, 1]);

  it('draws items from count^exponent, never a zero-count token or another type', () => {
    // exponent 1: 1/8, 3/8, 0, 4/8
    const f = frequencies(new NoiseSampler(counts, types, 1, new Rng(1)), 0, 200_000, 6);
    [0.125, 0.375, 0, 0.5, 0, 0].forEach((p, i) => expect(f[i]).toBeCloseTo(p, 2));
    // exponent -1 (favours rare items): weights 1, 1/3, -, 1/4 -> total 19/12: 12/19, 4/19, 0, 3/19
    const g = frequencies(new NoiseSampler(counts, types, -1, new Rng(2)), 1, 200_000, 6);
    [12 / 19, 4 / 19, 0, 3 / 19, 0, 0].forEach((p, i) => expect(g[i]).toBeCloseTo(p, 2));
  });

  it('draws metadata negatives from the metadata vocabulary of the output token', () => {
    const f = frequencies(new NoiseSampler(counts, types, 0.75, new Rng(3)), 5, 100_000, 6);
    [0, 0, 0, 0, 0.5, 0.5].forEach((p, i) => expect(f[i]).toBeCloseTo(p, 2));
  });
});

describe('SgnsModel.trainPair', () => {
  const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

  it('takes word2vec SGD steps (no negatives drawn when the noise has one token)', () => {
    // One token type with a single token (1): its only negative equals the target, so it is skipped.
    const model = new SgnsModel(2, 2, 3, new Rng(4));
    const in0 = Array.from(model.inputVectors().subarray(0, 2));
    const noise = new NoiseSampler(Float64Array.from([0, 1]), Uint8Array.from([0, 0]), 0.75, new Rng(5));
    // Step 1: outputs start at 0, so f = 0, g = (1 - 0.5) * 0.1 = 0.05: out1 = 0.05 in0, in0 unchanged.
    model.trainPair(0, 1, 0.1, noise);
    const out1 = in0.map((v) => 0.05 * v);
    expect(Array.from(model.outputVectors())).toEqual([0, 0, ...out1.map((v) => expect.closeTo(v, 6))]);
    expect(Array.from(model.inputVectors().subarray(0, 2))).toEqual(in0.map((v) => expect.closeTo(v, 6)));
    // Step 2: f = in0 . out1, g = (1 - sigmoid(f)) 0.1; out1 += g in0; in0 += g out1 (the old out1).
    model.trainPair(0, 1, 0.1, noise);
    const g = (1 - sigmoid((in0[0] as number) * (out1[0] as number) + (in0[1] as number) * (out1[1] as number))) * 0.1;
    // The tabulated sigmoid (steps of 0.012) is off by < 0.006, so g by < 6e-4, times |x| < 0.25: 4 digits.
    expect(Array.from(model.outputVectors().subarray(2))).toEqual(out1.map((v, c) => expect.closeTo(v + g * (in0[c] as number), 4)));
    expect(Array.from(model.inputVectors().subarray(0, 2))).toEqual(in0.map((v, c) => expect.closeTo(v + g * (out1[c] as number), 4)));
    // Token 1's input row is untouched by pairs with input 0.
    expect(Array.from(model.inputVectors().subarray(2))).toEqual(Array.from(new SgnsModel(2, 2, 3, new Rng(4)).inputVectors().subarray(2)));
  });

  it('updates the negatives with label 0', () => {
    // Items 0 (count 1) and 1 (count 1e9): noise is essentially always token 1, the positive is token 0.
    const model = new SgnsModel(2, 5, 1, new Rng(6));
    const in1 = Array.from(model.inputVectors().subarray(5));
    const noise = new NoiseSampler(Float64Array.from([1, 1e9]), Uint8Array.from([0, 0]), 1, new Rng(7));
    model.trainPair(1, 0, 0.2, noise);
    // f = 0 for both targets: positive g = 0.1, negative g = (0 - 0.5) 0.2 = -0.1.
    expect(Array.from(model.outputVectors())).toEqual([...in1.map((v) => expect.closeTo(0.1 * v, 6)), ...in1.map((v) => expect.closeTo(-0.1 * v, 6))]);
  });

  it('skips negatives of a type without counted tokens', () => {
    // Token 1 is the only token of type 1 and has count 0: no noise table, only the positive step.
    const model = new SgnsModel(2, 1, 5, new Rng(4));
    const in0 = model.inputVectors()[0] as number;
    const noise = new NoiseSampler(Float64Array.from([1, 0]), Uint8Array.from([0, 1]), 0.75, new Rng(5));
    model.trainPair(0, 1, 1, noise);
    // f = 0, g = (1 - 0.5) * 1 = 0.5: output[1] = 0.5 in0; output[0] untouched
    expect(Array.from(model.outputVectors())).toEqual([0, expect.closeTo(0.5 * in0, 6)]);
  });
});

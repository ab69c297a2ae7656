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
  it('takes one word2vec SGD step (no negatives drawn when the noise has one token)', () => {
    // One token type with a single token (1): its only negative equals the target, so it is skipped.
    const model = new SgnsModel(2, 2, new Rng(4));
    model.input.set([0.5, -0.5, 0, 0]);
    model.output.set([0, 0, 1, 2]);
    const noise = new NoiseSampler(Float64Array.from([0, 1]), Uint8Array.from([0, 0]), 0.75, new Rng(5));
    model.trainPair(0, 1, 0.1, noise, 3);
    // f = 0.5*1 - 0.5*2 = -0.5; g = (1 - sigmoid(-0.5)) * 0.1 = (1 - 0.377541) * 0.1 = 0.0622459
    // output[1] += g * input[0] = [1 + 0.031123, 2 - 0.031123]; input[0] += g * old output[1] = [0.5 + 0.062246, -0.5 + 0.124492]
    // The tabulated sigmoid (steps of 0.012) is off by < 0.0012 here, so g by < 1.2e-4: 3 digits.
    expect(Array.from(model.output.subarray(2))).toEqual([expect.closeTo(1.031123, 3), expect.closeTo(1.968877, 3)]);
    expect(Array.from(model.input.subarray(0, 2))).toEqual([expect.closeTo(0.562246, 3), expect.closeTo(-0.375508, 3)]);
  });

  it('skips negatives of a type without counted tokens', () => {
    // Token 1 is the only token of type 1 and has count 0: no noise table, only the positive step.
    const model = new SgnsModel(2, 1, new Rng(4));
    model.input.set([1, 0]);
    const noise = new NoiseSampler(Float64Array.from([1, 0]), Uint8Array.from([0, 1]), 0.75, new Rng(5));
    model.trainPair(0, 1, 1, noise, 5);
    // f = 0, g = (1 - 0.5) * 1 = 0.5: output[1] = 0.5 * 1; output[0] untouched
    expect(Array.from(model.output)).toEqual([0, expect.closeTo(0.5, 2)]);
  });
});

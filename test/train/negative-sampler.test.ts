import { describe, expect, it } from 'vitest';
import { NegativeSampler } from '../../src/train/negative-sampler.js';
import { Rng } from '../../src/util/rng.js';

const support = Float64Array.from([1, 4, 9, 0, 16]);

function frequencies(alpha: number, n: number): number[] {
  const draws = new NegativeSampler(support, alpha, new Rng(7)).sample(n);
  const counts = [0, 0, 0, 0, 0];
  for (const d of draws) counts[d] = (counts[d] as number) + 1;
  return counts.map((c) => c / n);
}

/** Pearson chi-square statistic of observed frequencies against probabilities p. */
function chiSquare(freq: number[], p: number[], n: number): number {
  return p.reduce((acc, pi, i) => (pi === 0 ? acc : acc + (n * ((freq[i] as number) - pi) ** 2) / pi), 0);
}

describe('NegativeSampler', () => {
  it('alpha 0.5 draws proportionally to sqrt(support), never a zero-support item', () => {
    // sqrt(support) = 1, 2, 3, 0, 4 -> p = 0.1, 0.2, 0.3, 0, 0.4
    const n = 100_000; // spans two cached blocks
    const freq = frequencies(0.5, n);
    expect(freq[3]).toBe(0);
    // 3 degrees of freedom: P(chi2 > 16.27) = 0.001
    expect(chiSquare(freq, [0.1, 0.2, 0.3, 0, 0.4], n)).toBeLessThan(16.27);
  });

  it('alpha 0 is uniform over all items, alpha 1 follows support', () => {
    const n = 50_000;
    expect(chiSquare(frequencies(0, n), [0.2, 0.2, 0.2, 0.2, 0.2], n)).toBeLessThan(18.47); // 4 dof, p = 0.001
    expect(chiSquare(frequencies(1, n), [1 / 30, 4 / 30, 9 / 30, 0, 16 / 30], n)).toBeLessThan(16.27);
  });

  it('is deterministic for a seed and independent of how draws are split into calls', () => {
    const whole = new NegativeSampler(support, 0.5, new Rng(3)).sample(1000);
    const parts = new NegativeSampler(support, 0.5, new Rng(3));
    const split = [...parts.sample(300), ...parts.sample(700)];
    expect(split).toEqual([...whole]);
    expect([...new NegativeSampler(support, 0.5, new Rng(4)).sample(1000)]).not.toEqual([...whole]);
  });

  it('rejects a catalogue without support', () => {
    expect(() => new NegativeSampler(new Float64Array(3), 1, new Rng(1))).toThrow(/positive support/);
  });
});

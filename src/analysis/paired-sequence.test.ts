import { describe, expect, it } from 'vitest';
import { PairedSequence } from './paired-sequence.js';

const arm = (n: number, mean: number, variance: number) => ({ n, mean, variance });

describe('PairedSequence', () => {
  it('weights each bucket difference by the canary count (hand-computed)', () => {
    const s = new PairedSequence();
    s.add(arm(2, 5, 1), arm(10, 3, 4), 1); // d = 2, w = 2
    s.add(arm(4, 1, 9), arm(20, 2, 1), 1); // d = −1, w = 4
    const v = s.variance();
    expect(v.estimate).toBeCloseTo((2 * 2 + 4 * -1) / 6, 12); // 0
    expect(v.buckets).toBe(2);
    expect(v.canaryN).toBe(6);
    expect(v.stableN).toBe(30);
    // Within: the canary's variance is the larger of its own and the stable's.
    // Bucket 1: w² (max(1,4)/2 + 4/10) = 4·2.4; bucket 2: 16·(9/4 + 1/20) = 16·2.3.
    expect(s.withinVariance()).toBeCloseTo((4 * 2.4 + 16 * 2.3) / 36, 12);
    // Two buckets of unequal weight are fewer than two effective ones (W²/Σw² = 36/20): no
    // between-bucket variance yet.
    expect(v.effectiveBuckets).toBeCloseTo(1.8, 12);
    expect(v.between).toBe(Infinity);
    // A third bucket: G_eff = 64/24; between = G_eff/(G_eff − 1)·Σ w²(d − d̂)²/W².
    s.add(arm(2, 3, 1), arm(10, 2, 1), 1); // d = 1, w = 2
    const three = s.variance();
    const est = (4 - 4 + 2) / 8;
    const ss = 4 * (2 - est) ** 2 + 16 * (-1 - est) ** 2 + 4 * (1 - est) ** 2;
    const g = 64 / 24;
    expect(three.between).toBeCloseTo(((g / (g - 1)) * ss) / 64, 12);
    expect(three.degreesOfFreedom).toBeGreaterThanOrEqual(1);
    expect(three.degreesOfFreedom).toBeLessThanOrEqual(g - 1);
  });

  it('uses the fallback variance where a bucket cannot estimate one, and skips one-armed buckets', () => {
    const s = new PairedSequence();
    s.add(arm(1, 5, Number.NaN), arm(1, 3, Number.NaN), 2); // both from the fallback
    s.add(arm(0, Number.NaN, Number.NaN), arm(5, 1, 1), 2); // no canary: not a pair
    expect(s.buckets).toBe(1);
    expect(s.withinVariance()).toBeCloseTo(1 * (2 / 1 + 2 / 1), 12);
    expect(s.variance().between).toBe(Infinity);
  });

  it('gives a rate the variance at the null, never 0 without rejects', () => {
    const s = new PairedSequence();
    for (let b = 0; b < 5; b++) s.add(arm(10, 0, 0), arm(100, 0, 0), 0);
    expect(s.variance().estimate).toBe(0);
    // Stable smoothed rate q̃ = 0.5/101 per bucket; at δ = 0.03 the canary is Bernoulli(q̃ + δ).
    const q = 0.5 / 101;
    const canary = 50 * (q + 0.03) * (1 - q - 0.03);
    const stable = 5 * ((100 * q * (1 - q)) / 100);
    expect(s.bernoulliWithin(0.03)).toBeCloseTo((canary + stable) / 2500, 12);
    expect(s.bernoulliWithin(0)).toBeGreaterThan(0);
  });
});

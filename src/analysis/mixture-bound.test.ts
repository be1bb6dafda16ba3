import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../core/seeded-rng.js';
import { oneSidedMixtureHalfWidth } from './mixture-bound.js';
import { logNormalCdf, normalQuantile } from './normal-distribution.js';
import { normalMixtureMargin, rho2ForOptimalN } from './normal-mixture-cs.js';

describe('oneSidedMixtureHalfWidth', () => {
  it('is the x where the half-normal mixture martingale reaches 1/α (hand-checked)', () => {
    const variance = 0.04;
    const target = 0.01;
    const alpha = 0.025;
    const h = oneSidedMixtureHalfWidth(variance, target, alpha);
    // M⁺ = 2(1 + ρ²I)^(−½)·exp(u²/2)·Φ(u), u = ρ·I·x/√(1 + ρ²I): 1/α exactly at x = h.
    const information = 1 / variance;
    const rho2 = rho2ForOptimalN(1 / target, alpha);
    const a = 1 + rho2 * information;
    const u = (Math.sqrt(rho2) * information * h) / Math.sqrt(a);
    const logM = Math.log(2) - 0.5 * Math.log(a) + 0.5 * u * u + logNormalCdf(u);
    expect(logM).toBeCloseTo(-Math.log(alpha), 9);
  });

  it('lies between the two-sided sequence at 2α and at α, and is wider than a fixed-n z', () => {
    fc.assert(
      fc.property(
        // Information ≥ 1: normalMixtureMargin counts observations and is unbounded below one.
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
        fc.constantFrom(0.001, 0.005, 0.025, 0.05),
        (variance, target, alpha) => {
          const h = oneSidedMixtureHalfWidth(variance, target, alpha);
          // The same mixing variance ρ² as the one-sided bound's (tuned at α).
          const two = (a: number): number =>
            normalMixtureMargin(1 / variance, rho2ForOptimalN(1 / target, alpha), a);
          expect(h).toBeGreaterThanOrEqual(two(2 * alpha) * (1 - 1e-9));
          expect(h).toBeLessThanOrEqual(two(alpha) * (1 + 1e-9));
          expect(h).toBeGreaterThan(-normalQuantile(alpha) * Math.sqrt(variance));
        },
      ),
    );
  });

  it('is 0 for a zero variance, unbounded for none, and refuses a bad α', () => {
    expect(oneSidedMixtureHalfWidth(0, 1, 0.05)).toBe(0);
    expect(oneSidedMixtureHalfWidth(Number.POSITIVE_INFINITY, 1, 0.05)).toBe(Infinity);
    expect(oneSidedMixtureHalfWidth(Number.NaN, 1, 0.05)).toBe(Infinity);
    expect(() => oneSidedMixtureHalfWidth(1, 1, 0.5)).toThrow(RangeError);
    expect(() => oneSidedMixtureHalfWidth(1, 0, 0.05)).toThrow(RangeError);
  });

  it('holds at every look at once: Gaussian sums with changing variances cross it at most α of the time', () => {
    // 2,000 sequences of 300 looks; each step adds information with a variance that changes
    // (regimes), the bound is checked after every step, and a sequence counts once if it ever
    // crosses. The fixed-n one-sided z bound, checked the same way, fails far more often.
    const rng = new SeededRng(11, 'mixture-bound');
    const alpha = 0.025;
    let crossed = 0;
    let crossedFixed = 0;
    const runs = 2_000;
    const z = -normalQuantile(alpha);
    for (let r = 0; r < runs; r++) {
      let sum = 0;
      let information = 0;
      let everMixture = false;
      let everFixed = false;
      for (let k = 0; k < 300; k++) {
        const sd = k % 60 < 20 ? 3 : 1;
        const w = 1 / (sd * sd);
        sum += w * sd * rng.nextNormal(); // a precision-weighted observation of a zero mean
        information += w;
        const estimate = sum / information;
        if (estimate > oneSidedMixtureHalfWidth(1 / information, 0.01, alpha)) everMixture = true;
        if (estimate > z / Math.sqrt(information)) everFixed = true;
      }
      if (everMixture) crossed++;
      if (everFixed) crossedFixed++;
    }
    expect(crossed / runs).toBeLessThanOrEqual(alpha);
    expect(crossedFixed / runs).toBeGreaterThan(0.1);
  });
});

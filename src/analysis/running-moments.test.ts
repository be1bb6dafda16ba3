import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunningMoments } from './running-moments.js';

/** Two-pass mean and sample variance: the textbook definition, for comparison. */
function twoPass(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const squares = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, variance: squares / (values.length - 1) };
}

const closeTo = (actual: number, expected: number, relative: number, absolute: number): boolean =>
  Math.abs(actual - expected) <= Math.max(absolute, relative * Math.abs(expected));

describe('RunningMoments', () => {
  it('hand-computed: 1, 2, 4 → mean 7/3, variance 7/3', () => {
    const m = new RunningMoments();
    for (const x of [1, 2, 4]) m.push(x);
    expect(m.n).toBe(3);
    expect(m.mean).toBeCloseTo(7 / 3, 14);
    // Σ(x − 7/3)² = 16/9 + 1/9 + 25/9 = 42/9; / 2 = 7/3.
    expect(m.variance).toBeCloseTo(7 / 3, 14);
    expect(m.sd).toBeCloseTo(Math.sqrt(7 / 3), 14);
  });

  it('has no variance before two values', () => {
    const m = new RunningMoments();
    expect(m.n).toBe(0);
    expect(m.variance).toBeNaN();
    m.push(5);
    expect(m.mean).toBe(5);
    expect(m.variance).toBeNaN();
    m.push(5);
    expect(m.variance).toBe(0);
  });

  it('refuses non-finite values', () => {
    const m = new RunningMoments();
    expect(() => m.push(Number.NaN)).toThrow(RangeError);
    expect(() => m.push(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(m.n).toBe(0);
  });

  it('agrees with a two-pass computation (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 300 }),
        (values) => {
          const m = new RunningMoments();
          for (const x of values) m.push(x);
          const want = twoPass(values);
          expect(m.n).toBe(values.length);
          expect(closeTo(m.mean, want.mean, 1e-9, 1e-9)).toBe(true);
          expect(closeTo(m.variance, want.variance, 1e-8, 1e-6)).toBe(true);
        },
      ),
    );
  });

  it('stays accurate with a large offset, where the sum-of-squares formula cancels (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 200 }),
        (noise) => {
          const offset = 1e9;
          const m = new RunningMoments();
          for (const x of noise) m.push(offset + x);
          // Two-pass on the noise alone is exact enough: the offset does not change the variance.
          const want = twoPass(noise.map((x) => offset + x - offset));
          // (Σx² − n·mean²)/(n − 1) would be off by ~1e2 here: 1e18 squared values, 1e-16 precision.
          expect(closeTo(m.variance, want.variance, 1e-5, 1e-10)).toBe(true);
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SignedHistogram } from './signed-histogram.js';

/** Exact nearest-rank quantile of a sorted array: the ⌈q·n⌉-th smallest (at least the first). */
function exactQuantile(sorted: readonly number[], q: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

describe('SignedHistogram', () => {
  it('takes quantiles over negatives and positives together', () => {
    const h = new SignedHistogram();
    for (const v of [-5, -1, 0, 2, 10]) h.record(v);
    // nearest rank: q=0.2 → 1st (−5), 0.4 → 2nd (−1), 0.5 → 3rd (0), 0.8 → 4th (2), 1 → 5th (10)
    const [q0, q20, q40, q50, q80, q100] = h.quantiles([0, 0.2, 0.4, 0.5, 0.8, 1]);
    expect(q0).toBeCloseTo(-5, 2);
    expect(q20).toBeCloseTo(-5, 2);
    expect(q40).toBeCloseTo(-1, 2);
    expect(q50).toBe(0);
    expect(q80).toBeCloseTo(2, 2);
    expect(q100).toBe(10);
    expect(h.mean).toBeCloseTo(1.2, 12);
    expect(h.count).toBe(5);
  });

  it('is empty without values and ignores non-finite ones', () => {
    const h = new SignedHistogram();
    h.record(Number.NaN);
    h.record(Number.POSITIVE_INFINITY);
    expect(h.count).toBe(0);
    expect(h.mean).toBeNull();
    expect(h.quantile(0.5)).toBeNull();
    expect(h.quantiles([0.5, 0.95])).toEqual([]);
  });

  it('keeps a 0.001 resolution for small values', () => {
    const h = new SignedHistogram();
    h.record(-0.004);
    h.record(0.0071);
    expect(h.quantile(0)).toBeCloseTo(-0.004, 6);
    expect(h.quantile(1)).toBeCloseTo(0.007, 6);
  });

  it('matches exact sorted-array quantiles within the HDR precision (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -2_000_000, max: 2_000_000 }).map((units) => units / 1000),
            fc.double({ min: -2000, max: 2000, noNaN: true }),
          ),
          { minLength: 1, maxLength: 400 },
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (values, qs) => {
          const h = new SignedHistogram();
          for (const v of values) h.record(v);
          const sorted = [...values].sort((a, b) => a - b);
          const got = h.quantiles(qs);
          qs.forEach((q, i) => {
            const exact = exactQuantile(sorted, q);
            // 3 significant digits (≤ 1/1000 relative) plus the 0.001 resolution step
            expect(Math.abs(got[i]! - exact)).toBeLessThanOrEqual(Math.abs(exact) * 1e-3 + 1e-3);
          });
          const mean = values.reduce((a, b) => a + b, 0) / values.length;
          expect(h.mean!).toBeCloseTo(mean, 6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same answer however the quantiles are asked for', () => {
    const h = new SignedHistogram();
    for (let i = -50; i <= 50; i++) h.record(i * 0.37);
    const both = h.quantiles([0.95, 0.05]);
    expect(both).toEqual([h.quantile(0.95), h.quantile(0.05)]);
  });
});

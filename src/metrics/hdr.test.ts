import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RankedHistogram, nearestRank } from './hdr.js';

describe('nearestRank', () => {
  it('is ⌈q·n⌉ kept within [1, n]', () => {
    expect(nearestRank(0, 10)).toBe(1);
    expect(nearestRank(0.5, 10)).toBe(5);
    expect(nearestRank(0.51, 10)).toBe(6);
    expect(nearestRank(0.99, 10)).toBe(10);
    expect(nearestRank(1, 10)).toBe(10);
    expect(nearestRank(0.95, 1)).toBe(1);
  });
});

describe('RankedHistogram', () => {
  it('finds exact values below 2048 (one bucket per integer there)', () => {
    const h = new RankedHistogram();
    for (const v of [7, 0, 3, 3, 2047, 1000]) h.record(v);
    expect(h.totalCount).toBe(6);
    // sorted: 0 3 3 7 1000 2047
    expect(h.valuesAtRanks([1, 2, 3, 4, 5, 6])).toEqual([0, 3, 3, 7, 1000, 2047]);
    expect(h.valuesAtRanks([3, 3, 6])).toEqual([3, 3, 2047]);
  });

  it('finds every rank within 1/1000 relative over a wide range, across index blocks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const h = new RankedHistogram();
          for (const v of values) h.record(v);
          const sorted = [...values].sort((a, b) => a - b);
          const ranks = sorted.map((_, i) => i + 1);
          const got = h.valuesAtRanks(ranks);
          expect(got).toHaveLength(sorted.length);
          got.forEach((v, i) => {
            const exact = sorted[i]!;
            expect(v).toBeGreaterThanOrEqual(exact);
            expect(v - exact).toBeLessThanOrEqual(exact / 1000);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { JsHistogram, build } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { RankedHistogram, countsIndexOf, highestValueAt, nearestRank } from './hdr.js';

/** hdr-histogram-js set up as the histogram was before it was written here: the reference. */
function referenceHistogram(): JsHistogram {
  const histogram = build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2048,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  if (!(histogram instanceof JsHistogram)) throw new Error('expected the JS implementation');
  return histogram;
}

/** The k-th smallest values as the reference finds them: a walk of its counts. */
function referenceValuesAtRanks(reference: JsHistogram, ranks: readonly number[]): number[] {
  const values: number[] = [];
  let running = 0;
  let i = 0;
  for (const rank of ranks) {
    while (running + reference.getCountAtIndex(i) < rank) running += reference.getCountAtIndex(i++);
    const top = reference.highestEquivalentValue(reference.valueFromIndex(i));
    values.push(Math.min(top, reference.maxValue));
  }
  return values;
}

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

describe('HdrHistogram bucketing', () => {
  it('puts every value at the index hdr-histogram-js gives it, with the same highest equivalent value (property)', () => {
    const reference = referenceHistogram();
    const value = fc.oneof(
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 0, max: 2 ** 32 + 10 }),
      fc.integer({ min: 2 ** 31 - 5, max: 2 ** 31 + 5 }),
      fc.integer({ min: 2 ** 32 - 5, max: 2 ** 32 + 5 }),
      fc.nat({ max: 45 }).map((n) => 2 ** n),
      fc.nat({ max: 45 }).map((n) => 2 ** n - 1),
      fc.integer({ min: 0, max: 2 ** 46 }),
    );
    fc.assert(
      fc.property(value, (v) => {
        const index = countsIndexOf(v);
        expect(index).toBe(reference.countsArrayIndex(v));
        expect(highestValueAt(index)).toBe(
          reference.highestEquivalentValue(reference.valueFromIndex(index)),
        );
      }),
      { numRuns: 5000 },
    );
  });
});

describe('RankedHistogram', () => {
  it('finds the same values at every rank as hdr-histogram-js (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 2 ** 36 })),
          { minLength: 1, maxLength: 400 },
        ),
        (values) => {
          const h = new RankedHistogram();
          const reference = referenceHistogram();
          for (const v of values) {
            h.record(v);
            reference.recordValue(v);
          }
          const ranks = values.map((_, i) => i + 1);
          expect(h.totalCount).toBe(reference.totalCount);
          expect(h.valuesAtRanks(ranks)).toEqual(referenceValuesAtRanks(reference, ranks));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a negative value', () => {
    expect(() => new RankedHistogram().record(-1)).toThrow(RangeError);
  });

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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedIndices } from './sorted-indices.js';

/** The reference: indices by (arrival, index), by comparison. */
function expectedOrder(arrivals: readonly number[]): number[] {
  return arrivals
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.i - y.i))
    .map(({ i }) => i);
}

describe('sortedIndices', () => {
  it('orders by arrival, ties by index, for any arrivals (property)', () => {
    const arrival = fc.oneof(
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(arrival, { maxLength: 300 }), (arrivals) => {
        expect([...sortedIndices(arrivals)]).toEqual(expectedOrder(arrivals));
      }),
    );
  });

  it('radix sorts a target change of whole µs, ties in index order, any spread below 2^32 (property)', () => {
    // A batch's arrivals: a base time plus offsets up to a spread of 1, 2, 3 or 4 bytes (the
    // spread's top bit set or not), with many ties when the spread is small.
    const batch = fc
      .record({
        base: fc.integer({ min: 0, max: 2 ** 52 }),
        bits: fc.integer({ min: 0, max: 32 }),
      })
      .chain(({ base, bits }) => {
        const spread = 2 ** bits - 1;
        return fc
          .array(fc.integer({ min: 0, max: spread }), { minLength: 256, maxLength: 1500 })
          .map((offsets) => {
            // The spread's extremes are there, so the passes reach its highest byte.
            const arrivals = offsets.map((offset) => base + offset);
            arrivals[0] = base + spread;
            arrivals[arrivals.length - 1] = base;
            return arrivals;
          });
      });
    fc.assert(
      fc.property(batch, (arrivals) => {
        expect([...sortedIndices(arrivals)]).toEqual(expectedOrder(arrivals));
      }),
      { numRuns: 60 },
    );
  });

  it('sorts only the first n, and keeps nothing from a larger sort before', () => {
    const large = Array.from({ length: 5000 }, (_, i) => 1_000_000 + ((i * 7919) % 5003));
    expect([...sortedIndices(large)]).toEqual(expectedOrder(large));
    const small = Array.from({ length: 400 }, (_, i) => 5_000 - ((i * 31) % 397));
    const padded = [...small, -1, -2, -3];
    expect([...sortedIndices(padded, small.length)]).toEqual(expectedOrder(small));
  });

  it('takes the float keys from a spread of 2^32 µs on, and the comparison sort for fractions', () => {
    const base = 1_700_000_000_000_000;
    for (const spread of [2 ** 32 - 1, 2 ** 32]) {
      const arrivals = Array.from({ length: 300 }, (_, i) => base + ((i * 104_729) % 1000));
      arrivals[7] = base + spread;
      expect([...sortedIndices(arrivals)]).toEqual(expectedOrder(arrivals));
    }
    const fractions = Array.from({ length: 300 }, (_, i) => ((i * 37) % 101) + 0.5);
    expect([...sortedIndices(fractions)]).toEqual(expectedOrder(fractions));
  });

  it('uses whole-number keys near the edge of exact floats', () => {
    // (max − min + 1) × 2^bits just at 2^53: the keys are exact; one more and the comparison sort.
    const base = 1_700_000_000_000_000;
    for (const span of [2 ** 51 - 1, 2 ** 51]) {
      const arrivals = [base + span, base, base + span, base + 1];
      expect([...sortedIndices(arrivals)]).toEqual([1, 3, 0, 2]);
    }
  });
});

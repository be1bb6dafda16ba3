import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intervalReturn } from './interval-return.js';

describe('intervalReturn', () => {
  it('is the plain return without flows', () => {
    expect(intervalReturn(10_000, 10_100, 0)).toBeCloseTo(0.01, 12);
    expect(intervalReturn(10_000, 9_900, 0)).toBeCloseTo(-0.01, 12);
  });

  it('takes a flow as money in or out at the start of the interval, not as a return', () => {
    expect(intervalReturn(10_000, 5_050, -5_000)).toBeCloseTo(0.01, 12);
    expect(intervalReturn(10_000, 15_150, 5_000)).toBeCloseTo(0.01, 12);
  });

  it('is 0 for an arm everyone left, even with float residue in the sums', () => {
    expect(intervalReturn(10_000, 0, -10_000)).toBe(0);
    // equity summed in floats vs the exact equity that left: a residue of ~1e-12 of it
    expect(intervalReturn(7_953_881.41, 0, -7_953_881.409_999_9)).toBe(0);
    expect(intervalReturn(7_953_881.41, 1.9e-9, -7_953_881.409_999_9)).toBe(0);
    expect(intervalReturn(0, 0, 0)).toBe(0);
    expect(intervalReturn(0, 5, 0)).toBe(0);
  });

  it('chains to the whole period’s growth when flows sit at sample points (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            growth: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
            flowFraction: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (steps) => {
          // A unit of money invested from the start grows by Π(1 + g) whatever moves in or out.
          let equity = 1_000;
          let unit = 1;
          let chained = 1;
          for (const { growth, flowFraction } of steps) {
            const flow = equity * flowFraction;
            const next = (equity + flow) * (1 + growth);
            chained *= 1 + intervalReturn(equity, next, flow);
            unit *= 1 + growth;
            equity = next;
          }
          expect(chained).toBeCloseTo(unit, 9);
        },
      ),
    );
  });
});

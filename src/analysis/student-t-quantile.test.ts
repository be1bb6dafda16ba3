import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  studentTCdf,
  studentTQuantile,
  studentTUpperQuantile,
  studentTUpperTail,
} from './student-t-quantile.js';

/** The upper quantile's bisection written over the public tail function (log-gammas at every step). */
function upperQuantileStepByStep(tail: number, nu: number): number {
  let lo = 0;
  let hi = 1;
  while (studentTUpperTail(hi, nu) > tail && hi < 1e300) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-10 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTUpperTail(mid, nu) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('Student t', () => {
  it('matches tabulated quantiles (scipy.stats.t.ppf)', () => {
    const table: ReadonlyArray<readonly [number, number, number]> = [
      [0.995, 1, 63.65674116287399],
      [0.995, 2, 9.924843200918277],
      [0.995, 3, 5.840909309733349],
      [0.995, 4, 4.604094871415897],
      [0.995, 9, 3.24983554401537],
      [0.995, 29, 2.7563859036706],
      [0.975, 3, 3.182446305284263],
      [0.9995, 3, 12.92397863670452],
      [0.005, 5, -4.032142983557536],
    ];
    for (const [p, nu, t] of table) expect(studentTQuantile(p, nu)).toBeCloseTo(t, 6);
  });

  it('has a CDF that is symmetric and inverts the quantile', () => {
    for (const nu of [1, 2, 3.5, 10, 200]) {
      expect(studentTCdf(0, nu)).toBeCloseTo(0.5, 12);
      expect(studentTCdf(1.3, nu) + studentTCdf(-1.3, nu)).toBeCloseTo(1, 12);
      expect(studentTCdf(studentTQuantile(0.99, nu), nu)).toBeCloseTo(0.99, 9);
    }
  });

  it('searches with the log-gammas computed once: the same floats as computing them at each step', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 0.49, noNaN: true }),
        fc.oneof(fc.integer({ min: 1, max: 400 }), fc.double({ min: 1, max: 400, noNaN: true })),
        (tail, nu) => {
          expect(studentTUpperQuantile(tail, nu)).toBe(upperQuantileStepByStep(tail, nu));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses what has no quantile', () => {
    expect(() => studentTQuantile(0.9, 0.5)).toThrow(RangeError);
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
  });
});

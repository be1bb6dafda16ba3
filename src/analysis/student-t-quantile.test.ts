import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile } from './student-t-quantile.js';

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

  it('refuses what has no quantile', () => {
    expect(() => studentTQuantile(0.9, 0.5)).toThrow(RangeError);
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
  });
});

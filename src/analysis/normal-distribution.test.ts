import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logNormalCdf, normalCdf, normalQuantile } from './normal-distribution.js';

describe('the standard normal distribution', () => {
  it('matches tabulated values (scipy.stats.norm)', () => {
    const table: ReadonlyArray<readonly [number, number]> = [
      [0, 0.5],
      [1, 0.8413447460685429],
      [1.959963984540054, 0.975],
      [-2.5, 0.0062096653257761],
      [3.5, 0.9997673709209645],
      [-6, 9.865876450376946e-10],
    ];
    for (const [x, p] of table) expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(2e-7);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.0125)).toBeCloseTo(-2.241402727604947, 8);
    expect(normalQuantile(1e-9)).toBeCloseTo(-5.997807015007687, 6);
  });

  it('inverts: Φ(Φ⁻¹(p)) = p (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        const back = normalCdf(normalQuantile(p));
        expect(Math.abs(back - p) / Math.min(p, 1 - p)).toBeLessThan(1e-6);
      }),
    );
  });

  it('keeps ln Φ finite and exact far into the lower tail', () => {
    // Mills' ratio: ln Φ(x) ≈ −x²/2 − ln|x| − ln √(2π) + ln(1 − 1/x² + 3/x⁴ − 15/x⁶).
    const mills = (x: number): number =>
      -(x * x) / 2 -
      Math.log(-x) -
      0.5 * Math.log(2 * Math.PI) +
      Math.log(1 - 1 / x ** 2 + 3 / x ** 4 - 15 / x ** 6);
    for (const x of [-30, -40, -100]) expect(logNormalCdf(x)).toBeCloseTo(mills(x), 6);
    expect(Number.isFinite(logNormalCdf(-1e4))).toBe(true);
    expect(logNormalCdf(8)).toBeCloseTo(0, 12);
  });
});

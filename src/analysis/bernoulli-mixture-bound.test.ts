import { describe, expect, it } from 'vitest';
import { SeededRng } from '../core/seeded-rng.js';
import { bernoulliMixtureUpperBound } from './bernoulli-mixture-bound.js';

describe('bernoulliMixtureUpperBound', () => {
  it('with no event in n trials is the p0 where (1 − (1 − p0)^(n+1)) / ((n + 1)·p0·(1 − p0)^n) = 1/α', () => {
    const n = 400;
    const alpha = 0.025;
    const p0 = bernoulliMixtureUpperBound(0, n, alpha);
    const m = (1 - (1 - p0) ** (n + 1)) / ((n + 1) * p0 * (1 - p0) ** n);
    expect(m).toBeCloseTo(1 / alpha, 4);
    expect(p0).toBeGreaterThan(0.013);
    expect(p0).toBeLessThan(0.014);
  });

  it('grows with the events, shrinks with the trials, and is unbounded without trials', () => {
    expect(bernoulliMixtureUpperBound(2, 400, 0.025)).toBeGreaterThan(
      bernoulliMixtureUpperBound(0, 400, 0.025),
    );
    expect(bernoulliMixtureUpperBound(0, 1000, 0.025)).toBeLessThan(
      bernoulliMixtureUpperBound(0, 400, 0.025),
    );
    expect(bernoulliMixtureUpperBound(40, 400, 0.025)).toBeGreaterThan(0.1);
    expect(bernoulliMixtureUpperBound(0, 0, 0.025)).toBe(Infinity);
    expect(() => bernoulliMixtureUpperBound(0, 10, 0)).toThrow(RangeError);
  });

  it(
    'holds at every look at once: rates at 1, 3 and 10 % are excluded at most α of the time',
    { timeout: 120_000 },
    () => {
      const alpha = 0.025;
      const rng = new SeededRng(5, 'bernoulli-mixture');
      for (const p of [0.01, 0.03, 0.1]) {
        let crossed = 0;
        const runs = 1_000;
        for (let r = 0; r < runs; r++) {
          let x = 0;
          for (let n = 1; n <= 1_500; n++) {
            if (rng.nextFloat() < p) x++;
            // Looked at every 10 orders: the bound below the true rate is a false "non-inferior".
            if (n % 10 === 0 && bernoulliMixtureUpperBound(x, n, alpha) < p) {
              crossed++;
              break;
            }
          }
        }
        expect(crossed / runs, `p = ${p}`).toBeLessThanOrEqual(alpha);
      }
    },
  );
});

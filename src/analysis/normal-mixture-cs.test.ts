import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalMixtureMargin, rho2ForOptimalN } from './normal-mixture-cs.js';

const pythonAvailable = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
/** Skipped without python3 only off CI: with `CI` set (.ci/run installs python3) it must run. */
const skipPython = !pythonAvailable && ['', '0', 'false'].includes(process.env['CI'] ?? '');

/**
 * The formulas written again, independently, in Python (math module only), straight from
 * Waudby-Smith et al. / GrowthBook: rho² from (alpha, n*) and the half-width.
 */
const PYTHON_REFERENCE = String.raw`
import json, math, sys
def rho2(n_star, alpha):
    return (-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / n_star
def halfwidth(n, r2, alpha):
    return math.sqrt((2 * (n * r2 + 1)) / (n ** 2 * r2) * math.log(math.sqrt(n * r2 + 1) / alpha))
out = []
for case in json.load(sys.stdin):
    r2 = rho2(case["nStar"], case["alpha"])
    out.append({"rho2": r2, "margin": halfwidth(case["n"], r2, case["alpha"])})
print(json.dumps(out))
`;

interface GridCase {
  readonly n: number;
  readonly nStar: number;
  readonly alpha: number;
}

function grid(): GridCase[] {
  const cases: GridCase[] = [];
  for (const n of [1, 2, 3, 10, 57, 100, 1_000, 123_456, 10_000_000]) {
    for (const nStar of [1, 10, 100, 2_000, 1e6]) {
      for (const alpha of [0.5, 0.1, 0.05, 0.0125, 1e-6]) {
        cases.push({ n, nStar, alpha });
      }
    }
  }
  return cases;
}

describe('normal-mixture confidence sequence', () => {
  it('matches hand-computed values', () => {
    // ρ² = (−2 ln 0.05 + ln(1 − 2 ln 0.05)) / 100 = (5.991465 + 1.944691) / 100.
    const rho2 = rho2ForOptimalN(100, 0.05);
    expect(rho2).toBeCloseTo(0.07936155, 7);
    // n = 100: nρ² = 7.936155; 2·8.936155 / (1e4·0.07936155) = 0.02252012;
    // ln(sqrt(8.936155) / 0.05) = 1.095049 + 2.995732 = 4.090781; sqrt(0.02252012 · 4.090781) = 0.303521.
    expect(normalMixtureMargin(100, rho2, 0.05)).toBeCloseTo(0.303521, 5);
    // n = 1, ρ² = 1, α = 1/e: sqrt(2·2/1 · ln(sqrt(2)·e)) = sqrt(4 · (ln 2 / 2 + 1)) = 2.3208392.
    expect(normalMixtureMargin(1, 1, Math.exp(-1))).toBeCloseTo(2.3208392, 6);
  });

  it.skipIf(skipPython)('agrees with an independent Python implementation on a grid', () => {
    expect(pythonAvailable, 'python3 is not installed (.ci/run installs it)').toBe(true);
    const cases = grid();
    const run = spawnSync('python3', ['-c', PYTHON_REFERENCE], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const expected = JSON.parse(run.stdout) as Array<{ rho2: number; margin: number }>;
    expect(expected).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const want = expected[i]!;
      const rho2 = rho2ForOptimalN(c.nStar, c.alpha);
      expect(rho2).toBeCloseTo(want.rho2, 12);
      const margin = normalMixtureMargin(c.n, rho2, c.alpha);
      expect(Math.abs(margin - want.margin) / want.margin).toBeLessThan(1e-12);
    });
  });

  it('is unbounded for no observation', () => {
    expect(normalMixtureMargin(0, rho2ForOptimalN(100, 0.05), 0.05)).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects an α outside (0, 1), a non-positive ρ² or n*', () => {
    expect(() => rho2ForOptimalN(100, 0)).toThrow(RangeError);
    expect(() => rho2ForOptimalN(100, 1)).toThrow(RangeError);
    expect(() => rho2ForOptimalN(0, 0.05)).toThrow(RangeError);
    expect(() => rho2ForOptimalN(Number.NaN, 0.05)).toThrow(RangeError);
    expect(() => normalMixtureMargin(10, 0, 0.05)).toThrow(RangeError);
    expect(() => normalMixtureMargin(10, 0.1, Number.NaN)).toThrow(RangeError);
  });

  it('is always wider than the fixed-n normal interval, and closest to it near n*', () => {
    // z quantiles of the two-sided fixed-n interval at these α (scipy.stats.norm.ppf(1 − α/2)).
    const z: ReadonlyArray<readonly [number, number]> = [
      [0.05, 1.959963985],
      [0.0125, 2.497705474],
      [0.001, 3.290526731],
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 4, max: 100_000 }),
        (which, n, nStar) => {
          const [alpha, zq] = z[which]!;
          const rho2 = rho2ForOptimalN(nStar, alpha);
          const ratio = (k: number): number =>
            (normalMixtureMargin(k, rho2, alpha) * Math.sqrt(k)) / zq;
          expect(ratio(n)).toBeGreaterThan(1);
          // The ratio to the fixed-n width has its minimum near n* (the point of the tuning).
          expect(ratio(nStar)).toBeLessThanOrEqual(ratio(Math.ceil(nStar / 3)) + 1e-12);
          expect(ratio(nStar)).toBeLessThanOrEqual(ratio(nStar * 3) + 1e-12);
        },
      ),
    );
  });

  it('narrows as n grows (for a fixed σ̂)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (n, nStar) => {
          const rho2 = rho2ForOptimalN(nStar, 0.0125);
          expect(normalMixtureMargin(n + 1, rho2, 0.0125)).toBeLessThan(
            normalMixtureMargin(n, rho2, 0.0125),
          );
        },
      ),
    );
  });
});

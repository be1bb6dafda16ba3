import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { BUCKET_COUNT, assertValidSalt, bucketOf } from './bucket-of.js';
import { referenceMurmur3 } from './test-support/reference-murmur3.js';
import {
  Z_0_999,
  Z_0_9995,
  chiSquare2x2,
  chiSquareQuantile,
  chiSquareUniform,
  correlation,
  randomIds,
  sequentialIds,
} from './test-support/statistics.js';

const SALT = 'rollout-2024-08';
const N = 100_000;
const SEQUENTIAL = sequentialIds(N);
const RANDOM = randomIds(N, 42);

function buckets(salt: string, ids: readonly string[]): Int32Array {
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = bucketOf(salt, ids[i]!);
  return out;
}

function histogram(values: Int32Array, bins: number, width: number): Int32Array {
  const counts = new Int32Array(bins);
  for (const value of values) counts[Math.floor(value / width)]!++;
  return counts;
}

describe('bucketOf', () => {
  it('is murmur3 x86_32 (seed 0) of the UTF-8 bytes of salt:accountId, mod 10000', () => {
    const text = fc.string({ unit: 'binary', maxLength: 24 });
    fc.assert(
      fc.property(
        text.filter((s) => !s.includes(':')),
        fc.oneof(text, fc.string({ maxLength: 24 })),
        (salt, accountId) => {
          const bucket = bucketOf(salt, accountId);
          expect(bucket).toBe(referenceMurmur3(`${salt}:${accountId}`, 0) % BUCKET_COUNT);
          expect(Number.isInteger(bucket) && bucket >= 0 && bucket < BUCKET_COUNT).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects a salt containing ":" so that the framing stays unambiguous', () => {
    expect(() => bucketOf('a:b', 'c')).toThrow(UsageError);
    expect(() => assertValidSalt('x:')).toThrow(/salt/);
    expect(() => assertValidSalt('')).not.toThrow();
    // Account ids may contain ":": ("a", "b:c") has its own key, no other valid pair shares it.
    expect(bucketOf('a', 'b:c')).toBe(referenceMurmur3('a:b:c') % BUCKET_COUNT);
  });
});

describe('uniformity (chi-square goodness of fit, two-sided, α = 0.002)', () => {
  const cases: Array<[string, readonly string[]]> = [
    ['sequential ids acct-0…acct-99999', SEQUENTIAL],
    ['seeded random Unicode ids', RANDOM],
  ];

  it('uses Wilson–Hilferty critical values that agree with the chi-square tables', () => {
    // Exact quantiles of chi-square with 99 d.f.: 148.230 (0.999) and 61.137 (0.001).
    expect(chiSquareQuantile(99, Z_0_999)).toBeCloseTo(148.23, 0);
    expect(chiSquareQuantile(99, -Z_0_999)).toBeCloseTo(61.14, 0);
    expect(chiSquareQuantile(9999, Z_0_999)).toBeCloseTo(10441.71, 1);
  });

  it.each(cases)('spreads %s evenly over the 10,000 buckets', (_label, ids) => {
    const chi2 = chiSquareUniform(histogram(buckets(SALT, ids), BUCKET_COUNT, 1));
    expect(chi2).toBeLessThan(chiSquareQuantile(BUCKET_COUNT - 1, Z_0_999));
    expect(chi2).toBeGreaterThan(chiSquareQuantile(BUCKET_COUNT - 1, -Z_0_999));
  });

  it.each(cases)('spreads %s evenly over 100 bins of 100 buckets', (_label, ids) => {
    const chi2 = chiSquareUniform(histogram(buckets(SALT, ids), 100, 100));
    expect(chi2).toBeLessThan(chiSquareQuantile(99, Z_0_999));
    expect(chi2).toBeGreaterThan(chiSquareQuantile(99, -Z_0_999));
  });

  it.each([100, 1000, 5000])(
    'routes the weight’s share of accounts to canary at %d bps (binomial, 3.29 σ)',
    (weightBps) => {
      const p = weightBps / BUCKET_COUNT;
      const tolerance = Z_0_9995 * Math.sqrt(N * p * (1 - p));
      for (const ids of [SEQUENTIAL, RANDOM]) {
        let canary = 0;
        for (const bucket of buckets(SALT, ids)) if (bucket < weightBps) canary++;
        expect(Math.abs(canary - N * p)).toBeLessThan(tolerance);
      }
    },
  );
});

describe('independence across salts', () => {
  it.each([
    ['rollout-2024-08', 'rollout-2024-09'],
    ['salt-1', 'salt-2'],
    ['a', 'b'],
  ])('canary membership under %j and %j is independent (2×2 chi-square, α = 0.001)', (a, b) => {
    const bucketsA = buckets(a, SEQUENTIAL);
    const bucketsB = buckets(b, SEQUENTIAL);
    for (const weightBps of [1000, 5000]) {
      const cells = [0, 0, 0, 0];
      for (let i = 0; i < N; i++) {
        const inA = bucketsA[i]! < weightBps ? 0 : 2;
        const inB = bucketsB[i]! < weightBps ? 0 : 1;
        cells[inA + inB]!++;
      }
      const [both, onlyA, onlyB, neither] = cells as [number, number, number, number];
      expect(chiSquare2x2(both, onlyA, onlyB, neither)).toBeLessThan(Z_0_9995 ** 2);
    }
    expect(Math.abs(correlation(bucketsA, bucketsB))).toBeLessThan(Z_0_9995 / Math.sqrt(N));
  });
});

describe('the statistical checks reject broken bucketings (so the tests above can fail)', () => {
  it('flags a counter (too regular), a biased modulo and an ignored salt', () => {
    const counter = Int32Array.from(SEQUENTIAL, (_id, i) => i % BUCKET_COUNT);
    const counterChi2 = chiSquareUniform(histogram(counter, BUCKET_COUNT, 1));
    expect(counterChi2).toBeLessThan(chiSquareQuantile(BUCKET_COUNT - 1, -Z_0_999));

    const biased = Int32Array.from(SEQUENTIAL, (id) => referenceMurmur3(id) % 9000);
    const biasedChi2 = chiSquareUniform(histogram(biased, 100, 100));
    expect(biasedChi2).toBeGreaterThan(chiSquareQuantile(99, Z_0_999));

    const same = buckets(SALT, SEQUENTIAL);
    let both = 0;
    for (const bucket of same) if (bucket < 1000) both++;
    expect(chiSquare2x2(both, 0, 0, N - both)).toBeGreaterThan(Z_0_9995 ** 2);
    expect(correlation(same, same)).toBeCloseTo(1, 10);
  });
});

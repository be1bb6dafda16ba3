import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { BUCKET_COUNT } from './bucket-of.js';
import {
  assertValidCandidateWeights,
  candidateOfBucket,
  laneWidth,
} from './candidate-of-bucket.js';

const ALL_BUCKETS = Array.from({ length: BUCKET_COUNT }, (_, b) => b);

/** Random candidates (1 to 5) with weights within their lanes. */
const weightsArb = fc
  .integer({ min: 1, max: 5 })
  .chain((n) =>
    fc.array(fc.integer({ min: 0, max: laneWidth(n) }), { minLength: n, maxLength: n }),
  );

describe('candidateOfBucket', () => {
  it('is the two-arm rule, bucket < weight, with one candidate', () => {
    for (const weight of [0, 1, 999, 1000, 5000, 9999, 10_000])
      for (const bucket of ALL_BUCKETS)
        expect(candidateOfBucket(bucket, [weight])).toBe(bucket < weight ? 0 : -1);
  });

  it('gives each candidate the first weight buckets of its lane, and stable the rest', () => {
    const weights = [1000, 2000, 3333];
    expect(laneWidth(3)).toBe(3333);
    expect([0, 999, 1000, 3332].map((b) => candidateOfBucket(b, weights))).toEqual([0, 0, -1, -1]);
    expect([3333, 5332, 5333, 6665].map((b) => candidateOfBucket(b, weights))).toEqual([
      1, 1, -1, -1,
    ]);
    expect([6666, 9998, 9999].map((b) => candidateOfBucket(b, weights))).toEqual([2, 2, -1]);
  });

  it('holds each candidate’s share exactly: weight buckets each (property)', () => {
    fc.assert(
      fc.property(weightsArb, (weights) => {
        const counts = new Array<number>(weights.length + 1).fill(0);
        for (const bucket of ALL_BUCKETS) counts[candidateOfBucket(bucket, weights) + 1]!++;
        expect(counts.slice(1)).toEqual(weights);
      }),
      { numRuns: 60 },
    );
  });

  it('moves accounts only between stable and the candidate whose weight changed (property)', () => {
    fc.assert(
      fc.property(weightsArb, fc.nat(), fc.nat(), (weights, which, newWeight) => {
        const k = which % weights.length;
        const changed = [...weights];
        changed[k] = newWeight % (laneWidth(weights.length) + 1);
        for (const bucket of ALL_BUCKETS) {
          const before = candidateOfBucket(bucket, weights);
          const after = candidateOfBucket(bucket, changed);
          if (before === after) continue;
          // Only k's buckets move, and only to or from stable, in the direction of the change.
          expect([before, after].sort((a, b) => a - b)).toEqual([-1, k]);
          expect(after === k).toBe(changed[k] > weights[k]!);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('candidate weights', () => {
  it('lanes are 10,000 / N buckets; weights are whole basis points within a lane', () => {
    expect([1, 2, 3, 4, 7].map(laneWidth)).toEqual([10_000, 5000, 3333, 2500, 1428]);
    expect(() => assertValidCandidateWeights([1000, 5000])).not.toThrow();
    expect(() => assertValidCandidateWeights([1000, 5001])).toThrow(
      "candidate 1's weight must be a whole number of basis points from 0 to 5000",
    );
    expect(() => assertValidCandidateWeights([1.5])).toThrow(UsageError);
    expect(() => assertValidCandidateWeights([-1])).toThrow(UsageError);
    expect(() => assertValidCandidateWeights([])).toThrow('the number of candidates must be 1');
  });
});

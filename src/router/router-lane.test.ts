import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, BUCKET_COUNT } from './bucket-of.js';
import { candidateOfBucket, laneBuckets, laneOfBucket, laneWidth } from './candidate-of-bucket.js';
import { Router } from './router.js';

const SALT = 'lanes';
const IDS = Array.from({ length: 3000 }, (_, i) => `acct-${i}`);

describe('laneOfBucket and laneBuckets', () => {
  it('puts every bucket in one lane, the leftovers in the last; scales a lane share to buckets', () => {
    expect(laneWidth(3)).toBe(3333);
    expect([0, 3332, 3333, 6665, 6666, 9998, 9999].map((b) => laneOfBucket(b, 3))).toEqual([
      0, 0, 1, 1, 2, 2, 2,
    ]);
    expect(laneBuckets(10_000, 3)).toBe(3333);
    expect(laneBuckets(1000, 3)).toBe(333);
    for (const w of [0, 1, 999, 10_000]) expect(laneBuckets(w, 1)).toBe(w);
  });
});

describe('a lane router', () => {
  it("routes to canary exactly the accounts candidateOfBucket gives its candidate (the router's vectors)", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.array(fc.integer({ min: 0, max: BUCKET_COUNT }), { minLength: n, maxLength: n }),
          ),
        (laneWeights) => {
          const n = laneWeights.length;
          const routers = laneWeights.map(
            (weightBps, index) =>
              new Router({ salt: SALT, weightBps, lane: { index, candidates: n } }),
          );
          const weightsOfBook = laneWeights.map((w) => laneBuckets(w, n));
          for (const id of IDS) {
            const bucket = bucketOf(SALT, id);
            const lane = laneOfBucket(bucket, n);
            const router = routers[lane]!;
            expect(router.bucket(id)).toBe(bucket);
            const candidate = candidateOfBucket(bucket, weightsOfBook);
            expect(router.route(id)).toBe(candidate === lane ? 'canary' : 'stable');
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('raises a weight without moving an account back, promotes, rolls back, keeps pins', () => {
    const lane = { index: 1, candidates: 3 };
    const ids = IDS.filter((id) => laneOfBucket(bucketOf(SALT, id), 3) === 1);
    const router = new Router({
      salt: SALT,
      weightBps: 1000,
      lane,
      overrides: [[ids[0]!, 'stable']],
    });
    let canary = new Set(ids.filter((id) => router.route(id) === 'canary'));
    for (const weightBps of [2500, 5000, 10_000]) {
      router.setWeightBps(weightBps);
      const now = new Set(ids.filter((id) => router.route(id) === 'canary'));
      for (const id of canary) expect(now.has(id)).toBe(true);
      canary = now;
    }
    // At 100 % of the lane, every account of the lane but the stable pin trades the candidate.
    expect(canary.size).toBe(ids.length - 1);
    router.disableCanary();
    expect(ids.every((id) => router.route(id) === 'stable')).toBe(true);
    router.promoteCanary();
    expect(ids.every((id) => router.route(id) === 'canary')).toBe(true);
  });

  it("refuses an account of another lane (its bucket is another candidate's)", () => {
    const router = new Router({ salt: SALT, weightBps: 5000, lane: { index: 0, candidates: 2 } });
    const other = IDS.find((id) => laneOfBucket(bucketOf(SALT, id), 2) === 1)!;
    expect(() => router.route(other)).toThrow(/is not in lane 0 of 2/);
    expect(
      () => new Router({ salt: SALT, weightBps: 0, lane: { index: 2, candidates: 2 } }),
    ).toThrow(/lane index must be 0 to 1/);
  });
});

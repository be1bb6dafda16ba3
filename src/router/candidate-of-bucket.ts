import { UsageError } from '../core/errors.js';
import { BUCKET_COUNT } from './bucket-of.js';

/**
 * The buckets one of `candidates` candidates may hold at most, its lane: ⌊10,000 / candidates⌋
 * (10,000 for one candidate, 5,000 for two, 3,333 for three).
 * @throws UsageError unless `candidates` is a whole number from 1 to 10,000
 */
export function laneWidth(candidates: number): number {
  if (!(Number.isSafeInteger(candidates) && candidates >= 1 && candidates <= BUCKET_COUNT))
    throw new UsageError(
      `the number of candidates must be 1 to ${BUCKET_COUNT}, got ${candidates}`,
    );
  return Math.floor(BUCKET_COUNT / candidates);
}

/**
 * Checks candidates' weights: one per candidate, each a whole number of basis points from 0 to
 * its lane ({@link laneWidth}).
 * @throws UsageError naming the first weight that is not
 */
export function assertValidCandidateWeights(weightsBps: readonly number[]): void {
  const lane = laneWidth(weightsBps.length);
  weightsBps.forEach((weight, k) => {
    if (!(Number.isSafeInteger(weight) && weight >= 0 && weight <= lane))
      throw new UsageError(
        `candidate ${k}'s weight must be a whole number of basis points from 0 to ${lane} (its lane: 10,000 / ${weightsBps.length} candidates), got ${weight}`,
      );
  });
}

/**
 * Which candidate an account in `bucket` trades when candidates 0 … N−1 have `weightsBps`
 * (docs/bucketing.md, "Several candidates"): candidate k holds the buckets
 * [k·L, k·L + weightsBps[k]) of its lane, L = {@link laneWidth}(N); every other bucket is
 * stable (−1). One candidate is the two-arm rule, `bucket < weight`. A lane never moves, so raising
 * one candidate's weight moves accounts from stable to it only, and never between candidates.
 * Assumes valid weights ({@link assertValidCandidateWeights}).
 *
 * @example
 * candidateOfBucket(4061, [1000, 2000, 3333]); // 1: lane 1 is 3333…6665, its first 2000 buckets
 */
export function candidateOfBucket(bucket: number, weightsBps: readonly number[]): number {
  const lane = Math.floor(BUCKET_COUNT / weightsBps.length);
  const k = Math.floor(bucket / lane);
  if (k >= weightsBps.length) return -1;
  return bucket - k * lane < weightsBps[k]! ? k : -1;
}

/**
 * The lane an account in `bucket` belongs to among `candidates`: ⌊bucket / L⌋, the buckets past
 * the last whole lane (9999 for three candidates) with the last lane, where they stay stable.
 */
export function laneOfBucket(bucket: number, candidates: number): number {
  return Math.min(Math.floor(bucket / laneWidth(candidates)), candidates - 1);
}

/**
 * The buckets a candidate holds at a weight given as a share of its lane (basis points of the
 * lane, 10,000 = all of it): ⌊weightBps × L / 10,000⌋, the weight in basis points of every account
 * that {@link candidateOfBucket} takes. Monotone in the weight; one candidate: the weight itself.
 *
 * @example
 * laneBuckets(1000, 3); // 333: 10 % of a lane of 3,333 buckets
 */
export function laneBuckets(weightBps: number, candidates: number): number {
  return Math.floor((weightBps * laneWidth(candidates)) / BUCKET_COUNT);
}

// The router's public surface: hash bucketing, weights, overrides, exposure (docs/bucketing.md).
export { BUCKET_COUNT, SALT_SEPARATOR, assertValidSalt, bucketOf } from './bucket-of.js';
export {
  assertValidCandidateWeights,
  candidateOfBucket,
  laneBuckets,
  laneOfBucket,
  laneWidth,
} from './candidate-of-bucket.js';
export { murmur3x86_32 } from './murmur3-x86-32.js';
export { overridesOf } from './overrides-of.js';
export { Router } from './router.js';
export type { CanaryExposure, RouterOptions } from './router.js';
export { assertValidWeightBps, weightBpsToPct, weightPctToBps } from './weight-pct-to-bps.js';

import { UsageError } from '../core/errors.js';
import { BUCKET_COUNT } from './bucket-of.js';

/**
 * Converts a canary weight in percent (0..100, at most 2 decimals: the router's resolution is
 * 0.01 % = 1 bp) to basis points. Throws a {@link UsageError} on anything else (NaN, out of
 * range, finer than 0.01 %), rather than rounding a weight the user did not ask for.
 *
 * The check is exact: `n / 100` is the double nearest to the decimal `n/100`, which is also what
 * parsing `"12.34"` yields, so a weight has at most 2 decimals iff `round(w * 100) / 100 === w`.
 *
 * @example
 * weightPctToBps(12.5); // 1250
 * weightPctToBps(0.01); // 1
 */
export function weightPctToBps(weightPct: number): number {
  if (typeof weightPct !== 'number' || !(weightPct >= 0 && weightPct <= 100))
    throw new UsageError(`weight must be a percentage between 0 and 100, got ${String(weightPct)}`);
  const bps = Math.round(weightPct * 100);
  if (bps / 100 !== weightPct)
    throw new UsageError(
      `weight must have at most 2 decimals (0.01 % steps), got ${String(weightPct)}`,
    );
  return bps + 0; // -0 → 0
}

/** Converts basis points back to percent: `1250` → `12.5`. Exact for integer bps. */
export function weightBpsToPct(weightBps: number): number {
  return weightBps / 100;
}

/** Throws a {@link UsageError} unless `weightBps` is an integer in 0..10000. */
export function assertValidWeightBps(weightBps: number): void {
  if (!Number.isInteger(weightBps) || weightBps < 0 || weightBps > BUCKET_COUNT)
    throw new UsageError(
      `weight must be an integer number of basis points in 0..${BUCKET_COUNT}, got ${String(weightBps)}`,
    );
}

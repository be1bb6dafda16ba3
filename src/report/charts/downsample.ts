/** Above this many points a series is downsampled before drawing. */
export const MAX_POINTS = 4_000;
/** About how many points a downsampled series keeps (plus the kept times). */
export const TARGET_POINTS = 2_000;

/** What {@link downsampleIndices} must keep and how far it may go. */
export interface DownsampleOptions {
  /** Times (ms) whose nearest point is always kept, e.g. decision times. */
  readonly keepTsMs?: readonly number[];
  /** Series up to this length are returned whole. Default {@link MAX_POINTS}. */
  readonly maxPoints?: number;
  /** Rough size of the result. Default {@link TARGET_POINTS}. */
  readonly targetPoints?: number;
}

/**
 * The indices of a time series to draw, ascending: all of them when the series is short, else the
 * first, the last, the minimum and maximum of each of about `targetPoints / 2` equal buckets, and
 * the point nearest to each kept time. `tsMs` must be ascending; non-finite values are never
 * picked as a bucket's min or max.
 *
 * @example downsampleIndices(ts, returns, { keepTsMs: decisions.map((d) => d.tsMs) })
 */
export function downsampleIndices(
  tsMs: readonly number[],
  values: readonly number[],
  options: DownsampleOptions = {},
): number[] {
  const n = Math.min(tsMs.length, values.length);
  const maxPoints = options.maxPoints ?? MAX_POINTS;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const keep = new Set<number>([0, n - 1]);
  for (const t of options.keepTsMs ?? []) {
    const i = nearestIndex(tsMs, n, t);
    if (i >= 0) keep.add(i);
  }
  const inner = n - 2;
  const buckets = Math.max(
    1,
    Math.min(inner, Math.floor(((options.targetPoints ?? TARGET_POINTS) - 2) / 2)),
  );
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    let min = -1;
    let max = -1;
    for (let i = from; i < to; i++) {
      const v = values[i] ?? Number.NaN;
      if (!Number.isFinite(v)) continue;
      if (min < 0 || v < (values[min] ?? v)) min = i;
      if (max < 0 || v > (values[max] ?? v)) max = i;
    }
    if (min >= 0) keep.add(min);
    if (max >= 0) keep.add(max);
  }
  return [...keep].sort((a, b) => a - b);
}

/** Index of the point nearest in time to `t` (the earlier on a tie), -1 if none. */
function nearestIndex(tsMs: readonly number[], n: number, t: number): number {
  if (n === 0 || !Number.isFinite(t)) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tsMs[mid] ?? 0) < t) lo = mid + 1;
    else hi = mid;
  }
  // lo: first index with ts >= t (or the last one)
  if (lo > 0 && Math.abs((tsMs[lo - 1] ?? 0) - t) <= Math.abs((tsMs[lo] ?? 0) - t)) return lo - 1;
  return lo;
}

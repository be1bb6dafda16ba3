import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { US_PER_MS } from '../core/time.js';
import { ArmStats } from './arm-stats.js';
import { IntervalBoundaries } from './interval-boundaries.js';
import type { MetricsInput } from './metrics-input.js';
import type { MetricsSnapshot } from './metrics-snapshot.js';

/** Options of {@link armMetrics}. */
export interface ArmMetricsOptions {
  /** Snapshot interval in event time, ms (> 0; rounded to whole µs). */
  readonly intervalMs: number;
  /** Chart capacity of each arm's equity curve (even; default 1024). */
  readonly curveCapacity?: number;
}

/**
 * Per-arm streaming statistics from the run's records, snapshotted on an event-time interval.
 *
 * Time is the inputs' `tsUs`, never a scheduler clock, so a replayed day gives the same snapshots
 * as the live one. Intervals are `(B − I, B]` on multiples `B` of the interval (see
 * {@link IntervalBoundaries}). When an input arrives after the current boundary, a snapshot stamped
 * at that boundary is emitted before the input is counted: **one snapshot per boundary crossed**,
 * so a gap of several intervals emits one (unchanged) snapshot for each, and the snapshots form a
 * regular grid (a gap longer than `MAX_BOUNDARIES_PER_GAP` intervals emits its first and last
 * only). On completion a final snapshot (`final: true`, with each arm's `detail`: chart series,
 * return moments, distributions) stamped at the last input's time is emitted; no input, no
 * snapshot. Errors are passed on as they are, without a final snapshot.
 * Statistics are cumulative since the start; each subscription starts afresh. An input older than
 * the current interval is counted in the current interval. O(1) per input.
 *
 * @example
 * records$.pipe(armMetrics({ intervalMs: 60_000 })).subscribe((s) => console.log(s.arms.canary.returnPct));
 */
export function armMetrics(
  options: ArmMetricsOptions,
): OperatorFunction<MetricsInput, MetricsSnapshot> {
  if (!(options.intervalMs > 0) || !Number.isFinite(options.intervalMs)) {
    throw new RangeError(`intervalMs must be a positive number, got ${options.intervalMs}`);
  }
  const intervalUs = Math.round(options.intervalMs * US_PER_MS);
  void new IntervalBoundaries(intervalUs); // validates eagerly, at pipe time
  const curveOptions =
    options.curveCapacity === undefined ? {} : { curveCapacity: options.curveCapacity };
  return (source) =>
    new Observable<MetricsSnapshot>((subscriber) => {
      const stable = new ArmStats('stable', curveOptions);
      const canary = new ArmStats('canary', curveOptions);
      const boundaries = new IntervalBoundaries(intervalUs);
      let lastTsUs = Number.NEGATIVE_INFINITY;
      const snapshot = (tsUs: number, final: boolean): MetricsSnapshot => ({
        tsUs,
        final,
        arms: final
          ? {
              stable: { ...stable.snapshot(), detail: stable.detail() },
              canary: { ...canary.snapshot(), detail: canary.detail() },
            }
          : { stable: stable.snapshot(), canary: canary.snapshot() },
      });
      const emitAt = (boundaryUs: number): void => subscriber.next(snapshot(boundaryUs, false));
      return source.subscribe({
        next: (input) => {
          try {
            const tsUs = input.tsUs;
            boundaries.passTo(tsUs, emitAt);
            if (input.type === 'membership') {
              // Membership changes matter to comparisons, not to these per-arm statistics.
            } else if (input.arm === 'stable') stable.record(input);
            else if (input.arm === 'canary') canary.record(input);
            else throw new RangeError(`armMetrics: unknown arm "${String(input.arm)}"`);
            if (tsUs > lastTsUs) lastTsUs = tsUs;
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (boundaries.started) subscriber.next(snapshot(lastTsUs, true));
          subscriber.complete();
        },
      });
    });
}

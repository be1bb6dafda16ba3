/** A strategy's wall-clock decision time per market event (never in report.json: not event time). */
export interface DecisionTime {
  /** Market events the strategy saw. */
  readonly events: number;
  /** Events timed (one in {@link DecisionTimer.every}). */
  readonly sampled: number;
  /** Mean and largest time of the timed `onMarketEvent` calls, µs; null before any. */
  readonly meanUs: number | null;
  readonly maxUs: number | null;
}

/**
 * Times a strategy's `onMarketEvent` on one market event in `every` (64 by default), so the hot
 * path pays two clock reads per 64 events (a clock read costs about 50 ns, as much as a strategy's
 * whole decision on most events: at one in 16 they were 2 % of a replay, `node --cpu-prof`); the
 * mean of the sample estimates the mean over all (15,000 samples an arm in a 1M-event replay).
 * The clock is injectable (tests use one that the strategy itself advances).
 */
export class DecisionTimer {
  readonly every: number;
  readonly now: () => number;
  #events = 0;
  /** Events until the next timed one (1: this one): a countdown, not a `%` per event. */
  #untilSampled = 1;
  #sampled = 0;
  #totalMs = 0;
  #maxMs = 0;

  constructor(now: () => number = () => performance.now(), every = 64) {
    if (!Number.isSafeInteger(every) || every < 1)
      throw new RangeError(`every must be ≥ 1, got ${every}`);
    this.now = now;
    this.every = every;
  }

  /** Counts an event; true when this one is to be timed. */
  sampleThis(): boolean {
    this.#events++;
    if (--this.#untilSampled > 0) return false;
    this.#untilSampled = this.every;
    return true;
  }

  /** Records a timed call, `elapsedMs` long. */
  record(elapsedMs: number): void {
    this.#sampled++;
    this.#totalMs += elapsedMs;
    if (elapsedMs > this.#maxMs) this.#maxMs = elapsedMs;
  }

  get summary(): DecisionTime {
    const any = this.#sampled > 0;
    return {
      events: this.#events,
      sampled: this.#sampled,
      meanUs: any ? (this.#totalMs / this.#sampled) * 1000 : null,
      maxUs: any ? this.#maxMs * 1000 : null,
    };
  }
}

/**
 * The decision time of the events between two summaries of one timer (`before` taken earlier):
 * the mean over that window only, so a check sees what the strategy costs now, not since the
 * start. `maxUs` stays the running maximum. The whole summary when `before` is null.
 */
export function decisionTimeSince(before: DecisionTime | null, after: DecisionTime): DecisionTime {
  if (before === null) return after;
  const sampled = after.sampled - before.sampled;
  const totalUs = (after.meanUs ?? 0) * after.sampled - (before.meanUs ?? 0) * before.sampled;
  return {
    events: after.events - before.events,
    sampled,
    meanUs: sampled > 0 ? totalUs / sampled : null,
    maxUs: after.maxUs,
  };
}

/** A canary at least this many times slower than stable per event is flagged… */
export const SLOW_CANARY_RATIO = 5;
/** …when it also costs at least this much more per event, µs (fast strategies' noise is ignored). */
export const SLOW_CANARY_EXTRA_US = 50;

/**
 * A warning when the canary decides much more slowly than stable (a stale decision costs money
 * live; a replay takes longer), else null.
 */
export function slowCanaryWarning(stable: DecisionTime, canary: DecisionTime): string | null {
  if (stable.meanUs === null || canary.meanUs === null) return null;
  const slower = canary.meanUs >= SLOW_CANARY_RATIO * stable.meanUs;
  if (!slower || canary.meanUs - stable.meanUs < SLOW_CANARY_EXTRA_US) return null;
  const ratio = stable.meanUs > 0 ? `${Math.round(canary.meanUs / stable.meanUs)}× ` : '';
  return (
    `the canary strategy is ${ratio}slower than stable per market event ` +
    `(${formatMicroseconds(canary.meanUs)} against ${formatMicroseconds(stable.meanUs)}, wall clock): ` +
    'live, its decisions would be stale by that much'
  );
}

/** A wall-clock duration given in µs, as `0.52 µs` or `5.00 ms`; `–` when not measured. */
export function formatMicroseconds(us: number | null): string {
  if (us === null) return '–';
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`;
}

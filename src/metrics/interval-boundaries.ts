/**
 * Event-time interval boundaries: multiples of the interval since the epoch. Interval `k` is
 * `((k − 1)·I, k·I]`: an event exactly on a boundary belongs to the interval that ends there, so a
 * boundary is passed only by the first event strictly after it. Used by `armMetrics` for snapshots
 * and by the engine for equity samples, so both agree on which interval a record falls in.
 *
 * @example
 * const b = new IntervalBoundaries(60_000_000); // 1 min
 * for (const event of events) {
 *   if (!b.started) b.start(event.tsUs);
 *   while (b.isPassedBy(event.tsUs)) { sampleAt(b.boundaryUs); b.advance(); }
 *   handle(event);
 * }
 */
/**
 * Longest gap, in intervals, that is walked boundary by boundary. A longer gap (a feed that jumps
 * days ahead, or a bad timestamp) passes only its first and its last boundary, so a single input
 * can never cost more than this many samples or snapshots.
 */
export const MAX_BOUNDARIES_PER_GAP = 10_000;

export class IntervalBoundaries {
  /** Interval length, µs. */
  readonly intervalUs: number;
  #boundaryUs = Number.NaN;

  constructor(intervalUs: number) {
    if (!Number.isSafeInteger(intervalUs) || intervalUs <= 0) {
      throw new RangeError(`interval must be a positive whole number of µs, got ${intervalUs}`);
    }
    this.intervalUs = intervalUs;
  }

  /** True once {@link start} has been called. */
  get started(): boolean {
    return !Number.isNaN(this.#boundaryUs);
  }

  /** The end of the current interval, µs (NaN before {@link start}). */
  get boundaryUs(): number {
    return this.#boundaryUs;
  }

  /** Starts at the interval that contains `tsUs`: its boundary is the first multiple ≥ `tsUs`. */
  start(tsUs: number): void {
    this.#boundaryUs = Math.ceil(tsUs / this.intervalUs) * this.intervalUs;
  }

  /** True when `tsUs` lies after the current boundary (call {@link advance} until it does not). */
  isPassedBy(tsUs: number): boolean {
    return tsUs > this.#boundaryUs;
  }

  /** Moves to the next interval; returns the boundary just passed. */
  advance(): number {
    const passed = this.#boundaryUs;
    this.#boundaryUs = passed + this.intervalUs;
    return passed;
  }

  /**
   * Calls `onBoundary` for each boundary `tsUs` passes, in order, and moves to the interval that
   * contains `tsUs`. A gap of more than {@link MAX_BOUNDARIES_PER_GAP} intervals passes only its
   * first and last boundary. Starts at `tsUs` when not started yet.
   */
  passTo(tsUs: number, onBoundary: (boundaryUs: number) => void): void {
    // Most calls pass no boundary: this test alone, small enough to be inlined into the callers'
    // per-event loops (false before the start too: the boundary is NaN).
    if (tsUs <= this.#boundaryUs) return;
    this.#passBoundaries(tsUs, onBoundary);
  }

  #passBoundaries(tsUs: number, onBoundary: (boundaryUs: number) => void): void {
    if (!this.started) this.start(tsUs);
    if (!this.isPassedBy(tsUs)) return;
    const passed = Math.ceil((tsUs - this.#boundaryUs) / this.intervalUs);
    if (passed > MAX_BOUNDARIES_PER_GAP) {
      onBoundary(this.advance());
      this.start(tsUs);
      onBoundary(this.#boundaryUs - this.intervalUs);
      return;
    }
    while (this.isPassedBy(tsUs)) onBoundary(this.advance());
  }
}

/** A ratio estimate R = Σy/Σx with its (cluster-robust, lag-1 autocorrelation-robust) variance. */
export interface RatioVariance {
  readonly estimate: number;
  /** Intervals (clusters) so far. */
  readonly intervals: number;
  /**
   * The effective number of intervals, (Σx)²/Σx² (Kish): how many intervals carry the turnover.
   * One trading interval among quiet ones is one cluster, whatever the count.
   */
  readonly effectiveIntervals: number;
  /** Σx: the normalizer's total (turnover, in units of equity). */
  readonly totalX: number;
  /** Variance of the estimate; +Infinity below 2 effective intervals or without any x. */
  readonly variance: number;
  /** Degrees of freedom of the variance: the effective number of intervals − 1. */
  readonly degreesOfFreedom: number;
}

/**
 * Sufficient statistics of a ratio of sums over paired intervals, y_b / x_b summed, with the
 * delta-method variance Σ(y_b − R·x_b)²/(Σx)² made robust to serial correlation by a lag-1
 * Newey–West term (kept only when it widens: max(S₀, S₀ + S₁)), times G/(G − 1), G the effective
 * number of intervals. O(1) memory.
 */
export class RatioSequence {
  #n = 0;
  #sx = 0;
  #sy = 0;
  #sxx = 0;
  #syy = 0;
  #sxy = 0;
  // Lag-1 products over consecutive intervals: Σ y·y', Σ y·x', Σ x·y', Σ x·x' (' = previous).
  #lyy = 0;
  #lyx = 0;
  #lxy = 0;
  #lxx = 0;
  #previous: { x: number; y: number; index: number } | null = null;

  /** Intervals so far. */
  get intervals(): number {
    return this.#n;
  }

  /** Adds interval number `index` (consecutive indices are neighbours in time). */
  add(index: number, x: number, y: number): void {
    this.#n++;
    this.#sx += x;
    this.#sy += y;
    this.#sxx += x * x;
    this.#syy += y * y;
    this.#sxy += x * y;
    const previous = this.#previous;
    if (previous !== null && previous.index === index - 1) {
      this.#lyy += y * previous.y;
      this.#lyx += y * previous.x;
      this.#lxy += x * previous.y;
      this.#lxx += x * previous.x;
    }
    this.#previous = { x, y, index };
  }

  /** The ratio and its variance, with the degrees of freedom the variance rests on. */
  variance(): RatioVariance {
    const G = this.#n;
    const X = this.#sx;
    const estimate = X > 0 ? this.#sy / X : Number.NaN;
    const effective = this.#sxx > 0 ? (X * X) / this.#sxx : 0;
    let variance = Number.POSITIVE_INFINITY;
    let degreesOfFreedom = 0;
    if (effective >= 2 && X > 0) {
      const R = estimate;
      const s0 = Math.max(0, this.#syy - 2 * R * this.#sxy + R * R * this.#sxx);
      const s1 = this.#lyy - R * (this.#lyx + this.#lxy) + R * R * this.#lxx;
      const s = Math.max(s0, s0 + s1);
      degreesOfFreedom = effective - 1;
      variance = ((effective / (effective - 1)) * s) / (X * X);
    }
    return {
      estimate,
      intervals: G,
      effectiveIntervals: effective,
      totalX: X,
      variance,
      degreesOfFreedom,
    };
  }
}

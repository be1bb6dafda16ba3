/**
 * One arm's observations of one metric in one event-time bucket: count, mean and (sample)
 * variance, NaN while n < 2.
 */
export interface ArmBucketSummary {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

/** The variance components of a paired sequence's estimate (docs/analysis.md, "Variance"). */
export interface PairedVariance {
  /** Canary − stable, weighted by canary observations: Σ n_c,b·d_b / Σ n_c,b. */
  readonly estimate: number;
  /** Paired buckets so far (the clusters of the between-bucket variance). */
  readonly buckets: number;
  /** Canary observations in paired buckets. */
  readonly canaryN: number;
  /** Stable observations in paired buckets. */
  readonly stableN: number;
  /**
   * The effective number of buckets, W²/Σw² (Kish): G when every bucket weighs the same, fewer
   * when a few buckets hold most of the canary's observations.
   */
  readonly effectiveBuckets: number;
  /**
   * Between-bucket (cluster-robust, CR1 with the effective count) variance of the estimate;
   * +Infinity below 2 effective buckets.
   */
  readonly between: number;
  /** Degrees of freedom of `between`: G_eff − 1. */
  readonly degreesOfFreedom: number;
}

/**
 * The sufficient statistics of one metric's paired bucket differences over one scope (the whole
 * rollout, or one step): in each event-time bucket where both arms have observations,
 * d_b = canary mean − stable mean, weighted by the canary's count w_b = n_c,b. O(1) memory:
 * sums only, never the buckets themselves.
 *
 * Two variance models are kept, and the analysis uses the larger:
 * - **within buckets** (orders are the units: within a bucket both arms' orders face the same
 *   market, so the market's move cancels and what is left is order-level noise):
 *   Σ w_b²·(v_c,b/n_c,b + v_s,b/n_s,b) / W², for means; for rates see {@link bernoulliWithin};
 * - **between buckets** (buckets are the units: survives bursts, regimes, arms that trade at
 *   different moments): G/(G−1)·Σ w_b²·(d_b − d̂)² / W², widened for few buckets.
 */
export class PairedSequence {
  #buckets = 0;
  #w = 0;
  #wd = 0;
  #w2 = 0;
  #w2d = 0;
  #w2d2 = 0;
  #stableN = 0;
  /** Paired buckets whose arms decided at different instants (the market moment not shared). */
  #unsynchronized = 0;
  /** Σ of the observations themselves (rejects, for a rate), per arm. */
  #canarySum = 0;
  #stableSum = 0;
  /** Σ w²·(v_c/n_c + v_s/n_s): the within-bucket variance numerator (means). */
  #within = 0;
  /** Buckets whose within-bucket variance was not estimable (both arms with one observation). */
  #withinUnknown = 0;
  // Rates: the canary's variance at the null p_c = q̃_b + δ is a quadratic in δ; the stable's is fixed.
  #rateA = 0; // Σ n_c·q̃(1 − q̃)
  #rateB = 0; // Σ n_c·(1 − 2q̃)
  #rateStable = 0; // Σ n_c²·q̃(1 − q̃)/n_s

  /** An independent copy: the same sums, each to go on on its own. */
  copy(): PairedSequence {
    const copy = new PairedSequence();
    copy.#buckets = this.#buckets;
    copy.#w = this.#w;
    copy.#wd = this.#wd;
    copy.#w2 = this.#w2;
    copy.#w2d = this.#w2d;
    copy.#w2d2 = this.#w2d2;
    copy.#stableN = this.#stableN;
    copy.#unsynchronized = this.#unsynchronized;
    copy.#canarySum = this.#canarySum;
    copy.#stableSum = this.#stableSum;
    copy.#within = this.#within;
    copy.#withinUnknown = this.#withinUnknown;
    copy.#rateA = this.#rateA;
    copy.#rateB = this.#rateB;
    copy.#rateStable = this.#rateStable;
    return copy;
  }

  /** Paired buckets so far. */
  get buckets(): number {
    return this.#buckets;
  }

  /** Canary observations in paired buckets (W). */
  get canaryN(): number {
    return this.#w;
  }

  /** Stable observations in paired buckets. */
  get stableN(): number {
    return this.#stableN;
  }

  /**
   * Adds one bucket where both arms have at least one observation. `fallbackVariance` stands in
   * for an arm's per-observation variance when the bucket cannot estimate it (n < 2);
   * `synchronized` says both arms' orders in it were decided at the same instants.
   */
  add(
    canary: ArmBucketSummary,
    stable: ArmBucketSummary,
    fallbackVariance: number,
    synchronized = false,
  ): void {
    if (!(canary.n > 0 && stable.n > 0)) return;
    if (!synchronized) this.#unsynchronized++;
    const w = canary.n;
    const d = canary.mean - stable.mean;
    this.#buckets++;
    this.#w += w;
    this.#wd += w * d;
    this.#w2 += w * w;
    this.#w2d += w * w * d;
    this.#w2d2 += w * w * d * d;
    this.#stableN += stable.n;
    this.#canarySum += canary.mean * canary.n;
    this.#stableSum += stable.mean * stable.n;
    // Under the null both arms' orders are alike: the canary's variance is taken as the larger of
    // its own and the stable's (the stable's, from many orders, protects a small skewed canary
    // sample whose own variance happens to be low).
    const vs = stable.n >= 2 ? stable.variance : Number.NaN;
    const vcOwn = canary.n >= 2 ? canary.variance : Number.NaN;
    let vc = Math.max(Number.isNaN(vcOwn) ? -1 : vcOwn, Number.isNaN(vs) ? -1 : vs);
    if (vc < 0) vc = fallbackVariance;
    const vStable = Number.isNaN(vs) ? vc : vs;
    if (Number.isFinite(vc) && Number.isFinite(vStable)) {
      this.#within += w * w * (vc / canary.n + vStable / stable.n);
    } else this.#withinUnknown++;
    // Rates (the mean is the reject fraction): smoothed stable rate, never exactly 0 or 1.
    const q = (stable.mean * stable.n + 0.5) / (stable.n + 1);
    this.#rateA += w * q * (1 - q);
    this.#rateB += w * (1 - 2 * q);
    this.#rateStable += (w * w * q * (1 - q)) / stable.n;
  }

  /** The estimate and its between-bucket variance (see {@link PairedVariance}). */
  variance(): PairedVariance {
    const G = this.#buckets;
    const W = this.#w;
    const estimate = W > 0 ? this.#wd / W : Number.NaN;
    const effectiveBuckets = this.#w2 > 0 ? (W * W) / this.#w2 : 0;
    let between = Number.POSITIVE_INFINITY;
    let degreesOfFreedom = 0;
    if (effectiveBuckets >= 2) {
      const e = estimate;
      const ss = Math.max(0, this.#w2d2 - 2 * e * this.#w2d + e * e * this.#w2);
      between = ((effectiveBuckets / (effectiveBuckets - 1)) * ss) / (W * W);
      degreesOfFreedom = effectiveBuckets - 1;
    }
    return {
      estimate,
      buckets: G,
      effectiveBuckets,
      canaryN: W,
      stableN: this.#stableN,
      between,
      degreesOfFreedom,
    };
  }

  /**
   * True when every paired bucket so far had both arms decide at the same instants (an A/A
   * comparison, or a canary that decides as stable does): the market moment is literally shared,
   * its move cancels exactly, and order-level noise (plus the accounts' part) is the whole
   * variance: no between-bucket check is needed.
   */
  get synchronized(): boolean {
    return this.#buckets > 0 && this.#unsynchronized === 0;
  }

  /** Σ of the canary's observations in paired buckets (its rejects, for a rate). */
  get canarySum(): number {
    return this.#canarySum;
  }

  /** Σ of the stable's observations in paired buckets (its rejects, for a rate). */
  get stableSum(): number {
    return this.#stableSum;
  }

  /** Within-bucket variance of the estimate (means); +Infinity when no bucket could estimate it. */
  withinVariance(): number {
    const W = this.#w;
    if (W === 0) return Number.POSITIVE_INFINITY;
    if (this.#withinUnknown === this.#buckets) return Number.POSITIVE_INFINITY;
    return this.#within / (W * W);
  }

  /**
   * Within-bucket variance of the estimate for a rate, at the null canary − stable = δ: the
   * canary's orders as Bernoulli(q̃_b + δ), the stable's as Bernoulli(q̃_b) (Farrington–Manning's
   * score variance with the stable rate plugged in), so an arm without rejects never has a
   * variance of 0.
   */
  bernoulliWithin(delta: number): number {
    const W = this.#w;
    if (W === 0) return Number.POSITIVE_INFINITY;
    const canary = this.#rateA + delta * this.#rateB - delta * delta * W;
    return (Math.max(canary, 1e-12 * W) + this.#rateStable) / (W * W);
  }
}

/**
 * Per-account effects of one metric: the account, not the order, is what the router randomizes,
 * so an account that is persistently worse (its venue route, its size) makes its arm look worse
 * whatever the strategy. This estimates the between-account variance τ² of those effects from
 * every account's residuals (each observation minus its arm's mean in the same bucket: the market
 * and the version cancel) by the method of moments:
 *
 *   τ̂² = max(0, Var_j(ē_j) − s²_w · mean_j(1/n_j)),
 *
 * over accounts with at least 2 observations, where ē_j is account j's mean residual and s²_w the
 * pooled within-account variance. O(1) per observation; memory O(accounts). The analysis adds
 * τ̂²·Σ_j n_j²/W² per arm (each account's share of the estimate, squared) to the variance of a
 * paired estimate: with 3 canary accounts that is τ̂²/3, the uncertainty no amount of time removes.
 */
export class AccountEffects {
  #n: Float64Array<ArrayBuffer> = new Float64Array(64);
  #sum: Float64Array<ArrayBuffer> = new Float64Array(64);
  #sumSq: Float64Array<ArrayBuffer> = new Float64Array(64);
  // Over accounts with n ≥ 2: count, Σ ē, Σ ē², Σ 1/n, Σ within sum of squares, Σ (n − 1).
  #accounts = 0;
  #sumMean = 0;
  #sumMeanSq = 0;
  #sumInverseN = 0;
  #withinSs = 0;
  #withinDf = 0;

  /** Adds `count` observations of account `index` whose residuals sum to `sum` (squares: `sumSq`). */
  add(index: number, count: number, sum: number, sumSq: number): void {
    if (count <= 0) return;
    this.#ensure(index);
    const n0 = this.#n[index]!;
    if (n0 >= 2) this.#remove(index);
    this.#n[index] = n0 + count;
    this.#sum[index] = this.#sum[index]! + sum;
    this.#sumSq[index] = this.#sumSq[index]! + sumSq;
    if (n0 + count >= 2) this.#include(index);
  }

  /**
   * Adds one observation per report of a closing bucket: report `i`'s residual is
   * `values[from + i]` less its arm's mean (`stableMean` for arm 0, `canaryMean` for arm 1);
   * NaN values and arms whose mean is NaN (fewer than two observations) are skipped. The same
   * sums as {@link add} once per report (property-tested), without its per-report calls, which
   * allocated two heap numbers per report in the bench replay (`node dist/bench/allocation-probe.js`:
   * 40 MiB of its 700); this loop allocates none.
   */
  addResiduals(
    accounts: Int32Array,
    arms: Uint8Array,
    values: Float64Array,
    from: number,
    size: number,
    stableMean: number,
    canaryMean: number,
  ): void {
    // #remove and #include written out, on local sums: the same operations in the same order.
    let count = this.#accounts;
    let sumMean = this.#sumMean;
    let sumMeanSq = this.#sumMeanSq;
    let sumInverseN = this.#sumInverseN;
    let withinSs = this.#withinSs;
    let withinDf = this.#withinDf;
    for (let i = 0; i < size; i++) {
      const value = values[from + i]!;
      if (Number.isNaN(value)) continue;
      const armMean = arms[i] === 1 ? canaryMean : stableMean;
      if (Number.isNaN(armMean)) continue;
      const residual = value - armMean;
      const index = accounts[i]!;
      if (index >= this.#n.length) this.#ensure(index);
      const n = this.#n;
      const sum = this.#sum;
      const sumSq = this.#sumSq;
      const n0 = n[index]!;
      if (n0 >= 2) {
        const mean = sum[index]! / n0;
        count--;
        sumMean -= mean;
        sumMeanSq -= mean * mean;
        sumInverseN -= 1 / n0;
        withinSs -= Math.max(0, sumSq[index]! - n0 * mean * mean);
        withinDf -= n0 - 1;
      }
      const n1 = n0 + 1;
      n[index] = n1;
      sum[index] = sum[index]! + residual;
      sumSq[index] = sumSq[index]! + residual * residual;
      if (n1 >= 2) {
        const mean = sum[index] / n1;
        count++;
        sumMean += mean;
        sumMeanSq += mean * mean;
        sumInverseN += 1 / n1;
        withinSs += Math.max(0, sumSq[index] - n1 * mean * mean);
        withinDf += n1 - 1;
      }
    }
    this.#accounts = count;
    this.#sumMean = sumMean;
    this.#sumMeanSq = sumMeanSq;
    this.#sumInverseN = sumInverseN;
    this.#withinSs = withinSs;
    this.#withinDf = withinDf;
  }

  /** Accounts with at least 2 observations: the estimate's degrees of freedom + 1. */
  get accounts(): number {
    return this.#accounts;
  }

  /** τ̂², the between-account variance of the metric's account effects (0 until estimable). */
  get tau2(): number {
    const J = this.#accounts;
    if (J < 2 || this.#withinDf <= 0) return 0;
    const meanOfMeans = this.#sumMean / J;
    const between = (this.#sumMeanSq - J * meanOfMeans * meanOfMeans) / (J - 1);
    const noise = (this.#withinSs / this.#withinDf) * (this.#sumInverseN / J);
    return Math.max(0, between - noise);
  }

  /** s²_w, the pooled within-account variance of the residuals (NaN until estimable). */
  get withinVariance(): number {
    return this.#withinDf > 0 ? this.#withinSs / this.#withinDf : Number.NaN;
  }

  /**
   * Account `index`'s effect, shrunk towards 0 by its reliability (the best linear unbiased
   * predictor of a random effect): ē_j · τ̂² / (τ̂² + s²_w / n_j). 0 for an account never seen, or
   * while τ̂² is 0 (no account effects to remove).
   */
  shrunkEffect(index: number): number {
    const n = index < this.#n.length ? this.#n[index]! : 0;
    const tau2 = this.tau2;
    if (n === 0 || tau2 <= 0) return 0;
    const reliability = tau2 / (tau2 + this.withinVariance / n);
    return (this.#sum[index]! / n) * reliability;
  }

  #include(index: number): void {
    const n = this.#n[index]!;
    const mean = this.#sum[index]! / n;
    this.#accounts++;
    this.#sumMean += mean;
    this.#sumMeanSq += mean * mean;
    this.#sumInverseN += 1 / n;
    this.#withinSs += Math.max(0, this.#sumSq[index]! - n * mean * mean);
    this.#withinDf += n - 1;
  }

  #remove(index: number): void {
    const n = this.#n[index]!;
    const mean = this.#sum[index]! / n;
    this.#accounts--;
    this.#sumMean -= mean;
    this.#sumMeanSq -= mean * mean;
    this.#sumInverseN -= 1 / n;
    this.#withinSs -= Math.max(0, this.#sumSq[index]! - n * mean * mean);
    this.#withinDf -= n - 1;
  }

  #ensure(index: number): void {
    if (index < this.#n.length) return;
    let size = this.#n.length;
    while (size <= index) size *= 2;
    const grow = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.#n = grow(this.#n);
    this.#sum = grow(this.#sum);
    this.#sumSq = grow(this.#sumSq);
  }
}

/**
 * How concentrated one scope's observations are on few accounts, per arm: Σ_j n_j² and Σ_j n_j
 * over the observations that entered the scope's paired buckets. τ̂²·Σn²/(Σn)² is the account
 * part of the estimate's variance for that arm. Reset at each step for the step's scope.
 */
export class AccountConcentration {
  /** Counts per (account, arm): slot 2·index + arm. */
  #counts = new Float64Array(64);
  /** Per arm (0 stable, 1 canary): Σ n_j² and Σ n_j. */
  readonly sumSq: [number, number] = [0, 0];
  readonly sum: [number, number] = [0, 0];
  #touched: number[] = [];

  /** An independent copy: the same counts and sums, each to go on on its own. */
  copy(): AccountConcentration {
    const copy = new AccountConcentration();
    copy.#counts = this.#counts.slice();
    copy.sumSq[0] = this.sumSq[0];
    copy.sumSq[1] = this.sumSq[1];
    copy.sum[0] = this.sum[0];
    copy.sum[1] = this.sum[1];
    copy.#touched = [...this.#touched];
    return copy;
  }

  /** `count` more observations of account `index` on arm `armIndex`. */
  add(index: number, armIndex: 0 | 1, count: number): void {
    const slot = 2 * index + armIndex;
    if (slot >= this.#counts.length) this.#grow(slot);
    const before = this.#counts[slot]!;
    if (before === 0) this.#touched.push(slot);
    const after = before + count;
    this.#counts[slot] = after;
    this.sumSq[armIndex] += after * after - before * before;
    this.sum[armIndex] += count;
  }

  /**
   * {@link add} of one observation for each report `i < size` of a closing bucket whose value
   * `observed[from + i]` is not NaN (account `accounts[i]`, arm `arms[i]`), in order: the same
   * sums, added up in locals rather than through the arrays at every step.
   */
  addObserved(
    accounts: Int32Array,
    arms: Uint8Array,
    observed: Float64Array,
    from: number,
    size: number,
  ): void {
    let sumSq0 = this.sumSq[0];
    let sumSq1 = this.sumSq[1];
    let sum0 = this.sum[0];
    let sum1 = this.sum[1];
    for (let i = 0; i < size; i++) {
      if (Number.isNaN(observed[from + i]!)) continue;
      const slot = 2 * accounts[i]! + (arms[i] === 1 ? 1 : 0);
      if (slot >= this.#counts.length) this.#grow(slot);
      const counts = this.#counts;
      const before = counts[slot]!;
      if (before === 0) this.#touched.push(slot);
      const after = before + 1;
      counts[slot] = after;
      if ((slot & 1) === 1) {
        sumSq1 += after * after - before * before;
        sum1 += 1;
      } else {
        sumSq0 += after * after - before * before;
        sum0 += 1;
      }
    }
    this.sumSq[0] = sumSq0;
    this.sumSq[1] = sumSq1;
    this.sum[0] = sum0;
    this.sum[1] = sum1;
  }

  #grow(slot: number): void {
    let size = this.#counts.length;
    while (size <= slot) size *= 2;
    const grown = new Float64Array(size);
    grown.set(this.#counts);
    this.#counts = grown;
  }

  /** Σ_j n_j²/(Σ n)² of one arm (0 stable, 1 canary); 0 while it has no observation. */
  armFactor(arm: 0 | 1): number {
    return this.sum[arm] > 0 ? this.sumSq[arm] / (this.sum[arm] * this.sum[arm]) : 0;
  }

  /** Σ_arm Σ_j n_j²/(Σ n)²: multiply by τ̂² for the account part of the estimate's variance. */
  get factor(): number {
    let total = 0;
    for (const arm of [0, 1] as const) {
      if (this.sum[arm] > 0) total += this.sumSq[arm] / (this.sum[arm] * this.sum[arm]);
    }
    return total;
  }

  /** Forgets every count (a new step). O(accounts touched). */
  reset(): void {
    for (const slot of this.#touched) this.#counts[slot] = 0;
    this.#touched = [];
    this.sumSq[0] = this.sumSq[1] = 0;
    this.sum[0] = this.sum[1] = 0;
  }
}

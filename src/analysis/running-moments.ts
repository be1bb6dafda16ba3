import type { SampleSummary } from './normal-mixture-cs.js';

/**
 * Streaming count, mean and variance (Welford 1962): O(1) time and memory per value, numerically
 * stable (no sum of squares that cancels when the mean is large against the spread).
 *
 * @example
 * const m = new RunningMoments();
 * for (const x of [1, 2, 4]) m.push(x);
 * m.mean; // 2.333…
 * m.variance; // 2.333… (sample variance, n − 1)
 */
export class RunningMoments implements SampleSummary {
  #n = 0;
  #mean = 0;
  #m2 = 0;

  /** Number of values pushed. */
  get n(): number {
    return this.#n;
  }

  /** Mean of the values; 0 before the first. */
  get mean(): number {
    return this.#mean;
  }

  /** Unbiased sample variance (divides by n − 1); NaN while n < 2. */
  get variance(): number {
    return this.#n < 2 ? Number.NaN : this.#m2 / (this.#n - 1);
  }

  /** Sample standard deviation; NaN while n < 2. */
  get sd(): number {
    return Math.sqrt(this.variance);
  }

  /** Adds one value. Non-finite values are a caller bug: they throw rather than poison the sums. */
  push(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`RunningMoments: non-finite value ${x}`);
    this.#n++;
    const delta = x - this.#mean;
    this.#mean += delta / this.#n;
    this.#m2 += delta * (x - this.#mean);
  }
}

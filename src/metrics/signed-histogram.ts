import { RankedHistogram, nearestRank } from './hdr.js';

/** Options of {@link SignedHistogram}. */
export interface SignedHistogramOptions {
  /** Smallest distinguishable step, in the values' unit (default 0.001, e.g. 0.001 bps). */
  readonly resolution?: number;
}

/**
 * Quantiles of signed floats (slippage in bps can be negative) in bounded memory: two deterministic
 * HDR histograms, one for the magnitudes of negative values and one for the rest, at `resolution`
 * and 3 significant digits. A quantile is taken over their union by nearest rank ⌈q·n⌉, so it is
 * within 1/1000 relative (plus one resolution step) of the exact sorted-array quantile. The mean is
 * exact (a compensated running sum of the raw values). Non-finite values are ignored.
 *
 * @example
 * const h = new SignedHistogram();
 * for (const bps of [-2.5, 0.4, 1.2]) h.record(bps);
 * h.quantile(0.5); // ≈ 0.4
 */
export class SignedHistogram {
  readonly #scale: number;
  readonly #negative = new RankedHistogram();
  readonly #positive = new RankedHistogram();
  #count = 0;
  #sum = 0;
  #compensation = 0;

  constructor(options: SignedHistogramOptions = {}) {
    const resolution = options.resolution ?? 0.001;
    if (!(resolution > 0) || !Number.isFinite(resolution)) {
      throw new RangeError(`resolution must be a positive number, got ${resolution}`);
    }
    this.#scale = 1 / resolution;
  }

  /** Records one value. O(1). */
  record(value: number): void {
    if (!Number.isFinite(value)) return;
    const units = Math.round(Math.abs(value) * this.#scale);
    if (value < 0 && units > 0) this.#negative.record(units);
    else this.#positive.record(units);
    this.#count += 1;
    // Neumaier's compensated summation.
    const total = this.#sum + value;
    this.#compensation +=
      Math.abs(this.#sum) >= Math.abs(value)
        ? this.#sum - total + value
        : value - total + this.#sum;
    this.#sum = total;
  }

  /** Number of values recorded. */
  get count(): number {
    return this.#count;
  }

  /** Mean of the raw values, or null when empty. */
  get mean(): number | null {
    return this.#count === 0 ? null : (this.#sum + this.#compensation) / this.#count;
  }

  /** The value at quantile `q` ∈ [0, 1] (nearest rank), or null when empty. */
  quantile(q: number): number | null {
    return this.quantiles([q])[0] ?? null;
  }

  /** Several quantiles at once (one pass per histogram), in the order asked; empty when no values. */
  quantiles(qs: readonly number[]): number[] {
    const n = this.#count;
    if (n === 0) return [];
    const negatives = this.#negative.totalCount;
    const ranks = qs.map((q) => nearestRank(q, n));
    // Union rank r ≤ negatives is the (negatives − r + 1)-th smallest negative magnitude.
    const negativeRanks = ranks.filter((r) => r <= negatives).map((r) => negatives - r + 1);
    const positiveRanks = ranks.filter((r) => r > negatives).map((r) => r - negatives);
    const negativeValues = valuesAtSortedRanks(this.#negative, negativeRanks);
    const positiveValues = valuesAtSortedRanks(this.#positive, positiveRanks);
    return ranks.map((r) =>
      r <= negatives
        ? -(negativeValues.get(negatives - r + 1) ?? 0) / this.#scale
        : (positiveValues.get(r - negatives) ?? 0) / this.#scale,
    );
  }
}

function valuesAtSortedRanks(histogram: RankedHistogram, ranks: number[]): Map<number, number> {
  const sorted = [...new Set(ranks)].sort((a, b) => a - b);
  const values = histogram.valuesAtRanks(sorted);
  return new Map(sorted.map((rank, i) => [rank, values[i] ?? 0]));
}

import { RankedHistogram, nearestRank } from './hdr.js';

/**
 * Latency quantiles in bounded memory: a deterministic HDR histogram of whole microseconds,
 * 3 significant digits; reported in milliseconds. Mean and max are exact (raw values). Negative
 * latencies (clock skew in live mode) count as 0; non-finite values are ignored.
 *
 * @example
 * const h = new LatencyHistogram();
 * h.record(12.5);
 * h.quantileMs(0.99); // ≈ 12.5
 */
export class LatencyHistogram {
  readonly #histogram = new RankedHistogram();
  #sumMs = 0;
  #maxMs = 0;

  /** Records one latency in milliseconds. O(1). */
  record(latencyMs: number): void {
    if (!Number.isFinite(latencyMs)) return;
    const ms = latencyMs > 0 ? latencyMs : 0;
    this.#histogram.record(Math.round(ms * 1000));
    this.#sumMs += ms;
    if (ms > this.#maxMs) this.#maxMs = ms;
  }

  /** Number of latencies recorded. */
  get count(): number {
    return this.#histogram.totalCount;
  }

  /** Exact mean in ms, or null when empty. */
  get meanMs(): number | null {
    const n = this.#histogram.totalCount;
    return n === 0 ? null : this.#sumMs / n;
  }

  /** Exact max in ms, or null when empty. */
  get maxMs(): number | null {
    return this.#histogram.totalCount === 0 ? null : this.#maxMs;
  }

  /** Latency at quantile `q` ∈ [0, 1] (nearest rank) in ms, or null when empty. */
  quantileMs(q: number): number | null {
    return this.quantilesMs([q])[0] ?? null;
  }

  /** Several quantiles at once in ms, in the order asked; empty when no values. */
  quantilesMs(qs: readonly number[]): number[] {
    const n = this.#histogram.totalCount;
    if (n === 0) return [];
    const ranks = qs.map((q) => nearestRank(q, n));
    const sorted = [...ranks].sort((a, b) => a - b);
    const values = this.#histogram.valuesAtRanks(sorted);
    return ranks.map((r) => (values[sorted.indexOf(r)] ?? 0) / 1000);
  }
}

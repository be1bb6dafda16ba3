import type { EquitySample } from '../metrics/metrics-input.js';
import { RunningMoments } from './running-moments.js';

/**
 * Paired per-interval returns: at each analysis boundary (an equity sample whose `tsUs` is a
 * multiple of the interval) where both arms have a sample, and both had one exactly one interval
 * before, each arm's flow-adjusted return is
 * `r = equity / (previous equity + Δcontributed) − 1` (money moved in or out with accounts is a
 * flow, not a return), and the pair gives one observation `(r_canary − r_stable) × 1e4` bps.
 * An interval is skipped when either arm has no capital (previous equity, previous or current
 * `contributed`, or the flow-adjusted base ≤ 0: e.g. no canary accounts yet) or a gap in samples,
 * and around a membership change (accounts changing arm, a shadow step starting or stopping): the
 * interval that contains it and the next one are skipped, because the flows and the rebalancing
 * costs of a transition (flattening, re-entering the receiving arm's target) come from the
 * rollout's mechanics, not from either version's quality. O(1) time and memory.
 */
export class PairedReturns {
  /** Analysis interval, µs. */
  readonly intervalUs: number;
  /** The canary − stable return differences, bps per interval. */
  readonly differencesBps = new RunningMoments();
  // Per arm (0 stable, 1 canary): the last analysis-boundary sample and the one before it.
  readonly #currentTsUs = new Float64Array([Number.NaN, Number.NaN]);
  readonly #currentEquity = new Float64Array(2);
  readonly #currentContributed = new Float64Array(2);
  readonly #previousTsUs = new Float64Array([Number.NaN, Number.NaN]);
  readonly #previousEquity = new Float64Array(2);
  readonly #previousContributed = new Float64Array(2);
  readonly #returns = new Float64Array(2);
  /** Intervals starting before this time, µs, touch a membership change: not paired. */
  #quietFromUs = Number.NEGATIVE_INFINITY;

  constructor(intervalUs: number) {
    if (!Number.isSafeInteger(intervalUs) || intervalUs <= 0) {
      throw new RangeError(
        `analysis interval must be a positive whole number of µs, got ${intervalUs}`,
      );
    }
    this.intervalUs = intervalUs;
  }

  /**
   * Accounts changed arm at `tsUs`: the interval containing it and the next one are not compared
   * (an interval is compared only if it starts at least one whole interval after the change).
   */
  markMembershipChange(tsUs: number): void {
    const endOfItsInterval = Math.ceil(tsUs / this.intervalUs) * this.intervalUs;
    this.#quietFromUs = Math.max(this.#quietFromUs, endOfItsInterval + this.intervalUs);
  }

  /** One equity sample; returns true when it completed a paired interval (one new observation). */
  onEquity(sample: EquitySample): boolean {
    const tsUs = sample.tsUs;
    if (tsUs % this.intervalUs !== 0) return false;
    const index = sample.arm === 'canary' ? 1 : 0;
    this.#currentTsUs[index] = tsUs;
    this.#currentEquity[index] = sample.equity;
    this.#currentContributed[index] = sample.contributed ?? sample.capital;
    if (this.#currentTsUs[1 - index] !== tsUs) return false;
    const added = this.#pair(tsUs);
    for (let arm = 0; arm < 2; arm++) {
      this.#previousTsUs[arm] = this.#currentTsUs[arm]!;
      this.#previousEquity[arm] = this.#currentEquity[arm]!;
      this.#previousContributed[arm] = this.#currentContributed[arm]!;
    }
    return added;
  }

  #pair(tsUs: number): boolean {
    const previousTsUs = tsUs - this.intervalUs;
    if (previousTsUs < this.#quietFromUs) return false;
    for (let arm = 0; arm < 2; arm++) {
      if (this.#previousTsUs[arm] !== previousTsUs) return false;
      const previousEquity = this.#previousEquity[arm]!;
      const previousContributed = this.#previousContributed[arm]!;
      const equity = this.#currentEquity[arm]!;
      const contributed = this.#currentContributed[arm]!;
      const base = previousEquity + (contributed - previousContributed);
      if (!(previousEquity > 0 && previousContributed > 0 && contributed > 0 && base > 0))
        return false;
      const r = equity / base - 1;
      if (!Number.isFinite(r)) return false;
      this.#returns[arm] = r;
    }
    this.differencesBps.push((this.#returns[1]! - this.#returns[0]!) * 1e4);
    return true;
  }
}

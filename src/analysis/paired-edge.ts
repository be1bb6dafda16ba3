import type { ExecutionReport } from '../core/execution-report.js';
import { decimalToFloat } from '../core/decimal-to-float.js';
import type { EquitySample } from '../metrics/metrics-input.js';
import type { EvidenceScope } from './paired-order-metrics.js';
import { RatioSequence } from './ratio-sequence.js';

/** Turnover is summed in micro-units of the quote currency (see `#notional`). */
const MICROS_PER_UNIT = 1e6;

/**
 * The return comparison in economic units: **canary return minus stable return per unit of
 * turnover**, in bps of traded notional (`edgeBps`). Paired by analysis interval: at each boundary
 * (an equity sample whose `tsUs` is a multiple of the interval) where both arms have a sample and
 * both had one exactly one interval before, each arm's flow-adjusted return is
 * `r = equity / (previous equity + Δcontributed) − 1` and its turnover
 * `T = traded notional in the interval / (previous equity + Δcontributed)`; the interval gives
 * y = (r_c − r_s)·1e4 and x = (T_c + T_s)/2, and the estimate is Σy/Σx.
 *
 * Why per unit of turnover: a fee or slippage regression of k bps on every fill moves it by −k
 * whatever the strategy's size or how often it trades, so its margin compares with fees; a canary
 * that trades more for the same gain, or earns less on the same trades, is shown worse; and a
 * per-hour return margin (unrelated to the strategy's economics) is gone.
 *
 * Intervals around a membership change (accounts changing arm, a shadow step starting or
 * stopping) are skipped: their flows and rebalancing costs come from the rollout's mechanics.
 * O(1) per fill and sample.
 */
export class PairedEdge {
  readonly intervalUs: number;
  readonly #sequences: Record<EvidenceScope, RatioSequence> = {
    rollout: new RatioSequence(),
    step: new RatioSequence(),
  };
  // Per arm (0 stable, 1 canary): the last boundary sample and the one before it.
  readonly #currentTsUs = new Float64Array([Number.NaN, Number.NaN]);
  readonly #currentEquity = new Float64Array(2);
  readonly #currentContributed = new Float64Array(2);
  readonly #previousTsUs = new Float64Array([Number.NaN, Number.NaN]);
  readonly #previousEquity = new Float64Array(2);
  readonly #previousContributed = new Float64Array(2);
  /**
   * Traded notional since each arm's last boundary sample, in whole micro-units of the quote
   * currency: a sum of integers (exact below 2^53, i.e. 9·10^9 quote units per interval) does not
   * depend on the order fills arrive in, so a live run and its replay agree to the last bit.
   */
  readonly #notional = new Float64Array(2);
  readonly #intervalNotional = new Float64Array(2);
  readonly #returns = new Float64Array(2);
  readonly #turnover = new Float64Array(2);
  #quietFromUs = Number.NEGATIVE_INFINITY;

  constructor(intervalUs: number) {
    if (!Number.isSafeInteger(intervalUs) || intervalUs <= 0) {
      throw new RangeError(
        `analysis interval must be a positive whole number of µs, got ${intervalUs}`,
      );
    }
    this.intervalUs = intervalUs;
  }

  /** The ratio sequence of `scope`. */
  sequence(scope: EvidenceScope): RatioSequence {
    return this.#sequences[scope];
  }

  /** A new step: its sequence starts empty. */
  startStep(): void {
    this.#sequences.step = new RatioSequence();
  }

  /** Accounts changed arm at `tsUs`: the interval containing it and the next one are skipped. */
  markMembershipChange(tsUs: number): void {
    const endOfItsInterval = Math.ceil(tsUs / this.intervalUs) * this.intervalUs;
    this.#quietFromUs = Math.max(this.#quietFromUs, endOfItsInterval + this.intervalUs);
  }

  /** A fill: its notional counts toward its arm's turnover in the current interval. */
  fill(report: ExecutionReport & { readonly type: 'fill' }): void {
    const notional = Math.round(
      decimalToFloat(report.price) *
        (report.quantityNum ?? decimalToFloat(report.quantity)) *
        MICROS_PER_UNIT,
    );
    if (Number.isFinite(notional)) {
      const arm = report.arm === 'canary' ? 1 : 0;
      this.#notional[arm] = this.#notional[arm]! + notional;
    }
  }

  /** One equity sample; returns true when it completed a paired interval. */
  onEquity(sample: EquitySample): boolean {
    const tsUs = sample.tsUs;
    if (tsUs % this.intervalUs !== 0) return false;
    const arm = sample.arm === 'canary' ? 1 : 0;
    this.#currentTsUs[arm] = tsUs;
    this.#currentEquity[arm] = sample.equity;
    this.#currentContributed[arm] = sample.contributed ?? sample.capital;
    this.#intervalNotional[arm] = this.#notional[arm]!;
    this.#notional[arm] = 0;
    if (this.#currentTsUs[1 - arm] !== tsUs) return false;
    const added = this.#pair(tsUs);
    for (let a = 0; a < 2; a++) {
      this.#previousTsUs[a] = this.#currentTsUs[a]!;
      this.#previousEquity[a] = this.#currentEquity[a]!;
      this.#previousContributed[a] = this.#currentContributed[a]!;
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
      const contributed = this.#currentContributed[arm]!;
      const base = previousEquity + (contributed - previousContributed);
      if (!(previousEquity > 0 && previousContributed > 0 && contributed > 0 && base > 0))
        return false;
      const r = this.#currentEquity[arm]! / base - 1;
      const turnover = this.#intervalNotional[arm]! / MICROS_PER_UNIT / base;
      if (!Number.isFinite(r) || !Number.isFinite(turnover)) return false;
      this.#returns[arm] = r;
      this.#turnover[arm] = turnover;
    }
    const x = (this.#turnover[0]! + this.#turnover[1]!) / 2;
    const y = (this.#returns[1]! - this.#returns[0]!) * 1e4;
    const index = tsUs / this.intervalUs;
    this.#sequences.rollout.add(index, x, y);
    this.#sequences.step.add(index, x, y);
    return true;
  }
}

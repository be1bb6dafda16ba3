import type { Arm } from '../core/arm.js';
import type { RejectReason } from '../core/execution-report.js';
import { EquityCurve } from '../ledger/equity-curve.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { MetricsInput } from './metrics-input.js';
import {
  DETAIL_QUANTILES,
  type ArmDetail,
  type ArmMetrics,
  type Quantiles,
} from './metrics-snapshot.js';
import { REJECT_REASONS } from './reject-reasons.js';
import { SignedHistogram } from './signed-histogram.js';

const LATENCY_QUANTILES = [0.5, 0.99] as const;
const SLIPPAGE_QUANTILES = [0.5, 0.95] as const;

/**
 * One arm's streaming statistics: counts, rejects by reason, strategy errors, latency and slippage
 * distributions, and the equity curve fed from equity samples. O(1) per record; memory bounded by
 * the histograms' value range and the curve's capacity, never by the run's length.
 *
 * @example
 * const stats = new ArmStats('canary');
 * stats.record(fillReport);
 * stats.snapshot().slippageBps.p95;
 */
export class ArmStats {
  readonly arm: Arm;
  readonly curve: EquityCurve;
  readonly #latency = new LatencyHistogram();
  readonly #slippage = new SignedHistogram();
  readonly #rejectsByReason: Record<RejectReason, number>;
  #orders = 0;
  #fills = 0;
  #rejects = 0;
  #strategyErrors = 0;
  #capital: number | null = null;
  /** Quantiles are a histogram scan: recomputed only when fills came in since the last snapshot. */
  #cachedAtFills = -1;
  #latencyMs: ArmMetrics['latencyMs'] = { p50: null, p99: null, mean: null, max: null };
  #slippageBps: ArmMetrics['slippageBps'] = { mean: null, p50: null, p95: null };

  constructor(arm: Arm, options: { readonly curveCapacity?: number } = {}) {
    this.arm = arm;
    this.curve = new EquityCurve(
      options.curveCapacity === undefined ? {} : { capacity: options.curveCapacity },
    );
    this.#rejectsByReason = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<
      RejectReason,
      number
    >;
  }

  /** Counts one input of this arm (the caller routes by `input.arm`). O(1). */
  record(input: MetricsInput): void {
    switch (input.type) {
      case 'order':
        this.#orders += 1;
        break;
      case 'fill':
        this.#fills += 1;
        this.#latency.record(input.latencyMs);
        this.#slippage.record(input.slippageBps);
        break;
      case 'reject':
        this.#rejects += 1;
        this.#rejectsByReason[input.reason] += 1;
        break;
      case 'strategy-error':
        this.#strategyErrors += 1;
        break;
      case 'equity':
        this.#capital = input.capital;
        this.curve.add(input.tsUs, input.equity, input.contributed ?? input.capital);
        break;
    }
  }

  /** The statistics so far (a fresh object; quantiles cost one histogram scan when fills changed). */
  snapshot(): ArmMetrics {
    if (this.#cachedAtFills !== this.#fills) {
      const [p50 = null, p99 = null] = this.#latency.quantilesMs(LATENCY_QUANTILES);
      this.#latencyMs = { p50, p99, mean: this.#latency.meanMs, max: this.#latency.maxMs };
      const [s50 = null, s95 = null] = this.#slippage.quantiles(SLIPPAGE_QUANTILES);
      this.#slippageBps = { mean: this.#slippage.mean, p50: s50, p95: s95 };
      this.#cachedAtFills = this.#fills;
    }
    const sampled = this.curve.samples > 0;
    return {
      orders: this.#orders,
      fills: this.#fills,
      rejects: this.#rejects,
      rejectsByReason: { ...this.#rejectsByReason },
      strategyErrors: this.#strategyErrors,
      latencyMs: this.#latencyMs,
      slippageBps: this.#slippageBps,
      equity: this.curve.equity,
      capital: this.#capital,
      returnPct: this.curve.returnPct,
      maxDrawdownPct: this.curve.maxDrawdownPct,
      intervalReturnPct: sampled ? this.curve.lastIntervalReturn * 100 : null,
      equitySamples: this.curve.samples,
    };
  }

  /** The report's detail: chart series, return moments, drawdown times, distributions. */
  detail(): ArmDetail {
    const curve = this.curve;
    return {
      curve: curve.series(),
      riskIntervals: curve.riskIntervals,
      intervalReturnMean: curve.intervalReturnMean,
      intervalReturnStdDev: curve.intervalReturnStdDev,
      intervalReturnDownsideDev: curve.intervalReturnDownsideDev,
      maxDrawdownPeakTsUs: curve.maxDrawdownPeakTsUs,
      maxDrawdownTroughTsUs: curve.maxDrawdownTroughTsUs,
      latencyMs: quantilesOf(this.#latency.quantilesMs(DETAIL_QUANTILES)),
      slippageBps: quantilesOf(this.#slippage.quantiles(DETAIL_QUANTILES)),
    };
  }
}

function quantilesOf(values: readonly number[]): Quantiles | null {
  return values.length === 0 ? null : { q: DETAIL_QUANTILES, value: values };
}

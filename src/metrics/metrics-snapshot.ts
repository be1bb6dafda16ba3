import type { RejectReason } from '../core/execution-report.js';
import type { EquityPoint } from '../ledger/equity-curve.js';

/** A distribution as quantiles: `value[i]` is the `q[i]` quantile (nearest rank, HDR precision). */
export interface Quantiles {
  readonly q: readonly number[];
  readonly value: readonly number[];
}

/**
 * What a report needs beyond the running figures, in the final snapshot only: the equity curve's
 * chart series, its interval-return moments and drawdown times, and the distributions.
 */
export interface ArmDetail {
  /** The curve's bounded chart series (docs/accounting.md). */
  readonly curve: readonly EquityPoint[];
  /** Intervals with capital at risk, and the moments of their returns (fractions). */
  readonly riskIntervals: number;
  readonly intervalReturnMean: number;
  readonly intervalReturnStdDev: number;
  readonly intervalReturnDownsideDev: number;
  /** Event times of the max drawdown's peak and trough, µs, or null without a drawdown. */
  readonly maxDrawdownPeakTsUs: number | null;
  readonly maxDrawdownTroughTsUs: number | null;
  /** Fill latency, ms, at {@link DETAIL_QUANTILES}; null without fills. */
  readonly latencyMs: Quantiles | null;
  /** Slippage, bps, at {@link DETAIL_QUANTILES}; null without fills. */
  readonly slippageBps: Quantiles | null;
}

/** The quantiles a final snapshot's distributions are given at: 0, 1 %, …, 99 %, 99.5 %, 99.9 %, 100 %. */
export const DETAIL_QUANTILES: readonly number[] = [
  ...Array.from({ length: 100 }, (_, i) => i / 100),
  0.995,
  0.999,
  1,
];

/** One arm's statistics since the start of the run. Floats; null where there is no data yet. */
export interface ArmMetrics {
  /** Orders sent. */
  readonly orders: number;
  readonly fills: number;
  readonly rejects: number;
  /** Rejects by reason, every reason present (0 when none), in a fixed order. */
  readonly rejectsByReason: Readonly<Record<RejectReason, number>>;
  readonly strategyErrors: number;
  /** The fills' own latency (`FillReport.latencyMs`), ms: HDR quantiles, exact mean and max. */
  readonly latencyMs: {
    readonly p50: number | null;
    readonly p99: number | null;
    readonly mean: number | null;
    readonly max: number | null;
  };
  /** Slippage of fills against the decision price, bps, positive = worse: exact mean, HDR quantiles. */
  readonly slippageBps: {
    readonly mean: number | null;
    readonly p50: number | null;
    readonly p95: number | null;
  };
  /** Latest sampled equity and capital, quote currency, or null before the first equity sample. */
  readonly equity: number | null;
  readonly capital: number | null;
  /** Time-weighted return since the start, percent (docs/accounting.md). */
  readonly returnPct: number;
  /** Largest peak-to-trough fall of the time-weighted value, percent. */
  readonly maxDrawdownPct: number;
  /** Return over the latest equity sample's interval, percent, or null before the first sample. */
  readonly intervalReturnPct: number | null;
  /** Equity samples so far. */
  readonly equitySamples: number;
  /** In the final snapshot only: series, moments and distributions for a report. */
  readonly detail?: ArmDetail;
}

/** Both arms' statistics at one moment of event time. */
export interface MetricsSnapshot {
  /** The interval boundary the snapshot closes, or the last input's time for the final one, µs. */
  readonly tsUs: number;
  /** True for the snapshot emitted when the input completes. */
  readonly final: boolean;
  readonly arms: { readonly stable: ArmMetrics; readonly canary: ArmMetrics };
}

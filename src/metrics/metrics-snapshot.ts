import type { RejectReason } from '../core/execution-report.js';

/** One arm's statistics since the start of the run. Floats; null where there is no data yet. */
export interface ArmMetrics {
  /** Orders sent. */
  readonly orders: number;
  readonly fills: number;
  readonly rejects: number;
  /** Rejects by reason, every reason present (0 when none), in a fixed order. */
  readonly rejectsByReason: Readonly<Record<RejectReason, number>>;
  readonly strategyErrors: number;
  /** Decision-to-fill latency of fills, ms: HDR quantiles, exact mean and max. */
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
}

/** Both arms' statistics at one moment of event time. */
export interface MetricsSnapshot {
  /** The interval boundary the snapshot closes, or the last input's time for the final one, µs. */
  readonly tsUs: number;
  /** True for the snapshot emitted when the input completes. */
  readonly final: boolean;
  readonly arms: { readonly stable: ArmMetrics; readonly canary: ArmMetrics };
}

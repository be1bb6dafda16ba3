import type { Arm } from '../core/arm.js';

/**
 * One arm's equity curve for charts: cumulative time-weighted return and drawdown, both in %,
 * at event times in ms since the epoch (fractional: µs precision). At most a few thousand
 * points: long runs are downsampled (every k-th sample kept, plus the last), and a point is kept
 * exactly at every decision's time so markers sit on the curve.
 */
export interface ReportReturnSeries {
  readonly tsMs: readonly number[];
  readonly returnPct: readonly number[];
  readonly drawdownPct: readonly number[];
}

/**
 * The canary's weight and share over event time, as steps: each value holds from its `tsMs` until
 * the next one (the last holds to the end of the run). Exact: one point per change, not sampled.
 */
export interface ReportExposureSeries {
  readonly tsMs: readonly number[];
  /**
   * The canary weight in effect, %: the router's weight while the canary is live, 0 before its
   * first live step, in shadow and after rollback, 100 after promotion.
   */
  readonly weightPct: readonly number[];
  /** The canary's share of real accounts, %. */
  readonly accountSharePct: readonly number[];
  /** The canary's share of real capital (starting capital of its accounts), %. */
  readonly capitalSharePct: readonly number[];
}

/**
 * A distribution as quantiles: `value[i]` is the `q[i]` quantile (q in [0, 1], increasing), from
 * the arm's HDR histogram. Null when the arm has no observation.
 */
export interface ReportQuantiles {
  readonly q: readonly number[];
  readonly value: readonly number[];
}

/** Everything report.html charts, besides the decisions (report.json `series`). */
export interface ReportSeries {
  readonly returns: Readonly<Record<Arm, ReportReturnSeries>>;
  readonly exposure: ReportExposureSeries;
  /** Fill latency, ms. */
  readonly latencyMs: Readonly<Record<Arm, ReportQuantiles | null>>;
  /** Slippage against the decision price, bps (positive = worse). */
  readonly slippageBps: Readonly<Record<Arm, ReportQuantiles | null>>;
}

/** A decision marker for charts: where and what, with its main reason. */
export interface ChartDecisionMarker {
  readonly seq: number;
  readonly tsMs: number;
  readonly action: 'increase' | 'promote' | 'hold' | 'rollback';
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  /** `CODE: message` of the first reason. */
  readonly reason: string;
}

import {
  LATENCY_MARGIN_MS,
  METRIC_ALPHA,
  REJECT_RATE_MARGIN,
  RETURN_MARGIN_BPS_PER_HOUR,
  SLIPPAGE_MARGIN_BPS,
} from './analysis-defaults.js';
import type { MetricName } from './compared-metric.js';

/**
 * How one metric is judged: the non-inferiority margin, in the metric's unit (bps, ms, fraction of
 * orders, bps per hour for returns), and the error rate α of its confidence sequence.
 */
export interface MetricPolicy {
  /** Worse-by-more-than threshold, > 0, in the metric's unit. */
  readonly margin: number;
  /** Error rate of the metric's two-sided confidence sequence, in (0, 1). */
  readonly alpha: number;
}

/** A policy for every compared metric. */
export type MetricPolicies = Readonly<Record<MetricName, MetricPolicy>>;

/** The defaults of analysis-defaults.ts: α 0.05 / 4 per metric, margins 1 bp, 5 ms, 1 pp, 5 bp/h. */
export const DEFAULT_METRIC_POLICIES: MetricPolicies = {
  slippageBps: { margin: SLIPPAGE_MARGIN_BPS, alpha: METRIC_ALPHA },
  latencyMs: { margin: LATENCY_MARGIN_MS, alpha: METRIC_ALPHA },
  rejectRate: { margin: REJECT_RATE_MARGIN, alpha: METRIC_ALPHA },
  returnBps: { margin: RETURN_MARGIN_BPS_PER_HOUR, alpha: METRIC_ALPHA },
};

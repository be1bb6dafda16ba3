import {
  EDGE_MARGIN_BPS,
  FEE_MARGIN_BPS,
  LATENCY_MARGIN_MS,
  METRIC_ROLLBACK_ALPHA,
  NON_INFERIORITY_ALPHA,
  REJECT_RATE_MARGIN,
  SLIPPAGE_MARGIN_BPS,
} from './analysis-defaults.js';
import type { MetricName } from './compared-metric.js';

/**
 * How one metric's evidence is judged in one scope: the margin, in the metric's unit (bps, ms,
 * fraction of orders, bps of traded notional), the α of the bound that can show the canary
 * **worse** (a rollback), and the α of the bound that can show it **non-inferior** (an advance).
 */
export interface MetricPolicy {
  /** Worse-by-more-than threshold, > 0, in the metric's unit. */
  readonly margin: number;
  /** Error rate of the harm-side bound, in (0, 0.5): what a false rollback may cost. */
  readonly rollbackAlpha: number;
  /** Error rate of the safe-side bound, in (0, 0.5): what a false advance may cost. */
  readonly nonInferiorityAlpha: number;
  /** Computed, reported and audited, never acting (docs/analysis.md, "Dry-run metrics"). */
  readonly dryRun?: boolean;
}

/** A policy for every compared metric. */
export type MetricPolicies = Readonly<Record<MetricName, MetricPolicy>>;

/** The defaults of analysis-defaults.ts, for one scope: margins 1 bp, 5 ms, 1 pp, 1 bp of notional (fees), 2 bps of notional (edge). */
export const DEFAULT_METRIC_POLICIES: MetricPolicies = {
  slippageBps: {
    margin: SLIPPAGE_MARGIN_BPS,
    rollbackAlpha: METRIC_ROLLBACK_ALPHA,
    nonInferiorityAlpha: NON_INFERIORITY_ALPHA,
  },
  latencyMs: {
    margin: LATENCY_MARGIN_MS,
    rollbackAlpha: METRIC_ROLLBACK_ALPHA,
    nonInferiorityAlpha: NON_INFERIORITY_ALPHA,
  },
  rejectRate: {
    margin: REJECT_RATE_MARGIN,
    rollbackAlpha: METRIC_ROLLBACK_ALPHA,
    nonInferiorityAlpha: NON_INFERIORITY_ALPHA,
  },
  feeBps: {
    margin: FEE_MARGIN_BPS,
    rollbackAlpha: METRIC_ROLLBACK_ALPHA,
    nonInferiorityAlpha: NON_INFERIORITY_ALPHA,
  },
  edgeBps: {
    margin: EDGE_MARGIN_BPS,
    rollbackAlpha: METRIC_ROLLBACK_ALPHA,
    nonInferiorityAlpha: NON_INFERIORITY_ALPHA,
  },
};

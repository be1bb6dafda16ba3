import {
  DEFAULT_GUARDRAIL_LIMITS as ANALYSIS_GUARDRAIL_LIMITS,
  DEFAULT_METRIC_POLICIES,
  METRIC_ALPHA,
  MIN_OBSERVATIONS,
  N_STAR_BATCHES,
  N_STAR_INTERVALS,
  N_STAR_ORDERS,
} from '../analysis/index.js';
import type {
  OnMaxDuration,
  PlanAnalysisTuning,
  PlanMetricName,
  PlanMetricPolicy,
  PositionsPolicy,
} from './plan.js';

/** Default tuning of the analysis: its own constants (docs/analysis.md). */
export const DEFAULT_ANALYSIS_TUNING: PlanAnalysisTuning = {
  minObservations: MIN_OBSERVATIONS,
  nStarBatches: N_STAR_BATCHES,
  nStarOrders: N_STAR_ORDERS,
  nStarIntervals: N_STAR_INTERVALS,
};

/**
 * Per-metric error rate of the defaults: a total α of 0.05 split evenly over the 4 compared
 * metrics (Bonferroni), the analysis's default.
 */
export const DEFAULT_METRIC_ALPHA = METRIC_ALPHA;

/**
 * Default metric policies of every plan (a plan file's `metrics` is merged over them): the
 * analysis's defaults (docs/analysis.md), so the two cannot drift apart.
 */
export const DEFAULT_PLAN_METRICS: Readonly<Record<PlanMetricName, PlanMetricPolicy>> = {
  slippageBps: { ...DEFAULT_METRIC_POLICIES.slippageBps },
  latencyMs: { ...DEFAULT_METRIC_POLICIES.latencyMs },
  rejectRate: { ...DEFAULT_METRIC_POLICIES.rejectRate },
  returnBps: { ...DEFAULT_METRIC_POLICIES.returnBps },
};

/** The guardrail limits a plan may set: the analysis's `GuardrailLimits` (docs/analysis.md). */
export const GUARDRAIL_LIMIT_NAMES: readonly string[] = Object.keys(ANALYSIS_GUARDRAIL_LIMITS);

/**
 * Default hard guardrail limits: the analysis's defaults, by its names (a limit that is off, such
 * as the loss in currency, is absent; set it in a plan file, e.g. `"maxLossQuote": 5000`).
 */
export const DEFAULT_GUARDRAIL_LIMITS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(ANALYSIS_GUARDRAIL_LIMITS).filter(
    (entry): entry is [string, number] => entry[1] !== null,
  ),
);

/** Default of `onMaxDuration`: stop and wait for a person rather than guess. */
export const DEFAULT_ON_MAX_DURATION: OnMaxDuration = 'halt';

/**
 * Default positions policy: `flatten`. The receiving version never inherits positions it did not
 * open, and the leaving version's P&L is realized and attributed to it.
 */
export const DEFAULT_POSITIONS_POLICY: PositionsPolicy = 'flatten';

/** Default interval of the paired return comparison: one minute of event time. */
export const DEFAULT_ANALYSIS_INTERVAL_MS = 60_000;

/** A step's default maximum duration, as a multiple of its minimum (plan files, presets). */
export const MAX_DURATION_FACTOR = 3;

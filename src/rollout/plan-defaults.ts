import {
  ANALYSIS_INTERVAL_MS,
  DEFAULT_GUARDRAIL_LIMITS as ANALYSIS_GUARDRAIL_LIMITS,
  DEFAULT_METRIC_POLICIES,
  METRIC_ROLLBACK_ALPHA,
} from '../analysis/index.js';
import {
  PLAN_METRIC_NAMES,
  type OnMaxDuration,
  type PlanMetricName,
  type PlanMetricPolicy,
  type PositionsPolicy,
} from './plan.js';

/**
 * Per-metric false-rollback budget of the defaults: a total α of 0.05 split evenly over the 5
 * compared metrics (Bonferroni: any metric shown worse rolls back), the analysis's default.
 */
export const DEFAULT_METRIC_ALPHA = METRIC_ROLLBACK_ALPHA;

/**
 * Default metric policies of every plan (a plan file's `metrics` is merged over them): the
 * analysis's defaults (docs/analysis.md), so the two cannot drift apart.
 */
export const DEFAULT_PLAN_METRICS: Readonly<Record<PlanMetricName, PlanMetricPolicy>> =
  Object.fromEntries(
    PLAN_METRIC_NAMES.map((metric) => [
      metric,
      {
        margin: DEFAULT_METRIC_POLICIES[metric].margin,
        alpha: DEFAULT_METRIC_ALPHA,
        nonInferiorityAlpha: DEFAULT_METRIC_POLICIES[metric].nonInferiorityAlpha,
        // Returns need the whole rollout's data (docs/analysis.md, "Which test gates which step").
        nonInferiorityScope: metric === 'edgeBps' ? 'rollout' : 'step',
      },
    ]),
  ) as Record<PlanMetricName, PlanMetricPolicy>;

/**
 * What a step below 100 % requires shown non-inferior when its plan file does not say: every
 * per-order metric (slippage, latency, rejects, fees), each in its default scope. Not the return
 * per unit of turnover: between strategies that hold different positions it needs far more data
 * than a rollout of hours gathers (docs/analysis.md, "Which test gates which step"); a plan may
 * still require it (`"requireNonInferior": [..., "edgeBps"]`), and it is tested for deterioration
 * at every step whatever the plan requires.
 */
export const DEFAULT_REQUIRED_METRICS: readonly PlanMetricName[] = PLAN_METRIC_NAMES.filter(
  (metric) => metric !== 'edgeBps',
);

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

/** Default width of the analysis's buckets and return intervals: one minute of event time. */
export const DEFAULT_ANALYSIS_INTERVAL_MS = ANALYSIS_INTERVAL_MS;

/** A step's default maximum duration, as a multiple of its minimum (plan files, presets). */
export const MAX_DURATION_FACTOR = 3;

/**
 * The shape of a rollout plan: ordered steps of canary weight with their gates, plus plan-level
 * defaults (docs/rollout.md, "Plans"). Plain JSON-able data: a plan is hashed for the audit log.
 */

/** What a step that stays undecided past its maximum duration does: wait for a person, or roll back. */
export type OnMaxDuration = 'halt' | 'rollback';

/**
 * What happens to the positions of accounts that change version (rollback, promotion, and the
 * accounts an increase moves): `flatten` closes them through the execution path (P&L accounted),
 * `handoff` gives them to the receiving version's strategy as they are.
 */
export type PositionsPolicy = 'flatten' | 'handoff';

/** The compared metrics a plan sets policies for (mirrors the analysis's metric names). */
export type PlanMetricName = 'slippageBps' | 'latencyMs' | 'rejectRate' | 'returnBps';

/** Every plan metric name, in the order evidence lists them. */
export const PLAN_METRIC_NAMES: readonly PlanMetricName[] = [
  'slippageBps',
  'latencyMs',
  'rejectRate',
  'returnBps',
];

/**
 * How one metric is judged: non-inferiority `margin` (> 0, in the metric's unit) and the error rate
 * `alpha` (0 < α < 1) of its confidence sequence. Further numeric tuning constants (e.g. `nStar`,
 * `minObservations`) pass through untouched for the analysis.
 */
export interface PlanMetricPolicy {
  readonly margin: number;
  readonly alpha: number;
  readonly [tuning: string]: number;
}

/** A step's override of a metric's policy: either field may be left to the plan's default. */
export interface MetricOverride {
  readonly margin?: number;
  readonly alpha?: number;
}

/** One step of a plan. */
export interface PlanStep {
  /** Display name, unique in the plan (`shadow`, `1%`, …). */
  readonly name: string;
  /** Canary weight, percent with at most 2 decimals; 0 = shadow (paper trading, first step only). */
  readonly weightPct: number;
  /** Event time the step lasts at least before it may advance, ms. */
  readonly minDurationMs: number;
  /** Event time after which an undecided step does `onMaxDuration`, ms; null = no maximum. */
  readonly maxDurationMs: number | null;
  /** Canary fills (paper fills in shadow) the step needs before it may advance. */
  readonly minCanaryFills: number;
  /** Per-metric overrides of the plan's policies, keyed by metric name. */
  readonly metrics?: Readonly<Partial<Record<PlanMetricName, MetricOverride>>>;
  /** Overrides the plan's `onMaxDuration` for this step. */
  readonly onMaxDuration?: OnMaxDuration;
}

/**
 * Tuning of the analysis's confidence sequences (docs/analysis.md): how many observations per arm
 * before a metric can have a verdict, and the sample sizes n* at which each sequence is tightest.
 */
export interface PlanAnalysisTuning {
  readonly minObservations: number;
  /** Decision batches, canary + stable (slippage, latency). */
  readonly nStarBatches: number;
  /** Orders, canary + stable (reject rate). */
  readonly nStarOrders: number;
  /** Paired intervals (returns). */
  readonly nStarIntervals: number;
}

/** A validated rollout plan (build one with `parsePlan`, `loadPlan` or a preset). */
export interface RolloutPlan {
  readonly type: 'rollout-plan';
  /** Preset name, or the plan file's `name` (default: the file name). */
  readonly name: string;
  /** Where the plan comes from: the seed documents of a preset, or the plan file's path. */
  readonly source: string;
  /** At least one step; weights strictly increasing, the last one 100 %. */
  readonly steps: readonly PlanStep[];
  /** Default policy of every compared metric. */
  readonly metrics: Readonly<Record<PlanMetricName, PlanMetricPolicy>>;
  /** Hard guardrail limits by name (opaque to the rollout; the analysis reads them). */
  readonly guardrails: Readonly<Record<string, number>>;
  /** Default for steps without their own `onMaxDuration`. */
  readonly onMaxDuration: OnMaxDuration;
  /** Positions policy of rollback and promotion commands. */
  readonly positions: PositionsPolicy;
  /**
   * Event-time interval of the paired return comparison, ms: a whole number of seconds (the
   * engine samples equity every second). Scaled with the other durations.
   */
  readonly analysisIntervalMs: number;
  /** The analysis's tuning (defaults: the analysis's constants). */
  readonly analysis: PlanAnalysisTuning;
}

/** A metric's effective policy at step `stepIndex`: the plan default with the step's override. */
export function stepMetricPolicy(
  plan: RolloutPlan,
  stepIndex: number,
  metric: PlanMetricName,
): PlanMetricPolicy {
  const base = plan.metrics[metric];
  const override = plan.steps[stepIndex]?.metrics?.[metric];
  if (override === undefined) return base;
  return {
    ...base,
    margin: override.margin ?? base.margin,
    alpha: override.alpha ?? base.alpha,
  };
}

/** The step's `onMaxDuration`, or the plan's. */
export function stepOnMaxDuration(plan: RolloutPlan, stepIndex: number): OnMaxDuration {
  return plan.steps[stepIndex]?.onMaxDuration ?? plan.onMaxDuration;
}

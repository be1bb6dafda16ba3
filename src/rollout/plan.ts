import {
  DEFAULT_GUARDRAIL_LIMITS,
  METRIC_NAMES,
  type GuardrailLimits,
  type MetricName,
  type MetricPolicies,
  type MetricPolicy,
  type RequiredMetric,
} from '../analysis/index.js';
import type { PlanCalendar } from './trading-calendar.js';

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

/** The compared metrics a plan sets policies for: the analysis's metric names. */
export type PlanMetricName = MetricName;

/** Every plan metric name, in the order evidence lists them. */
export const PLAN_METRIC_NAMES: readonly PlanMetricName[] = METRIC_NAMES;

/**
 * How one metric is judged over the whole rollout: its margin (> 0, in the metric's unit; the
 * default non-inferiority margin of every step, and the margin of the rollout-wide deterioration
 * test), `alpha`, the metric's false-rollback budget for the whole rollout (0 < α < 0.5: half for
 * the rollout-wide sequence, half split evenly over the steps that compare the arms), and
 * `nonInferiorityAlpha`, the error rate of each step's non-inferiority bound (0 < α < 0.5).
 */
export interface PlanMetricPolicy {
  readonly margin: number;
  readonly alpha: number;
  readonly nonInferiorityAlpha: number;
  /**
   * Whose evidence shows the metric non-inferior where a plan file's step names it alone: the
   * step's own (`step`, default) or the whole rollout's (`rollout`: returns, whose paired
   * differences between strategies holding different positions need more data than one step
   * gathers).
   */
  readonly nonInferiorityScope: 'step' | 'rollout';
  /**
   * Computed, reported and audited, never acting: its `worse` does not roll back, and no step
   * may require it (docs/analysis.md, "Dry-run metrics"). Default false.
   */
  readonly dryRun?: boolean;
}

/**
 * A step's override of a metric's policy: its margin at this step (margins may tighten as the
 * canary's share grows) and the α of its non-inferiority bound. The false-rollback budget `alpha`
 * is the whole rollout's and cannot be set per step.
 */
export interface MetricOverride {
  readonly margin?: number;
  readonly nonInferiorityAlpha?: number;
}

/**
 * A metric a step must show non-inferior, with the evidence it is judged on: the step's own
 * (`step`) or the whole rollout's (`rollout`).
 */
export interface PlanRequirement extends RequiredMetric {
  readonly metric: PlanMetricName;
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
  /**
   * The metrics this step must show non-inferior to advance, each on the evidence of its scope:
   * the step's own (`step`) or the whole rollout's (`rollout`). Every metric is tested for
   * deterioration at every step whatever this says. Plan files may name a metric alone (its
   * `nonInferiorityScope`) and default to every metric on a step below 100 % and none on a 100 %
   * step (there is no stable arm to compare).
   */
  readonly requireNonInferior: readonly PlanRequirement[];
  /** Overrides the plan's `onMaxDuration` for this step. */
  readonly onMaxDuration?: OnMaxDuration;
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
   * Width of the analysis's event-time buckets and paired return intervals, ms: a whole number of
   * seconds (the engine samples equity every second). Scaled with the other durations.
   */
  readonly analysisIntervalMs: number;
  /**
   * Event time before the first step, ms, during which every account trades stable: the analysis
   * learns each account's persistent offsets from it and removes them from the comparison
   * (docs/analysis.md, "Accounts' own baselines"). Absent or 0: the first step starts at once.
   * Scaled with the other durations.
   */
  readonly baselineMs?: number;
  /**
   * The trading calendar (docs/rollout.md, "Trading calendar"): steps advance only while it is
   * open; absent, always. Never scaled: its times are the venue's clock.
   */
  readonly calendar?: PlanCalendar;
  /**
   * Roll out per segment (docs/rollout.md, "Segments"): one rollout of this plan per segment, each
   * with the segment's steps. Absent: one rollout over every account.
   */
  readonly segments?: PlanSegments;
  /**
   * The metric an A/B/n rollout ranks its surviving candidates by to choose the one it promotes
   * (docs/rollout.md, "Several candidates"); absent: `edgeBps`.
   */
  readonly primaryMetric?: PlanMetricName;
}

/** The metric candidates are ranked by: the plan's `primaryMetric`, else `edgeBps`. */
export function primaryMetricOf(plan: RolloutPlan): PlanMetricName {
  return plan.primaryMetric ?? 'edgeBps';
}

/**
 * The plan one candidate's lane runs in an A/B/n rollout of `candidates` candidates: every
 * metric's `alpha` and `nonInferiorityAlpha` divided by `candidates` (a Bonferroni split), so that
 * the chance of any false rollback, or of any candidate wrongly shown non-inferior, over the whole
 * rollout stays within the plan's. Steps are shares of the lane. One candidate: the plan itself.
 */
export function candidateLanePlan(plan: RolloutPlan, candidates: number): RolloutPlan {
  if (candidates === 1) return plan;
  const metrics: Partial<Record<PlanMetricName, PlanMetricPolicy>> = {};
  for (const metric of PLAN_METRIC_NAMES) {
    const policy = plan.metrics[metric];
    metrics[metric] = {
      ...policy,
      alpha: policy.alpha / candidates,
      nonInferiorityAlpha: policy.nonInferiorityAlpha / candidates,
    };
  }
  const steps = plan.steps.map((step) =>
    step.metrics === undefined
      ? step
      : {
          ...step,
          metrics: Object.fromEntries(
            Object.entries(step.metrics).map(([metric, override]) => [
              metric,
              override.nonInferiorityAlpha === undefined
                ? override
                : { ...override, nonInferiorityAlpha: override.nonInferiorityAlpha / candidates },
            ]),
          ),
        },
  );
  return {
    ...plan,
    steps,
    metrics: metrics as Record<PlanMetricName, PlanMetricPolicy>,
  };
}

/**
 * The rollout segment `name` of `plan` runs: the plan without its segments, with the segment's
 * own steps when it has them. Throws a RangeError for a name the plan does not have.
 */
export function segmentPlan(plan: RolloutPlan, name: string): RolloutPlan {
  const segment = plan.segments?.list.find((s) => s.name === name);
  if (segment === undefined)
    throw new RangeError(`the plan has no segment ${JSON.stringify(name)}`);
  const { segments: _segments, ...rest } = plan;
  return { ...rest, steps: segment.steps ?? plan.steps };
}

/**
 * One segment of a segmented plan (docs/rollout.md, "Segments"): the accounts whose `segment` is
 * `name`, trading the events of one venue, rolled out by a rollout of their own (own weights,
 * evidence, rollback).
 */
export interface PlanSegment {
  /** Unique in the plan: lower-case letters, digits, `-` and `_` (it names a directory). */
  readonly name: string;
  /** The venue (`MarketEvent.exchange`) whose events the segment's accounts trade; null: every event. */
  readonly venue: string | null;
  /** The segment's own steps (weights and gates); absent: the plan's. */
  readonly steps?: readonly PlanStep[];
}

/**
 * A plan rolled out per segment: `parallel` (every segment from the start) or `sequence` (each
 * segment starts once the one before it has promoted; a rollback stops the sequence).
 */
export interface PlanSegments {
  readonly mode: 'parallel' | 'sequence';
  readonly list: readonly PlanSegment[];
}

/** What step `stepIndex` requires shown non-inferior, each metric with its scope. */
export function stepRequirements(plan: RolloutPlan, stepIndex: number): readonly RequiredMetric[] {
  return plan.steps[stepIndex]?.requireNonInferior ?? [];
}

/** How many steps compare the arms (every step below 100 %): the rollback budget's divisor. */
export function comparisonStepCount(plan: RolloutPlan): number {
  return Math.max(1, plan.steps.filter((step) => step.weightPct < 100).length);
}

/**
 * The analysis's policies at step `stepIndex`: for the step's evidence, the step's margin and
 * non-inferiority α with `alpha / 2 / comparison steps` as its rollback α; for the whole
 * rollout's evidence, the plan's margin and non-inferiority α with `alpha / 2`.
 */
export function stepPolicies(
  plan: RolloutPlan,
  stepIndex: number,
): { readonly step: MetricPolicies; readonly rollout: MetricPolicies } {
  const steps = comparisonStepCount(plan);
  const step: Partial<Record<PlanMetricName, MetricPolicy>> = {};
  const rollout: Partial<Record<PlanMetricName, MetricPolicy>> = {};
  for (const metric of PLAN_METRIC_NAMES) {
    const base = plan.metrics[metric];
    const override = plan.steps[stepIndex]?.metrics?.[metric];
    const dryRun = base.dryRun === true ? { dryRun: true } : {};
    step[metric] = {
      margin: override?.margin ?? base.margin,
      rollbackAlpha: base.alpha / 2 / steps,
      nonInferiorityAlpha: override?.nonInferiorityAlpha ?? base.nonInferiorityAlpha,
      ...dryRun,
    };
    rollout[metric] = {
      margin: base.margin,
      rollbackAlpha: base.alpha / 2,
      nonInferiorityAlpha: base.nonInferiorityAlpha,
      ...dryRun,
    };
  }
  return {
    step: step as Record<PlanMetricName, MetricPolicy>,
    rollout: rollout as Record<PlanMetricName, MetricPolicy>,
  };
}

/** The step's `onMaxDuration`, or the plan's. */
export function stepOnMaxDuration(plan: RolloutPlan, stepIndex: number): OnMaxDuration {
  return plan.steps[stepIndex]?.onMaxDuration ?? plan.onMaxDuration;
}

/**
 * The analysis's guardrail limits of a plan: a limit the plan turned off is null, the reject
 * window's batch counts are the analysis's defaults unless the plan sets them.
 */
export function planGuardrailLimits(plan: RolloutPlan): GuardrailLimits {
  const set = plan.guardrails;
  const limit = (name: keyof GuardrailLimits): number | null => set[name] ?? null;
  return {
    maxLossQuote: limit('maxLossQuote'),
    maxLossPct: limit('maxLossPct'),
    maxDrawdownPct: limit('maxDrawdownPct'),
    maxGrossExposurePct: limit('maxGrossExposurePct'),
    maxRejectRate: limit('maxRejectRate'),
    maxStrategyErrors: limit('maxStrategyErrors'),
    rejectWindowBatches: set['rejectWindowBatches'] ?? DEFAULT_GUARDRAIL_LIMITS.rejectWindowBatches,
    minBatchesForRejectRate:
      set['minBatchesForRejectRate'] ?? DEFAULT_GUARDRAIL_LIMITS.minBatchesForRejectRate,
  };
}

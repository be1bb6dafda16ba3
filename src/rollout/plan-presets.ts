import { US_PER_MINUTE, US_PER_MS } from '../core/time.js';
import { validatePlan } from './parse-plan.js';
import {
  DEFAULT_ANALYSIS_INTERVAL_MS,
  DEFAULT_ANALYSIS_TUNING,
  DEFAULT_GUARDRAIL_LIMITS,
  DEFAULT_ON_MAX_DURATION,
  DEFAULT_PLAN_METRICS,
  DEFAULT_POSITIONS_POLICY,
  MAX_DURATION_FACTOR,
} from './plan-defaults.js';
import {
  PLAN_METRIC_NAMES,
  type MetricOverride,
  type OnMaxDuration,
  type PlanAnalysisTuning,
  type PlanMetricName,
  type PlanStep,
  type RolloutPlan,
} from './plan.js';

/** The names `--plan` accepts besides a file path. */
export type PlanPresetName =
  'standard' | 'aggressive' | 'classic' | 'ramped' | 'blue-green' | 'short';

/** Every preset name, in documentation order. */
export const PLAN_PRESET_NAMES: readonly PlanPresetName[] = [
  'standard',
  'aggressive',
  'classic',
  'ramped',
  'blue-green',
  'short',
];

const MINUTE_MS = US_PER_MINUTE / US_PER_MS;

function minutes(count: number): number {
  return count * MINUTE_MS;
}

/** A step whose maximum is `factor` × its minimum (the presets' rule, docs/rollout.md). */
function step(
  name: string,
  weightPct: number,
  minMinutes: number,
  minCanaryFills: number,
  maxMinutes: number = minMinutes * MAX_DURATION_FACTOR,
  metrics?: Partial<Record<PlanMetricName, MetricOverride>>,
): PlanStep {
  return {
    name,
    weightPct,
    minDurationMs: minutes(minMinutes),
    maxDurationMs: minutes(maxMinutes),
    minCanaryFills,
    ...(metrics !== undefined ? { metrics } : {}),
  };
}

function plan(
  name: PlanPresetName,
  source: string,
  steps: readonly PlanStep[],
  analysisIntervalMs = DEFAULT_ANALYSIS_INTERVAL_MS,
  analysis: PlanAnalysisTuning = DEFAULT_ANALYSIS_TUNING,
  onMaxDuration: OnMaxDuration = DEFAULT_ON_MAX_DURATION,
): RolloutPlan {
  const built: RolloutPlan = {
    type: 'rollout-plan',
    name,
    source,
    steps,
    metrics: DEFAULT_PLAN_METRICS,
    guardrails: DEFAULT_GUARDRAIL_LIMITS,
    onMaxDuration,
    positions: DEFAULT_POSITIONS_POLICY,
    analysisIntervalMs,
    analysis,
  };
  validatePlan(built, `preset:${name}`);
  return built;
}

/**
 * The reject-rate margin at a step's weight: looser while little is exposed, 1 percentage point
 * from 10 % on. With no rejects on either arm, showing a canary "not worse by more than m" takes
 * on the order of 4 / m canary orders (the anytime-valid bound of a rare event), so a 1 pp margin
 * at a 1 % step would outlast the step; a reject regression is caught at a later step instead.
 */
function rejectMarginAt(weightPct: number): Partial<Record<PlanMetricName, MetricOverride>> {
  const margin = weightPct <= 1 ? 0.03 : weightPct <= 5 ? 0.015 : 0.01;
  return { rejectRate: { margin } };
}

/** Every metric's margin multiplied by `factor` (classic: margins tighten as traffic grows). */
function marginsTimes(factor: number): Partial<Record<PlanMetricName, MetricOverride>> {
  const out: Partial<Record<PlanMetricName, MetricOverride>> = {};
  for (const metric of PLAN_METRIC_NAMES)
    out[metric] = { margin: DEFAULT_PLAN_METRICS[metric].margin * factor };
  return out;
}

/**
 * The built-in plans (docs/rollout.md, "Presets", lists every field). Maximum durations are
 * 3 × the minimum; a final 100 % step with no minimum gets an explicit maximum.
 */
export const PLAN_PRESETS: Readonly<Record<PlanPresetName, RolloutPlan>> = {
  // Seed 004's trading_standard steps, minimums and fill minimums. Maxima are ours: long enough for
  // a canary of 1 % of a thousand accounts to show itself non-inferior (30 min for the first
  // steps), and a step that cannot by then rolls back: no evidence of safety, no more exposure.
  standard: plan(
    'standard',
    'seed 004, GradualRollout::trading_standard',
    [
      step('1%', 1, 5, 100, 30, rejectMarginAt(1)),
      step('5%', 5, 10, 500, 30, rejectMarginAt(5)),
      step('10%', 10, 15, 1_000, 45),
      step('25%', 25, 20, 2_500, 60),
      step('50%', 50, 30, 5_000, 90),
      step('100%', 100, 0, 0, 30),
    ],
    DEFAULT_ANALYSIS_INTERVAL_MS,
    DEFAULT_ANALYSIS_TUNING,
    'rollback',
  ),
  // Seed 004's aggressive steps. Its minutes are short, so returns are paired over 10 s intervals
  // (at 60 s, the 10 paired intervals a verdict needs would take longer than the 3-minute maximum
  // of the first step, and an aggressive rollout could never advance).
  aggressive: plan(
    'aggressive',
    'seed 004, GradualRollout::aggressive',
    [
      step('5%', 5, 1, 50, 3, rejectMarginAt(5)),
      step('25%', 25, 2, 200),
      step('100%', 100, 0, 0, 10),
    ],
    10_000,
  ),
  // Seed 000's phases (1, 5, 25, 50, 100 %, 300 s each, 100 requests before any analysis) with
  // seed 002's thresholds, which tighten as traffic grows: 0.02, 0.015, 0.01, 0.01, 0.005, i.e.
  // 2, 1.5, 1, 1 and 0.5 × the base; seed 002 evaluates the full stage 3 times instead of 5.
  classic: plan('classic', 'seeds 000 (CanaryDeployer phases) and 002 (tightening thresholds)', [
    step('1%', 1, 5, 100, 15, marginsTimes(2)),
    step('5%', 5, 5, 100, 15, marginsTimes(1.5)),
    step('25%', 25, 5, 100, 15, marginsTimes(1)),
    step('50%', 50, 5, 100, 15, marginsTimes(1)),
    step('100%', 100, 3, 100, 9, marginsTimes(0.5)),
  ]),
  // Seed 003's ramped deployment: linear growth, +10 % per step, 300 s per stage.
  ramped: plan('ramped', 'seed 003, ramped deployment (STAGE_DURATION=300)', [
    step('10%', 10, 5, 100),
    step('20%', 20, 5, 100),
    step('30%', 30, 5, 100),
    step('40%', 40, 5, 100),
    step('50%', 50, 5, 100),
    step('60%', 60, 5, 100),
    step('70%', 70, 5, 100),
    step('80%', 80, 5, 100),
    step('90%', 90, 5, 100),
    step('100%', 100, 5, 100),
  ]),
  // Seed 001's blue-green: the new version checked in shadow (the health check), then one atomic
  // switch of every account to it; until promotion a rollback is one switch back.
  'blue-green': plan('blue-green', 'seed 001, BlueGreenDeployer', [
    step('shadow', 0, 5, 100),
    step('100%', 100, 5, 100),
  ]),
  // For replays of a few minutes (the bundled samples are 6 and 11 minutes): returns compared
  // over 5 s intervals, verdicts from 5 observations per arm, sequences tuned for small n, and
  // maxima long enough to gather them. With strategies that decide every 30-40 s, use the fast
  // settings of the README for enough decision batches.
  short: plan(
    'short',
    'strategy-canary, for replays of a few minutes (the bundled samples)',
    [
      step('shadow', 0, 1, 20, 3),
      step('10%', 10, 1.5, 30, 3),
      step('50%', 50, 1.5, 50, 3),
      step('100%', 100, 0.5, 0, 1),
    ],
    5_000,
    { minObservations: 5, nStarBatches: 20, nStarOrders: 2_000, nStarIntervals: 20 },
  ),
};

/** True when `name` is a preset name. */
export function isPlanPresetName(name: string): name is PlanPresetName {
  return (PLAN_PRESET_NAMES as readonly string[]).includes(name);
}

import { US_PER_MINUTE, US_PER_MS } from '../core/time.js';
import { validatePlan } from './parse-plan.js';
import {
  DEFAULT_ANALYSIS_INTERVAL_MS,
  DEFAULT_GUARDRAIL_LIMITS,
  DEFAULT_ON_MAX_DURATION,
  DEFAULT_PLAN_METRICS,
  DEFAULT_POSITIONS_POLICY,
  DEFAULT_REQUIRED_METRICS,
  MAX_DURATION_FACTOR,
} from './plan-defaults.js';
import {
  PLAN_METRIC_NAMES,
  type MetricOverride,
  type PlanMetricName,
  type PlanRequirement,
  type PlanStep,
  type RolloutPlan,
} from './plan.js';

const MINUTE_MS = US_PER_MINUTE / US_PER_MS;

function minutes(count: number): number {
  return count * MINUTE_MS;
}

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

/**
 * What a preset step must show to advance (docs/analysis.md, "Which test gates which step"):
 * - `execution@step`: slippage, latency, reject rate and fees non-inferior on the step's own evidence,
 *   at the step's margins. The first steps exist to catch harm cheaply; their margins are wider
 *   (few accounts trade the canary) and these per-order metrics are what their evidence can
 *   answer (both arms' orders meet the same market in each bucket);
 * - `execution`: the same metrics on the whole rollout's evidence, at the plan's margins. A later
 *   step adds its data to what the earlier ones gathered instead of starting again: on a
 *   wide-tick market one bucket's slippage difference is a few basis points of noise, and a 1 bp
 *   margin needs more buckets than one step of an hour holds;
 * - `none`: a 100 % step: nothing left to compare (its deterioration tests still run).
 No preset requires the return per unit of turnover (`edgeBps`) non-inferior: between two
 * strategies that hold different positions it differs mostly by market noise, and showing it
 * within 2 bps of notional takes hours more than a rollout's steps (calibration measured it); its
 * cost part, fees and slippage per fill, is required instead, where a few buckets answer it. Every
 * metric, returns included, is tested for deterioration at every step, on the step's evidence and
 * on the rollout's, whatever the step requires.
 */
type Requirement = 'execution@step' | 'execution' | 'none';

function required(requirement: Requirement): readonly PlanRequirement[] {
  if (requirement === 'none') return [];
  const scope = requirement === 'execution@step' ? 'step' : 'rollout';
  return DEFAULT_REQUIRED_METRICS.map((metric) => ({ metric, scope }) as const);
}

/** A step; its maximum defaults to `factor` × its minimum (the presets' rule, docs/rollout.md). */
function step(
  name: string,
  weightPct: number,
  minMinutes: number,
  minCanaryFills: number,
  requirement: Requirement,
  maxMinutes: number = minMinutes * MAX_DURATION_FACTOR,
  metrics?: Partial<Record<PlanMetricName, MetricOverride>>,
): PlanStep {
  return {
    name,
    weightPct,
    minDurationMs: minutes(minMinutes),
    maxDurationMs: minutes(maxMinutes),
    minCanaryFills,
    requireNonInferior: required(requirement),
    ...(metrics !== undefined ? { metrics } : {}),
  };
}

/** The `standard` preset's baseline before its first step: ten minutes. */
export const STANDARD_BASELINE_MS = 10 * 60_000;

function plan(
  name: PlanPresetName,
  source: string,
  steps: readonly PlanStep[],
  analysisIntervalMs = DEFAULT_ANALYSIS_INTERVAL_MS,
  metrics: RolloutPlan['metrics'] = DEFAULT_PLAN_METRICS,
  baselineMs = 0,
): RolloutPlan {
  const built: RolloutPlan = {
    type: 'rollout-plan',
    name,
    source,
    steps,
    metrics,
    guardrails: DEFAULT_GUARDRAIL_LIMITS,
    onMaxDuration: DEFAULT_ON_MAX_DURATION,
    positions: DEFAULT_POSITIONS_POLICY,
    analysisIntervalMs,
    ...(baselineMs > 0 ? { baselineMs } : {}),
  };
  validatePlan(built, `preset:${name}`);
  return built;
}

/**
 * Margins at a small step: while a handful of accounts trade the canary, their own differences
 * (venue routes, fee tiers, sizes) are a large part of the comparison, so the first steps judge
 * slippage, fees and rejects at a wider margin, tightening to the plan's from 10 %: 2 bp, 2 bp and
 * 3 pp at ≤ 1 %, 1.5 bp, 1.5 bp and 1.5 pp at ≤ 5 %. Showing "no rejects" within m takes about 10 / m canary orders.
 */
function smallStepMargins(weightPct: number): Partial<Record<PlanMetricName, MetricOverride>> {
  if (weightPct <= 1)
    return {
      slippageBps: { margin: 2 },
      feeBps: { margin: 2 },
      rejectRate: { margin: 0.03 },
    };
  if (weightPct <= 5)
    return {
      slippageBps: { margin: 1.5 },
      feeBps: { margin: 1.5 },
      rejectRate: { margin: 0.015 },
    };
  return {};
}

/**
 * `short`'s metric policies: a reject-rate margin of 2 percentage points for the whole plan (its
 * later steps judge rejects on the rollout's evidence, at the plan's margin).
 */
const SHORT_METRICS: RolloutPlan['metrics'] = {
  ...DEFAULT_PLAN_METRICS,
  rejectRate: { ...DEFAULT_PLAN_METRICS.rejectRate, margin: 0.02 },
};

/** Every metric's margin multiplied by `factor` (classic: margins tighten as traffic grows). */
function marginsTimes(factor: number): Partial<Record<PlanMetricName, MetricOverride>> {
  const out: Partial<Record<PlanMetricName, MetricOverride>> = {};
  for (const metric of PLAN_METRIC_NAMES)
    out[metric] = { margin: DEFAULT_PLAN_METRICS[metric].margin * factor };
  return out;
}

/**
 * The built-in plans (docs/rollout.md, "Presets", lists every field). A step advances as soon as
 * what it requires is shown and its floors (minimum duration and canary fills, operational
 * minimums only) are met; a step undecided at its maximum halts for a person.
 */
export const PLAN_PRESETS: Readonly<Record<PlanPresetName, RolloutPlan>> = {
  // Seed 004's trading_standard steps (1, 5, 10, 25, 50, 100 %). Floors of 5 minutes (10 at 50 %)
  // instead of the seed's 5 to 30: a step ends on evidence, not on the clock. Maxima long enough
  // for a canary of 1 % of a thousand accounts (3 to 12 of them) to show itself non-inferior
  // when its decisions fall at other moments than stable's on a wide-tick, trades-only market, or
  // when it decides seldom: 90 minutes at 1 % (a canary that trades a few times an hour needs
  // about 120 orders to show its rejects within 3 pp), 60 at 5 % and 10 %. A step that is shown
  // non-inferior earlier ends earlier; the maximum only decides when a person is asked.
  // A 10-minute baseline first (every account on stable): the analysis learns each account's
  // persistent offsets from it, so that the 1 % step's handful of canary accounts is compared
  // without them (docs/analysis.md, "Accounts' own baselines").
  standard: plan(
    'standard',
    'seed 004, GradualRollout::trading_standard',
    [
      step('1%', 1, 5, 50, 'execution@step', 90, smallStepMargins(1)),
      step('5%', 5, 5, 100, 'execution@step', 60, smallStepMargins(5)),
      step('10%', 10, 5, 200, 'execution', 60),
      step('25%', 25, 5, 500, 'execution', 60),
      step('50%', 50, 10, 1_000, 'execution', 90),
      step('100%', 100, 5, 0, 'none', 30),
    ],
    DEFAULT_ANALYSIS_INTERVAL_MS,
    DEFAULT_PLAN_METRICS,
    STANDARD_BASELINE_MS,
  ),
  // Seed 004's aggressive steps. Its minutes are short, so the analysis pairs over 10 s buckets
  // (at 60 s, the two buckets a verdict needs would take most of the first step's 3 minutes).
  aggressive: plan(
    'aggressive',
    'seed 004, GradualRollout::aggressive',
    [
      step('5%', 5, 1, 50, 'execution@step', 3, smallStepMargins(5)),
      step('25%', 25, 2, 200, 'execution', 6),
      step('100%', 100, 0, 0, 'none', 10),
    ],
    10_000,
  ),
  // Seed 000's phases (1, 5, 25, 50, 100 %, 300 s each, 100 requests before any analysis) with
  // seed 002's thresholds, which tighten as traffic grows: 0.02, 0.015, 0.01, 0.01, 0.005, i.e.
  // 2, 1.5, 1, 1 and 0.5 × the base; seed 002 evaluates the full stage 3 times instead of 5.
  classic: plan('classic', 'seeds 000 (CanaryDeployer phases) and 002 (tightening thresholds)', [
    step('1%', 1, 5, 100, 'execution@step', 15, marginsTimes(2)),
    step('5%', 5, 5, 100, 'execution@step', 15, marginsTimes(1.5)),
    step('25%', 25, 5, 100, 'execution', 15, marginsTimes(1)),
    step('50%', 50, 5, 100, 'execution', 15, marginsTimes(1)),
    step('100%', 100, 3, 100, 'none', 9, marginsTimes(0.5)),
  ]),
  // Seed 003's ramped deployment: linear growth, +10 % per step, 300 s per stage.
  ramped: plan('ramped', 'seed 003, ramped deployment (STAGE_DURATION=300)', [
    step('10%', 10, 5, 100, 'execution@step'),
    step('20%', 20, 5, 100, 'execution'),
    step('30%', 30, 5, 100, 'execution'),
    step('40%', 40, 5, 100, 'execution'),
    step('50%', 50, 5, 100, 'execution'),
    step('60%', 60, 5, 100, 'execution'),
    step('70%', 70, 5, 100, 'execution'),
    step('80%', 80, 5, 100, 'execution'),
    step('90%', 90, 5, 100, 'execution'),
    step('100%', 100, 5, 100, 'none'),
  ]),
  // Seed 001's blue-green: the new version checked in shadow (the health check), then one atomic
  // switch of every account to it; until promotion a rollback is one switch back.
  'blue-green': plan('blue-green', 'seed 001, BlueGreenDeployer', [
    step('shadow', 0, 5, 100, 'execution'),
    step('100%', 100, 5, 100, 'none'),
  ]),
  // For replays of a few minutes (the bundled samples are 6 and 11 minutes): buckets and return
  // intervals of 5 s, maxima long enough to gather them, and a reject margin of 2 percentage
  // points (a step of a few minutes holds a few hundred canary orders: showing no rejects within
  // 1 pp takes about 550). With strategies that decide every 30-40 s, use the fast settings of the
  // README for enough buckets.
  short: plan(
    'short',
    'strategy-canary, for replays of a few minutes (the bundled samples)',
    [
      step('shadow', 0, 1, 20, 'execution@step', 3),
      step('10%', 10, 1.5, 30, 'execution', 3),
      step('50%', 50, 1.5, 50, 'execution', 3),
      step('100%', 100, 0.5, 0, 'none', 1),
    ],
    5_000,
    SHORT_METRICS,
  ),
};

/** True when `name` is a preset name. */
export function isPlanPresetName(name: string): name is PlanPresetName {
  return (PLAN_PRESET_NAMES as readonly string[]).includes(name);
}

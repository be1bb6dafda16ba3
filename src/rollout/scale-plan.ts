import { UsageError } from '../core/errors.js';
import { validatePlan } from './parse-plan.js';
import type { PlanStep, RolloutPlan } from './plan.js';

/**
 * `--plan-time-scale X`: the plan with every duration (`minDurationMs`, `maxDurationMs`)
 * multiplied by `timeScale` (> 0, finite) and rounded to whole microseconds, and its analysis
 * interval multiplied too, rounded to whole seconds (at least 1 s). Fill minimums are
 * **not** scaled: they are sample sizes the statistics need, whatever the clock says. A scale of
 * 1 returns the plan itself; a scale that is not a finite number > 0 is a `UsageError`.
 *
 * @example
 * scalePlan(PLAN_PRESETS.standard, 0.1); // 1 % for 30 s, 5 % for 60 s, …
 */
export function scalePlan(plan: RolloutPlan, timeScale: number): RolloutPlan {
  if (!(Number.isFinite(timeScale) && timeScale > 0))
    throw new UsageError(`plan time scale must be a finite number > 0, got ${String(timeScale)}`);
  if (timeScale === 1) return plan;
  const steps: PlanStep[] = [];
  for (const step of plan.steps)
    steps.push({
      ...step,
      minDurationMs: scaleMs(step.minDurationMs, timeScale),
      maxDurationMs: step.maxDurationMs === null ? null : scaleMs(step.maxDurationMs, timeScale),
    });
  // The analysis interval is a duration too, kept a whole number of seconds (at least one).
  const analysisIntervalMs = Math.max(
    1000,
    Math.round((plan.analysisIntervalMs * timeScale) / 1000) * 1000,
  );
  const scaled: RolloutPlan = {
    ...plan,
    steps,
    analysisIntervalMs,
    ...(plan.baselineMs === undefined ? {} : { baselineMs: scaleMs(plan.baselineMs, timeScale) }),
  };
  validatePlan(scaled, `plan:${plan.name}`);
  return scaled;
}

function scaleMs(durationMs: number, timeScale: number): number {
  return Math.round(durationMs * timeScale * 1_000) / 1_000;
}

import type { RolloutPlan } from './plan.js';

/**
 * Why equity samples every `sampleIntervalMs` cannot drive `plan`, or null when they can. A
 * rollout acts at the samples (a step's minimum and maximum, the baseline's end, the analysis's
 * boundaries), so the sample interval must divide the plan's analysis interval: a coarser or
 * misaligned one made the decisions wait for the next sample (an hour with `--interval 3600000`),
 * and a replay's verdict depend on a reporting setting.
 */
export function sampleIntervalMisfit(plan: RolloutPlan, sampleIntervalMs: number): string | null {
  const sampleUs = Math.round(sampleIntervalMs * 1000);
  const analysisUs = Math.round(plan.analysisIntervalMs * 1000);
  if (sampleUs > 0 && analysisUs % sampleUs === 0) return null;
  return `equity samples every ${sampleIntervalMs} ms do not divide plan ${plan.name}'s analysis interval (${plan.analysisIntervalMs} ms): the rollout decides at the samples, so its decisions would wait for them; use a divisor of ${plan.analysisIntervalMs} ms (the default is 1000)`;
}

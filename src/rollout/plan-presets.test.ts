import { describe, expect, it } from 'vitest';
import { planIssues } from './parse-plan.js';
import { PLAN_PRESET_NAMES, PLAN_PRESETS, isPlanPresetName } from './plan-presets.js';
import { stepPolicies, stepRequirements } from './plan.js';

const MIN_MS = 60_000;
const minutes = (plan: keyof typeof PLAN_PRESETS, field: 'minDurationMs' | 'maxDurationMs') =>
  PLAN_PRESETS[plan].steps.map((s) => (s[field] === null ? null : s[field] / MIN_MS));

describe('plan presets', () => {
  it('are all valid, named after their key, with their seed sources', () => {
    expect(PLAN_PRESET_NAMES).toEqual(Object.keys(PLAN_PRESETS));
    for (const name of PLAN_PRESET_NAMES) {
      const plan = PLAN_PRESETS[name];
      expect(planIssues(plan)).toEqual([]);
      expect(plan.name).toBe(name);
      expect(isPlanPresetName(name)).toBe(true);
    }
    expect(isPlanPresetName('plan.json')).toBe(false);
    expect(PLAN_PRESETS.standard.source).toMatch(/seed 004/);
    expect(PLAN_PRESETS.aggressive.source).toMatch(/seed 004/);
    expect(PLAN_PRESETS.classic.source).toMatch(/000.*002/);
    expect(PLAN_PRESETS.ramped.source).toMatch(/seed 003/);
    expect(PLAN_PRESETS['blue-green'].source).toMatch(/seed 001/);
  });

  it('standard: seed 004’s 1, 5, 10, 25, 50, 100 %, floors of 5 minutes, evidence before the clock', () => {
    const plan = PLAN_PRESETS.standard;
    expect(plan.steps.map((s) => s.weightPct)).toEqual([1, 5, 10, 25, 50, 100]);
    expect(minutes('standard', 'minDurationMs')).toEqual([5, 5, 5, 5, 10, 5]);
    expect(minutes('standard', 'maxDurationMs')).toEqual([90, 60, 60, 60, 90, 30]);
    expect(plan.steps.map((s) => s.minCanaryFills)).toEqual([50, 100, 200, 500, 1000, 0]);
    // Undecided by a step's maximum: halt for a person. Margins tighten as exposure grows.
    expect(plan.onMaxDuration).toBe('halt');
    expect(plan.steps.map((_, i) => stepPolicies(plan, i).step.rejectRate.margin)).toEqual([
      0.03, 0.015, 0.01, 0.01, 0.01, 0.01,
    ]);
    expect(plan.steps.map((_, i) => stepPolicies(plan, i).step.slippageBps.margin)).toEqual([
      2, 1.5, 1, 1, 1, 1,
    ]);
    expect(plan.steps.map((_, i) => stepPolicies(plan, i).step.feeBps.margin)).toEqual([
      2, 1.5, 1, 1, 1, 1,
    ]);
    // The per-order metrics at every step below 100 %: on the step's own evidence (and its
    // wider margins) at 1 and 5 %, on the rollout's from 10 %. Returns: deterioration only.
    const execution = (scope: string) =>
      ['slippageBps', 'latencyMs', 'rejectRate', 'feeBps'].map((metric) => ({ metric, scope }));
    expect(plan.steps.map((_, i) => stepRequirements(plan, i))).toEqual([
      execution('step'),
      execution('step'),
      execution('rollout'),
      execution('rollout'),
      execution('rollout'),
      [],
    ]);
    // The rollback budget: half over the rollout, half split over its 5 comparison steps.
    expect(stepPolicies(plan, 0).rollout.slippageBps.rollbackAlpha).toBe(0.005);
    expect(stepPolicies(plan, 0).step.slippageBps.rollbackAlpha).toBe(0.001);
  });

  it('aggressive: 5, 25, 100 % for 1 and 2 min, 50 and 200 fills (seed 004)', () => {
    expect(PLAN_PRESETS.aggressive.steps.map((s) => s.weightPct)).toEqual([5, 25, 100]);
    expect(minutes('aggressive', 'minDurationMs')).toEqual([1, 2, 0]);
    expect(minutes('aggressive', 'maxDurationMs')).toEqual([3, 6, 10]);
    expect(PLAN_PRESETS.aggressive.steps.map((s) => s.minCanaryFills)).toEqual([50, 200, 0]);
  });

  it('classic: 1, 5, 25, 50, 100 % with margins 2, 1.5, 1, 1, 0.5 × the default (seed 002: 0.02 … 0.005)', () => {
    const plan = PLAN_PRESETS.classic;
    expect(plan.steps.map((s) => s.weightPct)).toEqual([1, 5, 25, 50, 100]);
    // default slippage margin 1 bp, reject-rate margin 0.01
    expect(plan.steps.map((_, i) => stepPolicies(plan, i).step.slippageBps.margin)).toEqual([
      2, 1.5, 1, 1, 0.5,
    ]);
    expect(plan.steps.map((_, i) => stepPolicies(plan, i).step.rejectRate.margin)).toEqual([
      0.02, 0.015, 0.01, 0.01, 0.005,
    ]);
    expect(minutes('classic', 'minDurationMs')).toEqual([5, 5, 5, 5, 3]);
  });

  it('ramped: +10 % per step; blue-green: shadow then one switch to 100 %', () => {
    expect(PLAN_PRESETS.ramped.steps.map((s) => s.weightPct)).toEqual([
      10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
    ]);
    expect(PLAN_PRESETS['blue-green'].steps.map((s) => s.weightPct)).toEqual([0, 100]);
  });

  it('short fits the bundled 11-minute replay: minimums add up to 4.5 min, maxima to 10', () => {
    const mins = minutes('short', 'minDurationMs') as number[];
    const maxs = minutes('short', 'maxDurationMs') as number[];
    expect(PLAN_PRESETS.short.steps.map((s) => s.weightPct)).toEqual([0, 10, 50, 100]);
    expect(mins.reduce((a, b) => a + b, 0)).toBe(4.5);
    expect(maxs.reduce((a, b) => a + b, 0)).toBe(10);
    // Buckets and return intervals of 5 s.
    expect(PLAN_PRESETS.short.analysisIntervalMs).toBe(5_000);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../core/errors.js';
import { loadPlan, loadPlanFile } from './load-plan-file.js';
import { parsePlan, validatePlan } from './parse-plan.js';
import { DEFAULT_GUARDRAIL_LIMITS, DEFAULT_PLAN_METRICS } from './plan-defaults.js';
import { PlanError } from './plan-error.js';
import { canonicalPlanJson, planHash } from './plan-hash.js';
import { PLAN_PRESETS } from './plan-presets.js';
import { scalePlan } from './scale-plan.js';
import { stepPolicies, stepRequirements } from './plan.js';

const TWO_STEPS = [
  { weightPct: 10, minDurationMs: 60_000, minCanaryFills: 50 },
  { weightPct: 100, minDurationMs: 0 },
];

function planError(input: unknown, file = 'plan.json'): PlanError {
  try {
    parsePlan(input, file);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as PlanError).code).toBe('E_PLAN');
    return error as PlanError;
  }
  throw new Error('the plan validated');
}

describe('parsePlan', () => {
  it('fills every default of a minimal file', () => {
    const plan = parsePlan({ steps: TWO_STEPS }, 'plans/my-plan.json');
    expect(plan).toEqual({
      type: 'rollout-plan',
      name: 'my-plan',
      source: 'plans/my-plan.json',
      steps: [
        {
          name: '10%',
          weightPct: 10,
          minDurationMs: 60_000,
          maxDurationMs: 180_000,
          minCanaryFills: 50,
          // A step below 100 % requires every per-order metric by default, each on its
          // default scope (returns only when a plan asks); a 100 % step none.
          requireNonInferior: [
            { metric: 'slippageBps', scope: 'step' },
            { metric: 'latencyMs', scope: 'step' },
            { metric: 'rejectRate', scope: 'step' },
            { metric: 'feeBps', scope: 'step' },
          ],
        },
        {
          name: '100%',
          weightPct: 100,
          minDurationMs: 0,
          maxDurationMs: null,
          minCanaryFills: 0,
          requireNonInferior: [],
        },
      ],
      metrics: DEFAULT_PLAN_METRICS,
      guardrails: DEFAULT_GUARDRAIL_LIMITS,
      onMaxDuration: 'halt',
      positions: 'flatten',
      analysisIntervalMs: 60_000,
    });
    // Not returns by default; a plan that requires them gets the whole rollout's evidence.
    expect(stepRequirements(plan, 0)).toEqual([
      { metric: 'slippageBps', scope: 'step' },
      { metric: 'latencyMs', scope: 'step' },
      { metric: 'rejectRate', scope: 'step' },
      { metric: 'feeBps', scope: 'step' },
    ]);
    const withReturns = parsePlan(
      {
        steps: [
          { weightPct: 50, minDurationMs: 60_000, requireNonInferior: ['slippageBps', 'edgeBps'] },
          { weightPct: 100, minDurationMs: 0 },
        ],
      },
      'p.json',
    );
    expect(stepRequirements(withReturns, 0)).toEqual([
      { metric: 'slippageBps', scope: 'step' },
      { metric: 'edgeBps', scope: 'rollout' },
    ]);
  });

  it('takes an analysis interval of whole seconds, and scales it with the durations', () => {
    const plan = parsePlan({ steps: TWO_STEPS, analysisIntervalMs: 30_000 }, 'p.json');
    expect(plan.analysisIntervalMs).toBe(30_000);
    expect(scalePlan(plan, 0.1).analysisIntervalMs).toBe(3_000);
    expect(scalePlan(plan, 0.02).analysisIntervalMs).toBe(1_000); // never below one second
    // Scaled so far that a step cannot hold two intervals: refused (no verdict possible).
    expect(() => scalePlan(plan, 0.01)).toThrow(/cannot hold the two analysis intervals/);
    expect(() => parsePlan({ steps: TWO_STEPS, analysisIntervalMs: 1500 }, 'p.json')).toThrow(
      /p\.json: analysisIntervalMs: must be a whole number of seconds/,
    );
  });

  it('takes a baseline of event time before the first step, scaled with the durations', () => {
    expect(parsePlan({ steps: TWO_STEPS }, 'p.json').baselineMs).toBeUndefined();
    const plan = parsePlan({ steps: TWO_STEPS, baselineMs: 600_000 }, 'p.json');
    expect(plan.baselineMs).toBe(600_000);
    expect(scalePlan(plan, 0.1).baselineMs).toBe(60_000);
    expect(() => parsePlan({ steps: TWO_STEPS, baselineMs: -1 }, 'p.json')).toThrow(
      /p\.json: baselineMs: must be a finite number of ms ≥ 0, got -1/,
    );
  });

  it('refuses null for the reject window counts, which are not limits to turn off', () => {
    for (const name of ['rejectWindowBatches', 'minBatchesForRejectRate'])
      expect(() => parsePlan({ steps: TWO_STEPS, guardrails: { [name]: null } }, 'p.json')).toThrow(
        new RegExp(`p\\.json: guardrails\\.${name}: is a count of batches, not a limit`),
      );
  });

  it('merges metric policies and guardrails over the defaults (null removes a guardrail)', () => {
    const plan = parsePlan(
      {
        steps: [
          { weightPct: 0, minDurationMs: 60_000, metrics: { latencyMs: { margin: 9 } } },
          { weightPct: 100, minDurationMs: 0, maxDurationMs: null, onMaxDuration: 'rollback' },
        ],
        metrics: { slippageBps: { margin: 2 }, edgeBps: { nonInferiorityScope: 'step' } },
        guardrails: { maxLossQuote: 500, maxStrategyErrors: null },
        positions: 'handoff',
      },
      'p.json',
    );
    expect(plan.steps[0]?.name).toBe('shadow');
    expect(plan.metrics.slippageBps).toEqual({
      margin: 2,
      alpha: 0.01,
      nonInferiorityAlpha: 0.025,
      nonInferiorityScope: 'step',
    });
    expect(plan.metrics.edgeBps.nonInferiorityScope).toBe('step');
    expect(plan.guardrails.maxLossQuote).toBe(500);
    expect('maxStrategyErrors' in plan.guardrails).toBe(false);
    // The step's margin and α for its own evidence; the rollout's budget split over 1 comparison
    // step (the shadow step) and halved between the step's and the rollout's sequences.
    expect(stepPolicies(plan, 0).step.latencyMs).toEqual({
      margin: 9,
      rollbackAlpha: 0.005,
      nonInferiorityAlpha: 0.025,
    });
    expect(stepPolicies(plan, 1).step.latencyMs.margin).toBe(5);
    expect(stepPolicies(plan, 0).rollout.latencyMs).toEqual({
      margin: 5,
      rollbackAlpha: 0.005,
      nonInferiorityAlpha: 0.025,
    });
    expect(plan.positions).toBe('handoff');
  });

  it('names the file and the field path of every problem', () => {
    const error = planError(
      {
        steps: [
          { weightPct: 5, minDurationMs: 100, maxDurationMs: 50 },
          { weightPct: 5, minDurationMs: -1 },
          { weightPct: 0, minDurationMs: 0, minCanaryFills: 1.5 },
          {
            weightPct: 99.999,
            minDurationMs: 0,
            metrics: {
              slipageBps: { margin: 1 },
              latencyMs: { margin: 0, nonInferiorityAlpha: 1 },
            },
          },
        ],
      },
      'bad.json',
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'steps.0.maxDurationMs',
      'steps.0.maxDurationMs', // and too short for two analysis intervals
      'steps.1.name', // the default name "5%" twice
      'steps.1.weightPct',
      'steps.1.minDurationMs',
      'steps.2.weightPct',
      'steps.2.minCanaryFills',
      'steps.3.weightPct',
      'steps.3.weightPct',
      'steps.3.metrics.slipageBps',
      'steps.3.metrics.latencyMs.margin',
      'steps.3.metrics.latencyMs.nonInferiorityAlpha',
    ]);
    expect(error.message).toContain(
      'bad.json: steps.1.weightPct: must be greater than steps.0.weightPct (5), got 5',
    );
    expect(error.message).toContain(
      'bad.json: steps.2.weightPct: a shadow step (weight 0) can only be the first step',
    );
    expect(error.message).toContain('bad.json: steps.3.weightPct: the last step must be 100');
    expect(error.message).toContain(
      'bad.json: steps.0.maxDurationMs: must be ≥ minDurationMs (100), got 50',
    );
  });

  it('reports structural errors with their paths (types, unknown keys, empty steps)', () => {
    expect(planError({ steps: [] }).message).toMatch(/^plan\.json: steps: /);
    expect(planError({ steps: [{ weightPct: '10', minDurationMs: 0 }] }).message).toMatch(
      /plan\.json: steps\.0\.weightPct: Invalid input: expected number/,
    );
    expect(planError({ steps: TWO_STEPS, onMaxDuraton: 'halt' }).message).toMatch(
      /plan\.json: \(plan\): Unrecognized key/,
    );
    expect(
      planError({ steps: TWO_STEPS, metrics: { slippageBps: { alpha: 0 } } }).message,
    ).toContain('metrics.slippageBps.alpha: must be strictly between 0 and 0.5, got 0');
    expect(
      planError({ steps: TWO_STEPS, metrics: { fillRate: { margin: 1, alpha: 0.1 } } }).message,
    ).toContain('metrics.fillRate: unknown metric');
    expect(
      planError({ steps: TWO_STEPS, metrics: { slippageBps: { nonInferiorityScope: 'all' } } })
        .message,
    ).toContain('metrics.slippageBps.nonInferiorityScope');
    expect(planError({ steps: TWO_STEPS, positions: 'keep' }).message).toContain('positions');
    expect(planError(null).message).toMatch(/plan\.json: \(plan\)/);
  });

  it('refuses a plan that could never reach a verdict, and says why', () => {
    const at100 = planError({
      steps: [
        { weightPct: 10, minDurationMs: 60_000 },
        { weightPct: 100, minDurationMs: 0, requireNonInferior: ['slippageBps'] },
      ],
    });
    expect(at100.message).toContain(
      'steps.1.requireNonInferior: a 100 % step has no stable arm to compare with',
    );
    const tooShort = planError({
      steps: [
        { weightPct: 10, minDurationMs: 30_000, maxDurationMs: 90_000 },
        { weightPct: 100, minDurationMs: 0 },
      ],
    });
    expect(tooShort.message).toContain(
      'steps.0.maxDurationMs: 90000 ms cannot hold the two analysis intervals (2 × 60000 ms) a verdict needs',
    );
    // Requiring nothing on a short step is fine: it advances on its floors.
    expect(() =>
      parsePlan(
        {
          steps: [
            { weightPct: 10, minDurationMs: 30_000, maxDurationMs: 90_000, requireNonInferior: [] },
            { weightPct: 100, minDurationMs: 0 },
          ],
        },
        'p.json',
      ),
    ).not.toThrow();
    expect(
      planError({
        steps: [
          { weightPct: 10, minDurationMs: 0, requireNonInferior: ['fillRate'] },
          TWO_STEPS[1],
        ],
      }).message,
    ).toContain('steps.0.requireNonInferior: unknown metric "fillRate"');
  });

  it('takes a requirement as a metric name (its default scope) or as a metric with a scope', () => {
    const plan = parsePlan(
      {
        steps: [
          {
            weightPct: 10,
            minDurationMs: 60_000,
            requireNonInferior: ['latencyMs', { metric: 'slippageBps', scope: 'rollout' }],
          },
          TWO_STEPS[1],
        ],
        metrics: { latencyMs: { nonInferiorityScope: 'rollout' } },
      },
      'p.json',
    );
    expect(plan.steps[0]?.requireNonInferior).toEqual([
      { metric: 'latencyMs', scope: 'rollout' },
      { metric: 'slippageBps', scope: 'rollout' },
    ]);
    const twice = planError({
      steps: [
        {
          weightPct: 10,
          minDurationMs: 60_000,
          requireNonInferior: ['latencyMs', { metric: 'latencyMs', scope: 'rollout' }],
        },
        TWO_STEPS[1],
      ],
    });
    expect(twice.message).toContain('steps.0.requireNonInferior: "latencyMs" listed twice');
    expect(
      planError({
        steps: [
          {
            weightPct: 10,
            minDurationMs: 0,
            requireNonInferior: [{ metric: 'latencyMs', scope: 'all' }],
          },
          TWO_STEPS[1],
        ],
      }).message,
    ).toContain('steps.0.requireNonInferior');
  });

  it('takes dry-run metrics: reported with the flag, left out of the default requirements, never required', () => {
    const plan = parsePlan(
      {
        steps: [{ weightPct: 10, minDurationMs: 60_000 }, TWO_STEPS[1]],
        metrics: { feeBps: { dryRun: true } },
      },
      'p.json',
    );
    const required = plan.steps[0]!.requireNonInferior.map((r) => r.metric);
    expect(required).not.toContain('feeBps');
    expect(required.length).toBeGreaterThan(0);
    const policies = stepPolicies(plan, 0);
    expect(policies.step.feeBps.dryRun).toBe(true);
    expect(policies.rollout.feeBps.dryRun).toBe(true);
    expect(policies.step.latencyMs.dryRun).toBeUndefined();
    const refused = planError({
      steps: [
        { weightPct: 10, minDurationMs: 60_000, requireNonInferior: ['feeBps'] },
        TWO_STEPS[1],
      ],
      metrics: { feeBps: { dryRun: true } },
    });
    expect(refused.message).toContain(
      'steps.0.requireNonInferior: "feeBps" is a dry-run metric (metrics.feeBps.dryRun): it never acts, so no step can require it',
    );
    expect(
      planError({ steps: TWO_STEPS, metrics: { feeBps: { dryRun: 'yes' } } }).message,
    ).toContain('metrics.feeBps.dryRun');
  });

  it('refuses the fields an older plan file may carry, saying what replaced them', () => {
    expect(planError({ steps: TWO_STEPS, analysis: { minObservations: 5 } }).message).toContain(
      'analysis: is no longer used',
    );
    expect(
      planError({
        steps: [{ ...TWO_STEPS[0], metrics: { latencyMs: { alpha: 0.01 } } }, TWO_STEPS[1]],
      }).message,
    ).toContain('steps.0.metrics.latencyMs.alpha: cannot be set per step');
    expect(
      planError({ steps: TWO_STEPS, metrics: { returnBps: { margin: 5 } } }).message,
    ).toContain('metrics.returnBps: was replaced by edgeBps');
  });

  it('round-trips: a plan serialized as JSON parses back to the same plan and hash', () => {
    for (const plan of Object.values(PLAN_PRESETS)) {
      const again = parsePlan(JSON.parse(JSON.stringify(plan)), 'x.json');
      expect(again).toEqual(plan);
      expect(planHash(again)).toBe(planHash(plan));
    }
  });
});

describe('loadPlanFile / loadPlan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-'));

  it('reads a JSON file, and a preset by name', async () => {
    const path = join(dir, 'two.json');
    writeFileSync(path, JSON.stringify({ name: 'two', steps: TWO_STEPS }));
    expect((await loadPlanFile(path)).name).toBe('two');
    expect(await loadPlan('short')).toBe(PLAN_PRESETS.short);
    expect((await loadPlan(path)).steps).toHaveLength(2);
  });

  it('names the file on unreadable files and invalid JSON', async () => {
    await expect(loadPlanFile(join(dir, 'missing.json'))).rejects.toThrow(
      /missing\.json: \(file\): cannot read/,
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"steps": [');
    await expect(loadPlanFile(broken)).rejects.toThrow(/broken\.json: \(file\): not valid JSON/);
    await expect(loadPlanFile(broken)).rejects.toHaveProperty('code', 'E_PLAN');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ steps: [{ weightPct: 50, minDurationMs: 0 }] }));
    await expect(loadPlanFile(bad)).rejects.toThrow(
      /bad\.json: steps\.0\.weightPct: the last step must be 100/,
    );
  });
});

describe('scalePlan', () => {
  it('multiplies every duration, never the fill minimums', () => {
    const scaled = scalePlan(PLAN_PRESETS.standard, 0.1);
    // standard: 5, 5, 5, 5, 10, 5 min; maxima 90, 60, 60, 60, 90, 30 min
    expect(scaled.steps.map((s) => s.minDurationMs)).toEqual([
      30_000, 30_000, 30_000, 30_000, 60_000, 30_000,
    ]);
    expect(scaled.steps.map((s) => s.maxDurationMs)).toEqual([
      540_000, 360_000, 360_000, 360_000, 540_000, 180_000,
    ]);
    expect(scaled.steps.map((s) => s.minCanaryFills)).toEqual([50, 100, 200, 500, 1000, 0]);
    expect(scaled.analysisIntervalMs).toBe(6_000);
    expect(planHash(scaled)).not.toBe(planHash(PLAN_PRESETS.standard));
    expect(scalePlan(PLAN_PRESETS.standard, 1)).toBe(PLAN_PRESETS.standard);
  });

  it('rounds to whole µs, keeps null maxima and refuses a bad scale', () => {
    const plan = parsePlan(
      { steps: [{ weightPct: 100, minDurationMs: 1000, maxDurationMs: null }] },
      'p.json',
    );
    expect(scalePlan(plan, 1 / 3).steps[0]).toMatchObject({
      minDurationMs: 333.333,
      maxDurationMs: null,
    });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => scalePlan(plan, bad)).toThrow(UsageError);
  });
});

describe('planHash', () => {
  it('is the sha256 of the canonical JSON: key order does not matter, any change does', () => {
    const plan = PLAN_PRESETS.aggressive;
    const reordered = JSON.parse(JSON.stringify(plan, Object.keys(plan).reverse())) as typeof plan;
    expect(
      planHash({
        ...reordered,
        steps: plan.steps,
        metrics: plan.metrics,
        guardrails: plan.guardrails,
      }),
    ).toBe(planHash(plan));
    expect(
      canonicalPlanJson(plan).startsWith(
        '{"analysisIntervalMs":10000,"guardrails":{"maxDrawdownPct":3,',
      ),
    ).toBe(true);
    expect(planHash({ ...plan, positions: 'handoff' })).not.toBe(planHash(plan));
    expect(planHash(plan)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('plan guardrails', () => {
  it('are the analysis’s limits, and an unknown name is an error (a typo must not turn one off)', () => {
    expect(() =>
      parsePlan(
        { steps: [{ weightPct: 100, minDurationMs: 0 }], guardrails: { maxLosPct: 1 } },
        'typo.json',
      ),
    ).toThrow(
      /typo\.json: guardrails\.maxLosPct: unknown guardrail \(known: maxLossQuote, maxLossPct/,
    );
  });

  it.each([
    [{ maxLossQuote: -1 }, 'maxLossQuote', /non-negative number or null, got -1/],
    [{ maxLossPct: -1 }, 'maxLossPct', /non-negative number or null, got -1/],
    [{ maxDrawdownPct: -1 }, 'maxDrawdownPct', /non-negative number or null, got -1/],
    [{ maxGrossExposurePct: -1 }, 'maxGrossExposurePct', /non-negative number or null, got -1/],
    [{ maxRejectRate: -0.1 }, 'maxRejectRate', /non-negative number or null, got -0\.1/],
    [{ maxRejectRate: 2 }, 'maxRejectRate', /a fraction from 0 to 1 or null, got 2/],
    [{ maxStrategyErrors: -1 }, 'maxStrategyErrors', /non-negative number or null, got -1/],
    [{ maxStrategyErrors: 0.5 }, 'maxStrategyErrors', /a whole number ≥ 0 or null, got 0\.5/],
    [{ rejectWindowBatches: 0 }, 'rejectWindowBatches', /positive whole number, got 0/],
    [{ rejectWindowBatches: 1.5 }, 'rejectWindowBatches', /positive whole number, got 1\.5/],
    [{ minBatchesForRejectRate: -1 }, 'minBatchesForRejectRate', /from 1 to .*got -1/],
    [{ minBatchesForRejectRate: 0 }, 'minBatchesForRejectRate', /from 1 to .*got 0/],
    // The default minimum (3 batches) does not fit a 2-batch window.
    [{ rejectWindowBatches: 2 }, 'minBatchesForRejectRate', /\(2\), got 3/],
  ])('refuses %j out of its range, naming the field (E_PLAN)', (guardrails, field, message) => {
    const error = planError({ steps: TWO_STEPS, guardrails }, 'limits.json');
    expect(error.issues.map((issue) => issue.path)).toEqual([`guardrails.${field}`]);
    expect(error.issues[0]!.message).toMatch(message);
    expect(error.message).toMatch(new RegExp(`^limits\\.json: guardrails\\.${field}: `));
  });

  it('takes every limit at its bounds', () => {
    const plan = parsePlan(
      {
        steps: TWO_STEPS,
        guardrails: {
          maxLossQuote: 0,
          maxLossPct: 0,
          maxDrawdownPct: 0,
          maxGrossExposurePct: 0,
          maxRejectRate: 1,
          maxStrategyErrors: 3,
          rejectWindowBatches: 1,
          minBatchesForRejectRate: 1,
        },
      },
      'bounds.json',
    );
    expect(plan.guardrails).toMatchObject({ maxRejectRate: 1, rejectWindowBatches: 1 });
  });

  it('checks a plan built in code the same way', () => {
    expect(() =>
      validatePlan(
        { ...PLAN_PRESETS.short, guardrails: { ...PLAN_PRESETS.short.guardrails, maxLossPct: -2 } },
        'plan:short-copy',
      ),
    ).toThrow(/plan:short-copy: guardrails\.maxLossPct: must be a non-negative number/);
  });
});

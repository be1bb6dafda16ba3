import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecisionReason, GuardrailState, MetricVerdict } from '../core/decision.js';
import { decideStep, type StepContext } from './decide-step.js';

const ev = (
  metric: string,
  verdict: MetricVerdict,
  scope: 'step' | 'rollout' = 'step',
): DecisionReason => ({
  code: `METRIC_${verdict.toUpperCase()}`,
  metric,
  message: `${metric} ${verdict}`,
  estimate: 0,
  ci: [-1, 1],
  n: 50,
  nStable: 50,
  margin: 1,
  test: 'paired-buckets/mean/normal-mixture-cs',
  alpha: 0.0125,
  verdict,
  scope,
});
const METRICS = ['slippageBps', 'latencyMs', 'rejectRate', 'edgeBps'].map((metric) => ({
  metric,
  scope: 'step' as const,
}));
const stepScope = (...metrics: string[]) =>
  metrics.map((metric) => ({ metric, scope: 'step' as const }));
const allPass = [
  ev('slippageBps', 'non_inferior'),
  ev('latencyMs', 'better'),
  ev('rejectRate', 'non_inferior'),
  ev('edgeBps', 'non_inferior'),
];
const state = (name: string, breached: boolean): GuardrailState => ({
  name,
  value: breached ? 7 : 1,
  limit: 5,
  unit: '%',
  breached,
});
const okGuardrails = [state('canaryLossPct', false), state('canaryRejectRate', false)];
const step: StepContext = {
  stepIndex: 2,
  isLastStep: false,
  isShadow: false,
  weightPct: 10,
  nextWeightPct: 25,
  elapsedInStepMs: 20 * 60_000,
  minDurationMs: 15 * 60_000,
  maxDurationMs: 60 * 60_000,
  canaryFillsInStep: 2_000,
  minCanaryFills: 1_000,
  onMaxDuration: 'halt',
  requiredMetrics: METRICS,
};

describe('decideStep', () => {
  it('increases when every metric is non-inferior and the gates are met', () => {
    const d = decideStep(allPass, okGuardrails, step);
    expect(d.action).toBe('increase');
    expect(d.reasons[0]!.code).toBe('ALL_NON_INFERIOR');
    expect(d.reasons[0]!.message).toContain('increase to 25 %');
    expect(d.reasons.slice(1)).toEqual(allPass);
  });

  it('promotes on the last step', () => {
    const d = decideStep(allPass, okGuardrails, { ...step, isLastStep: true, nextWeightPct: null });
    expect(d.action).toBe('promote');
    expect(d.reasons[0]!.code).toBe('ALL_NON_INFERIOR');
  });

  it('rolls back on a breached guardrail whatever the metrics, guardrail reasons first', () => {
    const d = decideStep(
      allPass,
      [state('canaryLossPct', true), state('canaryRejectRate', true)],
      step,
    );
    expect(d.action).toBe('rollback');
    expect(d.reasons.map((r) => r.code).slice(0, 2)).toEqual([
      'GUARDRAIL_CANARY_LOSS_PCT',
      'GUARDRAIL_CANARY_REJECT_RATE',
    ]);
    expect(d.reasons[0]).toMatchObject({ metric: 'canaryLossPct', estimate: 7, margin: 5 });
    expect(d.reasons.slice(2)).toEqual(allPass);
  });

  it('says what the step time counted: event time, or open time under a calendar', () => {
    const early = { ...step, elapsedInStepMs: 60_000 };
    expect(decideStep(allPass, okGuardrails, early).reasons[0]!.message).toBe(
      'step 2 has run 60 s of event time, minimum 900 s',
    );
    expect(
      decideStep(allPass, okGuardrails, { ...early, elapsedCounts: 'open time' }).reasons[0]!
        .message,
    ).toBe('step 2 has run 60 s of open time, minimum 900 s');
  });

  it('never acts on a dry-run metric: shown worse, it neither rolls back nor blocks the advance', () => {
    const dry = { ...ev('feeBps', 'worse'), dryRun: true };
    const decision = decideStep([...allPass, dry], okGuardrails, step);
    expect(decision.action).toBe('increase');
    expect(decision.reasons).toContainEqual(dry);
    // The same metric without the flag rolls back.
    expect(decideStep([...allPass, ev('feeBps', 'worse')], okGuardrails, step).action).toBe(
      'rollback',
    );
  });

  it('rolls back on a worse metric even before the step gates are met', () => {
    const evidence = [
      ev('slippageBps', 'inconclusive'),
      ev('latencyMs', 'worse'),
      ev('rejectRate', 'worse'),
    ];
    const d = decideStep(evidence, okGuardrails, {
      ...step,
      elapsedInStepMs: 0,
      canaryFillsInStep: 0,
    });
    expect(d.action).toBe('rollback');
    expect(d.reasons.map((r) => r.metric)).toEqual(['latencyMs', 'rejectRate', 'slippageBps']);
    expect(d.reasons[0]!.code).toBe('METRIC_WORSE');
  });

  it('holds for the minimum duration and the minimum fills, naming both', () => {
    const early = decideStep(allPass, okGuardrails, { ...step, elapsedInStepMs: 60_000 });
    expect(early.action).toBe('hold');
    expect(early.reasons[0]!.code).toBe('WAIT_MIN_DURATION');
    expect(early.reasons[0]!.message).toBe('step 2 has run 60 s of event time, minimum 900 s');
    const thin = decideStep(allPass, okGuardrails, { ...step, canaryFillsInStep: 999 });
    expect(thin.reasons[0]!.code).toBe('WAIT_MIN_FILLS');
    const both = decideStep(allPass, okGuardrails, {
      ...step,
      elapsedInStepMs: 0,
      canaryFillsInStep: 0,
    });
    expect(both.reasons.slice(0, 2).map((r) => r.code)).toEqual([
      'WAIT_MIN_DURATION',
      'WAIT_MIN_FILLS',
    ]);
    expect(both.action).toBe('hold');
  });

  it('holds while a required metric is inconclusive, naming it; inconclusive never promotes', () => {
    const evidence = [...allPass.slice(0, 3), ev('edgeBps', 'inconclusive')];
    const d = decideStep(evidence, okGuardrails, { ...step, isLastStep: true });
    expect(d.action).toBe('hold');
    expect(d.reasons[0]!.code).toBe('INCONCLUSIVE');
    expect(d.reasons[0]!.message).toContain('edgeBps');
  });

  it('advances on the required metrics only: an inconclusive metric the step does not require waits', () => {
    const evidence = [...allPass.slice(0, 3), ev('edgeBps', 'inconclusive')];
    const d = decideStep(evidence, okGuardrails, {
      ...step,
      requiredMetrics: stepScope('slippageBps', 'latencyMs', 'rejectRate'),
    });
    expect(d.action).toBe('increase');
    expect(d.reasons[0]!.message).toContain('(slippageBps, latencyMs, rejectRate)');
  });

  it("counts the required scope's evidence as non-inferiority, but a worse verdict in either scope", () => {
    // Non-inferior over the whole rollout but inconclusive in the step: hold when the step's is required.
    const onlyRollout = [
      ev('slippageBps', 'inconclusive'),
      ev('slippageBps', 'non_inferior', 'rollout'),
    ];
    const stepOnly = { ...step, requiredMetrics: stepScope('slippageBps') };
    expect(decideStep(onlyRollout, okGuardrails, stepOnly).action).toBe('hold');
    // The same evidence advances when the rollout's is what the step requires (returns).
    const overRollout = decideStep(onlyRollout, okGuardrails, {
      ...step,
      requiredMetrics: [{ metric: 'slippageBps', scope: 'rollout' }],
    });
    expect(overRollout.action).toBe('increase');
    expect(overRollout.reasons[0]!.message).toContain('(slippageBps over the rollout)');
    // Worse over the whole rollout: rollback, whatever the step says.
    const worseOverall = [ev('slippageBps', 'non_inferior'), ev('slippageBps', 'worse', 'rollout')];
    const d = decideStep(worseOverall, okGuardrails, stepOnly);
    expect(d.action).toBe('rollback');
    expect(d.reasons[0]).toMatchObject({ metric: 'slippageBps', scope: 'rollout' });
  });

  it("advances on the rollout's evidence only once the step's own can show harm", () => {
    const withCi = (
      e: DecisionReason,
      ci: readonly [number | null, number | null] | null,
      clusters: number,
    ): DecisionReason => ({ ...e, ci, clusters });
    const required = {
      ...step,
      requiredMetrics: [
        { metric: 'slippageBps', scope: 'rollout' as const },
        { metric: 'edgeBps', scope: 'rollout' as const },
      ],
    };
    const rollout = [
      ev('slippageBps', 'non_inferior', 'rollout'),
      ev('edgeBps', 'non_inferior', 'rollout'),
    ];
    // One bucket in the step: no bound at all (the fault at this weight cannot show yet).
    const oneBucket = [
      withCi(ev('slippageBps', 'inconclusive'), null, 1),
      withCi(ev('edgeBps', 'inconclusive'), [-1, 1], 5),
      ...rollout,
    ];
    const held = decideStep(oneBucket, okGuardrails, required);
    expect(held.action).toBe('hold');
    expect(held.reasons[0]!.code).toBe('WAIT_STEP_EVIDENCE');
    expect(held.reasons[0]!.message).toBe(
      "step 2's own evidence cannot test slippageBps (1 bucket) for deterioration yet",
    );
    // Past the maximum, it halts for a person saying why.
    const atMax = decideStep(oneBucket, okGuardrails, {
      ...required,
      elapsedInStepMs: required.maxDurationMs!,
    });
    expect(atMax.action).toBe('halt');
    expect(atMax.reasons[0]!.message).toContain('cannot test slippageBps (1 bucket)');
    // Only the harm side counts: the lower bound where more is worse, the upper one for returns.
    const safeSideOnly = [
      withCi(ev('slippageBps', 'inconclusive'), [null, 2], 2),
      withCi(ev('edgeBps', 'inconclusive'), [-1, null], 3),
      ...rollout,
    ];
    const both = decideStep(safeSideOnly, okGuardrails, required);
    expect(both.reasons[0]!.message).toBe(
      "step 2's own evidence cannot test slippageBps (2 buckets), edgeBps (3 intervals) for deterioration yet",
    );
    const harmSides = [
      withCi(ev('slippageBps', 'inconclusive'), [-3, null], 3),
      withCi(ev('edgeBps', 'inconclusive'), [null, 4], 3),
      ...rollout,
    ];
    expect(decideStep(harmSides, okGuardrails, required).action).toBe('increase');
    // A step record missing altogether cannot test anything.
    expect(decideStep(rollout, okGuardrails, required).reasons[0]!.code).toBe('WAIT_STEP_EVIDENCE');
    // Metrics required on the step's own evidence need no more than their verdict.
    const stepRequired = { ...step, requiredMetrics: stepScope('slippageBps') };
    expect(decideStep([ev('slippageBps', 'non_inferior')], okGuardrails, stepRequired).action).toBe(
      'increase',
    );
  });

  it('never advances while a required metric has no evidence at all', () => {
    const d = decideStep([], okGuardrails, step);
    expect(d.action).toBe('hold');
    expect(d.reasons[0]!.message).toContain('not shown non-inferior: slippageBps, latencyMs');
  });

  it('a step that requires nothing (100 %) advances on its floors when nothing is worse', () => {
    const d = decideStep([ev('edgeBps', 'inconclusive')], okGuardrails, {
      ...step,
      isLastStep: true,
      nextWeightPct: null,
      requiredMetrics: [],
    });
    expect(d.action).toBe('promote');
    expect(d.reasons[0]!.message).toContain('no metric to show');
  });

  it('at the maximum duration, an inconclusive step halts or rolls back as the plan says', () => {
    const evidence = [ev('slippageBps', 'inconclusive'), ...allPass.slice(1)];
    const atMax = { ...step, elapsedInStepMs: 60 * 60_000 };
    const halt = decideStep(evidence, okGuardrails, atMax);
    expect(halt.action).toBe('halt');
    expect(halt.reasons[0]!.code).toBe('MAX_DURATION_HALT');
    const rollback = decideStep(evidence, okGuardrails, { ...atMax, onMaxDuration: 'rollback' });
    expect(rollback.action).toBe('rollback');
    expect(rollback.reasons[0]!.code).toBe('MAX_DURATION_ROLLBACK');
    // Just before the maximum: hold.
    expect(
      decideStep(evidence, okGuardrails, { ...atMax, elapsedInStepMs: atMax.elapsedInStepMs - 1 })
        .action,
    ).toBe('hold');
    // No maximum: hold forever.
    expect(
      decideStep(evidence, okGuardrails, { ...step, maxDurationMs: null, elapsedInStepMs: 1e12 })
        .action,
    ).toBe('hold');
  });

  it('at the maximum duration, a step still short of fills does what the plan says too', () => {
    const d = decideStep(allPass, okGuardrails, {
      ...step,
      elapsedInStepMs: 61 * 60_000,
      canaryFillsInStep: 10,
      onMaxDuration: 'rollback',
    });
    expect(d.action).toBe('rollback');
    expect(d.reasons[0]!.code).toBe('MAX_DURATION_ROLLBACK');
    expect(d.reasons[0]!.message).toContain('10 canary fills, minimum 1000');
  });

  it('a passing step advances even past its maximum duration', () => {
    expect(decideStep(allPass, okGuardrails, { ...step, elapsedInStepMs: 1e9 }).action).toBe(
      'increase',
    );
  });

  it('says “shadow step” when advancing out of the shadow step', () => {
    const d = decideStep(allPass, okGuardrails, {
      ...step,
      isShadow: true,
      weightPct: 0,
      nextWeightPct: 1,
    });
    expect(d.action).toBe('increase');
    expect(d.reasons[0]!.message).toContain('shadow step');
  });

  it('keeps its invariants on any input (fast-check)', () => {
    const verdict = fc.constantFrom<MetricVerdict>(
      'better',
      'non_inferior',
      'inconclusive',
      'worse',
    );
    fc.assert(
      fc.property(
        fc.array(verdict, { maxLength: 5 }),
        fc.array(fc.boolean(), { maxLength: 4 }),
        fc.record({
          isLastStep: fc.boolean(),
          elapsedInStepMs: fc.integer({ min: 0, max: 10_000 }),
          minDurationMs: fc.integer({ min: 0, max: 10_000 }),
          maxDurationMs: fc.option(fc.integer({ min: 0, max: 10_000 })),
          canaryFillsInStep: fc.integer({ min: 0, max: 100 }),
          minCanaryFills: fc.integer({ min: 0, max: 100 }),
          onMaxDuration: fc.constantFrom<'halt' | 'rollback'>('halt', 'rollback'),
        }),
        (verdicts, breaches, s) => {
          const evidence = verdicts.map((v, i) => ev(`m${i}`, v));
          const guardrails = breaches.map((b, i) => state(`g${i}`, b));
          const context = {
            ...step,
            ...s,
            requiredMetrics: stepScope(...verdicts.map((_, i) => `m${i}`)),
          };
          const d = decideStep(evidence, guardrails, context);
          const passes = verdicts.every((v) => v === 'better' || v === 'non_inferior');
          const gatesMet =
            s.elapsedInStepMs >= s.minDurationMs && s.canaryFillsInStep >= s.minCanaryFills;
          const pastMax = s.maxDurationMs !== null && s.elapsedInStepMs >= s.maxDurationMs;
          if (breaches.some(Boolean) || verdicts.includes('worse')) {
            expect(d.action).toBe('rollback');
          } else if (passes && gatesMet) {
            expect(d.action).toBe(s.isLastStep ? 'promote' : 'increase');
          } else if (pastMax) {
            expect(d.action).toBe(s.onMaxDuration);
          } else {
            expect(d.action).toBe('hold');
          }
          // Advance only on full evidence; promote only on the last step.
          if (d.action === 'increase' || d.action === 'promote')
            expect(passes && gatesMet).toBe(true);
          if (d.action === 'promote') expect(s.isLastStep).toBe(true);
          // Every decision carries every metric's evidence.
          for (const e of evidence) expect(d.reasons).toContain(e);
          expect(d.reasons[0]!.code).toMatch(/^[A-Z_0-9]+$/);
        },
      ),
      { numRuns: 500 },
    );
  });
});

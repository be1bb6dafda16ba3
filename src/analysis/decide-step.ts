import type { DecisionAction, DecisionReason, GuardrailState } from '../core/decision.js';
import { formatNumber } from './format-number.js';
import { guardrailReasonCode } from './guardrails.js';

/** Where the rollout stands when it asks for a decision. Durations are event time, ms. */
export interface StepContext {
  /** 0-based index of the current plan step. */
  readonly stepIndex: number;
  /** True on the plan's last step: passing it promotes. */
  readonly isLastStep: boolean;
  /** True on a shadow step (weight 0: the canary trades on paper). */
  readonly isShadow: boolean;
  readonly weightPct: number;
  /** Weight the next step would set; null on the last step. */
  readonly nextWeightPct: number | null;
  /** Event time spent in this step so far, ms. */
  readonly elapsedInStepMs: number;
  readonly minDurationMs: number;
  /** null: no maximum (the step may hold forever). */
  readonly maxDurationMs: number | null;
  /** Canary fills since the step started. */
  readonly canaryFillsInStep: number;
  readonly minCanaryFills: number;
  /** What a step that has not passed by its maximum duration does. */
  readonly onMaxDuration: 'halt' | 'rollback';
}

/** The decision rule's answer: an action (or `halt`, for a person) and its reasons, main one first. */
export interface StepDecision {
  readonly action: DecisionAction | 'halt';
  readonly reasons: readonly DecisionReason[];
}

/**
 * The decision rule, a pure function of the evidence (one record per compared metric), the
 * guardrail states and the step:
 * 1. a guardrail breached → `rollback` (GUARDRAIL_*);
 * 2. a metric `worse` → `rollback` (METRIC_WORSE; before any step gate);
 * 3. every metric `non_inferior`/`better` and the step gates met (event time in step ≥ min duration,
 *    canary fills in step ≥ min fills) → `increase`, or `promote` on the last step (ALL_NON_INFERIOR);
 * 4. otherwise, once the step has lasted its max duration → `halt` or `rollback` as the plan says
 *    (MAX_DURATION_HALT / MAX_DURATION_ROLLBACK), gates unmet included;
 * 5. otherwise `hold`: WAIT_MIN_DURATION / WAIT_MIN_FILLS for unmet gates, else INCONCLUSIVE.
 * Inconclusive never advances; no evidence at all counts as inconclusive. Every metric's evidence
 * follows the main reason(s) in `reasons`.
 */
export function decideStep(
  evidence: readonly DecisionReason[],
  guardrails: readonly GuardrailState[],
  step: StepContext,
): StepDecision {
  const breached = guardrails.filter((state) => state.breached);
  if (breached.length > 0) {
    return { action: 'rollback', reasons: [...breached.map(guardrailReason), ...evidence] };
  }
  const worse = evidence.filter((e) => e.verdict === 'worse');
  if (worse.length > 0) {
    return {
      action: 'rollback',
      reasons: [...worse, ...evidence.filter((e) => e.verdict !== 'worse')],
    };
  }
  const gates: DecisionReason[] = [];
  if (!(step.elapsedInStepMs >= step.minDurationMs)) {
    gates.push(
      reason(
        'WAIT_MIN_DURATION',
        `step ${step.stepIndex} has run ${formatNumber(step.elapsedInStepMs / 1000)} s of event time, minimum ${formatNumber(step.minDurationMs / 1000)} s`,
      ),
    );
  }
  if (!(step.canaryFillsInStep >= step.minCanaryFills)) {
    gates.push(
      reason(
        'WAIT_MIN_FILLS',
        `step ${step.stepIndex} has ${step.canaryFillsInStep} canary fills, minimum ${step.minCanaryFills}`,
      ),
    );
  }
  const pending = evidence.filter((e) => e.verdict !== 'non_inferior' && e.verdict !== 'better');
  const allPass = evidence.length > 0 && pending.length === 0;
  if (allPass && gates.length === 0) {
    const action = step.isLastStep ? 'promote' : 'increase';
    const target = step.isLastStep
      ? 'promote the canary'
      : `increase to ${formatNumber(step.nextWeightPct ?? 100)} %`;
    const from = step.isShadow ? 'shadow step' : `${formatNumber(step.weightPct)} %`;
    return {
      action,
      reasons: [
        reason(
          'ALL_NON_INFERIOR',
          `every metric non-inferior at ${from}, step ${step.stepIndex} gates met: ${target}`,
        ),
        ...evidence,
      ],
    };
  }
  const why =
    gates.length > 0
      ? gates.map((g) => g.message).join('; ')
      : evidence.length === 0
        ? 'no metric evidence'
        : `not shown non-inferior: ${pending.map((e) => e.metric ?? '?').join(', ')}`;
  if (step.maxDurationMs !== null && step.elapsedInStepMs >= step.maxDurationMs) {
    const code = step.onMaxDuration === 'halt' ? 'MAX_DURATION_HALT' : 'MAX_DURATION_ROLLBACK';
    return {
      action: step.onMaxDuration,
      reasons: [
        reason(
          code,
          `step ${step.stepIndex} reached its maximum ${formatNumber(step.maxDurationMs / 1000)} s without passing (${why}): ${step.onMaxDuration}`,
        ),
        ...evidence,
      ],
    };
  }
  if (gates.length > 0) return { action: 'hold', reasons: [...gates, ...evidence] };
  return { action: 'hold', reasons: [reason('INCONCLUSIVE', `hold: ${why}`), ...evidence] };
}

function reason(code: string, message: string): DecisionReason {
  return {
    code,
    metric: null,
    message,
    estimate: null,
    ci: null,
    n: null,
    nStable: null,
    margin: null,
    test: null,
    alpha: null,
    verdict: null,
  };
}

function guardrailReason(state: GuardrailState): DecisionReason {
  return {
    code: guardrailReasonCode(state.name),
    metric: state.name,
    message: `${state.name} ${formatNumber(state.value)} ${state.unit} > limit ${formatNumber(state.limit)}`,
    estimate: Number.isFinite(state.value) ? state.value : null,
    ci: null,
    n: null,
    nStable: null,
    margin: state.limit,
    test: 'guardrail',
    alpha: null,
    verdict: null,
  };
}

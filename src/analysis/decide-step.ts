import {
  plainReason,
  type DecisionAction,
  type DecisionReason,
  type GuardrailState,
} from '../core/decision.js';
import type { EvidenceScope } from './paired-order-metrics.js';
import { metricDirection, type MetricName } from './compared-metric.js';
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
  /** Time spent in this step so far, ms: event time, or open time under a calendar that says so. */
  readonly elapsedInStepMs: number;
  /** What {@link elapsedInStepMs} counts, for the reasons' text (default `event time`). */
  readonly elapsedCounts?: 'event time' | 'open time';
  readonly minDurationMs: number;
  /** null: no maximum (the step may hold forever). */
  readonly maxDurationMs: number | null;
  /** Canary fills since the step started. */
  readonly canaryFillsInStep: number;
  readonly minCanaryFills: number;
  /** What a step that has not passed by its maximum duration does. */
  readonly onMaxDuration: 'halt' | 'rollback';
  /**
   * The metrics this step needs shown non-inferior to advance, each by the evidence of its scope
   * (the step's own, or the whole rollout's); empty on a step that advances on its floors alone
   * (a 100 % step has no stable arm to compare).
   */
  readonly requiredMetrics: readonly RequiredMetric[];
}

/** A metric a step requires shown non-inferior, and by which scope's evidence. */
export interface RequiredMetric {
  readonly metric: string;
  readonly scope: EvidenceScope;
}

/** The decision rule's answer: an action (or `halt`, for a person) and its reasons, main one first. */
export interface StepDecision {
  readonly action: DecisionAction | 'halt';
  readonly reasons: readonly DecisionReason[];
}

/**
 * The decision rule, a pure function of the evidence (per metric, the step's record and the whole
 * rollout's), the guardrail states and the step:
 * 1. a guardrail breached → `rollback` (GUARDRAIL_*);
 * 2. any metric shown `worse`, in either scope → `rollback` (METRIC_WORSE; before any step gate):
 *    the deterioration tests run at every step; a dry-run metric's (`dryRun`) never acts;
 * 3. every metric the step requires shown `non_inferior`/`better` by the evidence of its scope
 *    (the step's own by default; the whole rollout's for a metric that needs more data than a
 *    step gathers, such as returns), and the step's floors met (event time in step ≥ min duration, canary fills in step ≥ min fills)
 *    → `increase`, or `promote` on the last step (ALL_NON_INFERIOR): a step ends as soon as its
 *    evidence is conclusive, the floors are only operational minimums; a metric required on the
 *    whole rollout's evidence also needs the step's own deterioration test able to speak, a bound
 *    on its harm side (WAIT_STEP_EVIDENCE while not: the rollout's average cannot show a fault
 *    that appeared at this step's weight, so the step never advances before its own test could);
 * 4. otherwise, once the step has lasted its max duration → `halt` or `rollback` as the plan says
 *    (MAX_DURATION_HALT / MAX_DURATION_ROLLBACK), floors unmet included;
 * 5. otherwise `hold`: WAIT_MIN_DURATION / WAIT_MIN_FILLS for unmet floors, WAIT_STEP_EVIDENCE
 *    for a step test not able to speak yet, else INCONCLUSIVE.
 * Inconclusive never advances; a required metric without evidence is inconclusive. Every
 * metric's evidence follows the main reason(s) in `reasons`.
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
  const acts = (e: DecisionReason): boolean => e.verdict === 'worse' && e.dryRun !== true;
  const worse = evidence.filter(acts);
  if (worse.length > 0) {
    return {
      action: 'rollback',
      reasons: [...worse, ...evidence.filter((e) => !acts(e))],
    };
  }
  const gates: DecisionReason[] = [];
  if (!(step.elapsedInStepMs >= step.minDurationMs)) {
    gates.push(
      plainReason(
        'WAIT_MIN_DURATION',
        `step ${step.stepIndex} has run ${formatNumber(step.elapsedInStepMs / 1000)} s of ${step.elapsedCounts ?? 'event time'}, minimum ${formatNumber(step.minDurationMs / 1000)} s`,
      ),
    );
  }
  if (!(step.canaryFillsInStep >= step.minCanaryFills)) {
    gates.push(
      plainReason(
        'WAIT_MIN_FILLS',
        `step ${step.stepIndex} has ${step.canaryFillsInStep} canary fills, minimum ${step.minCanaryFills}`,
      ),
    );
  }
  const untested = step.requiredMetrics
    .filter(({ scope }) => scope === 'rollout')
    .map(({ metric }) => ({ metric, record: stepRecord(evidence, metric) }))
    .filter(({ metric, record }) => !hasHarmBound(metric, record));
  if (untested.length > 0) {
    gates.push(
      plainReason(
        'WAIT_STEP_EVIDENCE',
        `step ${step.stepIndex}'s own evidence cannot test ${untested.map(describeUntested).join(', ')} for deterioration yet`,
      ),
    );
  }
  const pending = step.requiredMetrics
    .filter(({ metric, scope }) => {
      const record = evidence.find((e) => e.metric === metric && (e.scope ?? 'step') === scope);
      return (
        record === undefined || !(record.verdict === 'non_inferior' || record.verdict === 'better')
      );
    })
    .map(describeRequirement);
  const allPass = pending.length === 0;
  if (allPass && gates.length === 0) {
    const action = step.isLastStep ? 'promote' : 'increase';
    const target = step.isLastStep
      ? 'promote the canary'
      : `increase to ${formatNumber(step.nextWeightPct ?? 100)} %`;
    const from = step.isShadow ? 'shadow step' : `${formatNumber(step.weightPct)} %`;
    const what =
      step.requiredMetrics.length === 0
        ? `no metric to show at ${from} (none worse)`
        : `every required metric non-inferior at ${from} (${step.requiredMetrics.map(describeRequirement).join(', ')})`;
    return {
      action,
      reasons: [
        plainReason('ALL_NON_INFERIOR', `${what}, step ${step.stepIndex} floors met: ${target}`),
        ...evidence,
      ],
    };
  }
  const why =
    gates.length > 0
      ? gates.map((g) => g.message).join('; ')
      : `not shown non-inferior: ${pending.join(', ')}`;
  if (step.maxDurationMs !== null && step.elapsedInStepMs >= step.maxDurationMs) {
    const code = step.onMaxDuration === 'halt' ? 'MAX_DURATION_HALT' : 'MAX_DURATION_ROLLBACK';
    return {
      action: step.onMaxDuration,
      reasons: [
        plainReason(
          code,
          `step ${step.stepIndex} reached its maximum ${formatNumber(step.maxDurationMs / 1000)} s without passing (${why}): ${step.onMaxDuration}`,
        ),
        ...evidence,
      ],
    };
  }
  if (gates.length > 0) return { action: 'hold', reasons: [...gates, ...evidence] };
  return { action: 'hold', reasons: [plainReason('INCONCLUSIVE', `hold: ${why}`), ...evidence] };
}

/** The step's own evidence record of `metric`, if the analysis gave one. */
function stepRecord(
  evidence: readonly DecisionReason[],
  metric: string,
): DecisionReason | undefined {
  return evidence.find((e) => e.metric === metric && (e.scope ?? 'step') === 'step');
}

/**
 * True when `record` has a bound on the side that shows harm (the lower one for a metric where
 * more is worse, the upper one for returns): its deterioration test can roll back.
 */
function hasHarmBound(metric: string, record: DecisionReason | undefined): boolean {
  const ci = record?.ci ?? null;
  if (ci === null) return false;
  const harmSide = metricDirection(metric as MetricName) === 'higher-is-better' ? ci[1] : ci[0];
  return harmSide !== null;
}

function describeUntested({
  metric,
  record,
}: {
  metric: string;
  record: DecisionReason | undefined;
}): string {
  const clusters = record?.clusters;
  if (clusters === undefined) return metric;
  const unit = metric === 'edgeBps' ? 'interval' : 'bucket';
  return `${metric} (${clusters} ${clusters === 1 ? unit : `${unit}s`})`;
}

function describeRequirement({ metric, scope }: RequiredMetric): string {
  return scope === 'step' ? metric : `${metric} over the rollout`;
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

import type { DecisionReason, MetricVerdict } from '../core/decision.js';
import {
  metricDirection,
  metricUnit,
  type MetricDirection,
  type MetricName,
} from './compared-metric.js';
import type { MetricPolicy } from './metric-policy.js';
import type { ConfidenceInterval } from './normal-mixture-cs.js';
import { formatNumber } from './format-number.js';
import type { ReasonCode } from './reason-codes.js';

/** One compared metric's evidence: a {@link DecisionReason} whose metric fields are all filled in. */
export interface MetricEvidence extends DecisionReason {
  readonly code: Extract<ReasonCode, `METRIC_${string}`>;
  readonly metric: MetricName;
  readonly verdict: MetricVerdict;
}

/**
 * The verdict of an interval [lower, upper] for Δ = canary − stable at margin m > 0.
 * Lower-is-better: `worse` if lower > m; `better` if upper < 0; `non_inferior` if upper < m.
 * Higher-is-better: `worse` if upper < −m; `better` if lower > 0; `non_inferior` if lower > −m.
 * Otherwise (including an unbounded interval) `inconclusive`.
 */
export function verdictOf(
  direction: MetricDirection,
  lower: number,
  upper: number,
  margin: number,
): MetricVerdict {
  if (direction === 'lower-is-better') {
    if (lower > margin) return 'worse';
    if (upper < 0) return 'better';
    if (upper < margin) return 'non_inferior';
    return 'inconclusive';
  }
  if (upper < -margin) return 'worse';
  if (lower > 0) return 'better';
  if (lower > -margin) return 'non_inferior';
  return 'inconclusive';
}

const CODE_OF: Readonly<Record<MetricVerdict, MetricEvidence['code']>> = {
  worse: 'METRIC_WORSE',
  better: 'METRIC_BETTER',
  non_inferior: 'METRIC_NON_INFERIOR',
  inconclusive: 'METRIC_INCONCLUSIVE',
};

/** What {@link metricEvidence} needs: the interval and how it was made. */
export interface MetricEvidenceInput {
  readonly metric: MetricName;
  readonly interval: ConfidenceInterval;
  /** Canary observations (paired tests: pairs). */
  readonly n: number;
  /** Stable observations (paired tests: pairs, equal to `n`). */
  readonly nStable: number;
  /** What an observation is, for the message: `batches`, `orders`, `intervals`. */
  readonly unitOfObservation: string;
  readonly policy: MetricPolicy;
  readonly test: string;
  readonly minObservations: number;
}

/**
 * The evidence record of one metric: its verdict (forced `inconclusive`, code `METRIC_TOO_FEW`,
 * while either arm has fewer than `minObservations`), with non-finite numbers as null (JSON-safe).
 */
export function metricEvidence(input: MetricEvidenceInput): MetricEvidence {
  const { metric, interval, n, nStable, policy } = input;
  const tooFew = n < input.minObservations || nStable < input.minObservations;
  const verdict = tooFew
    ? 'inconclusive'
    : verdictOf(metricDirection(metric), interval.lower, interval.upper, policy.margin);
  const bounded = Number.isFinite(interval.lower) && Number.isFinite(interval.upper);
  const estimate =
    n > 0 && nStable > 0 && Number.isFinite(interval.estimate) ? interval.estimate : null;
  const ci: readonly [number, number] | null = bounded ? [interval.lower, interval.upper] : null;
  const unit = metricUnit(metric);
  const level = `${formatNumber((1 - policy.alpha) * 100)}%`;
  const message =
    `${metric} canary − stable ${estimate === null ? 'n/a' : formatNumber(estimate)} ${unit}, ` +
    `${level} CS ${ci === null ? 'unbounded' : `[${formatNumber(ci[0])}, ${formatNumber(ci[1])}]`}, ` +
    `n ${n}/${nStable} ${input.unitOfObservation}, margin ${formatNumber(policy.margin)}: ` +
    (tooFew
      ? `inconclusive (fewer than ${input.minObservations} per arm)`
      : verdict.replace('_', '-'));
  return {
    code: tooFew ? 'METRIC_TOO_FEW' : CODE_OF[verdict],
    metric,
    message,
    estimate,
    ci,
    n,
    nStable,
    margin: policy.margin,
    test: input.test,
    alpha: policy.alpha,
    verdict,
  };
}

import type { DecisionReason, MetricVerdict } from '../core/decision.js';
import {
  metricDirection,
  metricUnit,
  type MetricDirection,
  type MetricName,
} from './compared-metric.js';
import { formatNumber } from './format-number.js';
import type { MetricPolicy } from './metric-policy.js';
import type { Bounds } from './paired-bounds.js';
import type { EvidenceScope } from './paired-order-metrics.js';
import type { ReasonCode } from './reason-codes.js';

/** One compared metric's evidence in one scope: a {@link DecisionReason} with its metric fields. */
export interface MetricEvidence extends DecisionReason {
  readonly code: Extract<ReasonCode, `METRIC_${string}`>;
  readonly metric: MetricName;
  readonly verdict: MetricVerdict;
  readonly scope: EvidenceScope;
  readonly unit: string;
  readonly alphaNonInferiority: number;
  readonly clusters: number;
  readonly required: boolean;
}

/**
 * The verdict of bounds [lower, upper] for Δ = canary − stable at margin m > 0. The harm-side bound
 * decides `worse`, the safe-side bound `non_inferior` and `better`:
 * lower-is-better: `worse` if lower > m; `better` if upper < 0; `non_inferior` if upper < m.
 * Higher-is-better: `worse` if upper < −m; `better` if lower > 0; `non_inferior` if lower > −m.
 * Otherwise (including unbounded) `inconclusive`.
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

/** What {@link metricEvidence} needs: the bounds and how they were made. */
export interface MetricEvidenceInput {
  readonly metric: MetricName;
  readonly scope: EvidenceScope;
  readonly bounds: Bounds;
  /** Canary observations behind the estimate. */
  readonly n: number;
  /** Stable observations behind the estimate. */
  readonly nStable: number;
  /** What an observation is, for the message: `fills`, `orders`, `intervals`. */
  readonly unitOfObservation: string;
  /** What a cluster is, for the message: `buckets`, `intervals`. */
  readonly unitOfCluster: string;
  readonly policy: MetricPolicy;
  readonly test: string;
  /** Whether the current step needs this metric shown non-inferior to advance. */
  readonly required: boolean;
}

/**
 * The evidence record of one metric in one scope: its verdict (code `METRIC_TOO_FEW` while fewer
 * than 2 clusters make any bound possible), with non-finite numbers as null (JSON-safe).
 */
export function metricEvidence(input: MetricEvidenceInput): MetricEvidence {
  const { metric, bounds, policy, scope } = input;
  const direction = metricDirection(metric);
  const verdict = verdictOf(direction, bounds.lower, bounds.upper, policy.margin);
  const tooFew = bounds.clusters < 2;
  const estimate = Number.isFinite(bounds.estimate) ? bounds.estimate : null;
  const side = (x: number): number | null => (Number.isFinite(x) ? x : null);
  const ci: readonly [number | null, number | null] | null =
    side(bounds.lower) === null && side(bounds.upper) === null
      ? null
      : [side(bounds.lower), side(bounds.upper)];
  const unit = metricUnit(metric);
  const [lowerAlpha, upperAlpha] =
    direction === 'lower-is-better'
      ? [policy.rollbackAlpha, policy.nonInferiorityAlpha]
      : [policy.nonInferiorityAlpha, policy.rollbackAlpha];
  const pct = (alpha: number): string => `${formatNumber((1 - alpha) * 100)}%`;
  const boundsText = `[${formatBound(bounds.lower)} @${pct(lowerAlpha)}, ${formatBound(bounds.upper)} @${pct(upperAlpha)}]`;
  const message =
    `${metric} (${scope}) canary − stable ${estimate === null ? 'n/a' : formatNumber(estimate)} ${unit}, ` +
    `bounds ${boundsText}, ${input.n}/${input.nStable} ${input.unitOfObservation} in ` +
    `${bounds.clusters} ${input.unitOfCluster}, margin ${formatNumber(policy.margin)}: ` +
    (tooFew ? `inconclusive (fewer than 2 ${input.unitOfCluster})` : verdict.replace('_', '-')) +
    (policy.dryRun === true ? ' (dry run: never acts)' : '');
  return {
    code: tooFew ? 'METRIC_TOO_FEW' : CODE_OF[verdict],
    metric,
    message,
    estimate,
    ci,
    n: input.n,
    nStable: input.nStable,
    margin: policy.margin,
    test: input.test,
    alpha: policy.rollbackAlpha,
    verdict,
    scope,
    unit,
    alphaNonInferiority: policy.nonInferiorityAlpha,
    clusters: bounds.clusters,
    required: input.required,
    ...(policy.dryRun === true ? { dryRun: true } : {}),
  };
}

function formatBound(x: number): string {
  return Number.isFinite(x) ? formatNumber(x) : x > 0 ? '+∞' : '−∞';
}

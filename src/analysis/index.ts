/**
 * The analysis: anytime-valid comparison of canary against stable, paired by event-time bucket
 * (normal-mixture confidence sequences in information time), hard guardrails, the step decision
 * rule, and seed 004's naive baseline.
 * docs/analysis.md documents the formulas, defaults and reason codes.
 */
export * from './analysis-defaults.js';
export { ArmComparison, TEST_NAMES } from './arm-comparison.js';
export type { ArmComparisonOptions, ArmCounts, ScopedPolicies } from './arm-comparison.js';
export { METRIC_NAMES, metricDirection, metricUnit } from './compared-metric.js';
export type { MetricDirection, MetricName } from './compared-metric.js';
export { decideStep } from './decide-step.js';
export type { RequiredMetric, StepContext, StepDecision } from './decide-step.js';
export {
  DEFAULT_GUARDRAIL_LIMITS,
  Guardrails,
  guardrailLimitIssues,
  guardrailReasonCode,
} from './guardrails.js';
export type { GuardrailBreach, GuardrailLimits, GuardrailView } from './guardrails.js';
export { metricEvidence, verdictOf } from './metric-evidence.js';
export type { MetricEvidence, MetricEvidenceInput } from './metric-evidence.js';
export { DEFAULT_METRIC_POLICIES } from './metric-policy.js';
export type { MetricPolicies, MetricPolicy } from './metric-policy.js';
export { NaiveThresholdJudge, SEED_004_THRESHOLDS } from './naive-threshold-judge.js';
export type { NaiveArmNumbers, NaiveThresholds, NaiveVerdict } from './naive-threshold-judge.js';
export { oneSidedMixtureHalfWidth } from './mixture-bound.js';
export { normalMixtureMargin, rho2ForOptimalN } from './normal-mixture-cs.js';
export { meanBounds, rateBounds, ratioBounds, studentizedHalfWidth } from './paired-bounds.js';
export type { Bounds } from './paired-bounds.js';
export { ORDER_METRICS, PairedOrderMetrics, WINSOR_BOUNDS } from './paired-order-metrics.js';
export type { EvidenceScope, OrderMetric } from './paired-order-metrics.js';
export { PairedEdge } from './paired-edge.js';
export { REASON_CODES } from './reason-codes.js';
export type { ReasonCode } from './reason-codes.js';

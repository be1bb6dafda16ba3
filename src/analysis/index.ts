/**
 * The analysis: anytime-valid comparison of canary against stable (normal-mixture confidence
 * sequences), hard guardrails, the step decision rule, and seed 004's naive baseline.
 * docs/analysis.md documents the formulas, defaults and reason codes.
 */
export * from './analysis-defaults.js';
export { ArmComparison, TEST_NAMES } from './arm-comparison.js';
export type { ArmComparisonOptions, ArmCounts } from './arm-comparison.js';
export { bernoulliSummary } from './bernoulli-summary.js';
export { METRIC_NAMES, metricDirection, metricUnit } from './compared-metric.js';
export type { MetricDirection, MetricName } from './compared-metric.js';
export { decideStep } from './decide-step.js';
export type { StepContext, StepDecision } from './decide-step.js';
export { DEFAULT_GUARDRAIL_LIMITS, Guardrails, guardrailReasonCode } from './guardrails.js';
export type { GuardrailBreach, GuardrailLimits, GuardrailView } from './guardrails.js';
export { metricEvidence, verdictOf } from './metric-evidence.js';
export type { MetricEvidence, MetricEvidenceInput } from './metric-evidence.js';
export { DEFAULT_METRIC_POLICIES } from './metric-policy.js';
export type { MetricPolicies, MetricPolicy } from './metric-policy.js';
export { NaiveThresholdJudge, SEED_004_THRESHOLDS } from './naive-threshold-judge.js';
export type { NaiveArmNumbers, NaiveThresholds, NaiveVerdict } from './naive-threshold-judge.js';
export {
  normalMixtureMargin,
  oneSampleCs,
  rho2ForOptimalN,
  twoSampleCs,
} from './normal-mixture-cs.js';
export type { ConfidenceInterval, SampleSummary } from './normal-mixture-cs.js';
export { REASON_CODES } from './reason-codes.js';
export type { ReasonCode } from './reason-codes.js';
export { RunningMoments } from './running-moments.js';

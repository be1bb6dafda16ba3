/**
 * Every stable reason code the analysis emits, with its meaning. docs/analysis.md lists them all (a
 * test keeps the two in step). Codes never change meaning; new ones are added at the end.
 */
export const REASON_CODES = {
  // per-metric evidence (one record per compared metric, in every decision)
  METRIC_WORSE: 'the metric is shown worse than stable by more than its margin (its harm bound)',
  METRIC_NON_INFERIOR:
    'the metric is shown not worse than stable by more than its margin (its safe bound)',
  METRIC_BETTER: 'the metric is shown better than stable (and so non-inferior)',
  METRIC_INCONCLUSIVE: 'the bounds still straddle the margin',
  METRIC_TOO_FEW: 'fewer than 2 paired buckets (or intervals): no bound yet, inconclusive',
  // the step decision
  ALL_NON_INFERIOR:
    'every metric the step requires shown non-inferior and its floors met: increase, or promote on the last step',
  WAIT_MIN_DURATION: 'the step has not lasted its minimum event-time duration yet: hold',
  WAIT_MIN_FILLS: 'the canary has fewer fills in the step than the minimum: hold',
  INCONCLUSIVE: 'some required metric is not shown non-inferior yet (and none worse): hold',
  MAX_DURATION_HALT: 'the step reached its maximum duration without passing: halt for a person',
  MAX_DURATION_ROLLBACK: 'the step reached its maximum duration without passing: roll back',
  // guardrails
  GUARDRAIL_CANARY_LOSS_QUOTE: 'canary loss in quote currency above its limit: roll back',
  GUARDRAIL_CANARY_LOSS_PCT:
    'canary loss as % of canary contributed capital above its limit: roll back',
  GUARDRAIL_CANARY_DRAWDOWN_PCT:
    'canary drawdown from its P&L peak, % of contributed capital, above its limit: roll back',
  GUARDRAIL_CANARY_GROSS_EXPOSURE_PCT:
    'canary gross exposure as % of canary equity above its limit: roll back',
  GUARDRAIL_CANARY_REJECT_RATE:
    'canary reject rate over its last decision batches above its limit: roll back',
  GUARDRAIL_CANARY_STRATEGY_ERRORS: 'canary strategy errors above the allowed count: roll back',
  // the naive baseline (seed 004's thresholds), for calibration only
  NAIVE_MIN_ORDERS: 'naive judge: fewer canary orders than its minimum: wait',
  NAIVE_FILL_RATE: 'naive judge: canary fill rate more than 1 pp below stable: roll back',
  NAIVE_LATENCY: 'naive judge: canary mean latency more than 20 % above stable: roll back',
  NAIVE_SLIPPAGE: 'naive judge: canary mean slippage more than 0.5 bp above stable: roll back',
  NAIVE_PNL_PER_ORDER:
    "naive judge: canary P&L per order below 0.8 × stable's (stable's positive): roll back",
  NAIVE_PASS: 'naive judge: every threshold passed: advance',
  // the step decision (added later)
  WAIT_STEP_EVIDENCE:
    "a metric required on the rollout's evidence has no deterioration bound in the step's own evidence yet (too few buckets): hold",
} as const;

/** A reason code of the analysis. */
export type ReasonCode = keyof typeof REASON_CODES;

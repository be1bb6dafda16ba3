/**
 * Every default of the analysis in one place, as plain constants, so a calibration run can change
 * them and docs/analysis.md can list them. Units are in the names.
 */

/** Total false-rollback rate the compared metrics share (Bonferroni over {@link COMPARED_METRIC_COUNT}). */
export const TOTAL_ALPHA = 0.05;

/** How many metrics the statistical comparison covers (slippage, latency, reject rate, returns). */
export const COMPARED_METRIC_COUNT = 4;

/** Per-metric error rate: {@link TOTAL_ALPHA} split evenly (Bonferroni), 0.0125. */
export const METRIC_ALPHA = TOTAL_ALPHA / COMPARED_METRIC_COUNT;

/** Non-inferiority margin of the per-batch mean slippage, bps. */
export const SLIPPAGE_MARGIN_BPS = 1.0;

/** Non-inferiority margin of the per-batch mean fill latency, ms. */
export const LATENCY_MARGIN_MS = 5;

/** Non-inferiority margin of the reject rate, as a fraction (0.01 = 1 percentage point). */
export const REJECT_RATE_MARGIN = 0.01;

/** Non-inferiority margin of the paired return difference, bps per hour of event time. */
export const RETURN_MARGIN_BPS_PER_HOUR = 5;

/** Analysis interval for paired returns, ms of event time (a multiple of the engine's 1 s samples). */
export const ANALYSIS_INTERVAL_MS = 60_000;

/** Fewer observations than this on either arm: the metric is `inconclusive`. */
export const MIN_OBSERVATIONS = 10;

/** n* (where the confidence sequence is tightest) of the batch-mean metrics, in batches. */
export const N_STAR_BATCHES = 100;

/** n* of the per-order reject rate, in orders (canary plus stable). */
export const N_STAR_ORDERS = 2_000;

/** n* of the paired returns, in analysis intervals. */
export const N_STAR_INTERVALS = 60;

/** Guardrail: canary loss limit in quote currency; null = off (capital differs run to run). */
export const MAX_LOSS_QUOTE: number | null = null;

/** Guardrail: canary loss limit, % of canary contributed capital. */
export const MAX_LOSS_PCT = 2;

/** Guardrail: canary drawdown from its P&L peak, % of canary contributed capital. */
export const MAX_DRAWDOWN_PCT = 3;

/** Guardrail: canary gross exposure, % of canary equity (the replay's default leverage is 1×). */
export const MAX_GROSS_EXPOSURE_PCT = 110;

/** Guardrail: canary reject rate over its last {@link REJECT_WINDOW} orders, as a fraction. */
export const MAX_REJECT_RATE = 0.25;

/** Guardrail: how many of the canary's latest orders the reject rate looks at. */
export const REJECT_WINDOW = 200;

/** Guardrail: the reject rate is judged only once the window holds at least this many orders. */
export const MIN_ORDERS_FOR_REJECT_RATE = 50;

/** Guardrail: canary strategy errors allowed (0: the first one rolls back). */
export const MAX_STRATEGY_ERRORS = 0;

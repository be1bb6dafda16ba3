/**
 * Every default of the analysis in one place, as plain constants, so a calibration run can change
 * them and docs/analysis.md can list them. Units are in the names.
 */

/**
 * Total false-rollback rate of the compared metrics over a whole rollout (Bonferroni over
 * {@link COMPARED_METRIC_COUNT}: any metric shown worse rolls back, so the union is what counts).
 */
export const TOTAL_ROLLBACK_ALPHA = 0.05;

/** How many metrics the statistical comparison covers (slippage, latency, reject rate, fees, edge). */
export const COMPARED_METRIC_COUNT = 5;

/**
 * Per-metric false-rollback rate over the whole rollout, 0.01: half for the rollout-wide
 * sequence, half split evenly over the plan's comparison steps (their restarted sequences).
 */
export const METRIC_ROLLBACK_ALPHA = TOTAL_ROLLBACK_ALPHA / COMPARED_METRIC_COUNT;

/**
 * Error rate of each step's non-inferiority bounds, per metric, one-sided. No correction across
 * metrics: advancing needs every required metric shown non-inferior (an intersection–union test,
 * Berger 1982), so a canary at the margin of any one metric advances with probability ≤ this.
 */
export const NON_INFERIORITY_ALPHA = 0.025;

/** Non-inferiority margin of fill slippage, bps. */
export const SLIPPAGE_MARGIN_BPS = 1.0;

/** Non-inferiority margin of fill latency, ms. */
export const LATENCY_MARGIN_MS = 5;

/** Non-inferiority margin of the reject rate, as a fraction (0.01 = 1 percentage point). */
export const REJECT_RATE_MARGIN = 0.01;

/**
 * Non-inferiority margin of the fee per fill, bps of the fill's notional (a tenth of Binance's
 * 10 bps taker fee: a canary that pays it on every fill gives up what a 1 bp slippage costs).
 */
export const FEE_MARGIN_BPS = 1.0;

/** Non-inferiority margin of the return per unit of turnover, bps of traded notional. */
export const EDGE_MARGIN_BPS = 2;

/**
 * Width of the event-time buckets that pair per-order metrics, and of the paired return
 * intervals, ms (a multiple of the engine's 1 s samples).
 */
export const ANALYSIS_INTERVAL_MS = 60_000;

/** A bucket still waiting for reports closes anyway this long after its end, ms of event time. */
export const BUCKET_CLOSE_AFTER_MS = 60_000;

/** Guardrail: canary loss limit in quote currency; null = off (capital differs run to run). */
export const MAX_LOSS_QUOTE: number | null = null;

/** Guardrail: canary loss limit, % of canary contributed capital. */
export const MAX_LOSS_PCT = 2;

/** Guardrail: canary drawdown from its P&L peak, % of canary contributed capital. */
export const MAX_DRAWDOWN_PCT = 3;

/** Guardrail: canary gross exposure, % of canary equity (the replay's default leverage is 1×). */
export const MAX_GROSS_EXPOSURE_PCT = 110;

/**
 * Guardrail: canary reject rate over its last {@link REJECT_WINDOW_BATCHES} decision batches, as a
 * fraction. Half: a canary whose orders the venue refuses that often is broken; a venue outage
 * that empties one batch of five does not trip it (the statistics judge moderate rates).
 */
export const MAX_REJECT_RATE = 0.5;

/** Guardrail: how many of the canary's latest decision batches the reject rate looks at. */
export const REJECT_WINDOW_BATCHES = 5;

/** Guardrail: the reject rate is judged only once the window holds this many decision batches. */
export const MIN_BATCHES_FOR_REJECT_RATE = 3;

/**
 * Guardrail: decisions this close to a batch's first one (ms of event time) join that batch, so
 * that one venue outage, which can span a strategy's quick succession of decisions, is one batch.
 */
export const REJECT_BATCH_GAP_MS = 10_000;

/** Guardrail: canary strategy errors allowed (0: the first one rolls back). */
export const MAX_STRATEGY_ERRORS = 0;

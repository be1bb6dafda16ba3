/** What the analyzer tells the rollout to do. */
export type DecisionAction = 'increase' | 'promote' | 'hold' | 'rollback';

/**
 * A compared metric's verdict, canary against stable, at its margin:
 * - `worse`: shown worse than stable by more than the margin (the confidence bound excludes it);
 * - `non_inferior`: shown not worse by more than the margin;
 * - `better`: shown better than stable (the bound excludes "no better");
 * - `inconclusive`: none of the above yet.
 */
export type MetricVerdict = 'better' | 'non_inferior' | 'inconclusive' | 'worse';

/**
 * One piece of evidence behind a decision. `code` is stable and documented (docs/analysis.md, docs/rollout.md).
 * Metric fields are null for reasons not tied to a metric (step gates, guardrails, operators).
 */
export interface DecisionReason {
  readonly code: string;
  /** The compared metric (`slippageBps`, `latencyMs`, `rejectRate`, `feeBps`, `edgeBps`) or guardrail, or null. */
  readonly metric: string | null;
  readonly message: string;
  /** Point estimate of canary minus stable, in the metric's unit, when there is one. */
  readonly estimate: number | null;
  /**
   * Anytime-valid bounds of the estimate, [lower, upper]: the bound that can show the canary worse
   * is at `alpha`, the one that can show it non-inferior at `alphaNonInferiority`
   * (docs/analysis.md). A side without a bound yet is null; null when neither has one.
   */
  readonly ci: readonly [number | null, number | null] | null;
  /** Canary observations behind the estimate (fills, orders or intervals: see `test`). */
  readonly n: number | null;
  /** Stable observations behind the estimate (for the paired return: equal to `n`). */
  readonly nStable: number | null;
  /** The margin the verdict is judged at, in the metric's unit (worse-by-more-than). */
  readonly margin: number | null;
  /** The statistical test or confidence sequence used, by stable name. */
  readonly test: string | null;
  /** The error rate of the bound that can show harm (a rollback). */
  readonly alpha: number | null;
  readonly verdict: MetricVerdict | null;
  /** Metric evidence only: over the current step (`step`) or the whole rollout (`rollout`). */
  readonly scope?: 'step' | 'rollout';
  /** Metric evidence only: the unit of `estimate`, `ci` and `margin`. */
  readonly unit?: string;
  /** Metric evidence only: the error rate of the bound that can show non-inferiority. */
  readonly alphaNonInferiority?: number;
  /** Metric evidence only: the paired event-time buckets (or intervals) behind the estimate. */
  readonly clusters?: number;
  /**
   * Metric evidence only: true for a metric the plan marks `dryRun`: computed, reported and
   * audited, never acting (a `worse` verdict does not roll back, nothing requires it). Absent
   * otherwise.
   */
  readonly dryRun?: boolean;
  /** Metric evidence only: whether this step needs the metric shown non-inferior to advance. */
  readonly required?: boolean;
}

/** A reason that carries no statistics (a gate, a guardrail, an operator): code and message only. */
export function plainReason(code: string, message: string): DecisionReason {
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

/** A hard guardrail's reading at decision time. */
export interface GuardrailState {
  /** Stable name, e.g. `canaryLossPct`, `canaryDrawdownPct`, `canaryRejectRate`. */
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  readonly unit: string;
  readonly breached: boolean;
}

/** A rollout decision, as report.json and the audit log carry it. */
export interface Decision {
  /** 1, 2, 3… in the order taken. */
  readonly seq: number;
  /** Event time the decision was taken at, µs. */
  readonly atTsUs: number;
  readonly action: DecisionAction;
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  /** Index of the plan step the decision was taken in (0-based), or null outside the steps. */
  readonly stepIndex: number | null;
  /**
   * `applied`; `proposed` (manual mode: waits for an operator's approve or reject); `queued` (a
   * rollback waiting for a transition in progress to finish); `refused` (not allowed now: stale,
   * halted, or during a transition; the reason is in `reasons`).
   */
  readonly disposition: 'applied' | 'proposed' | 'queued' | 'refused';
  readonly reasons: readonly DecisionReason[];
  readonly guardrails: readonly GuardrailState[];
}

/** What the analyzer tells the rollout to do. */
export type DecisionAction = 'increase' | 'promote' | 'hold' | 'rollback';

/** One piece of evidence behind a decision; `code` is stable and documented. */
export interface DecisionReason {
  readonly code: string;
  /** The compared metric (e.g. `slippageBps`), or null for reasons not tied to one. */
  readonly metric: string | null;
  readonly message: string;
  /** Point estimate of canary minus stable, in the metric's unit, when there is one. */
  readonly estimate: number | null;
  /** Confidence interval of the estimate, [lower, upper], when there is one. */
  readonly ci: readonly [number, number] | null;
  /** Sample size behind the estimate. */
  readonly n: number | null;
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
  readonly reasons: readonly DecisionReason[];
}

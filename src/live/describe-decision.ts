/** A decision as a bot hears it from the rollout's server (a `decision` frame's). */
export interface HeardDecision {
  readonly at: string;
  readonly action: string;
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  /** `applied`, or `proposed` (waits for an operator), `queued`, `refused`. */
  readonly disposition: string;
  readonly reasons: readonly { readonly code: string; readonly message: string }[];
}

/**
 * The line a bot prints for a decision it heard, as `serve` prints it: its disposition unless
 * applied, so that a proposal or a refused increase does not read as a change of weight.
 */
export function describeDecision(decision: HeardDecision): string {
  const weights =
    decision.fromWeightPct === decision.toWeightPct
      ? `${decision.fromWeightPct} %`
      : `${decision.fromWeightPct} % → ${decision.toWeightPct} %`;
  const disposition = decision.disposition === 'applied' ? '' : ` (${decision.disposition})`;
  const reason = decision.reasons[0];
  const why = reason === undefined ? '' : `  ${reason.code}: ${reason.message}`;
  return `decision ${decision.at}  ${decision.action} ${weights}${disposition}${why}`;
}

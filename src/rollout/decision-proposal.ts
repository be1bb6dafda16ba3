import type { DecisionAction, DecisionReason, GuardrailState } from '../core/decision.js';

/**
 * Where a proposal comes from: the statistical `analysis`, or a hard `guardrail` breach (a
 * rollback that applies at once in every mode, halted or not).
 */
export type ProposalTrigger = 'analysis' | 'guardrail';

/**
 * What the analysis (or a guardrail check) tells the controller, before the controller decides
 * what to do with it (`RolloutController.onDecision`).
 */
export interface DecisionProposal {
  readonly type: 'decision-proposal';
  readonly action: DecisionAction;
  /**
   * The plan step the analysis was evaluated at (0-based). An advance (`increase`, `promote`)
   * is refused unless it equals the controller's current step.
   */
  readonly stepIndex: number;
  readonly trigger: ProposalTrigger;
  /** Evidence, recorded as given. */
  readonly reasons: readonly DecisionReason[];
  /** Guardrail states at decision time, recorded as given. */
  readonly guardrails: readonly GuardrailState[];
}

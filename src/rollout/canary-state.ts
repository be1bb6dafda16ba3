import type { ResumedFrom } from './rollout-session.js';
import type { RolloutStatus } from './rollout-state.js';

/**
 * Where a rollout is, as its host shows it to a bot, an operator or a dashboard (`Canary.state`,
 * the server's state frames).
 */
export interface CanaryState {
  readonly status: RolloutStatus;
  readonly halted: boolean;
  readonly stepIndex: number | null;
  readonly weightPct: number;
  /** How the rollout was opened: fresh, or resumed from the state file and/or the audit log. */
  readonly resumedFrom: ResumedFrom;
}

/**
 * The control layer: a rollout (the controller, the analysis, the guardrails and the audit log of
 * `src/rollout/` and `src/analysis/`) run on a host that trades, the replay's engine or an embedding
 * bot's books. Between `rollout/` below and `engine/`, `embed/` and `live/` above.
 */
export type { RolloutHost } from './rollout-host.js';
export {
  RolloutRunner,
  type NaiveOutcome,
  type OperatorOutcome,
  type RolloutOutcome,
  type RolloutRunOptions,
} from './rollout-runner.js';

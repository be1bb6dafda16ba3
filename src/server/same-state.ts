import type { CanaryState } from '../rollout/index.js';

/** True when two readings of the canary's state agree on every field. */
export function sameState(a: CanaryState, b: CanaryState): boolean {
  return (
    a.status === b.status &&
    a.halted === b.halted &&
    a.stepIndex === b.stepIndex &&
    a.weightPct === b.weightPct &&
    a.resumedFrom === b.resumedFrom
  );
}

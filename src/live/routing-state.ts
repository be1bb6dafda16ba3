import type { CanaryState } from '../rollout/index.js';
import type { RolloutHost } from '../control/index.js';
import { weightPctToBps } from '../router/index.js';

/** The routing part of a rollout's state: what decides which arm each account trades. */
export interface RoutingState {
  readonly status: CanaryState['status'];
  readonly weightBps: number;
}

/** The routing part of `state`. */
export function routingStateOf(state: CanaryState): RoutingState {
  return { status: state.status, weightBps: weightPctToBps(state.weightPct) };
}

export function sameRouting(a: RoutingState | null, b: RoutingState): boolean {
  return a !== null && a.status === b.status && a.weightBps === b.weightBps;
}

/**
 * Puts a host (the trading engine) where the rollout's state says, through the same commands a
 * rollout runner gives it, so accounts that change arm move as the plan's positions policy says
 * (flattened on the arm they leave, or handed over): a step trades the canary at its weight,
 * promotion moves everyone to it, a rollback sends everyone back to stable, and before the start
 * (a shadow step too: a bot has no paper execution) every account trades stable. The router ends
 * up as `syncRouter` (src/rollout/router-sync.ts) would put it. Returns the accounts moving.
 */
export function applyRoutingState(
  host: Pick<RolloutHost, 'holdAllOnStable' | 'goLive' | 'promote' | 'rollback'>,
  state: RoutingState,
): number {
  switch (state.status) {
    case 'step':
      return host.goLive(state.weightBps);
    case 'promoted':
      return host.promote();
    case 'rolled_back':
      return host.rollback();
    case 'pending':
    case 'shadow':
      return host.holdAllOnStable();
  }
}

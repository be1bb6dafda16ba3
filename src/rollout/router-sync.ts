import { weightPctToBps, type Router } from '../router/index.js';
import type { RolloutCommand } from './rollout-command.js';
import type { RolloutStatus, TransitionInProgress } from './rollout-state.js';

/**
 * Applies a command's routing part to `router` (the engine does the rest: moving positions,
 * swapping the stable arm's strategy on promotion): `set-weight` sets the weight, with the kill
 * switch on for a shadow step (the canary trades on paper only, canary pins included) and off
 * otherwise; `promote` promotes the router (`promoteCanary`: weight 100 % and every account,
 * stable pins and exclusions included, routes to the canary version); `rollback` sets 0 and turns
 * the kill switch on, so canary pins route to stable too.
 */
export function applyRouterCommand(router: Router, command: RolloutCommand): void {
  switch (command.type) {
    case 'set-weight':
      router.setWeightBps(command.toWeightBps);
      if (command.shadow) router.disableCanary();
      else router.enableCanary();
      return;
    case 'promote':
      router.promoteCanary();
      return;
    case 'rollback':
      router.setWeightBps(0);
      router.disableCanary();
      return;
  }
}

/**
 * Puts `router` in the state a controller says (at engine start and after a restart): promoted
 * after a promotion; else its weight, and the kill switch on unless a step with weight is live:
 * before the start, in shadow and after a rollback no account trades the canary, canary pins
 * included.
 */
export function syncRouter(
  router: Router,
  controller: { readonly weightBps: number; readonly status: RolloutStatus },
): void {
  if (controller.status === 'promoted') {
    router.promoteCanary();
    return;
  }
  router.setWeightBps(controller.weightBps);
  if (canaryLive(controller.status)) router.enableCanary();
  else router.disableCanary();
}

/**
 * The state a controller's router had before its transition in progress: the controller's own
 * without one, else the weight the transition began at (live if above 0). A host restarting with no
 * record of its moves opens there; applying the transition again then tells its moves.
 */
export function routingBeforeTransition(controller: {
  readonly weightBps: number;
  readonly status: RolloutStatus;
  readonly transition: TransitionInProgress | null;
}): { readonly weightBps: number; readonly status: RolloutStatus } {
  const transition = controller.transition;
  if (transition === null) return controller;
  const weightBps = weightPctToBps(transition.fromWeightPct);
  return { weightBps, status: weightBps > 0 ? 'step' : 'pending' };
}

/** True when accounts may trade the canary for real: a step with weight, or after promotion. */
export function canaryLive(status: RolloutStatus): boolean {
  return status === 'step' || status === 'promoted';
}

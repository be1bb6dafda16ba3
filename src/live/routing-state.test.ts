import { describe, expect, it } from 'vitest';
import { Router } from '../router/index.js';
import { syncRouter } from '../rollout/index.js';
import type { CanaryState } from '../rollout/index.js';
import { applyRoutingState, routingStateOf, sameRouting } from './routing-state.js';

function state(status: CanaryState['status'], weightPct: number): CanaryState {
  return {
    status,
    halted: false,
    stepIndex: status === 'step' ? 0 : null,
    weightPct,
    resumedFrom: 'new',
  };
}

/** A host whose commands drive a router, as the engine's do. */
function routerHost(): { router: Router; calls: string[] } & Parameters<
  typeof applyRoutingState
>[0] {
  const router = new Router({ salt: 's', weightBps: 0 });
  const calls: string[] = [];
  return {
    router,
    calls,
    holdAllOnStable: () => (calls.push('hold'), router.disableCanary(), 0),
    goLive: (bps) => (
      calls.push(`live ${bps}`),
      router.setWeightBps(bps),
      router.enableCanary(),
      0
    ),
    promote: () => (calls.push('promote'), router.promoteCanary(), 0),
    rollback: () => (calls.push('rollback'), router.disableCanary(), 0),
  };
}

describe('applyRoutingState', () => {
  it('gives the host the command of each status, and routes every account as syncRouter would', () => {
    const host = routerHost();
    const reference = new Router({ salt: 's', weightBps: 0 });
    const ids = Array.from({ length: 300 }, (_, i) => `acct-${i}`);
    for (const s of [
      state('pending', 0),
      state('step', 5),
      state('step', 25),
      state('rolled_back', 0),
    ]) {
      const routing = routingStateOf(s);
      applyRoutingState(host, routing);
      syncRouter(reference, routing);
      expect(ids.map((id) => host.router.route(id))).toEqual(ids.map((id) => reference.route(id)));
    }
    applyRoutingState(host, routingStateOf(state('promoted', 100)));
    expect(ids.every((id) => host.router.route(id) === 'canary')).toBe(true);
    expect(host.calls).toEqual(['hold', 'live 500', 'live 2500', 'rollback', 'promote']);
  });

  it('sees a change of status or weight, not of the halted flag', () => {
    const step = routingStateOf(state('step', 5));
    expect(sameRouting(null, step)).toBe(false);
    expect(sameRouting(step, routingStateOf({ ...state('step', 5), halted: true }))).toBe(true);
    expect(sameRouting(step, routingStateOf(state('step', 25)))).toBe(false);
    expect(sameRouting(step, routingStateOf(state('promoted', 5)))).toBe(false);
  });
});

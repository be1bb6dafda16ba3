import type { HealthBody } from '../../server/index.js';
import { formatDecisionLine, plural } from '../format-summary.js';

/** Where the rollout is, in words: `step 2 at 25 %, halted`, `promoted at 100 %`, `not started`. */
export function describeRolloutState(state: HealthBody['rollout']): string {
  const halted = state.halted ? ', halted' : '';
  switch (state.status) {
    case 'pending':
      return `not started (baseline)${halted}`;
    case 'step':
    case 'shadow':
      return `step ${(state.stepIndex ?? 0) + 1} at ${state.weightPct} %${halted}`;
    case 'promoted':
      return `promoted at ${state.weightPct} %`;
    case 'rolled_back':
      return `rolled back at ${state.weightPct} %`;
  }
}

/** `ctl status`: the rollout's state, what waits for an operator, the last decision, the counts. */
export function formatStatus(health: HealthBody): string {
  const lines = [`rollout: ${describeRolloutState(health.rollout)}`];
  const pending = health.pending;
  if (pending !== null) {
    lines.push(
      `waiting for an operator: proposal ${pending.id}, ${pending.action} (ctl approve ${pending.id}, or ctl reject ${pending.id})`,
    );
    for (const reason of pending.reasons) lines.push(`  ${reason.code}: ${reason.message}`);
  }
  lines.push(
    health.lastDecision === null
      ? 'last decision: none yet'
      : `last decision: ${formatDecisionLine(health.lastDecision)}`,
  );
  const arms = (['stable', 'canary'] as const).map((arm) => {
    const r = health.recorded[arm];
    return `${arm} ${plural(r.orders, 'order')}, ${plural(r.fills, 'fill')}, ${plural(r.rejects, 'reject')}`;
  });
  lines.push(`recorded: ${arms.join('; ')}`);
  const c = health.connections;
  lines.push(
    `connections: ${plural(c.agent, 'agent')}, ${plural(c.operator, 'operator')}, ${plural(c.subscriber, 'subscriber')}`,
  );
  const calendar = health.calendar;
  if (calendar !== undefined) {
    const why =
      calendar.blackout === null ? 'outside the sessions' : `blackout "${calendar.blackout}"`;
    lines.push(
      calendar.open
        ? 'trading calendar: open (steps may advance)'
        : `trading calendar: closed, ${why}, ${calendar.opensAtLocal === null ? 'never opens again' : `until ${calendar.opensAtLocal}`} (no step advances; rollbacks still apply)`,
    );
  }
  if (health.fleet !== undefined) {
    lines.push(
      `fleet on NATS: this server is the ${health.fleet.role} (${health.fleet.controllerId}), log applied to ${health.fleet.appliedSeq}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

import { describe, expect, it } from 'vitest';
import type { HealthBody } from '../../server/index.js';
import { formatStatus } from './format-status.js';

/** A /health body as `serve` answered it after the README's "Running live" run. */
function health(connections: HealthBody['connections']): HealthBody {
  return {
    status: 'ok',
    rollout: { status: 'step', halted: true, stepIndex: 0, weightPct: 5, resumedFrom: 'new' },
    pending: null,
    lastDecision: null,
    recorded: {
      stable: { orders: 4185, fills: 4185, rejects: 0 },
      canary: { orders: 280, fills: 280, rejects: 0 },
    },
    connections,
    bufferedBytes: 0,
    seq: 79,
  };
}

describe('ctl status', () => {
  it('counts the connections as it counts the reports: "1 operator", "0 agents"', () => {
    const one = { subscriber: 1, operator: 1, agent: 1, pending: 0, total: 3 };
    expect(formatStatus(health(one))).toContain('connections: 1 agent, 1 operator, 1 subscriber\n');
    const none = { subscriber: 0, operator: 0, agent: 0, pending: 0, total: 0 };
    expect(formatStatus(health(none))).toContain(
      'connections: 0 agents, 0 operators, 0 subscribers\n',
    );
  });
});

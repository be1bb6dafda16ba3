import { describe, expect, it } from 'vitest';
import { ACCOUNTS, T0_MS, TEST_SALT } from '../embed/test-support/bot-driver.js';
import type { ServerFrame } from '../protocol/index.js';
import type { AgentMessage, AgentTransport, AgentTransportEvents } from './agent-transport.js';
import { CanaryAgent, MAX_COMMAND_FAILURES, type AgentStatus } from './canary-agent.js';

/** A transport in memory: what the agent sent, and a hand to play the rollout's side. */
class MemoryTransport implements AgentTransport {
  readonly sent: AgentMessage[] = [];
  readonly restarts: string[] = [];
  events: AgentTransportEvents | null = null;
  closed = false;

  start(events: AgentTransportEvents): void {
    this.events = events;
  }

  send(message: AgentMessage): void {
    this.sent.push(message);
  }

  restart(reason: string): void {
    this.restarts.push(reason);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  frame(frame: ServerFrame): void {
    this.events!.frame(frame);
  }

  reportIds(): string[] {
    return this.sent.flatMap((m) => (m.type === 'report' ? [m.reportId] : []));
  }
}

/** An agent of the test accounts over `transport` (`maxInFlight` as given, else the default). */
const agentOver = (transport: MemoryTransport, maxInFlight?: number): CanaryAgent =>
  new CanaryAgent({
    transport,
    agentId: 'bot-1',
    salt: TEST_SALT,
    accounts: ACCOUNTS,
    ...(maxInFlight === undefined ? {} : { maxInFlight }),
  });

const state = (weightPct: number): ServerFrame => ({
  type: 'state',
  seq: 0,
  state: { status: 'step', halted: false, stepIndex: 0, weightPct, resumedFrom: 'new' },
});

const order = (n: number) =>
  ({
    type: 'order',
    orderId: `o-${n}`,
    accountId: ACCOUNTS[0]!.id,
    arm: 'stable',
    symbol: 'BTCUSDT',
    side: 'buy',
    quantity: '0.001',
    decisionTsMs: T0_MS + n,
  }) as const;

describe('CanaryAgent over a transport of its own', () => {
  it('sends only in a session, paces reports in flight, replays in order after a drop', async () => {
    const transport = new MemoryTransport();
    const agent = agentOver(transport, 2);
    const statuses: AgentStatus['type'][] = [];
    agent.status$.subscribe((s) => statuses.push(s.type));
    try {
      const first = agent.report(order(1));
      expect(transport.sent).toEqual([]); // no session yet
      expect(agent.route(ACCOUNTS[0]!.id)).toBe('stable');

      transport.frame(state(100));
      expect(agent.connected).toBe(true);
      expect(agent.route(ACCOUNTS[0]!.id)).toBe('canary');
      const second = agent.report(order(2));
      const third = agent.report(order(3));
      expect(transport.reportIds()).toEqual([first, second]); // at most 2 in flight

      transport.frame({ type: 'ack', reportId: first, accepted: true });
      expect(transport.reportIds()).toEqual([first, second, third]);

      transport.events!.down({ type: 'disconnected', code: 1006, reason: '' });
      expect(agent.connected).toBe(false);
      const fourth = agent.report(order(4));
      expect(transport.reportIds()).toEqual([first, second, third]);

      transport.sent.length = 0;
      transport.frame(state(100));
      // Not acknowledged, oldest first, paced again: the rollout drops what it had already.
      expect(transport.reportIds()).toEqual([second, third]);
      transport.frame({ type: 'ack', reportId: second, accepted: true, repeated: true });
      transport.frame({ type: 'error', code: 'RATE_LIMITED', message: 'slow', reportId: third });
      expect(transport.restarts).toHaveLength(1);
      expect(agent.connected).toBe(false);
      expect(transport.reportIds()).toEqual([second, third, fourth]);
      expect(agent.stats).toMatchObject({ reported: 4, accepted: 2, repeated: 1, pending: 2 });
      expect(statuses).toEqual(['connected', 'disconnected', 'connected']);
    } finally {
      await agent.close();
    }
    expect(transport.closed).toBe(true);
  });

  it('keeps a report the canary failed on (closing) and replays it; refuses a malformed one once', async () => {
    const transport = new MemoryTransport();
    const agent = agentOver(transport);
    try {
      transport.frame(state(0));
      const first = agent.report(order(1));
      const second = agent.report(order(2));
      transport.frame({
        type: 'error',
        code: 'COMMAND_FAILED',
        message: 'the canary refused the report: E_CLOSED',
        reportId: first,
      });
      expect(transport.restarts).toHaveLength(1);
      expect(agent.stats).toMatchObject({ accepted: 0, refused: 0, pending: 2 });

      transport.sent.length = 0;
      transport.frame(state(0)); // the restarted server
      expect(transport.reportIds()).toEqual([first, second]);
      transport.frame({ type: 'ack', reportId: first, accepted: true });
      transport.frame({ type: 'error', code: 'BAD_MESSAGE', message: 'bad', reportId: second });
      expect(agent.stats).toMatchObject({ accepted: 1, refused: 1, pending: 0 });
      expect(transport.restarts).toHaveLength(1); // a malformed report is not retried
      await agent.flush();
    } finally {
      await agent.close();
    }
  });

  it('gives up on a report the canary fails on every time, so the reports after it go on', async () => {
    const transport = new MemoryTransport();
    const agent = agentOver(transport);
    const refusals: string[] = [];
    agent.outcomes$.subscribe((o) => {
      if (!o.accepted) refusals.push(`${o.reportId} ${o.rejection?.code} ${o.rejection?.message}`);
    });
    try {
      transport.frame(state(0));
      const poison = agent.report(order(1));
      const next = agent.report(order(2));
      const fail = () =>
        transport.frame({
          type: 'error',
          code: 'COMMAND_FAILED',
          message: 'the canary refused the report: boom',
          reportId: poison,
        });
      for (let attempt = 1; attempt < MAX_COMMAND_FAILURES; attempt++) {
        fail();
        expect(transport.restarts).toHaveLength(attempt); // kept, and sent again in order
        transport.sent.length = 0;
        transport.frame(state(0));
        expect(transport.reportIds()).toEqual([poison, next]);
      }
      expect(agent.stats).toMatchObject({ refused: 0, pending: 2 });
      fail();
      expect(transport.restarts).toHaveLength(MAX_COMMAND_FAILURES - 1); // no more reconnects
      expect(refusals).toEqual([
        `${poison} INVALID COMMAND_FAILED ${MAX_COMMAND_FAILURES} times, given up: the canary refused the report: boom`,
      ]);
      transport.frame({ type: 'ack', reportId: next, accepted: true });
      expect(agent.stats).toMatchObject({ accepted: 1, refused: 1, pending: 0 });
      await agent.flush();
    } finally {
      await agent.close();
    }
  });
});

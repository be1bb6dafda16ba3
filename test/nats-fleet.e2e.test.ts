import { afterEach, describe, expect, it } from 'vitest';
import type { Canary } from '../src/embed/create-canary.js';
import { ACCOUNTS, T0_MS, TEST_SALT, testCanary } from '../src/embed/test-support/bot-driver.js';
import { CanaryAgent, type AgentStatus } from '../src/fleet/canary-agent.js';
import { NatsAgentTransport } from '../src/fleet/nats-agent-transport.js';
import { reportRound } from '../src/fleet/test-support/report-round.js';
import { createCanaryServer, type CanaryServer } from '../src/server/index.js';
import { skipWithoutNats, startNatsServer, type NatsServer } from './nats-server-harness.js';
import { until } from './wait-until.js';

function recordedTotal(canary: Canary): number {
  const { stable, canary: c } = canary.recorded;
  return stable.orders + stable.fills + c.orders + c.fills;
}

describe.skipIf(skipWithoutNats)('the fleet on NATS JetStream', () => {
  let nats: NatsServer | null = null;
  let server: CanaryServer | null = null;
  let canary: Canary | null = null;
  const agents: CanaryAgent[] = [];

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()));
    await server?.close();
    canary?.close();
    await nats?.dispose();
    nats = null;
    server = null;
    canary = null;
  });

  it('books every report of an agent once, through a kill and a restart of the NATS server', async () => {
    nats = await startNatsServer();
    canary = testCanary({ lateReportMs: 60_000 });
    const rollout = canary;
    rollout.clock.advance(T0_MS); // the rollout starts: its first step's weight
    server = await createCanaryServer({
      canary: rollout,
      tokens: { operator: 'operator-token-0123456789abcdef' },
      nats: { url: nats.url, rollout: TEST_SALT },
    });
    const agent = new CanaryAgent({
      transport: new NatsAgentTransport({ url: nats.url, rollout: TEST_SALT, agentId: 'bot-1' }),
      agentId: 'bot-1',
      salt: TEST_SALT,
      accounts: ACCOUNTS,
    });
    agents.push(agent);
    const statuses: AgentStatus['type'][] = [];
    agent.status$.subscribe((s) => statuses.push(s.type));
    await until('the agent has a session', () => agent.connected);

    let fills = 0;
    for (let round = 0; round < 6; round++) {
      fills += reportRound(agent, round);
      if (round === 2) {
        // Killed with part of the round booked and part in flight; restarted on its store.
        const booked = recordedTotal(rollout);
        await until(
          `some of the round booked (${JSON.stringify(agent.stats)})`,
          () => recordedTotal(rollout) > booked,
        );
        await nats.kill();
        await until('the agent sees the loss', () => !agent.connected);
        await nats.restart();
        await until('a session again', () => agent.connected);
      }
    }
    await agent.flush(30_000);
    const recorded = rollout.recorded;
    expect(recorded.stable.fills + recorded.canary.fills).toBe(fills);
    expect(recorded.stable.orders + recorded.canary.orders).toBe(fills);
    expect(Object.values(rollout.rejections).reduce((a, b) => a + b, 0)).toBe(0);
    expect(agent.stats).toMatchObject({
      reported: 2 * fills,
      accepted: 2 * fills,
      refused: 0,
      pending: 0,
      badFrames: 0,
    });
    expect(statuses).toContain('disconnected');
    expect(agent.stats.connections).toBeGreaterThanOrEqual(2);
  }, 90_000);
});

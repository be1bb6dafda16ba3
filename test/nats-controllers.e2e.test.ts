import { afterEach, describe, expect, it } from 'vitest';
import type { Canary } from '../src/embed/create-canary.js';
import {
  T0_MS,
  TEST_SALT,
  testCanary,
  trade,
  ACCOUNTS,
} from '../src/embed/test-support/bot-driver.js';
import { CanaryAgent } from '../src/fleet/canary-agent.js';
import { NatsAgentTransport } from '../src/fleet/nats-agent-transport.js';
import { reportRound } from '../src/fleet/test-support/report-round.js';
import { createCanaryServer, type CanaryServer } from '../src/server/index.js';
import { TestClient } from '../src/server/test-support/test-client.js';
import { skipWithoutNats, startNatsServer, type NatsServer } from './nats-server-harness.js';
import { until } from './wait-until.js';

const OPERATOR = 'operator-token-0123456789abcdef';

describe.skipIf(skipWithoutNats)('controllers of one rollout on NATS', () => {
  let nats: NatsServer | null = null;
  const servers: CanaryServer[] = [];
  const canaries: Canary[] = [];
  const agents: CanaryAgent[] = [];
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(agents.splice(0).map((a) => a.close()));
    for (const server of servers.splice(0)) await server.close();
    for (const canary of canaries.splice(0)) canary.close();
    await nats?.dispose();
    nats = null;
  });

  /**
   * A controller (a canary and its server) on the test's NATS. A leader steps down when it cannot
   * renew for half its lease, so a short lease (the default here, 600 ms) hands over within a
   * test's time, and a leader that must keep the lease however busy the machine gets a long one.
   */
  async function controller(
    id: string,
    leaseMs = 600,
  ): Promise<{ canary: Canary; server: CanaryServer }> {
    const canary = testCanary({ lateReportMs: 60_000 });
    canaries.push(canary);
    const server = await createCanaryServer({
      canary,
      tokens: { operator: OPERATOR, agent: 'agent-token-0123456789' },
      nats: { url: nats!.url, rollout: TEST_SALT, leaseMs, controllerId: id },
    });
    servers.push(server);
    return { canary, server };
  }

  function agent(): CanaryAgent {
    const a = new CanaryAgent({
      transport: new NatsAgentTransport({
        url: nats!.url,
        rollout: TEST_SALT,
        agentId: 'bot-1',
        answerAfterMs: 500,
      }),
      agentId: 'bot-1',
      salt: TEST_SALT,
      accounts: ACCOUNTS,
    });
    agents.push(a);
    return a;
  }

  /**
   * NATS, controller A leading, B standing by, and an agent whose clock has started the rollout;
   * every controller with a lease of `leaseMs`.
   */
  async function leaderStandbyAndAgent(leaseMs?: number): Promise<{
    a: Awaited<ReturnType<typeof controller>>;
    b: Awaited<ReturnType<typeof controller>>;
    bot: CanaryAgent;
  }> {
    nats = await startNatsServer();
    const a = await controller('A', leaseMs);
    await until('A leads', () => a.server.fleet()?.role === 'leader');
    const b = await controller('B', leaseMs);
    const bot = agent();
    await until('the agent has a session', () => bot.connected);
    bot.clock(T0_MS); // through the log: both rollouts start at the same event time
    return { a, b, bot };
  }

  it('one leads, the others apply the same log: a late one catches up, a command reaches all', async () => {
    // A keeps the lease throughout: with 600 ms, a loaded machine that stalled A's event loop for
    // 300 ms made B the leader (seen under two busy loops), and the roles below are the point.
    const lease = 60_000;
    const { a, b, bot } = await leaderStandbyAndAgent(lease);
    let fills = 0;
    for (let round = 0; round < 4; round++) fills += reportRound(bot, round);
    await bot.flush(30_000);
    await until(
      'B applied the whole log',
      () => b.server.fleet()?.appliedSeq === a.server.fleet()?.appliedSeq,
    );
    expect(b.server.fleet()?.role).toBe('standby');
    expect(a.canary.recorded.stable.fills + a.canary.recorded.canary.fills).toBe(fills);
    expect(b.canary.recorded).toEqual(a.canary.recorded);
    expect(b.canary.state).toEqual(a.canary.state);

    // A controller started now reads the log from its first message.
    const c = await controller('C', lease);
    await until('C caught up', () => c.server.fleet()?.appliedSeq === a.server.fleet()?.appliedSeq);
    expect(c.canary.recorded).toEqual(a.canary.recorded);
    expect(c.server.fleet()?.role).toBe('standby');

    // An operator on a standby: the command goes through the log to every controller.
    const operator = await TestClient.hello(b.server.url, { role: 'operator', token: OPERATOR });
    clients.push(operator);
    operator.send({ type: 'command', command: 'halt', reason: 'drill', requestId: 'r1' });
    const result = await operator.next<'result'>((f) => f.type === 'result');
    expect(result).toMatchObject({ requestId: 'r1', applied: true, changed: true });
    for (const { canary } of [a, b, c]) await until('halted everywhere', () => canary.state.halted);

    // Agents are taken on NATS only: a websocket agent would bypass the log.
    const wsAgent = await TestClient.connect(a.server.url);
    clients.push(wsAgent);
    wsAgent.send({ type: 'hello', role: 'agent', token: 'agent-token-0123456789', agentId: 'x' });
    const refused = await wsAgent.next<'error'>((f) => f.type === 'error');
    expect(refused).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(refused.message).toContain('NATS');

    // Another rollout under the same name would apply a log that is not its own: refused.
    const other = testCanary({ canary: 'bot@3.0.0' });
    canaries.push(other);
    await expect(
      createCanaryServer({
        canary: other,
        tokens: { operator: OPERATOR },
        nats: { url: nats!.url, rollout: TEST_SALT },
      }),
    ).rejects.toThrow(/belongs to another rollout/u);
  }, 90_000);

  it('hands the lease over when the leader stops, and the new leader answers the agents', async () => {
    const { a, b, bot } = await leaderStandbyAndAgent();
    let fills = reportRound(bot, 0);
    await bot.flush(30_000);

    await a.server.close(); // frees its lease: B leads at once, not a lease later
    await until('B leads', () => b.server.fleet()?.role === 'leader');
    for (let round = 1; round < 4; round++) fills += reportRound(bot, round);
    await bot.flush(30_000);
    expect(b.canary.recorded.stable.fills + b.canary.recorded.canary.fills).toBe(fills);
    expect(bot.stats).toMatchObject({ refused: 0, pending: 0, accepted: 2 * fills });
  }, 90_000);

  it('skips a log message the canary throws on, counts and tells it, and goes on at once', async () => {
    nats = await startNatsServer();
    const canary = testCanary({ lateReportMs: 60_000 });
    canaries.push(canary);
    // A canary that throws on one symbol's events, as on any event it cannot take.
    const picky = new Proxy(canary, {
      get: (target, key) =>
        key === 'onMarketEvent'
          ? (event: Parameters<Canary['onMarketEvent']>[0]) => {
              if (event.symbol === 'BAD') throw new Error('no such symbol');
              target.onMarketEvent(event);
            }
          : (Reflect.get(target, key) as unknown),
    });
    const refusals: string[] = [];
    const server = await createCanaryServer({
      canary: picky,
      tokens: { operator: OPERATOR, agent: 'agent-token-0123456789' },
      nats: {
        url: nats.url,
        rollout: TEST_SALT,
        leaseMs: 60_000,
        onRefused: (why) => refusals.push(why),
      },
    });
    servers.push(server);
    await until('the controller leads', () => server.fleet()?.role === 'leader');
    const bot = agent();
    await until('the agent has a session', () => bot.connected);
    bot.market({ ...trade(T0_MS, 60_000), symbol: 'BAD' });
    bot.clock(T0_MS + 5000); // sent after the market event, so applied after it
    await until('the clock applied', () => canary.clock.nowMs === T0_MS + 5000);
    expect(server.fleet()?.refused).toBe(1);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/^log message \d+ \(market\) refused: no such symbol$/);
  });
});

import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import type { Canary } from '../embed/create-canary.js';
import { ACCOUNTS, T0_MS, TEST_SALT, testCanary } from '../embed/test-support/bot-driver.js';
import { createCanaryServer, type CanaryServer } from '../server/index.js';
import { CanaryAgent, type AgentStatus } from './canary-agent.js';
import { ReportOutbox } from './report-outbox.js';
import { reportRound } from './test-support/report-round.js';
import { startTcpProxy, type TcpProxy } from './test-support/tcp-proxy.js';

const AGENT_TOKEN = 'agent-token-0123456789abcdef';
const FAST_BACKOFF = { initialMs: 20, maxMs: 50 };

/** Resolves once `condition` holds (polled every 2 ms), or fails after 10 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in 10 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function total(canary: Canary): number {
  const { stable, canary: c } = canary.recorded;
  return stable.orders + stable.fills + c.orders + c.fills;
}

describe('CanaryAgent', () => {
  let dir: string;
  let canary: Canary;
  let server: CanaryServer;
  let proxy: TcpProxy;
  const agents: CanaryAgent[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-'));
    canary = testCanary({ lateReportMs: 60_000 });
    server = await createCanaryServer({
      canary,
      tokens: { operator: 'operator-token-0123456789abcdef', agent: AGENT_TOKEN },
    });
    proxy = await startTcpProxy(server.port);
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.close()));
    await proxy.close();
    await server.close();
    canary.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function agentOf(options: { token?: string; outboxPath?: string } = {}): CanaryAgent {
    const agent = new CanaryAgent({
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      token: options.token ?? AGENT_TOKEN,
      agentId: 'bot-1',
      salt: TEST_SALT,
      accounts: ACCOUNTS,
      backoff: FAST_BACKOFF,
      ...(options.outboxPath === undefined ? {} : { outboxPath: options.outboxPath }),
    });
    agents.push(agent);
    return agent;
  }

  it('routes every account as the server does once it hears the state, and after a restart from its journal alone', async () => {
    const outboxPath = join(dir, 'outbox.jsonl');
    const agent = agentOf({ outboxPath });
    expect(ACCOUNTS.every((a) => agent.route(a.id) === 'stable')).toBe(true); // nothing heard yet
    canary.clock.advance(T0_MS); // the rollout starts: its first step's weight
    const live = await firstValueFrom(agent.state$.pipe(filter((s) => s?.status === 'step')));
    expect(live?.weightPct).toBe(5);
    const canaryAccounts = ACCOUNTS.filter((a) => canary.route(a.id) === 'canary');
    expect(canaryAccounts.length).toBeGreaterThan(0);
    expect(ACCOUNTS.every((a) => agent.route(a.id) === canary.route(a.id))).toBe(true);

    // The bot restarts while the server is away: it routes at the last weight it knew.
    await agent.close();
    await proxy.close();
    const restarted = agentOf({ outboxPath });
    expect(restarted.state?.weightPct).toBe(5);
    expect(ACCOUNTS.every((a) => restarted.route(a.id) === canary.route(a.id))).toBe(true);
  });

  it('counts every report once when the connection is cut with reports in flight', async () => {
    const agent = agentOf();
    const statuses: AgentStatus['type'][] = [];
    agent.status$.subscribe((s) => statuses.push(s.type));
    await firstValueFrom(agent.state$.pipe(filter((s) => s !== null)));
    let fills = 0;
    let cuts = 0;
    for (let round = 0; round < 6; round++) {
      const cutNow = round === 2 || round === 4;
      const atHold = total(canary);
      if (cutNow) await until(() => agent.connected);
      fills += reportRound(agent, round);
      if (cutNow) {
        // Cut with the round part recorded, part in flight: what the agent sends again must
        // count once.
        await until(() => total(canary) > atHold);
        proxy.cut();
        cuts++;
        await until(() => statuses.filter((t) => t === 'connected').length === cuts + 1);
      }
    }
    await agent.flush(10_000);
    const recorded = canary.recorded;
    expect(recorded.stable.fills + recorded.canary.fills).toBe(fills);
    expect(recorded.stable.orders + recorded.canary.orders).toBe(fills);
    expect(agent.stats).toMatchObject({
      reported: 2 * fills,
      accepted: 2 * fills,
      refused: 0,
      pending: 0,
    });
    expect(statuses.filter((s) => s === 'disconnected')).toHaveLength(2);
    expect(agent.stats.connections).toBe(3);
  });

  it('stops at a refused hello instead of reconnecting', async () => {
    const agent = agentOf({ token: 'wrong-token-0123456789abcdef' });
    const refused = await firstValueFrom(
      agent.status$.pipe(filter((s) => s.type === 'refused' || s.type === 'reconnecting')),
    );
    expect(refused).toMatchObject({ type: 'refused' });
    expect(agent.connected).toBe(false);
    expect(server.stats().connections.agent).toBe(0);
  });
});

describe('ReportOutbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const report = (n: number) =>
    ({ type: 'strategy-error', arm: 'canary', tsMs: n, message: `e${n}` }) as const;

  it('gives back the unacknowledged reports, in order, and goes on numbering after them', () => {
    const path = join(dir, 'outbox.jsonl');
    const first = new ReportOutbox(path);
    const ids = [1, 2, 3, 4].map((n) => first.add(report(n)));
    expect(ids).toEqual(['1', '2', '3', '4']);
    first.settle('1');
    first.settle('3');
    const second = new ReportOutbox(path);
    expect([...second.pending()].map((e) => e.reportId)).toEqual(['2', '4']);
    expect(second.get('4')).toEqual(report(4));
    expect(second.add(report(5))).toBe('5');
    expect(second.settle('1')).toBe(false); // settled before the restart
  });

  it('cuts off a line torn by a kill, so the next append starts a line of its own', () => {
    const path = join(dir, 'outbox.jsonl');
    const first = new ReportOutbox(path);
    first.add(report(1));
    appendFileSync(path, '{"id":"2","report":{"type":"str'); // killed mid-append
    const second = new ReportOutbox(path);
    expect([...second.pending()].map((e) => e.reportId)).toEqual(['1']);
    expect(second.add(report(2))).toBe('2');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.every((line) => JSON.parse(line) !== null)).toBe(true);
  });

  it('refuses a journal with a bad line in the middle', () => {
    const path = join(dir, 'outbox.jsonl');
    writeFileSync(path, '{"next":1}\nnot json\n{"ack":"1"}\n');
    expect(() => new ReportOutbox(path)).toThrow(ConfigError);
  });

  it('without a journal, prefixes ids so a restarted bot never reuses one', () => {
    const a = new ReportOutbox().add(report(1));
    const b = new ReportOutbox().add(report(1));
    expect(a).not.toBe(b);
    expect(a.endsWith('-1')).toBe(true);
  });
});

describe('CanaryAgent and frames it cannot read', () => {
  it('acts on no frame that fails the protocol, and counts them', async () => {
    const { WebSocketServer } = await import('ws');
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const address = wss.address();
    if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
    const sent: unknown[] = [];
    wss.on('connection', (ws) => {
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { type: string; reportId?: string };
        sent.push(message);
        if (message.type === 'hello') {
          ws.send('{not json');
          // A state the agent would route by, with a weight no rollout has: refused.
          ws.send(
            JSON.stringify({
              type: 'state',
              seq: 1,
              state: {
                status: 'step',
                halted: false,
                stepIndex: 0,
                weightPct: 150,
                resumedFrom: 'new',
              },
            }),
          );
          ws.send(
            JSON.stringify({
              type: 'state',
              seq: 2,
              state: {
                status: 'step',
                halted: false,
                stepIndex: 0,
                weightPct: 100,
                resumedFrom: 'new',
              },
            }),
          );
        }
        if (message.type === 'report') {
          // An ack whose `accepted` is not a boolean: not an answer.
          ws.send(JSON.stringify({ type: 'ack', reportId: message.reportId, accepted: 'yes' }));
        }
      });
    });
    const agent = new CanaryAgent({
      url: `ws://127.0.0.1:${address.port}/ws`,
      token: AGENT_TOKEN,
      agentId: 'bot-1',
      salt: TEST_SALT,
      accounts: ACCOUNTS,
      backoff: FAST_BACKOFF,
    });
    try {
      await until(() => agent.connected);
      expect(agent.state?.weightPct).toBe(100);
      expect(agent.route(ACCOUNTS[0]!.id)).toBe('canary');
      agent.report({
        type: 'order',
        orderId: 'o-1',
        accountId: ACCOUNTS[0]!.id,
        arm: 'canary',
        symbol: 'BTCUSDT',
        side: 'buy',
        quantity: '0.01',
        decisionTsMs: T0_MS,
      });
      await until(() => agent.stats.badFrames === 3);
      expect(agent.stats).toMatchObject({ reported: 1, accepted: 0, refused: 0, pending: 1 });
    } finally {
      await agent.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});

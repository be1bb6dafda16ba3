import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  binanceStreamUrl,
  BinanceStreamClient,
  serveFeed,
  type FeedServer,
} from '../feeds/index.js';
import { ARMS } from '../src/core/arm.js';
import { createCanary, type Canary } from '../src/embed/create-canary.js';
import { CanaryAgent } from '../src/fleet/index.js';
import { driveFeed, liveAccounts, loadArmStrategies, SimulatedBot } from '../src/live/index.js';
import type { ReportDecision } from '../src/report/report-json.js';
import { createCanaryServer, type CanaryServer } from '../src/server/index.js';
import { TestClient } from '../src/server/test-support/test-client.js';
import { ROOT, SAMPLES } from './cli-harness.js';

// The example bot end to end, on loopback: serve-feed replays the bundled sample as fast as it is
// read → the bot (SimulatedBot + CanaryAgent + BinanceStreamClient) → a canary server → a
// subscriber. "Done when: the example bot runs against serve-feed with the bundled sample and
// the server shows its decisions."

const SAMPLE = join(SAMPLES, 'spot_btcusdt_20240808.gz');
const TOKENS = { operator: 'operator-token-live-bot', agent: 'agent-token-live-bot' };
const SALT = 'live-bot-e2e';
const STABLE = 'momentum@1.0.0';
const CANARY = 'momentum@2.0.0';

const open: { feeds: FeedServer[]; servers: CanaryServer[]; clients: TestClient[] } = {
  feeds: [],
  servers: [],
  clients: [],
};

afterEach(async () => {
  for (const client of open.clients.splice(0)) client.close();
  await Promise.all(open.servers.splice(0).map((server) => server.close()));
  await Promise.all(open.feeds.splice(0).map((feed) => feed.close()));
});

/**
 * serve-feed of the sample at full speed, and a canary server with `accounts` accounts on the
 * `aggressive` plan (as `serve --plan aggressive --accounts N --capital 10000` would run it), with
 * a subscriber following it.
 */
async function setUp(accounts: number): Promise<{
  feed: FeedServer;
  feedUrl: string;
  canary: Canary;
  server: CanaryServer;
  subscriber: TestClient;
}> {
  const feed = await serveFeed({ files: [SAMPLE], speed: 'max' });
  open.feeds.push(feed);
  const canary = createCanary({
    stable: STABLE,
    canary: CANARY,
    plan: 'aggressive',
    salt: SALT,
    accounts: (await liveAccounts({ accounts: String(accounts) })).map((a) => ({
      id: a.id,
      capital: a.capital.toFixed(),
    })),
    lateReportMs: 60_000, // the server's default for a fleet (serve --late-ms)
  });
  const server = await createCanaryServer({ canary, tokens: TOKENS });
  open.servers.push(server);
  const subscriber = await TestClient.hello(server.url, { role: 'subscriber' });
  open.clients.push(subscriber);
  return { feed, feedUrl: binanceStreamUrl(feed.url, feed.streams), canary, server, subscriber };
}

const decisionFrames = (client: TestClient): ReportDecision[] =>
  client.frames.flatMap((f) => (f.type === 'decision' ? [f.decision] : []));

function expectNoRefusals(canary: Canary): void {
  expect(
    Object.values(canary.rejections).every((n) => n === 0),
    JSON.stringify(canary.rejections),
  ).toBe(true);
}

describe('the example bot, against serve-feed and a canary server', () => {
  it("trades the sample as the server's agent: the server records every fill on its arm and decides", async () => {
    const { feedUrl, canary, server, subscriber } = await setUp(500);
    const accounts = await liveAccounts({ accounts: '500' });
    const agent = new CanaryAgent({
      url: server.url,
      token: TOKENS.agent,
      agentId: 'bot-1',
      salt: SALT,
      accounts,
    });
    const heard: ReportDecision[] = [];
    agent.decisions$.subscribe((decision) => heard.push(decision));
    const bot = new SimulatedBot({
      agentId: 'bot-1',
      accounts,
      salt: SALT,
      strategies: await loadArmStrategies({ stable: STABLE, canary: CANARY }),
      routing: agent,
      reports: agent,
      market: agent,
    });
    const feed = new BinanceStreamClient({ url: feedUrl, time: 'exchange' });
    await subscriber.next((f) => f.type === 'state', true);
    await firstValueFrom(agent.state$.pipe(filter((state) => state !== null)));

    const result = await driveFeed({ feed, bot, pacer: agent, idleExitMs: 1000 });
    bot.finish();
    await agent.flush(20_000);

    // The whole capture went through, nothing dropped.
    expect(result.end).toBe('idle');
    expect(feed.stats.dropped).toBe(0);
    expect(bot.stats.events).toBe(feed.stats.events);
    expect(bot.stats.events).toBeGreaterThan(37_000);

    // Every report accepted, and the server's counts per arm are the bot's own.
    expect(agent.stats).toMatchObject({ refused: 0, pending: 0, accepted: bot.stats.reports });
    expectNoRefusals(canary);
    for (const arm of ARMS) {
      const { orders, fills, rejects } = bot.stats.arms[arm];
      expect(canary.recorded[arm], arm).toEqual({ orders, fills, rejects });
    }
    expect(bot.stats.arms.stable.fills).toBeGreaterThan(1000);
    expect(bot.stats.arms.canary.fills).toBeGreaterThan(50);
    const health = (await (await fetch(`${server.httpUrl}/health`)).json()) as {
      recorded: Canary['recorded'];
    };
    expect(health.recorded).toEqual(canary.recorded);

    // The rollout started on the bot's event time and decided; the subscriber saw what the bot
    // heard. On this sample the aggressive plan holds at 5 % and, after its 3-minute maximum,
    // halts for an operator.
    expect(canary.state).toMatchObject({ status: 'step', stepIndex: 0, weightPct: 5 });
    expect(bot.routing).toEqual({ status: 'step', weightBps: 500 });
    const lastSeq = server.stats().seq;
    await subscriber.next((f) => 'seq' in f && f.seq === lastSeq, true);
    const seen = decisionFrames(subscriber);
    expect(seen.length).toBeGreaterThan(0);
    expect(heard).toEqual(seen);
    expect(seen.some((d) => d.reasons[0]?.code === 'MAX_DURATION')).toBe(true);
    expect(canary.state.halted).toBe(true);
    await agent.close();
  });

  it('runs examples/live-bot.ts as a child process: it exits 0 and the server has its fills', async () => {
    const { feedUrl, canary, server, subscriber } = await setUp(200);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'examples/live-bot.ts',
        ...['--feed', feedUrl, '--server', server.url, '--agent-id', 'example-bot'],
        ...['--accounts', '200', '--slice', '1/2', '--salt', SALT, '--idle-exit', '1'],
      ],
      {
        cwd: ROOT,
        env: { ...process.env, STRATEGY_CANARY_AGENT_TOKEN: TOKENS.agent },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    const lastSeq = server.stats().seq;
    await subscriber.next((f) => 'seq' in f && f.seq === lastSeq, true);
    expect(stdout).toMatch(/^server: connected$/mu);
    expect(stdout).toMatch(/^feed: connected$/mu);
    expect(stdout).toMatch(/^stopped \(the feed went quiet\): /mu);
    // The decisions the server took, one line each, as the subscriber saw them.
    const printed = stdout.split('\n').filter((line) => line.startsWith('decision '));
    const seen = decisionFrames(subscriber);
    expect(seen.length).toBeGreaterThan(0);
    expect(printed.length).toBe(seen.length);
    expect(printed[0]).toContain(seen[0]!.at);

    // The server recorded the fills the bot says it made, and refused nothing.
    const summary =
      /stable (\d+) orders, (\d+) fills, (\d+) rejects; canary (\d+) orders, (\d+) fills, (\d+) rejects; server accepted (\d+) reports, refused 0/u.exec(
        stdout,
      );
    expect(summary, stdout).not.toBeNull();
    const [stableOrders, stableFills, stableRejects, canaryOrders, canaryFills, canaryRejects] =
      summary!.slice(1, 7).map(Number);
    expect(canary.recorded).toEqual({
      stable: { orders: stableOrders, fills: stableFills, rejects: stableRejects },
      canary: { orders: canaryOrders, fills: canaryFills, rejects: canaryRejects },
    });
    expect(stableFills! + canaryFills!).toBeGreaterThan(100);
    expectNoRefusals(canary);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Decision } from '../core/decision.js';
import type { Canary } from '../embed/create-canary.js';
import { reportDecisionOf } from '../report/report-json.js';
import {
  createCanaryServer,
  type CanaryServer,
  type CanaryServerOptions,
  type HealthBody,
} from './create-canary-server.js';
import type { ServerFrame } from '../protocol/index.js';
import { ACCOUNTS, drive, T0_MS, testCanary, trade } from '../embed/test-support/bot-driver.js';
import { TestClient } from './test-support/test-client.js';

const TOKENS = { operator: 'operator-token-0123456789', agent: 'agent-token-0123456789' };
const open: { servers: CanaryServer[]; clients: TestClient[] } = { servers: [], clients: [] };

async function serve(
  canary: Canary,
  extra: Partial<CanaryServerOptions> = {},
): Promise<CanaryServer> {
  const server = await createCanaryServer({ canary, tokens: TOKENS, ...extra });
  open.servers.push(server);
  return server;
}

async function hello(
  server: CanaryServer,
  hello: { role: string; token?: string; agentId?: string },
): Promise<TestClient> {
  const client = await TestClient.hello(server.url, hello);
  open.clients.push(client);
  return client;
}

async function connect(server: CanaryServer): Promise<TestClient> {
  const client = await TestClient.connect(server.url);
  open.clients.push(client);
  return client;
}

const operator = (server: CanaryServer) =>
  hello(server, { role: 'operator', token: TOKENS.operator });
const agent = (server: CanaryServer, agentId = 'agent-1') =>
  hello(server, { role: 'agent', token: TOKENS.agent, agentId });
const seqs = (frames: readonly ServerFrame[]) => frames.flatMap((f) => ('seq' in f ? [f.seq] : []));
const ofType = <T extends ServerFrame['type']>(frames: readonly ServerFrame[], type: T) =>
  frames.filter((f): f is ServerFrame & { type: T } => f.type === type);

/** Waits (polling) until `condition` holds, or fails after 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5000) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sends a message the server refuses, and waits for its error: everything before was handled. */
async function barrier(client: TestClient, tag: string): Promise<void> {
  client.send({ type: 'report', reportId: tag, report: 'not a report' });
  await client.next((f) => f.type === 'error' && f.reportId === tag);
}

afterEach(async () => {
  for (const client of open.clients.splice(0)) client.close();
  await Promise.all(open.servers.splice(0).map((server) => server.close()));
});

describe('createCanaryServer: subscribers', () => {
  it('gives a late subscriber the current state first, as of the last seq', async () => {
    const canary = testCanary();
    const server = await serve(canary);
    const early = await hello(server, { role: 'subscriber' });
    expect(early.frames[0]).toEqual({ type: 'state', seq: 0, state: canary.state });
    expect(canary.state.status).toBe('pending');

    drive(canary, 1); // starts the rollout (still inside the first step): state and assignments go out
    const lastSeq = server.stats().seq;
    expect(lastSeq).toBeGreaterThan(0);
    await early.next((f) => 'seq' in f && f.seq === lastSeq, true);

    const late = await hello(server, { role: 'subscriber' });
    expect(late.frames).toHaveLength(1);
    expect(late.frames[0]).toEqual({ type: 'state', seq: lastSeq, state: canary.state });
    expect(canary.state).toMatchObject({ status: 'step', weightPct: 5 });
    // The early subscriber saw the state change as it happened, before the late one connected.
    const states = ofType(early.frames, 'state');
    expect(states.at(-1)?.state).toEqual(canary.state);
  });

  it('sends every decision, assignment and state change to every subscriber, in seq order', async () => {
    const canary = testCanary();
    const decisions: Decision[] = [];
    canary.decisions$.subscribe((d) => decisions.push(d));
    const server = await serve(canary, { metricsIntervalMs: 0 });
    const a = await hello(server, { role: 'subscriber' });
    const b = await hello(server, { role: 'subscriber' });
    const fleet = await agent(server);

    drive(canary, 30); // an A/A rollout: promoted
    expect(canary.state.status).toBe('promoted');
    const last = server.stats().seq;
    for (const client of [a, b]) await client.next((f) => 'seq' in f && f.seq === last, true);
    const lastForAgents = seqs(a.frames.filter((f) => f.type !== 'metrics')).at(-1);
    await fleet.next((f) => 'seq' in f && f.seq === lastForAgents, true);

    expect(decisions.length).toBeGreaterThan(2);
    for (const client of [a, b]) {
      const got = seqs(client.frames);
      expect(got).toEqual([0, ...Array.from({ length: last }, (_, i) => i + 1)]); // none missing
      expect(ofType(client.frames, 'decision').map((f) => f.decision)).toEqual(
        decisions.map(reportDecisionOf),
      );
      expect(ofType(client.frames, 'state').at(-1)?.state).toEqual(canary.state);
      expect(ofType(client.frames, 'metrics').length).toBeGreaterThan(0);
      // Each decision's state follows it: the weight a decision leads to is sent before the next.
      const promote = client.frames.findIndex(
        (f) => f.type === 'decision' && f.decision.action === 'promote',
      );
      const promoted = client.frames.findIndex(
        (f) => f.type === 'state' && f.state.status === 'promoted',
      );
      expect(promote).toBeGreaterThan(0);
      expect(promoted).toBeGreaterThan(promote);
    }
    // The state a change leads to goes out before the accounts it moves.
    a.frames.forEach((frame, i) => {
      if (frame.type !== 'assignment') return;
      const before = ofType(a.frames.slice(0, i), 'state').at(-1);
      expect(before?.state.status).not.toBe('pending');
      expect(before?.state.weightPct).toBeGreaterThan(0);
    });
    expect(b.frames).toEqual(a.frames);
    // An agent gets the same frames without the metrics, so its seqs have gaps but keep order.
    expect(fleet.frames).toEqual(a.frames.filter((f) => f.type !== 'metrics'));
    const assignments = ofType(a.frames, 'assignment').map((f) => f.assignment);
    expect(new Set(assignments.map((m) => m.accountId)).size).toBe(ACCOUNTS.length);
  });

  it('samples metrics at most once per metricsIntervalMs of wall clock, keeping the latest', async () => {
    let nowMs = 0;
    const canary = testCanary();
    const snapshots: number[] = [];
    canary.metrics$.subscribe((s) => snapshots.push(s.tsUs));
    const server = await serve(canary, { metricsIntervalMs: 1000, now: () => nowMs });
    const sub = await hello(server, { role: 'subscriber' });
    canary.clock.advance(T0_MS);
    for (let s = 1; s <= 6; s++) canary.clock.advance(T0_MS + s * 1000); // snapshots at once
    expect(snapshots.length).toBeGreaterThan(2);
    nowMs = 1500; // the trailing timer (1 s) sends the latest one
    const latest = snapshots.at(-1)!;
    const trailing = await sub.next<'metrics'>(
      (f) => f.type === 'metrics' && f.snapshot.tsUs === latest,
      true,
    );
    expect(ofType(sub.frames, 'metrics').map((f) => f.snapshot.tsUs)).toEqual([
      snapshots[0],
      latest,
    ]);
    expect(trailing.snapshot.arms.stable.detail).toBeUndefined();
  });
});

describe('createCanaryServer: operators', () => {
  it('applies an approve in manual mode, and every subscriber sees the new weight', async () => {
    const canary = testCanary({ mode: 'manual' });
    let proposal: Decision | null = null;
    canary.decisions$.subscribe((d) => {
      if (d.disposition === 'proposed') proposal ??= d;
    });
    const server = await serve(canary);
    const sub = await hello(server, { role: 'subscriber' });
    const op = await operator(server);
    drive(canary, 30, 0, () => proposal !== null);
    expect(proposal).not.toBeNull();
    const proposed = proposal as unknown as Decision;
    expect(proposed.action).toBe('increase');
    await sub.next((f) => f.type === 'decision' && f.decision.seq === proposed.seq, true);
    expect(canary.state.weightPct).toBe(5); // waiting for an operator

    op.send({ type: 'command', command: 'approve', id: proposed.seq, requestId: 'req-1' });
    const result = await op.next<'result'>((f) => f.type === 'result');
    expect(result).toMatchObject({
      requestId: 'req-1',
      command: 'approve',
      ok: true,
      changed: true,
    });
    expect(result.state.weightPct).toBe(25);
    expect(canary.state.weightPct).toBe(25);
    const state = await sub.next<'state'>(
      (f) => f.type === 'state' && f.state.weightPct === 25,
      true,
    );
    expect(state.seq).toBeGreaterThan(0);
    expect(seqs(sub.frames)).toEqual([...seqs(sub.frames)].sort((x, y) => x - y));
  });

  it('halts, resumes and rolls back on command; a refused command changes nothing', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const server = await serve(canary);
    const op = await operator(server);
    const command = async (body: object) => {
      op.send({ type: 'command', ...body });
      return op.next<'result'>((f) => f.type === 'result');
    };
    expect(await command({ command: 'halt', reason: 'lunch' })).toMatchObject({ changed: true });
    expect(canary.state.halted).toBe(true);
    expect(await command({ command: 'halt' })).toMatchObject({ changed: false }); // already halted
    expect(await command({ command: 'resume' })).toMatchObject({ changed: true });
    expect(await command({ command: 'approve', id: 999 })).toMatchObject({ changed: false });
    const rollback = await command({ command: 'rollback', reason: 'smells' });
    expect(rollback).toMatchObject({
      changed: true,
      state: { status: 'rolled_back', weightPct: 0 },
    });
    expect(ACCOUNTS.every((a) => canary.route(a.id) === 'stable')).toBe(true);
  });
});

describe('createCanaryServer: authentication and bad input', () => {
  it('closes a hello with a wrong or missing token with 1008, after an UNAUTHORIZED error', async () => {
    const canary = testCanary();
    const server = await serve(canary, { tokens: { operator: TOKENS.operator } });
    for (const hello of [
      { type: 'hello', role: 'operator', token: 'operator-token-012345678X' },
      { type: 'hello', role: 'operator' },
      { type: 'hello', role: 'agent', token: TOKENS.agent, agentId: 'a1' }, // no agent token here
    ]) {
      const client = await connect(server);
      client.send(hello);
      const error = await client.next((f) => f.type === 'error', true);
      expect(error).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
      if (hello.role === 'operator')
        expect(error).toMatchObject({ message: 'an operator needs its token: missing or wrong' });
      expect((await client.closedWithin()).code).toBe(1008);
      expect(client.frames).toHaveLength(1); // no state
    }
    await until(() => server.stats().connections.total === 0);
  });

  it('asks subscribers for a token only when one is configured', async () => {
    const canary = testCanary();
    const server = await serve(canary, { tokens: { ...TOKENS, subscriber: 'viewers-only' } });
    const refused = await connect(server);
    refused.send({ type: 'hello', role: 'subscriber' });
    expect(await refused.next((f) => f.type === 'error', true)).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect((await refused.closedWithin()).code).toBe(1008);
    const admitted = await hello(server, { role: 'subscriber', token: 'viewers-only' });
    expect(admitted.frames[0]?.type).toBe('state');
  });

  it('closes a client that says something else first, or nothing in time', async () => {
    const canary = testCanary();
    const server = await serve(canary, { limits: { helloTimeoutMs: 200 } });
    const early = await connect(server);
    early.send({ type: 'command', command: 'halt' });
    expect(await early.next((f) => f.type === 'error', true)).toMatchObject({
      code: 'BAD_MESSAGE',
    });
    expect((await early.closedWithin()).code).toBe(1008);
    const silent = await connect(server);
    expect((await silent.closedWithin()).code).toBe(1008);
    expect(silent.frames).toEqual([
      { type: 'error', code: 'HELLO_TIMEOUT', message: 'no hello in time' },
    ]);
    expect(canary.state.halted).toBe(false);
  });

  it('answers malformed or forbidden messages with an error frame and changes nothing', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const before = canary.state;
    const server = await serve(canary);
    const op = await operator(server);
    const sub = await hello(server, { role: 'subscriber' });
    const bad = [
      '{"type":"command","command":"halt"',
      '[]',
      '{"type":"launch"}',
      '{"type":"command","command":"halt","reason":""}',
      '{"type":"command","command":"halt","requestId":"r7","force":true}',
      '{"type":"command","command":"approve","requestId":"r8"}',
      '{"type":"report","reportId":"x","report":{}}', // an operator sends no reports
      '{"type":"hello","role":"operator","token":"operator-token-0123456789"}',
    ];
    for (const text of bad) op.send(text);
    op.ws.send(Buffer.from('{"type":"command","command":"halt"}'), { binary: true });
    sub.send({ type: 'command', command: 'halt' }); // a subscriber sends no commands
    await op.next((f) => f.type === 'error' && f.message.startsWith('binary'), true);
    const errors = ofType(op.frames, 'error');
    expect(errors.map((e) => e.code)).toEqual([
      ...Array.from({ length: 6 }, () => 'BAD_MESSAGE'),
      'FORBIDDEN',
      'BAD_MESSAGE',
      'BAD_MESSAGE',
    ]);
    expect(errors[4]).toMatchObject({ requestId: 'r7' });
    expect(errors[5]).toMatchObject({ requestId: 'r8' });
    expect(await sub.next((f) => f.type === 'error', true)).toMatchObject({ code: 'FORBIDDEN' });
    expect(canary.state).toEqual(before);
    expect(ofType(op.frames, 'result')).toEqual([]);
    // Still connected: a good command works.
    op.send({ type: 'command', command: 'halt', requestId: 'ok' });
    expect(await op.next((f) => f.type === 'result')).toMatchObject({
      requestId: 'ok',
      changed: true,
    });
  });

  it('closes a connection that sends a message over maxPayloadBytes (1009), changing nothing', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const server = await serve(canary, { limits: { maxPayloadBytes: 1024 } });
    const op = await operator(server);
    op.send({ type: 'command', command: 'halt', reason: 'x'.repeat(2000) });
    expect((await op.closedWithin()).code).toBe(1009);
    expect(canary.state.halted).toBe(false);
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(text).toMatch(/^strategy_canary_client_errors_total\{code="TOO_LARGE"\} 1$/mu);
  });

  it('refuses messages over the role’s rate with RATE_LIMITED, echoing their ids', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const server = await serve(canary, { now: () => 0 }); // no refill: the burst only
    const op = await operator(server);
    for (let i = 0; i < 50; i++)
      op.send({ type: 'command', command: 'resume', requestId: `q${i}` });
    await op.next((f) => f.type === 'error' && f.requestId === 'q49', true);
    const results = ofType(op.frames, 'result');
    const limited = ofType(op.frames, 'error');
    expect(results.map((r) => r.requestId)).toEqual(Array.from({ length: 40 }, (_, i) => `q${i}`));
    expect(limited.map((e) => [e.code, e.requestId])).toEqual(
      Array.from({ length: 10 }, (_, i) => ['RATE_LIMITED', `q${40 + i}`]),
    );
  });
});

/** An order of `accountId` on stable at T0, and its fill (ids and extra fields as given). */
function stableOrder(accountId: string, orderId = 'o-1') {
  return {
    type: 'order',
    orderId,
    accountId,
    arm: 'stable',
    symbol: 'BTCUSDT',
    side: 'buy',
    quantity: '0.5',
    decisionTsMs: T0_MS,
  } as const;
}

function stableFill(accountId: string, orderId = 'o-1', fillId = 'f-1', extra: object = {}) {
  return {
    ...stableOrder(accountId, orderId),
    type: 'fill',
    fillId,
    price: '60000',
    fee: '3',
    tsMs: T0_MS + 20,
    latencyMs: 20,
    slippageBps: 0,
    ...extra,
  } as const;
}

/** Sends a report as `client` and waits for its ack. */
async function ackOf(client: TestClient, reportId: string, report: object) {
  client.send({ type: 'report', reportId, report });
  return client.next<'ack'>((f) => f.type === 'ack' && f.reportId === reportId);
}

describe('createCanaryServer: agents', () => {
  it('records a report once, whatever how often its id is sent', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const server = await serve(canary);
    const bot = await agent(server, 'bot-a');
    const accountId = ACCOUNTS.find((a) => canary.route(a.id) === 'stable')!.id;
    const order = stableOrder(accountId);
    const fill = stableFill(accountId);
    const ack = (reportId: string, report: object, client = bot) => ackOf(client, reportId, report);
    expect(await ack('r-1', order)).toEqual({ type: 'ack', reportId: 'r-1', accepted: true });
    expect(await ack('r-2', fill)).toEqual({ type: 'ack', reportId: 'r-2', accepted: true });
    expect(await ack('r-2', fill)).toEqual({
      type: 'ack',
      reportId: 'r-2',
      accepted: true,
      repeated: true,
    });
    // After a reconnect, the same agent's replay is recognised too.
    bot.close();
    const again = await agent(server, 'bot-a');
    expect(await ack('r-2', fill, again)).toMatchObject({ accepted: true, repeated: true });
    expect(await ack('r-1', order, again)).toMatchObject({ accepted: true, repeated: true });
    expect(canary.totals('stable').fees).toBe('3'); // one fill
    expect(canary.totals('stable').positions).toEqual([
      expect.objectContaining({ symbol: 'BTCUSDT', quantity: '0.5' }),
    ]);
    expect(canary.rejections.DUPLICATE_FILL + canary.rejections.MISMATCH).toBe(0);
    // A refusal is remembered as it was, and not counted twice.
    const bad = { ...order, orderId: 'o-2', quantity: '-1' };
    const refused = await ack('r-3', bad, again);
    expect(refused).toMatchObject({ accepted: false, rejection: { code: 'INVALID' } });
    expect(await ack('r-3', bad, again)).toEqual({ ...refused, repeated: true });
    expect(canary.rejections.INVALID).toBe(1);
    // Report ids are per agent: another agent's r-2 is a new report, which the canary judges.
    const other = await agent(server, 'bot-b');
    expect(await ack('r-2', fill, other)).toEqual({
      type: 'ack',
      reportId: 'r-2',
      accepted: false,
      rejection: { code: 'DUPLICATE_FILL', message: expect.any(String) as string },
    });
    expect(canary.rejections.DUPLICATE_FILL).toBe(1);
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(text).toMatch(/^strategy_canary_agent_reports_total\{result="recorded"\} 2$/mu);
    expect(text).toMatch(/^strategy_canary_agent_reports_total\{result="repeated"\} 4$/mu);
    expect(text).toMatch(/^strategy_canary_agent_reports_total\{result="refused"\} 2$/mu);
  });

  it('refuses an order id reported again after it was settled, MISMATCH, and counts it once', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const server = await serve(canary);
    const bot = await agent(server, 'bot-a');
    const accountId = ACCOUNTS.find((a) => canary.route(a.id) === 'stable')!.id;
    const order = stableOrder(accountId);
    const fill = stableFill(accountId);
    const ack = (reportId: string, report: object) => ackOf(bot, reportId, report);
    expect(await ack('r-1', order)).toMatchObject({ accepted: true });
    // While the order is open, and after its fill settled it: the same order id is refused.
    expect(await ack('r-2', order)).toMatchObject({
      accepted: false,
      rejection: { code: 'MISMATCH' },
    });
    expect(await ack('r-3', fill)).toMatchObject({ accepted: true });
    const again = await ack('r-4', order);
    expect(again).toMatchObject({
      accepted: false,
      rejection: {
        code: 'MISMATCH',
        message: expect.stringMatching(/order o-1 was already reported/) as string,
      },
    });
    // …and its fill, a second time, finds no open order.
    expect(await ack('r-5', { ...fill, fillId: 'f-2' })).toMatchObject({
      accepted: false,
      rejection: { code: 'UNKNOWN_ORDER' },
    });
    expect(canary.recorded.stable).toEqual({ orders: 1, fills: 1, rejects: 0 });
    expect(canary.rejections.MISMATCH).toBe(2);
    expect(canary.totals('stable').positions).toEqual([
      expect.objectContaining({ symbol: 'BTCUSDT', quantity: '0.5' }),
    ]);
  });

  it('refuses implausible fills (|slippageBps| > 10,000, latencyMs outside 0..3,600,000) and books nothing', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const server = await serve(canary);
    const bot = await agent(server, 'bot-a');
    const accountId = ACCOUNTS.find((a) => canary.route(a.id) === 'stable')!.id;
    const order = (orderId: string) => stableOrder(accountId, orderId);
    const fill = (orderId: string, extra: object) =>
      stableFill(accountId, orderId, `f-${orderId}`, extra);
    const ack = (reportId: string, report: object) => ackOf(bot, reportId, report);
    const implausible: ReadonlyArray<[object, RegExp]> = [
      [{ slippageBps: 1e308 }, /^slippageBps: /],
      [{ slippageBps: -10_000.5 }, /^slippageBps: /],
      [{ latencyMs: 1e12 }, /^latencyMs: /],
      [{ latencyMs: 3_600_001 }, /^latencyMs: /],
      [{ latencyMs: -1 }, /^latencyMs: /],
    ];
    for (const [i, [extra, message]] of implausible.entries()) {
      expect(await ack(`o-${i}`, order(`o-${i}`))).toMatchObject({ accepted: true });
      expect(await ack(`f-${i}`, fill(`o-${i}`, extra))).toMatchObject({
        accepted: false,
        rejection: { code: 'INVALID', message: expect.stringMatching(message) as string },
      });
    }
    // The bounds themselves are plausible.
    expect(await ack('o-edge', order('o-edge'))).toMatchObject({ accepted: true });
    expect(
      await ack('f-edge', fill('o-edge', { slippageBps: -10_000, latencyMs: 3_600_000 })),
    ).toMatchObject({ accepted: true });
    expect(canary.recorded.stable.fills).toBe(1);
    expect(canary.rejections.INVALID).toBe(implausible.length);
  });

  it('moves event time with market and clock messages, and refuses bad ones', async () => {
    const canary = testCanary();
    const server = await serve(canary);
    const bot = await agent(server);
    const sub = await hello(server, { role: 'subscriber' });
    bot.send({ type: 'market', event: trade(T0_MS, 60_000) });
    bot.send({ type: 'clock', tsMs: T0_MS + 5000 });
    bot.send({ type: 'market', event: { ...trade(T0_MS + 6000, 60_000), priceNum: 'NaN' } });
    bot.send({ type: 'clock', tsMs: null });
    // Times the canary would refuse (seconds for ms, ms for µs): refused at the door.
    bot.send({ type: 'market', event: trade((T0_MS + 7000) / 1000, 60_000) });
    bot.send({ type: 'clock', tsMs: (T0_MS + 8000) / 1000 });
    const state = await sub.next<'state'>((f) => f.type === 'state' && f.state.status === 'step');
    expect(state.state.weightPct).toBe(5);
    await bot.next((f) => f.type === 'error' && f.message.startsWith('tsMs: before'), true);
    expect(ofType(bot.frames, 'error').map((e) => e.code)).toEqual([
      'BAD_MESSAGE',
      'BAD_MESSAGE',
      'BAD_MESSAGE',
      'BAD_MESSAGE',
    ]);
    expect(ofType(bot.frames, 'error').map((e) => e.message.split(':')[0])).toEqual([
      'event.priceNum',
      'tsMs',
      'event.tsUs',
      'tsMs',
    ]);
    expect(canary.clock.nowMs).toBe(T0_MS + 5000);
    expect(ofType(bot.frames, 'metrics')).toEqual([]);
  });

  it('refuses an agent without an agentId', async () => {
    const server = await serve(testCanary());
    const client = await connect(server);
    client.send({ type: 'hello', role: 'agent', token: TOKENS.agent });
    expect(await client.next((f) => f.type === 'error', true)).toMatchObject({
      code: 'BAD_MESSAGE',
    });
    expect((await client.closedWithin()).code).toBe(1008);
  });
});

describe('createCanaryServer: slow consumers', () => {
  it('drops a subscriber that never reads, and the bytes waiting for it stay bounded', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const soft = 64 * 1024;
    const hard = 256 * 1024;
    const server = await serve(canary, {
      metricsIntervalMs: 0,
      limits: {
        softBufferedBytes: soft,
        hardBufferedBytes: hard,
        rates: { operator: { perSecond: 1e6, burst: 1e6 }, agent: { perSecond: 1e6, burst: 1e6 } },
      },
    });
    const slow = await hello(server, { role: 'subscriber' });
    const reader = await hello(server, { role: 'subscriber' });
    const op = await operator(server);
    const bot = await agent(server);
    // The slow one stops reading: the kernel's buffers fill (a few MB on loopback), then the server's.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    let peak = 0;
    const sample = () => {
      peak = Math.max(peak, server.stats().bufferedBytes);
    };
    // Metrics frames (about 1.5 KB each) are dropped for the slow one once it has `soft` waiting:
    // event time moves on, a snapshot a second, until the kernel's buffers and then `soft` fill.
    let s = 0;
    let over = 0;
    while (over < 1000 && s < 40_000) {
      for (let i = 0; i < 200; i++) bot.send({ type: 'clock', tsMs: T0_MS + ++s * 1000 });
      await barrier(bot, `b${s}`); // the server handled them
      sample();
      if (server.stats().bufferedBytes > soft) over += 200;
    }
    expect(over).toBeGreaterThanOrEqual(1000);
    const afterClock = server.stats().seq;
    await reader.next((f) => 'seq' in f && f.seq === afterClock, true);
    sample();
    // Essential frames (state changes) are never dropped: past `hard` the slow one is closed.
    let sent = 0;
    while (server.stats().connections.subscriber === 2 && sent < 200_000) {
      for (let i = 0; i < 500; i++, sent++) {
        op.send({
          type: 'command',
          command: sent % 2 === 0 ? 'halt' : 'resume',
          requestId: `c${sent}`,
        });
      }
      await op.next((f) => f.type === 'result' && f.requestId === `c${sent - 1}`);
      sample();
    }
    expect(server.stats().connections.subscriber).toBe(1); // the slow one is gone
    expect(peak).toBeLessThanOrEqual(hard + 4 * 1024); // one frame over at most
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(text).toMatch(/^strategy_canary_slow_consumers_closed_total 1$/mu);
    const dropped = /^strategy_canary_frames_dropped_total\{type="metrics"\} (\d+)$/mu.exec(text);
    expect(Number(dropped?.[1])).toBeGreaterThan(0);
    // The reader missed nothing, in order.
    const last = server.stats().seq;
    await reader.next((f) => 'seq' in f && f.seq === last, true);
    expect(seqs(reader.frames)).toEqual(Array.from({ length: last + 1 }, (_, i) => i));
    expect(ofType(reader.frames, 'state').at(-1)?.state).toEqual(canary.state);
  });
});

describe('createCanaryServer: HTTP', () => {
  it('answers /health and /metrics', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const server = await serve(canary);
    await hello(server, { role: 'subscriber' });
    await operator(server);
    const health = await fetch(`${server.httpUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await health.json()).toEqual({
      status: 'ok',
      rollout: canary.state,
      pending: null,
      lastDecision: null,
      recorded: canary.recorded,
      connections: { subscriber: 1, operator: 1, agent: 0, pending: 0, total: 2 },
      bufferedBytes: 0,
      seq: server.stats().seq,
    });

    const decisions: string[] = [];
    canary.decisions$.subscribe((d) => decisions.push(d.action));
    drive(canary, 1, 0, () => false, T0_MS + 1000);
    const later = (await (await fetch(`${server.httpUrl}/health`)).json()) as HealthBody;
    expect(decisions.length).toBeGreaterThan(0);
    expect(later.lastDecision?.action).toBe(decisions.at(-1));
    const response = await fetch(`${server.httpUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE strategy_canary_weight_ratio gauge');
    expect(text).toMatch(/^strategy_canary_weight_ratio 0\.05$/mu);
    expect(text).toMatch(/^strategy_canary_rollout_status\{status="step"\} 1$/mu);
    expect(text).toMatch(/^strategy_canary_rollout_status\{status="promoted"\} 0$/mu);
    expect(text).toMatch(/^strategy_canary_connections\{role="subscriber"\} 1$/mu);
    expect(text).toMatch(/^strategy_canary_connections\{role="operator"\} 1$/mu);
    expect(text).toMatch(
      /^strategy_canary_decisions_total\{action="hold",disposition="applied"\} \d+$/mu,
    );
    expect(text).toMatch(/^strategy_canary_report_rejections_total\{code="DUPLICATE_FILL"\} 0$/mu);
    expect(text).toMatch(/^strategy_canary_frames_dropped_total\{type="metrics"\} 0$/mu);
    expectPrometheusConventions(text);
    for (const arm of ['stable', 'canary'] as const) {
      const labels = `arm="${arm}",version="${canary.versions[arm]}"`;
      expect(text).toContain(`strategy_canary_arm_info{${labels}} 1`);
      for (const kind of ['orders', 'fills', 'rejects'] as const) {
        expect(text).toContain(
          `strategy_canary_${kind}_total{${labels}} ${canary.recorded[arm][kind]}`,
        );
      }
    }
    expect(canary.recorded.stable.fills).toBeGreaterThan(0);
    expect(text).toMatch(/^strategy_canary_info\{version="[^"]+",node_version="[^"]+"\} 1$/mu);
    expect(text).toMatch(
      /^strategy_canary_fill_latency_seconds\{arm="stable",version="[^"]+",quantile="0\.99"\} \d/mu,
    );

    expect((await fetch(`${server.httpUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${server.httpUrl}/health`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${server.httpUrl}/ws`)).status).toBe(426);
  });

  it('keeps one registry per server, and closes its clients with 1001', async () => {
    const first = await serve(testCanary());
    const second = await serve(testCanary());
    const sub = await hello(first, { role: 'subscriber' });
    for (const server of [first, second]) {
      expect((await fetch(`${server.httpUrl}/metrics`)).status).toBe(200);
    }
    await first.close();
    expect((await sub.closedWithin()).code).toBe(1001);
  });

  it('refuses upgrades elsewhere than /ws and beyond maxConnections', async () => {
    const server = await serve(testCanary(), { limits: { maxConnections: 1 } });
    await expect(TestClient.connect(server.url.replace('/ws', '/other'))).rejects.toThrow(/404/);
    await hello(server, { role: 'subscriber' });
    await expect(TestClient.connect(server.url)).rejects.toThrow(/503/);
  });
});

/**
 * Prometheus's naming conventions, checked on a scrape: every family is the tool's, counters end
 * `_total`, `_info` gauges are 1, no label names an account, per-arm series carry `arm` and
 * `version` together, and quantities are in base units (no `_pct`, `_bps` or `_ms` names).
 */
function expectPrometheusConventions(text: string): void {
  const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gmu)].map((m) => ({
    name: m[1]!,
    type: m[2]!,
  }));
  expect(families.length).toBeGreaterThan(10);
  for (const { name, type } of families) {
    expect(name).toMatch(/^strategy_canary_[a-z_]+$/u);
    expect(name).not.toMatch(/_(pct|percent|bps|ms|milliseconds)(_total)?$/u);
    if (type === 'counter') expect(name).toMatch(/_total$/u);
  }
  for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
    const labels = [...(/\{(.*)\}/u.exec(line)?.[1] ?? '').matchAll(/(\w+)="/gu)].map((m) => m[1]!);
    expect(
      labels.filter((l) => /account/iu.test(l)),
      line,
    ).toEqual([]);
    // The tool's own info has a version and no arm; every other version is an arm's.
    if (!line.startsWith('strategy_canary_info{')) {
      expect(labels.includes('arm'), line).toBe(labels.includes('version'));
    }
    if (/^strategy_canary_\w+_info[{ ]/u.test(line) || line.startsWith('strategy_canary_info')) {
      expect(line, line).toMatch(/ 1$/u);
    }
  }
}

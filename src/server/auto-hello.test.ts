import { afterEach, describe, expect, it } from 'vitest';
import { T0_MS, drive, testCanary } from '../embed/test-support/bot-driver.js';
import type { ServerFrame } from '../protocol/index.js';
import { createCanaryServer, type CanaryServer } from './create-canary-server.js';
import type { ServerTokens } from './server-tokens.js';
import { TestClient } from './test-support/test-client.js';

/** The dashboard's hello (`role: "auto"`): the token decides the role, a welcome frame says it. */

const OPERATOR = 'auto-hello-operator-token-0123';
const SUBSCRIBER = 'auto-hello-subscriber-token-0123';
const open: { servers: CanaryServer[]; clients: TestClient[] } = { servers: [], clients: [] };

async function serve(tokens: ServerTokens): Promise<CanaryServer> {
  const canary = testCanary();
  canary.clock.advance(T0_MS);
  const server = await createCanaryServer({ canary, tokens });
  open.servers.push(server);
  return server;
}

async function autoHello(server: CanaryServer, token?: string): Promise<TestClient> {
  const client = await TestClient.connect(server.url);
  open.clients.push(client);
  client.send({ type: 'hello', role: 'auto', ...(token === undefined ? {} : { token }) });
  return client;
}

/** The first frames of an admitted client: its welcome, then the state. */
async function admitted(client: TestClient): Promise<ServerFrame & { type: 'welcome' }> {
  await client.next((f) => f.type === 'state', true);
  expect(client.frames.map((f) => f.type)).toEqual(['welcome', 'state']);
  return client.frames[0] as ServerFrame & { type: 'welcome' };
}

async function refused(client: TestClient): Promise<string> {
  const error = await client.next<'error'>((f) => f.type === 'error', true);
  expect(error.code).toBe('UNAUTHORIZED');
  expect((await client.closedWithin()).code).toBe(1008);
  expect(client.frames).toHaveLength(1); // no welcome, no state
  return error.message;
}

afterEach(async () => {
  for (const client of open.clients.splice(0)) client.close();
  await Promise.all(open.servers.splice(0).map((server) => server.close()));
});

describe('hello with role "auto"', () => {
  it('welcomes with the decisions taken before it connected, oldest first', async () => {
    const canary = testCanary();
    const server = await createCanaryServer({ canary, tokens: { operator: OPERATOR } });
    open.servers.push(server);
    const seqs: number[] = [];
    canary.decisions$.subscribe((d) => seqs.push(d.seq));
    drive(canary, 1);
    expect(seqs.length).toBeGreaterThan(1);
    const welcome = await admitted(await autoHello(server, OPERATOR));
    expect(welcome.recentDecisions.map((d) => d.seq)).toEqual(seqs);
  });

  it('admits the operator token as an operator, saying so and which rollout this is', async () => {
    const server = await serve({ operator: OPERATOR, subscriber: SUBSCRIBER });
    const client = await autoHello(server, OPERATOR);
    expect(await admitted(client)).toMatchObject({
      type: 'welcome',
      role: 'operator',
      rollout: { versions: { stable: 'bot@1.0.0', canary: 'bot@2.0.0' } },
    });
    client.send({ type: 'command', command: 'halt', requestId: 'h1' });
    expect(await client.next((f) => f.type === 'result')).toMatchObject({
      requestId: 'h1',
      applied: true,
    });
    expect(server.stats().connections).toMatchObject({ operator: 1, subscriber: 0 });
  });

  it('admits the subscriber token as a subscriber, whose commands are refused', async () => {
    const server = await serve({ operator: OPERATOR, subscriber: SUBSCRIBER });
    const client = await autoHello(server, SUBSCRIBER);
    expect((await admitted(client)).role).toBe('subscriber');
    client.send({ type: 'command', command: 'halt', requestId: 'h2' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({
      code: 'FORBIDDEN',
      requestId: 'h2',
    });
    const health = (await (await fetch(`${server.httpUrl}/health`)).json()) as {
      rollout: { halted: boolean };
    };
    expect(health.rollout.halted).toBe(false);
  });

  it('refuses a wrong token, and no token where subscribers need one (1008)', async () => {
    const server = await serve({ operator: OPERATOR, subscriber: SUBSCRIBER });
    expect(await refused(await autoHello(server, `${OPERATOR}x`))).toMatch(/neither/u);
    expect(await refused(await autoHello(server))).toMatch(/needs a token/u);
  });

  it('admits no token as a subscriber where subscribers need none, but never a wrong one', async () => {
    const server = await serve({ operator: OPERATOR, agent: 'agent-token-0123' });
    expect((await admitted(await autoHello(server))).role).toBe('subscriber');
    // A mistyped operator token does not pass silently as a read-only view; nor does an agent's.
    expect(await refused(await autoHello(server, 'operator-token-mistyped'))).toMatch(/neither/u);
    expect(await refused(await autoHello(server, 'agent-token-0123'))).toMatch(/neither/u);
  });

  it('refuses an agentId (an auto hello is never an agent)', async () => {
    const server = await serve({ operator: OPERATOR });
    const client = await TestClient.connect(server.url);
    open.clients.push(client);
    client.send({ type: 'hello', role: 'auto', token: OPERATOR, agentId: 'a1' });
    expect(await client.next((f) => f.type === 'error', true)).toMatchObject({
      code: 'BAD_MESSAGE',
    });
    expect((await client.closedWithin()).code).toBe(1008);
  });

  it('leaves the other roles’ hellos as they were: no welcome frame', async () => {
    const server = await serve({ operator: OPERATOR });
    const client = await TestClient.hello(server.url, { role: 'operator', token: OPERATOR });
    open.clients.push(client);
    expect(client.frames.map((f) => f.type)).toEqual(['state']);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_PLAN, TEST_SALT } from '../src/embed/test-support/bot-driver.js';
import {
  EVENT_MINUTES,
  agentArgs,
  fleetSent,
  startAgent,
  ticked,
  type AgentRun,
} from '../src/fleet/test-support/fleet-agents.js';
import type { HealthBody } from '../src/server/index.js';
import { BIN, ROOT } from './cli-harness.js';
import { skipWithoutNats, startNatsServer, type NatsServer } from './nats-server-harness.js';
import { until } from './wait-until.js';

const OPERATOR_TOKEN = 'failover-operator-token-0123456789';
/** The lease: a standby takes over about this long after the leader's death, ms. */
const LEASE_MS = 1000;

/** A `serve --nats` process: its output, its HTTP base once it listens, its exit. */
interface Controller {
  readonly child: ChildProcess;
  readonly out: { stdout: string; stderr: string };
  readonly httpUrl: Promise<string>;
  readonly exit: Promise<number | null>;
}

function startController(natsUrl: string, planPath: string): Controller {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--port',
      '0',
      '--nats',
      natsUrl,
      '--lease-ms',
      String(LEASE_MS),
      '--stable',
      'bot@1.0.0',
      '--canary',
      'bot@2.0.0',
      '--salt',
      TEST_SALT,
      '--accounts',
      '200', // acct-0001…acct-0200, each 10,000: the bot driver's ACCOUNTS
      '--plan',
      planPath,
      '--late-ms',
      String(2 * EVENT_MINUTES * 60_000), // as the websocket fleet test: no lag is refused
      '--metrics-interval-ms',
      '0',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', STRATEGY_CANARY_OPERATOR_TOKEN: OPERATOR_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const out = { stdout: '', stderr: '' };
  const httpUrl = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out.stdout += chunk.toString('utf8');
      const listening = /health: (http:\/\/[^/\s]+)\/health/u.exec(out.stdout);
      if (listening !== null) resolve(listening[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${out.stderr}`)));
  });
  httpUrl.catch(() => undefined);
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, out, httpUrl, exit };
}

async function health(controller: Controller): Promise<HealthBody> {
  const response = await fetch(`${await controller.httpUrl}/health`);
  return (await response.json()) as HealthBody;
}

describe.skipIf(skipWithoutNats)('two controllers on NATS, the leader killed, then NATS', () => {
  let nats: NatsServer | null = null;
  const children: ChildProcess[] = [];
  let dir = '';

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await nats?.dispose();
    nats = null;
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('goes on on the standby: every report booked once, as the agents journaled it, none refused', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nats-failover-'));
    const planPath = join(dir, 'plan.json');
    writeFileSync(planPath, JSON.stringify(TEST_PLAN));
    nats = await startNatsServer();
    const server = nats;

    const first = startController(server.url, planPath);
    children.push(first.child);
    await until(
      'the first controller leads',
      async () => (await health(first)).fleet?.role === 'leader',
    );
    const second = startController(server.url, planPath);
    children.push(second.child);
    await until(
      'the second stands by',
      async () => (await health(second)).fleet?.role === 'standby',
    );

    const rollout = { url: server.url, rollout: TEST_SALT };
    const wallStartMs = Date.now() + 4000; // the agents' start-up
    const agents: AgentRun[] = [0, 1, 2].map((i) =>
      startAgent(agentArgs('', dir, i, wallStartMs, rollout)),
    );
    for (const agent of agents) children.push(agent.child);
    const slowest = (): number => Math.min(...agents.map(ticked));

    // Mid-rollout, the leader dies without a word, reports in flight.
    await until('6 event minutes reported', () => slowest() >= 36);
    first.child.kill('SIGKILL');
    expect(await first.exit).toBeNull();
    const stdoutAtKill = second.out.stdout.length;
    await until('the standby leads', async () => (await health(second)).fleet?.role === 'leader');

    // Later NATS itself dies, and comes back on the same store.
    await until('12 event minutes reported', () => slowest() >= 72);
    await server.kill();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await server.restart();

    const codes = await Promise.all(agents.map((agent) => agent.exit));
    expect(codes).toEqual([0, 0, 0]);
    for (const agent of agents) {
      const done = agent.lines.find((line) => 'done' in line)?.['done'];
      expect(done).toMatchObject({ refused: 0, pending: 0 });
    }

    // What the agents journaled, per arm, is what the surviving controller booked: exactly.
    const sent = fleetSent(dir);
    expect(sent.stable.fills).toBeGreaterThan(1000);
    expect(sent.canary.fills).toBeGreaterThan(0);
    expect(sent.stable.rejects + sent.canary.rejects).toBeGreaterThan(0);
    const end = await health(second);
    expect(end.recorded).toEqual(sent);
    expect(end.fleet?.role).toBe('leader');

    // The rollout went on deciding on the standby after the leader died.
    expect(second.out.stdout.slice(stdoutAtKill)).toMatch(/\d{2}:\d{2}:\d{2}/u);
    expect(second.out.stderr).toContain('fleet: this controller leads the rollout now');

    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    // Its summary: nothing refused over the whole rollout.
    expect(second.out.stdout).toMatch(/; 0 reports refused\n$/u);
  }, 300_000);
});

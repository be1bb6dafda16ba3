import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCanary } from '../embed/test-support/bot-driver.js';
import type { Canary } from '../embed/create-canary.js';
import { createCanaryServer, type CanaryServer } from '../server/index.js';
import { TestClient } from '../server/test-support/test-client.js';
import {
  AGENT_TOKEN,
  EVENT_MINUTES,
  agentArgs,
  fleetSent,
  startAgent,
  ticked,
  unacknowledged,
} from './test-support/fleet-agents.js';

/** `part` appears in `whole` as a run of consecutive items (deep equality). */
function contiguousIn(part: readonly unknown[], whole: readonly unknown[]): boolean {
  const key = (items: readonly unknown[]): string[] => items.map((item) => JSON.stringify(item));
  const p = key(part);
  const w = key(whole);
  for (let start = 0; start + p.length <= w.length; start++) {
    if (p.every((item, i) => item === w[start + i])) return true;
  }
  return false;
}

describe('a fleet of three agent processes on one rollout', () => {
  let dir: string;
  let canary: Canary;
  let server: CanaryServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-'));
    // Agents lag: each runs on the wall clock, so how far one falls behind the others in event
    // time is SPEED × how long a busy machine stalls it (and a restart takes seconds: minutes of
    // event time). A grace longer than the whole run means no lag, however long, gets a report
    // refused as late or as routed with a stale weight; those refusals are create-canary's tests.
    canary = testCanary({ lateReportMs: 2 * EVENT_MINUTES * 60_000 });
    server = await createCanaryServer({
      canary,
      tokens: { operator: 'fleet-operator-token-0123456789', agent: AGENT_TOKEN },
      metricsIntervalMs: 0,
    });
  });

  afterAll(async () => {
    await server.close();
    canary.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pools every report exactly once, through a kill and restart of one agent', async () => {
    const subscriber = await TestClient.hello(server.url, { role: 'subscriber' });
    const wallStartMs = Date.now() + 4000; // the agents' start-up
    const argsOf = (i: number): object => agentArgs(server.url, dir, i, wallStartMs);
    const agents = [0, 1, 2].map((i) => startAgent(argsOf(i)));

    // Mid-rollout (once it has reported 10 event minutes), bot-2 dies without a chance to say
    // goodbye. It is killed with reports in flight, so its restart has something to replay.
    // Waited for by what bot-2 printed, not by the wall clock: a busy machine only delays it.
    await expect
      .poll(() => ticked(agents[1]!), { timeout: 120_000, interval: 20 })
      .toBeGreaterThanOrEqual(60);
    const bot2Outbox = join(dir, 'bot-2.outbox.jsonl');
    // Frozen (SIGSTOP) before it is looked at, so that no acknowledgement lands between the look
    // and the kill: on a busy machine one could, and the restart would have nothing to replay.
    const frozenWithPending = async (): Promise<number> => {
      for (;;) {
        while (unacknowledged(bot2Outbox) === 0) await new Promise((r) => setTimeout(r, 2));
        agents[1]!.child.kill('SIGSTOP');
        const pending = unacknowledged(bot2Outbox);
        if (pending > 0) return pending;
        agents[1]!.child.kill('SIGCONT');
      }
    };
    const pendingAtKill = await frozenWithPending();
    agents[1]!.child.kill('SIGKILL');
    expect(await agents[1]!.exit).toBeNull();
    await new Promise((r) => setTimeout(r, 1000));
    const restarted = startAgent(argsOf(1));

    const codes = await Promise.all([agents[0]!.exit, agents[2]!.exit, restarted.exit]);
    expect(codes).toEqual([0, 0, 0]);

    // What the agents sent, from their journals, equals what the canary recorded, per arm.
    const sent = fleetSent(dir);
    expect(canary.recorded).toEqual(sent);
    expect(sent.stable.fills).toBeGreaterThan(1000);
    expect(sent.canary.fills).toBeGreaterThan(0);
    expect(Object.values(canary.rejections).every((n) => n === 0)).toBe(true);
    const done = [agents[0]!, agents[2]!, restarted].map(
      (run) => run.lines.find((l) => 'done' in l)?.['done'] as { refused: number; pending: number },
    );
    for (const stats of done) expect(stats).toMatchObject({ refused: 0, pending: 0 });
    // The restarted bot replayed what its journal held unacknowledged when it died (and any
    // report it made before its connection was up).
    expect(pendingAtKill).toBeGreaterThan(0);
    expect(restarted.lines.find((l) => 'connected' in l)?.['connected']).toBeGreaterThanOrEqual(
      pendingAtKill,
    );

    // The rollout moved while the fleet traded (to 25 % and on, or halted at the 5 % step's
    // maximum: A/A evidence on ~10 canary accounts is not always conclusive in 10 minutes, and
    // the agents' timing varies), and the agents that stayed up heard every state the subscriber
    // heard from when they connected, in the same order.
    const states = subscriber.frames
      .flatMap((f) => (f.type === 'state' ? [f.state] : []))
      .map(({ status, weightPct, halted }) => ({ status, weightPct, halted }))
      .filter((s, i, all) => i === 0 || JSON.stringify(s) !== JSON.stringify(all[i - 1]));
    expect(states.length).toBeGreaterThan(2);
    for (const run of [agents[0]!, agents[2]!]) {
      const heard = run.lines.filter((l) => 'state' in l).map((l) => l['state']);
      expect(heard.length).toBeGreaterThanOrEqual(2);
      expect(contiguousIn(heard, states)).toBe(true);
    }
    subscriber.ws.close();
  }, 300_000); // about 30 s; the rest is room for a busy machine
});

describe('a fleet whose server restarts mid-rollout (serve --state-dir)', () => {
  it('loses and refuses nothing: the new process rebuilds books and open orders from its report journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-restart-'));
    const paths = {
      statePath: join(dir, 'state.json'),
      auditPath: join(dir, 'audit.jsonl'),
      journalPath: join(dir, 'reports.jsonl'),
    };
    const options = { ...paths, lateReportMs: 2 * EVENT_MINUTES * 60_000 };
    const tokens = { operator: 'fleet-operator-token-0123456789', agent: AGENT_TOKEN };
    const first = testCanary(options);
    const firstServer = await createCanaryServer({ canary: first, tokens, metricsIntervalMs: 0 });
    const wallStartMs = Date.now() + 4000;
    const agents = [0, 1, 2].map((i) =>
      startAgent(agentArgs(firstServer.url, dir, i, wallStartMs)),
    );
    // Once the fleet has reported 8 event minutes, the server goes away with reports in flight:
    // some orders it acknowledged will be filled after the restart, and some of its
    // acknowledgements never reach their agent (which sends those reports again).
    await expect
      .poll(() => Math.min(...agents.map(ticked)), { timeout: 120_000, interval: 20 })
      .toBeGreaterThanOrEqual(48);
    const recordedBeforeRestart = first.recorded;
    await firstServer.close(); // its canary is never closed: the process "died"
    const second = testCanary(options);
    const secondServer = await createCanaryServer({
      canary: second,
      tokens,
      metricsIntervalMs: 0,
      port: firstServer.port,
    });
    try {
      expect(await Promise.all(agents.map((a) => a.exit))).toEqual([0, 0, 0]);
      const sent = fleetSent(dir);
      // Each report counted once over both processes, none refused by either.
      expect(recordedBeforeRestart.stable.orders).toBeGreaterThan(0);
      expect(second.recorded).toEqual(sent);
      expect(first.rejections).toEqual(second.rejections);
      expect(Object.values(second.rejections).every((n) => n === 0)).toBe(true);
      for (const run of agents) {
        const stats = run.lines.find((l) => 'done' in l)?.['done'];
        expect(stats).toMatchObject({ refused: 0, pending: 0 });
      }
    } finally {
      await secondServer.close();
      second.close();
      first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NORMALIZED_CSV_HEADER, serveFeed } from '../../../feeds/index.js';
import { BIN, ROOT, tempDir, type CliResult } from '../../../test/cli-harness.js';
import { PLAN_PRESETS } from '../../rollout/index.js';
import { bucketOf } from '../../router/index.js';
import type { HealthBody } from '../../server/index.js';
import { TestClient } from '../../server/test-support/test-client.js';
import { freePort } from '../../../test/free-port.js';
import { until } from '../../../test/wait-until.js';
import type { CliIo } from '../cli-io.js';
import { formatDecisionLine } from '../format-summary.js';
import { runCli } from '../run-cli.js';
import { TOKEN_ENV, WEBHOOK_SECRET_ENV } from './serve-command.js';
import { FILLS_CSV_HEADER } from '../../report/fills-csv.js';
import { trade } from '../../embed/test-support/bot-driver.js';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
  type WebhookEvent,
} from '../../notify/index.js';

const OPERATOR = 'op-secret-4f1c';
const AGENT = 'agent-secret-9b2e';
const SALT = 'serve-test';
const T0_MS = 1_723_161_600_000; // 2024-08-09T00:00:00Z
// `standard` without its baseline, so that the rollout starts on the first event (the baseline
// itself is the runner's: rollout-runner.test.ts).
const PLAN_FILE = join(tempDir('serve-plan-'), 'standard.json');
writeFileSync(PLAN_FILE, JSON.stringify({ ...PLAN_PRESETS.standard, baselineMs: 0 }));
const BASE = [
  'serve',
  '--port',
  '0',
  '--stable',
  'bot@1.0.0',
  '--canary',
  'bot@2.0.0',
  '--salt',
  SALT,
  '--accounts',
  '200',
  '--plan',
  PLAN_FILE,
];
const LISTENING =
  /^listening: (ws:\/\/127\.0\.0\.1:(\d+)\/ws) \(health: (http:\/\/127\.0\.0\.1:\d+)\/health, dashboard: \3\/\)$/;

interface Running {
  readonly done: Promise<CliResult>;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** The websocket and HTTP bases, from the first line. */
  readonly ws: string;
  readonly http: string;
}

/** In-process runs not yet finished: a failed test's is stopped before the next test. */
const live = new Set<Promise<CliResult>>();

/** Runs the CLI in this process with captured output, without waiting for it. */
function launch(args: readonly string[]): {
  readonly done: Promise<CliResult>;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: () => boolean;
} {
  let stdout = '';
  let stderr = '';
  let exited = false;
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd: ROOT,
  };
  const done: Promise<CliResult> = runCli(args, io).then((code) => {
    exited = true;
    live.delete(done);
    return { code, stdout, stderr };
  });
  live.add(done);
  return { done, stdout: () => stdout, stderr: () => stderr, exited: () => exited };
}

/** Runs a command that must end by itself (bad usage), within 10 s. */
function run(args: readonly string[]): Promise<CliResult> {
  return within(launch(args).done, 10_000, `still running: ${args.join(' ')}`);
}

/** Runs `serve` in this process and waits for its listening line (it must be the first line). */
async function startServe(args: readonly string[]): Promise<Running> {
  const { done, stdout, stderr, exited } = launch(args);
  const deadline = Date.now() + 10_000;
  while (!stdout().includes('\n')) {
    if (exited() || Date.now() > deadline) {
      throw new Error(`serve did not listen: ${stdout()}${stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const match = LISTENING.exec(stdout().split('\n')[0]!);
  if (match === null) throw new Error(`unexpected first line: ${stdout()}`);
  return { done, stdout, stderr, ws: match[1]!, http: match[3]! };
}

/** `serve` run to its end in a child process (killed after 30 s: a test bound, not a timing). */
function serveInChild(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, [TOKEN_ENV.operator]: OPERATOR },
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
  });
}

/** Stops an in-process serve as SIGTERM would (our listener is the only one) and waits for it. */
async function terminate(running: Running): Promise<CliResult> {
  process.emit('SIGTERM', 'SIGTERM');
  return within(running.done, 10_000, 'serve did not stop');
}

async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function health(http: string): Promise<HealthBody> {
  const response = await fetch(`${http}/health`);
  expect(response.status).toBe(200);
  return (await response.json()) as HealthBody;
}

/** Polls /health until `test` holds (or fails after 5 s). */
async function healthWhen(http: string, test: (body: HealthBody) => boolean): Promise<HealthBody> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const body = await health(http);
    if (test(body)) return body;
    if (Date.now() > deadline) throw new Error(`health never matched: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function tokenFile(token: string): string {
  const file = join(tempDir('sc-serve-'), 'token');
  writeFileSync(file, `${token}\n`);
  return file;
}

function lines(text: string): string[] {
  return text.trimEnd().split('\n');
}

beforeEach(() => {
  for (const variable of Object.values(TOKEN_ENV)) vi.stubEnv(variable, undefined);
  vi.stubEnv(WEBHOOK_SECRET_ENV, undefined);
  vi.stubEnv(TOKEN_ENV.operator, OPERATOR);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  if (live.size > 0) {
    process.emit('SIGTERM', 'SIGTERM');
    await Promise.all(live);
  }
  // Every run removes its signal listeners, whatever happened.
  expect(process.listenerCount('SIGTERM')).toBe(0);
  expect(process.listenerCount('SIGINT')).toBe(0);
});

describe('serve', () => {
  it('prints where it listens first, serves /health, and on SIGTERM closes everything and prints a summary', async () => {
    const running = await startServe(BASE);
    const body = await health(running.http);
    expect(body).toMatchObject({
      status: 'ok',
      rollout: { status: 'pending', halted: false, weightPct: 0, resumedFrom: 'new' },
      recorded: {
        stable: { orders: 0, fills: 0, rejects: 0 },
        canary: { orders: 0, fills: 0, rejects: 0 },
      },
    });
    expect(lines(running.stdout())[1]).toBe(
      `rollout: bot@1.0.0 → bot@2.0.0, plan standard (6 steps), auto mode; 200 accounts, salt "${SALT}"; new; event time from the agents`,
    );
    const subscriber = await TestClient.hello(running.ws, { role: 'subscriber' });

    const result = await terminate(running);
    expect(result.code).toBe(0);
    expect((await subscriber.closedWithin()).code).toBe(1001);
    await expect(fetch(`${running.http}/health`)).rejects.toThrow(); // no longer listening
    expect(lines(result.stdout).at(-1)).toBe(
      'stopped (SIGTERM): rollout not started; recorded stable 0 orders, 0 fills, 0 rejects; canary 0 orders, 0 fills, 0 rejects; 0 reports refused',
    );
    expect(result.stderr).toBe(
      'note: no agent token (STRATEGY_CANARY_AGENT_TOKEN or --agent-token-file): agents are refused\n',
    );
  }, 20_000);

  it("acknowledges an agent's order and fill, counts them on /health and in the summary", async () => {
    const running = await startServe([...BASE, '--agent-token-file', tokenFile(AGENT)]);
    // The file's trailing newline is not part of the token.
    const intruder = await TestClient.connect(running.ws);
    intruder.send({ type: 'hello', role: 'agent', token: `${AGENT}\n`, agentId: 'x' });
    expect((await intruder.closedWithin()).code).toBe(1008);

    const agent = await TestClient.hello(running.ws, {
      role: 'agent',
      token: AGENT,
      agentId: 'bot-1',
    });
    // An account on stable at the first step (1 %: buckets 0–99 are canary).
    const accountId = Array.from(
      { length: 200 },
      (_, i) => `acct-${String(i + 1).padStart(4, '0')}`,
    ).find((id) => bucketOf(SALT, id) >= 100)!;
    agent.send({ type: 'clock', tsMs: T0_MS });
    const common = {
      orderId: 'o-1',
      accountId,
      arm: 'stable',
      symbol: 'BTCUSDT',
      side: 'buy',
      quantity: '0.01',
      decisionTsMs: T0_MS,
    };
    agent.send({ type: 'report', reportId: 'bot-1:1', report: { type: 'order', ...common } });
    agent.send({
      type: 'report',
      reportId: 'bot-1:2',
      report: {
        type: 'fill',
        fillId: 'f-1',
        ...common,
        price: '60000',
        fee: '0.36',
        tsMs: T0_MS + 20,
        latencyMs: 20,
        slippageBps: 0.5,
      },
    });
    const acks = await Promise.all([
      agent.next((f) => f.type === 'ack' && f.reportId === 'bot-1:1', true),
      agent.next((f) => f.type === 'ack' && f.reportId === 'bot-1:2', true),
    ]);
    expect(acks.map((a) => (a.type === 'ack' ? a.accepted : null))).toEqual([true, true]);
    const body = await health(running.http);
    expect(body.recorded).toEqual({
      stable: { orders: 1, fills: 1, rejects: 0 },
      canary: { orders: 0, fills: 0, rejects: 0 },
    });
    expect(body.rollout).toMatchObject({ status: 'step', stepIndex: 0, weightPct: 1 });
    expect(body.connections.agent).toBe(1);

    const result = await terminate(running);
    expect(result.code).toBe(0);
    expect(lines(result.stdout).at(-1)).toBe(
      'stopped (SIGTERM): rollout step 1 of 6 at 1 %; recorded stable 1 order, 1 fill, 0 rejects; canary 0 orders, 0 fills, 0 rejects; 0 reports refused',
    );
    expect(result.stderr).toBe('');
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(AGENT);
      expect(text).not.toContain(OPERATOR);
    }
  }, 20_000);

  it('refuses bad usage with exit 2 and one line on stderr, before listening', async () => {
    const expectRefused = (result: CliResult, pattern: RegExp): void => {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe(''); // never listened
      expect(result.stderr).toMatch(pattern);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).not.toContain(OPERATOR);
    };

    vi.stubEnv(TOKEN_ENV.operator, undefined);
    expectRefused(
      await run(BASE),
      /^strategy-canary: no operator token: set STRATEGY_CANARY_OPERATOR_TOKEN or give --operator-token-file FILE .*\[E_USAGE\]\n$/,
    );
    expectRefused(
      await run([...BASE, '--operator-token-file', join(tempDir(), 'missing')]),
      /--operator-token-file .*missing: cannot read it \(ENOENT\) \[E_USAGE\]\n$/,
    );
    expectRefused(
      await run([...BASE, '--operator-token-file', tokenFile('')]),
      /--operator-token-file .* is empty: write the operator token in it \[E_USAGE\]\n$/,
    );
    vi.stubEnv(TOKEN_ENV.operator, '');
    expectRefused(await run(BASE), /STRATEGY_CANARY_OPERATOR_TOKEN is empty.*\[E_USAGE\]\n$/);
    vi.stubEnv(TOKEN_ENV.operator, OPERATOR);
    expectRefused(
      await run([...BASE, '--operator-token-file', tokenFile(OPERATOR)]),
      /operator token: give STRATEGY_CANARY_OPERATOR_TOKEN or --operator-token-file, not both \[E_USAGE\]\n$/,
    );
    vi.stubEnv(TOKEN_ENV.agent, '');
    expectRefused(await run(BASE), /STRATEGY_CANARY_AGENT_TOKEN is empty.*\[E_USAGE\]\n$/);
    vi.stubEnv(TOKEN_ENV.agent, undefined);
    expectRefused(
      await run([...BASE, '--nats', 'nats://127.0.0.1:1']),
      /^strategy-canary: cannot serve the fleet on NATS at nats:\/\/127\.0\.0\.1:1: .*\[E_NATS\]\n$/,
    );
    expectRefused(
      await run([...BASE, '--nats', 'nats://127.0.0.1:1', '--state-dir', tempDir()]),
      /^strategy-canary: serve: --state-dir and --nats: on NATS the rollout's log is its persisted state .*\[E_USAGE\]\n$/,
    );
    expectRefused(
      await run([...BASE, '--nats', 'nats://127.0.0.1:1', '--feed', 'ws://127.0.0.1:1/ws']),
      /^strategy-canary: serve: --feed and --nats: .*\[E_USAGE\]\n$/,
    );
    expectRefused(
      await run([...BASE, '--nats', 'nats://127.0.0.1:1', '--lease-ms', '10']),
      /--lease-ms.*\[E_USAGE\]\n$/,
    );
    expectRefused(
      await run([...BASE, '--webhook', 'ftp://hooks.example/x']),
      /--webhook: an http or https URL, got "ftp:\/\/hooks\.example\/x" \[E_USAGE\]\n$/,
    );

    // A plan with a shadow step: refused by createCanary, nothing left open.
    expectRefused(
      await run([...BASE, '--plan', 'blue-green']),
      /^strategy-canary: plan blue-green: a shadow step .*\[E_PLAN\]\n$/,
    );
    expectRefused(
      await run([...BASE, '--plan', 'short']),
      /plan short: a shadow step .*\[E_PLAN\]\n$/,
    );
    // A mistyped preset is not read as a file path.
    expectRefused(
      await run([...BASE, '--plan', 'standrad']),
      /--plan: "standrad" is neither a preset .*; did you mean standard\? \[E_PLAN\]\n$/,
    );
    expectRefused(
      await run(BASE.filter((a) => a !== '--salt' && a !== SALT)),
      /^strategy-canary: serve: --salt is required \[E_USAGE\]\n$/,
    );
    expectRefused(
      await run([...BASE.slice(0, 4), 'bot-1.0.0', ...BASE.slice(5)]),
      /--stable: expected NAME@VERSION .*\[E_USAGE\]\n$/,
    );
    expectRefused(
      await run([...BASE, '--capital', '0']),
      /--capital: expected a positive amount, got "0" \[E_USAGE\]\n$/,
    );

    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const busy = await run([...BASE.slice(0, 2), String(port), ...BASE.slice(3)]);
      expectRefused(
        busy,
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*\\[E_LISTEN\\]\\n$`),
      );
    } finally {
      blocker.close();
    }
  }, 20_000);

  it('with --state-dir, a port in use leaves no rollout behind: the next start, with other options, is new', async () => {
    const dir = join(tempDir('sc-serve-busy-'), 'rollout');
    const expectRefused = (result: CliResult): void => {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe(''); // never listened
      expect(result.stderr).toMatch(/EADDRINUSE.*\[E_LISTEN\]\n$/);
    };
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((blocker.address() as AddressInfo).port);
      const busy = await run([...BASE.slice(0, 2), port, ...BASE.slice(3), '--state-dir', dir]);
      expectRefused(busy);
      for (const file of ['state.json', 'audit.jsonl', 'reports.jsonl'])
        expect(existsSync(join(dir, file)), file).toBe(false);

      const second = await startServe([...BASE, '--state-dir', dir, '--mode', 'manual']);
      expect(lines(second.stdout())[1]).toMatch(/, manual mode; .*; new; /);
      expect((await terminate(second)).code).toBe(0);
      // A rollout that was there is left as it was.
      const again = await run([
        ...BASE.slice(0, 2),
        port,
        ...BASE.slice(3),
        '--state-dir',
        dir,
        '--mode',
        'manual',
      ]);
      expectRefused(again);
      expect(existsSync(join(dir, 'state.json'))).toBe(true);
    } finally {
      blocker.close();
    }
  }, 20_000);

  it('with --webhook, sends the transitions and operator commands, signed with the secret', async () => {
    const received: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const hook = createHttpServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', () => resolve()));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    vi.stubEnv(WEBHOOK_SECRET_ENV, 'hook-secret-77');
    try {
      const running = await startServe([
        ...BASE,
        '--agent-token-file',
        tokenFile(AGENT),
        '--webhook',
        hookUrl,
        '--report-url',
        'https://reports.example/r1',
      ]);
      const agent = await TestClient.hello(running.ws, {
        role: 'agent',
        token: AGENT,
        agentId: 'a',
      });
      agent.send({ type: 'clock', tsMs: T0_MS });
      const operator = await TestClient.hello(running.ws, { role: 'operator', token: OPERATOR });
      operator.send({
        type: 'command',
        command: 'halt',
        reason: 'webhook test',
        requestId: 'op-1',
      });
      await operator.next((f) => f.type === 'result');
      const deadline = Date.now() + 10_000;
      while (!received.some((r) => r.body.includes('"type":"operator"'))) {
        if (Date.now() > deadline)
          throw new Error(`no operator event: ${JSON.stringify(received)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await terminate(running)).code).toBe(0);
      const events = received.map((r) => JSON.parse(r.body) as WebhookEvent);
      expect(events.map((e) => [e.type, e.action])).toEqual([
        ['transition', 'set-weight'],
        ['operator', 'halt'],
      ]);
      expect(events[1]).toMatchObject({
        severity: 'warning',
        fromWeightPct: 1,
        reportUrl: 'https://reports.example/r1',
      });
      for (const r of received) {
        const timestamp = String(r.headers[TIMESTAMP_HEADER]);
        const signature = String(r.headers[SIGNATURE_HEADER]);
        expect(verifyWebhookSignature('hook-secret-77', timestamp, r.body, signature)).toBe(true);
      }
    } finally {
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  }, 20_000);

  it('with --state-dir, a restarted server resumes where the last one stopped', async () => {
    const dir = join(tempDir('sc-serve-state-'), 'rollout');
    const args = [...BASE, '--state-dir', dir, '--agent-token-file', tokenFile(AGENT)];
    const first = await startServe(args);
    const agent = await TestClient.hello(first.ws, { role: 'agent', token: AGENT, agentId: 'a' });
    agent.send({ type: 'clock', tsMs: T0_MS });
    const operator = await TestClient.hello(first.ws, { role: 'operator', token: OPERATOR });
    operator.send({ type: 'command', command: 'halt', reason: 'restart test', requestId: 'op-1' });
    const result = await operator.next((f) => f.type === 'result');
    expect(result).toMatchObject({ applied: true, state: { halted: true, weightPct: 1 } });
    expect((await terminate(first)).code).toBe(0);

    const second = await startServe(args);
    const body = await health(second.http);
    expect(body.rollout.resumedFrom).not.toBe('new');
    expect(body.rollout).toMatchObject({
      status: 'step',
      halted: true,
      stepIndex: 0,
      weightPct: 1,
    });
    expect(lines(second.stdout())[1]).toMatch(/; resumed from state(\+log)?; /);
    const end = await terminate(second);
    expect(end.code).toBe(0);
    expect(lines(end.stdout).at(-1)).toMatch(
      /^stopped \(SIGTERM\): rollout step 1 of 6 at 1 %, halted; /,
    );
  }, 20_000);

  it('with --state-dir, a second server on the folder, in another process, is refused while the first runs', async () => {
    const dir = join(tempDir('sc-serve-locked-'), 'rollout');
    const first = await startServe([...BASE, '--state-dir', dir]);
    const auditBefore = readFileSync(join(dir, 'audit.jsonl'));
    const second = serveInChild([...BASE, '--state-dir', dir]);
    expect(second.status).toBe(2);
    expect(second.stdout).toBe(''); // never listened
    expect(second.stderr).toMatch(
      new RegExp(`audit\\.jsonl is in use by process ${process.pid} on .*\\[E_STATE_LOCKED\\]\\n$`),
    );
    expect(readFileSync(join(dir, 'audit.jsonl'))).toEqual(auditBefore);
    expect((await terminate(first)).code).toBe(0);
    expect(existsSync(join(dir, 'audit.jsonl.lock'))).toBe(false);
  }, 90_000);

  it('with --state-dir, a folder another process holds is refused naming it, even when its log reads as torn', async () => {
    const dir = join(tempDir('sc-serve-held-'), 'rollout');
    mkdirSync(dir, { recursive: true });
    // A line the holder is writing at this instant looks torn to a reader without the lock.
    writeFileSync(join(dir, 'audit.jsonl'), '{"seq":1,"tsUs":17231612');
    const holder = { pid: process.ppid, host: hostname(), since: '2026-12-07T10:00:00.000Z' };
    writeFileSync(join(dir, 'audit.jsonl.lock'), JSON.stringify(holder));
    const result = await run([...BASE, '--state-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(`is in use by process ${process.ppid} on .*\\[E_STATE_LOCKED\\]\\n$`),
    );
    expect(JSON.parse(readFileSync(join(dir, 'audit.jsonl.lock'), 'utf8'))).toEqual(holder);
  });

  it("with --state-dir, a restarted server still has the decisions taken before it: /health, the dashboard's log", async () => {
    const dir = join(tempDir('sc-serve-decisions-'), 'rollout');
    // Steps that pass on their time floor alone: an increase (and its transition) in minutes.
    const plan = join(dir, '..', 'floor-plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        steps: [
          { weightPct: 10, minDurationMs: 60_000, minCanaryFills: 0, requireNonInferior: [] },
          { weightPct: 50, minDurationMs: 600_000, minCanaryFills: 0, requireNonInferior: [] },
          { weightPct: 100, minDurationMs: 0 },
        ],
      }),
    );
    const args = [
      ...BASE,
      '--plan',
      plan,
      '--state-dir',
      dir,
      '--agent-token-file',
      tokenFile(AGENT),
    ];
    const first = await startServe(args);
    const agent = await TestClient.hello(first.ws, { role: 'agent', token: AGENT, agentId: 'a' });
    for (const t of [0, 60_000, 120_000, 180_000]) agent.send({ type: 'clock', tsMs: T0_MS + t });
    const before = await healthWhen(
      first.http,
      (b) => b.lastDecision?.at === '2024-08-09T00:02:00.000000Z',
    );
    const decisionLines = lines(first.stdout()).slice(2);
    expect(decisionLines.some((line) => / increase +10 % → 50 % /u.test(line))).toBe(true);
    expect((await terminate(first)).code).toBe(0);

    const second = await startServe(args);
    expect((await health(second.http)).lastDecision).toEqual(before.lastDecision);
    const page = await TestClient.connect(second.ws);
    page.send({ type: 'hello', role: 'auto', token: OPERATOR });
    const welcome = await page.next((f) => f.type === 'welcome');
    expect(welcome.type === 'welcome' && welcome.recentDecisions.map(formatDecisionLine)).toEqual(
      decisionLines,
    );
    expect((await terminate(second)).code).toBe(0);
  }, 20_000);

  it('with --state-dir, a server restarted before its rollout started starts it on the first event, as a fresh one', async () => {
    const dir = join(tempDir('sc-serve-pending-'), 'rollout');
    const args = [...BASE, '--state-dir', dir, '--agent-token-file', tokenFile(AGENT)];
    const first = await startServe(args);
    expect((await health(first.http)).rollout.status).toBe('pending');
    expect((await terminate(first)).code).toBe(0); // stopped before any event time: state pending
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8')).toBe('');

    const second = await startServe(args);
    const agent = await TestClient.hello(second.ws, { role: 'agent', token: AGENT, agentId: 'a' });
    agent.send({ type: 'clock', tsMs: T0_MS });
    // A refused report is answered after the clock was handled: a barrier, no waiting on time.
    agent.send({ type: 'report', reportId: 'barrier', report: { type: 'nothing' } });
    await agent.next((f) => f.type === 'ack' && f.reportId === 'barrier', true);
    const body = await health(second.http);
    expect(body.rollout).toMatchObject({ status: 'step', stepIndex: 0, weightPct: 1 });
    const kinds = readFileSync(join(dir, 'audit.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { kind: string }).kind);
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds[0]).toBe('start');
    const end = await terminate(second);
    expect(end.code).toBe(0);
    expect(lines(end.stdout).at(-1)).toMatch(/^stopped \(SIGTERM\): rollout step 1 of 6 at 1 %; /);
  }, 20_000);

  it('with --state-dir, a torn last audit line stops a restart (exit 2, naming --repair); --repair moves it aside and resumes', async () => {
    const dir = join(tempDir('sc-serve-torn-'), 'rollout');
    const auditPath = join(dir, 'audit.jsonl');
    const args = [...BASE, '--state-dir', dir, '--agent-token-file', tokenFile(AGENT)];
    const first = await startServe(args);
    const agent = await TestClient.hello(first.ws, { role: 'agent', token: AGENT, agentId: 'a' });
    agent.send({ type: 'clock', tsMs: T0_MS });
    await healthWhen(first.http, (b) => b.rollout.status === 'step');
    expect((await terminate(first)).code).toBe(0);
    const complete = readFileSync(auditPath, 'utf8');
    const lastSeq = complete.trimEnd().split('\n').length;
    const tornBytes = `{"seq":${lastSeq + 1},"tsUs":17231616`;
    appendFileSync(auditPath, tornBytes); // a crash in the middle of an append

    const refused = await run(args);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe(''); // never listened
    expect(lines(refused.stderr)).toHaveLength(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^strategy-canary: .*audit\\.jsonl:${lastSeq + 1}: torn last line \\(no-final-newline, ${tornBytes.length} bytes .*; start serve again with --repair to move it to .*audit\\.jsonl\\.torn .*\\[E_AUDIT_LOG\\]\n$`,
      ),
    );
    expect(readFileSync(auditPath, 'utf8')).toBe(complete + tornBytes); // left as it was

    const repaired = await startServe([...args, '--repair']);
    expect(repaired.stderr()).toMatch(
      new RegExp(
        `^repaired: .*audit\\.jsonl:${lastSeq + 1}: torn last line \\(${tornBytes.length} bytes\\) moved to .*audit\\.jsonl\\.torn; audit record ${lastSeq + 1} says so\n`,
      ),
    );
    expect(readFileSync(`${auditPath}.torn`, 'utf8')).toBe(tornBytes);
    const log = readFileSync(auditPath, 'utf8');
    expect(log.startsWith(complete)).toBe(true);
    const repair = JSON.parse(log.slice(complete.length)) as { seq: number; kind: string };
    expect(repair).toMatchObject({ seq: lastSeq + 1, kind: 'repair' });
    const body = await health(repaired.http);
    expect(body.rollout).toMatchObject({ status: 'step', stepIndex: 0, weightPct: 1 });
    expect(body.rollout.resumedFrom).not.toBe('new');
    expect((await terminate(repaired)).code).toBe(0);

    // Repaired once and for all: the next restart needs no option.
    const again = await startServe(args);
    expect((await health(again.http)).rollout).toMatchObject({ status: 'step', weightPct: 1 });
    expect((await terminate(again)).code).toBe(0);
  }, 30_000);

  it('refuses --repair without --state-dir', async () => {
    const result = await run([...BASE, '--repair']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^strategy-canary: serve: --repair repairs the audit log of --state-dir: give both \[E_USAGE\]\n$/,
    );
  });

  it('with --exit-when-finished, exits 0 by itself once the rollout rolls back, printing its decisions as the replay does', async () => {
    const running = await startServe([
      ...BASE,
      '--exit-when-finished',
      '--agent-token-file',
      tokenFile(AGENT),
    ]);
    const subscriber = await TestClient.hello(running.ws, { role: 'subscriber' });
    const agent = await TestClient.hello(running.ws, { role: 'agent', token: AGENT, agentId: 'a' });
    // A strategy error on the canary breaks a hard guardrail: the rollout rolls back.
    agent.send({ type: 'clock', tsMs: T0_MS });
    agent.send({
      type: 'report',
      reportId: 'a:1',
      report: { type: 'strategy-error', arm: 'canary', tsMs: T0_MS + 1000, message: 'boom' },
    });
    await subscriber.next((f) => f.type === 'state' && f.state.status === 'rolled_back', true);
    const result = await within(running.done, 5000, 'did not exit when finished');
    expect(result.code).toBe(0);
    const decisions = subscriber.frames.flatMap((f) => (f.type === 'decision' ? [f.decision] : []));
    expect(decisions.map((d) => d.action)).toEqual(['hold', 'rollback']);
    const out = lines(result.stdout);
    // Between the two header lines and the summary: one line per decision, in the replay's format.
    expect(out.slice(2, -1)).toEqual(decisions.map((d) => formatDecisionLine(d)));
    expect(out.at(-1)).toBe(
      'stopped (rollout rolled back): rollout rolled back at 0 %; recorded stable 0 orders, 0 fills, 0 rejects; canary 0 orders, 0 fills, 0 rejects; 0 reports refused',
    );
    // The subscriber stayed until the server closed, after the grace.
    expect((await subscriber.closedWithin()).code).toBe(1001);
  }, 20_000);

  it('with --fills, journals every fill and reject it books, the marks at each stop, across restarts', async () => {
    const path = join(tempDir(), 'fills.csv');
    // The account's arm at the first step (5 %): its bucket says.
    const arm = bucketOf(SALT, 'acct-0001') < 500 ? 'canary' : 'stable';
    const session = async (round: number): Promise<void> => {
      const running = await startServe([
        ...BASE,
        '--fills',
        path,
        '--agent-token-file',
        tokenFile(AGENT),
      ]);
      const agent = await TestClient.hello(running.ws, {
        role: 'agent',
        token: AGENT,
        agentId: 'a',
      });
      const tsMs = T0_MS + round * 60_000;
      agent.send({ type: 'market', event: trade(tsMs, 60_000 + round) });
      const order = (n: number) =>
        ({
          orderId: `o-${round}-${n}`,
          accountId: 'acct-0001',
          arm,
          symbol: 'BTCUSDT',
          side: 'buy',
          quantity: '0.001',
          decisionTsMs: tsMs,
        }) as const;
      const reports = [
        { type: 'order', ...order(1) },
        {
          type: 'fill',
          ...order(1),
          fillId: `f-${round}`,
          price: '60000.5',
          fee: '0.06',
          tsMs: tsMs + 20,
          latencyMs: 20,
          slippageBps: 0.5,
        },
        { type: 'order', ...order(2) },
        {
          type: 'reject',
          ...order(2),
          reason: 'VENUE',
          message: 'venue said no, twice',
          tsMs: tsMs + 30,
        },
      ];
      reports.forEach((report, i) =>
        agent.send({ type: 'report', reportId: `r-${round}-${i}`, report }),
      );
      await agent.next((f) => f.type === 'ack' && f.reportId === `r-${round}-3`);
      agent.close();
      expect((await terminate(running)).code).toBe(0);
    };
    await session(0);
    await session(1);
    const rows = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe(FILLS_CSV_HEADER.trimEnd());
    expect(rows.slice(1).map((row) => row.split(',')[1])).toEqual([
      'fill',
      'reject',
      'mark',
      'fill',
      'reject',
      'mark',
    ]);
    expect(rows[1]).toBe(
      `2024-08-09T00:00:00.020000Z,fill,o-0-1,acct-0001,${arm},BTCUSDT,buy,0.001,60000.5,0.06,20,0.5,2024-08-09T00:00:00.000000Z,`,
    );
    expect(rows[2]).toMatch(
      /,reject,o-0-2,acct-0001,(stable|canary),BTCUSDT,buy,0\.001,,,,,[^,]+,"VENUE: venue said no, twice"$/u,
    );
    expect(rows[6]).toBe('2024-08-09T00:01:00.030000Z,mark,,,,BTCUSDT,,,60001,,,,,');
  }, 30_000);

  it('with --feed, market events from a Binance-compatible stream start the rollout', async () => {
    const file = join(tempDir(), 'trades.csv');
    writeFileSync(
      file,
      `${NORMALIZED_CSV_HEADER}\n${Array.from(
        { length: 10 },
        (_, i) =>
          `${1723161255000000 + i * 1000},binance,BTCUSDT,trade,buy,61837.63,0.02,,,,,${i + 1}`,
      ).join('\n')}\n`,
    );
    const feed = await serveFeed({ files: [file], port: 0, host: '127.0.0.1', speed: 'max' });
    try {
      const url = `${feed.url}/stream?streams=btcusdt@trade`;
      const running = await startServe([...BASE, '--feed', url]);
      expect(lines(running.stdout())[1]).toContain(`; market data from ${url}`);
      const body = await healthWhen(running.http, (b) => b.rollout.status === 'step');
      expect(body.rollout.weightPct).toBe(1);
      const result = await terminate(running);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('feed: connected\n');
    } finally {
      await feed.close();
    }
  }, 20_000);

  it('with --feed at a URL nothing listens on, says it cannot connect (URL, cause), not that it lost a connection', async () => {
    const url = `ws://127.0.0.1:${await freePort()}/stream?streams=btcusdt@trade`;
    const running = await startServe([...BASE, '--feed', url]);
    await until('a feed line on stderr', () => running.stderr().includes('feed: '), {
      timeoutMs: 10_000,
    });
    const result = await terminate(running);
    expect(result.code).toBe(0);
    const feedLines = lines(result.stderr).filter((l) => l.startsWith('feed: '));
    expect(feedLines[0]).toContain(
      `feed: cannot connect to ${url} (connect ECONNREFUSED 127.0.0.1:`,
    );
    expect(feedLines[0]).toMatch(/\), retrying in \d+ ms$/u);
    expect(result.stderr).not.toContain('connection lost');
  }, 20_000);

  it('stops cleanly on a real SIGTERM (built CLI, child process)', async () => {
    const child = spawn(process.execPath, [BIN, ...BASE], {
      cwd: ROOT,
      env: { ...process.env, [TOKEN_ENV.operator]: OPERATOR },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      const http = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = LISTENING.exec(stdout.split('\n')[0]!);
          if (match !== null) resolve(match[3]!);
        });
        void exited.then(() => reject(new Error(`exited early: ${stdout}${stderr}`)));
      });
      expect((await health(http)).rollout.status).toBe('pending');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(killer);
    }
    expect(lines(stdout).at(-1)).toMatch(/^stopped \(SIGTERM\): rollout not started; /);
    expect(stderr).not.toContain(OPERATOR);
  }, 20_000);

  it.runIf(existsSync('/proc/self'))(
    'with a --state-dir that cannot be made (under /proc), fails with E_OUTPUT at once',
    () => {
      // In a child with a deadline: Node's recursive mkdir spins there for good.
      const proc = serveInChild([...BASE, '--state-dir', '/proc/nope/state']);
      expect(proc.status).toBe(2);
      expect(proc.stdout).toBe('');
      expect(proc.stderr).toMatch(
        /^strategy-canary: cannot write \/proc\/nope\/state: .*\[E_OUTPUT\]\n$/u,
      );
    },
    60_000,
  );
});

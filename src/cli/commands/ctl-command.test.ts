import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Canary } from '../../embed/create-canary.js';
import { TEST_PLAN_WITH_BLACKOUT, drive, testCanary } from '../../embed/test-support/bot-driver.js';
import { createCanaryServer, type CanaryServer, type HealthBody } from '../../server/index.js';
import type { CliIo } from '../cli-io.js';
import { runCli } from '../run-cli.js';
import { TOKEN_ENV } from '../read-token.js';

const OPERATOR = 'ctl-operator-token-0123456789';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `strategy-canary ctl ...` in this process, with the operator token in the environment. */
function ctlRun(
  args: readonly string[],
  token: string | null = OPERATOR,
): { done: Promise<Run>; out: () => string } {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd: process.cwd(),
  };
  const saved = process.env[TOKEN_ENV.operator];
  if (token === null) delete process.env[TOKEN_ENV.operator];
  else process.env[TOKEN_ENV.operator] = token;
  const done = runCli(['ctl', ...args], io).then((code) => ({ code, stdout, stderr }));
  void done.finally(() => {
    if (saved === undefined) delete process.env[TOKEN_ENV.operator];
    else process.env[TOKEN_ENV.operator] = saved;
  });
  return { done, out: () => stdout };
}

const ctl = (args: readonly string[], token?: string | null): Promise<Run> =>
  ctlRun(args, token).done;

describe('strategy-canary ctl', () => {
  const open: { server: CanaryServer; canary: Canary }[] = [];
  afterEach(async () => {
    for (const { server, canary } of open.splice(0)) {
      await server.close();
      canary.close();
    }
  });

  async function serving(mode: 'auto' | 'manual'): Promise<{ url: string; canary: Canary }> {
    const canary = testCanary({ mode });
    const server = await createCanaryServer({
      canary,
      tokens: { operator: OPERATOR },
      statePollMs: 20,
    });
    open.push({ server, canary });
    return { url: server.httpUrl, canary };
  }

  it('says clearly when no server answers (exit 2)', async () => {
    const run = await ctl(['status', '--url', 'http://127.0.0.1:1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^strategy-canary: cannot reach the rollout's server at http:\/\/127\.0\.0\.1:1: .*\[E_SERVER\]\n$/u,
    );
    const command = await ctl(['halt', '--url', '127.0.0.1:1']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('[E_SERVER]');
  });

  it('refuses a proposal id that cannot be one as bad usage, before any connection (exit 2, E_USAGE)', async () => {
    for (const [command, id] of [
      ['approve', '0'],
      ['reject', '0'],
      ['approve', '-3'],
    ] as const) {
      const run = await ctl([command, id, '--url', 'http://127.0.0.1:1']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^strategy-canary: <id>: .*\[E_USAGE\]\n$/u);
    }
  });

  it('says so when another service answers /health with JSON of its own (exit 2, E_SERVER)', async () => {
    const other = createHttpServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      for (const args of [['status'], ['promote'], ['status', '--json']]) {
        const run = await ctl([...args, '--url', url]);
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toMatch(
          /^strategy-canary: http:\/\/127\.0\.0\.1:\d+\/health is not a rollout's health: is it a strategy-canary serve\? \[E_SERVER\]\n$/u,
        );
      }
    } finally {
      other.close();
    }
  });

  it('reads the status, and applies or refuses every command with the rollout’s reason code', async () => {
    const { url, canary } = await serving('manual');
    const endMs = drive(canary, 30, 0, (c) => c.pendingProposal !== null);
    const pending = canary.pendingProposal;
    expect(pending).not.toBeNull();

    const status = await ctl(['status', '--url', url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('rollout: step 1 at 5 %');
    expect(status.stdout).toContain(
      `waiting for an operator: proposal ${pending!.id}, ${pending!.action}`,
    );
    expect(status.stdout).toMatch(/last decision: \S+Z {2}\w+/u);
    expect(status.stdout).toMatch(
      /recorded: stable [\d,]+ orders, [\d,]+ fills, 0 rejects; canary/u,
    );
    const json = JSON.parse((await ctl(['status', '--url', url, '--json'])).stdout) as HealthBody;
    expect(json.pending?.id).toBe(pending!.id);

    // Refusals: exit 3, the controller's reason code on stdout, one line on stderr.
    const wrongId = await ctl(['approve', String(pending!.id + 1000), '--url', url]);
    expect(wrongId.code).toBe(3);
    expect(wrongId.stdout).toMatch(/^approve: refused, NO_SUCH_PROPOSAL: /u);
    expect(wrongId.stderr).toBe(
      'strategy-canary: approve refused (NO_SUCH_PROPOSAL) [E_REFUSED]\n',
    );
    const promote = await ctl(['promote', '--url', url]);
    expect(promote.code).toBe(3);
    expect(promote.stdout).toMatch(
      /^promote: refused, NO_PROMOTE_PROPOSAL: no promote proposal waits/u,
    );

    // Token problems and bad usage: exit 2.
    const badToken = await ctl(['halt', '--url', url], 'not-the-token');
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toMatch(/the server refused the operator: UNAUTHORIZED.*\[E_SERVER\]/u);
    const noToken = await ctl(['halt', '--url', url], null);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(
      /no operator token: set STRATEGY_CANARY_OPERATOR_TOKEN .*\[E_USAGE\]/u,
    );
    expect((await ctl(['approve', 'x', '--url', url])).code).toBe(2);

    // Applied: exit 0, and the rollout moved.
    const approve = await ctl(['approve', String(pending!.id), '--url', url]);
    expect(approve).toMatchObject({ code: 0, stderr: '' });
    expect(approve.stdout).toMatch(/^approve: applied; rollout step 2 at \d+ %\n$/u);
    expect(canary.state.stepIndex).toBe(1);
    expect((await ctl(['halt', '--reason', 'news at 14:00', '--url', url])).stdout).toMatch(
      /^halt: applied; rollout step 2 at \d+ %, halted\n$/u,
    );
    expect(canary.state.halted).toBe(true);
    const again = await ctl(['halt', '--url', url]);
    expect(again.code).toBe(3);
    expect(again.stdout).toMatch(/^halt: refused, ALREADY_HALTED: already halted: news at 14:00/u);
    expect((await ctl(['resume', '--url', url])).code).toBe(0);
    expect((await ctl(['resume', '--url', url])).stdout).toMatch(/^resume: refused, NOT_HALTED/u);
    drive(canary, 30, 0, (c) => c.pendingProposal !== null, endMs + 10_000);
    const next = canary.pendingProposal;
    expect(next).not.toBeNull();
    const reject = await ctl([
      'reject',
      String(next!.id),
      '--reason',
      'not yet',
      '--url',
      url,
      '--json',
    ]);
    expect(reject.code).toBe(0);
    expect(JSON.parse(reject.stdout)).toMatchObject({
      type: 'result',
      command: 'reject',
      applied: true,
    });
    const rollback = await ctl(['rollback', '--reason', 'drill', '--url', url]);
    expect(rollback.code).toBe(0);
    expect(canary.state.status).toBe('rolled_back');
    expect((await ctl(['status', '--url', url])).stdout).toContain('rollout: rolled back at 0 %');
  }, 60_000);

  it('says when the trading calendar holds the steps, and until when', async () => {
    const canary = testCanary({ plan: TEST_PLAN_WITH_BLACKOUT });
    const server = await createCanaryServer({ canary, tokens: { operator: OPERATOR } });
    open.push({ server, canary });
    drive(canary, 1); // 00:00 to 00:01 UTC: inside the blackout
    const status = await ctl(['status', '--url', server.httpUrl]);
    expect(status.stdout).toContain(
      'trading calendar: closed, blackout "funding", until 2024-08-09 00:10 UTC (no step advances; rollbacks still apply)',
    );
    const json = JSON.parse(
      (await ctl(['status', '--url', server.httpUrl, '--json'])).stdout,
    ) as HealthBody;
    expect(json.calendar).toEqual({
      open: false,
      blackout: 'funding',
      opensAt: '2024-08-09T00:10:00.000000Z',
      opensAtLocal: '2024-08-09 00:10 UTC',
    });
    drive(canary, 1, 0, () => false, Date.parse('2024-08-09T00:12:00Z'));
    expect((await ctl(['status', '--url', server.httpUrl])).stdout).toContain(
      'trading calendar: open (steps may advance)',
    );
  });

  it('promotes when the plan proposes it', async () => {
    const { url, canary } = await serving('manual');
    let t = undefined as number | undefined;
    for (let round = 0; round < 10 && canary.pendingProposal?.action !== 'promote'; round++) {
      t = drive(
        canary,
        30,
        0,
        (c) => c.pendingProposal !== null,
        t === undefined ? undefined : t + 10_000,
      );
      const waiting = canary.pendingProposal;
      if (waiting !== null && waiting.action === 'increase')
        expect((await ctl(['approve', String(waiting.id), '--url', url])).code).toBe(0);
    }
    expect(canary.pendingProposal?.action).toBe('promote');
    const promote = await ctl(['promote', '--url', url]);
    expect(promote.code).toBe(0);
    expect(promote.stdout).toMatch(/^promote: applied; rollout promoted at 100 %\n$/u);
  }, 60_000);

  it('watches: redraws on every change, and ends with the rollout', async () => {
    const { url, canary } = await serving('auto');
    drive(canary, 1, 0);
    const watch = ctlRun(['status', '--watch', '--url', url]);
    await expect.poll(() => watch.out(), { timeout: 10_000 }).toContain('rollout: step 1');
    canary.halt('drill');
    await expect.poll(() => watch.out(), { timeout: 10_000 }).toContain(', halted');
    canary.rollback('drill');
    const run = await watch.done;
    expect(run.code).toBe(0);
    expect(run.stdout.split('rollout: ').length - 1).toBeGreaterThanOrEqual(3);
    expect(run.stdout).toContain('rollout: rolled back at 0 %');
  }, 60_000);
});

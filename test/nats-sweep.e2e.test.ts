import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cli, ROOT, tempDir } from './cli-harness.js';
import { skipWithoutNats, startNatsServer, type NatsServer } from './nats-server-harness.js';

const SPOT_0808 = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');

interface Worker {
  readonly process: ChildProcess;
  readonly out: string;
  readonly stdout: () => string;
  readonly exited: Promise<number | null>;
}

/** A `strategy-canary worker` process (the built CLI), resolved once it is bound to the queue. */
async function startWorker(url: string): Promise<Worker> {
  const out = tempDir('sc-worker-');
  const child = spawn(process.execPath, [BIN, 'worker', '--nats', url, '--out', out], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 20_000;
  while (!stdout.includes('worker: taking replays')) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the worker did not start:\n${stdout}${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { process: child, out, stdout: () => stdout, exited };
}

/** A sweep grid over the spot sample, written to a temporary file. */
function gridFile(options: object, axes: object): string {
  const grid = join(tempDir('sc-nats-grid-'), 'grid.json');
  writeFileSync(grid, JSON.stringify({ feeds: [SPOT_0808], options, grid: axes }));
  return grid;
}

describe.skipIf(skipWithoutNats)('strategy-canary sweep --nats and worker', () => {
  let server: NatsServer | null = null;
  const workers: Worker[] = [];

  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      worker.process.kill('SIGKILL');
      await worker.exited;
    }
    await server?.dispose();
    server = null;
  });

  it('splits 8 replays over two worker processes and gives the local run’s summaries, byte for byte', async () => {
    server = await startNatsServer();
    const grid = gridFile(
      { '--plan': 'aggressive', '--accounts': '200' },
      {
        '--salt': ['n1', 'n2', 'n3', 'n4'],
        '--inject': [null, 'canary:slippage=+5bp'],
      },
    );
    const local = join(tempDir('sc-nats-local-'), 'sweep');
    expect((await cli(['sweep', grid, '--out', local, '--workers', '2'])).code).toBe(0);

    workers.push(await startWorker(server.url), await startWorker(server.url));
    const overNats = join(tempDir('sc-nats-sweep-'), 'sweep');
    const result = await cli([
      'sweep',
      grid,
      '--out',
      overNats,
      '--nats',
      server.url,
      '--sweep-id',
      'e2e-1',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const file of ['summary.json', 'summary.csv', 'summary.md']) {
      expect(readFileSync(join(overNats, file), 'utf8'), file).toBe(
        readFileSync(join(local, file), 'utf8'),
      );
    }

    // Every run once, spread over both workers, each report.json the local run's.
    const ranBy = workers.map((w) => readdirSync(join(w.out, 'e2e-1', 'runs')).sort());
    expect([...ranBy[0]!, ...ranBy[1]!].sort()).toEqual([
      '001',
      '002',
      '003',
      '004',
      '005',
      '006',
      '007',
      '008',
    ]);
    expect(ranBy.every((runs) => runs.length > 0)).toBe(true);
    workers.forEach((worker, w) => {
      for (const run of ranBy[w]!) {
        expect(readFileSync(join(worker.out, 'e2e-1', 'runs', run, 'report.json'), 'utf8')).toBe(
          readFileSync(join(local, 'runs', run, 'report.json'), 'utf8'),
        );
      }
    });

    for (const worker of workers) worker.process.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes).toEqual([0, 0]);
    const total = workers
      .map((w) => Number(/worker: (\d+) replays run/u.exec(w.stdout())?.[1]))
      .reduce((a, b) => a + b, 0);
    expect(total).toBe(8);
  }, 240_000);

  it('gives up with --idle-timeout when no worker answers, and a later sweep with the same id collects the runs', async () => {
    server = await startNatsServer();
    const grid = gridFile({ '--accounts': '20' }, { '--salt': ['i1', 'i2'] });
    const args = (out: string): string[] => [
      'sweep',
      grid,
      '--out',
      out,
      '--nats',
      server!.url,
      '--sweep-id',
      'idle-1',
      '--no-progress',
    ];
    const abandoned = await cli([
      ...args(join(tempDir('sc-nats-idle-'), 'sweep')),
      '--idle-timeout',
      '2',
    ]);
    expect(abandoned.code).toBe(2);
    expect(abandoned.stderr).toMatch(
      /^strategy-canary: sweep idle-1: no result from any worker in \d+ s \(0 of 2 runs done\): start `strategy-canary worker --nats nats:\/\/127\.0\.0\.1:\d+ --out DIR`.*\[E_NATS\]\n$/u,
    );
    // The runs stayed queued: a worker started now runs them, and the same sweep id collects them.
    workers.push(await startWorker(server.url));
    const collected = await cli(args(join(tempDir('sc-nats-idle-'), 'sweep')));
    expect(collected.stderr).toBe('');
    expect(collected.code).toBe(0);
    expect(collected.stdout).toContain('2 runs; summary:');
    expect(
      (await cli(['sweep', grid, '--out', join(tempDir(), 'x'), '--idle-timeout', '2'])).stderr,
    ).toContain('--idle-timeout goes with --nats');
  }, 120_000);
});

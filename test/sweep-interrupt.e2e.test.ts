import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  constants,
  copyFileSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepRow } from '../src/cli/sweep/sweep-summary.js';
import { BIN, cli, ROOT, spawnCli, tempDir } from './cli-harness.js';
import { until } from './wait-until.js';

const SPOT_0808 = join(ROOT, 'feeds', 'samples', 'spot_btcusdt_20240808.gz');

function rows(out: string): SweepRow[] {
  return (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runs: SweepRow[] }).runs;
}

/** The write end of `fifo` once a reader waits on it (non-blocking: ENXIO until then), or null. */
function writerOnceRead(fifo: string): number | null {
  try {
    return openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') return null;
    throw error;
  }
}

/** A grid of four runs: `--operator` none or `operator`, each with salts a and b. */
function fourRunGrid(dir: string, operator: string): string {
  const path = join(dir, 'grid.json');
  writeFileSync(
    path,
    JSON.stringify({
      feeds: [SPOT_0808],
      options: { '--plan': 'aggressive', '--accounts': '50', '--no-fills': true },
      grid: { '--operator': [null, operator], '--salt': ['a', 'b'] },
    }),
  );
  return path;
}

describe('strategy-canary sweep, stopped and resumed', () => {
  it.runIf(process.platform === 'linux')(
    'on Ctrl-C summarizes the finished runs and exits 130; --resume runs the others, and the summaries are the whole sweep’s',
    async () => {
      const dir = tempDir('sc-sweep-stop-');
      // Runs 3 and 4 read their operator script from a named pipe: with one worker, run 3 is in
      // hand and cannot end until the test closes the pipe, so the signal lands after runs 1 and
      // 2 and during run 3, whatever the machine's speed.
      const operator = join(dir, 'operator.json');
      execFileSync('mkfifo', [operator]);
      const grid = fourRunGrid(dir, operator);
      const out = join(dir, 'stopped');
      const child = spawn(
        process.execPath,
        [BIN, 'sweep', grid, '--out', out, '--workers', '1', '--no-progress'],
        { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      let writer: number | null = null;
      try {
        await until('run 3 reads its operator script', () => {
          writer = writerOnceRead(operator);
          return writer !== null;
        });
        child.kill('SIGINT');
        await until('the sweep says it is stopping', () => stderr.includes('SIGINT: stopping'));
      } finally {
        if (writer !== null) closeSync(writer);
      }
      expect(await exited).toBe(130);
      expect(stderr).toMatch(
        /stopped with 2 of 4 runs done \(summarized in .*summary\.md\); the 2 others: strategy-canary sweep .*grid\.json --out .*stopped --resume \[E_INTERRUPTED\]\n$/u,
      );
      expect(rows(out).map((row) => row.exitCode)).toEqual([0, 0, null, null]);
      expect(stdout).toContain('| 3 | ' + operator + ' | a | not run |');
      // The abandoned run left nothing: the finished runs' directories only.
      expect(readdirSync(join(out, 'runs'))).toEqual(['001', '002']);
      const firstReport = join(out, 'runs', '001', 'report.json');
      const firstBefore = {
        text: readFileSync(firstReport, 'utf8'),
        at: statSync(firstReport).mtimeMs,
      };

      // The pipe becomes a file; --resume keeps runs 1 and 2 and runs 3 and 4.
      rmSync(operator);
      writeFileSync(operator, '[]\n');
      const resumed = spawnCli(['sweep', grid, '--out', out, '--resume', '--no-progress']);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(rows(out).map((row) => row.exitCode)).toEqual([0, 0, 0, 0]);
      expect(readFileSync(firstReport, 'utf8')).toBe(firstBefore.text);
      expect(statSync(firstReport).mtimeMs).toBe(firstBefore.at);
      const timings = JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8')) as {
        runs: { run: number; wallMs: number | null }[];
      };
      expect(timings.runs.every((t) => t.wallMs !== null && t.wallMs > 0)).toBe(true);

      // The same grid swept whole gives the same summaries and reports, byte for byte.
      const whole = join(dir, 'whole');
      const once = spawnCli(['sweep', grid, '--out', whole, '--no-progress']);
      expect(once.code).toBe(0);
      for (const file of ['summary.json', 'summary.csv', 'summary.md', 'grid.json'])
        expect(readFileSync(join(out, file), 'utf8'), file).toBe(
          readFileSync(join(whole, file), 'utf8'),
        );
      for (const run of ['001', '002', '003', '004'])
        expect(readFileSync(join(out, 'runs', run, 'report.json'), 'utf8'), run).toBe(
          readFileSync(join(whole, 'runs', run, 'report.json'), 'utf8'),
        );
    },
    240_000,
  );

  it('refuses --resume when an input file changed or went since the sweep began, naming it', async () => {
    const dir = tempDir('sc-sweep-inputs-');
    const feed = join(dir, 'feed.gz');
    copyFileSync(SPOT_0808, feed);
    const accounts = join(dir, 'accounts.csv');
    writeFileSync(accounts, 'account_id,capital\na1,1000\na2,2000\na3,3000\n');
    const grid = join(dir, 'grid.json');
    writeFileSync(
      grid,
      JSON.stringify({
        feeds: [feed],
        options: { '--accounts': accounts, '--no-fills': true },
        grid: { '--salt': ['a', 'b'] },
      }),
    );
    const out = join(dir, 'out');
    expect((await cli(['sweep', grid, '--out', out, '--workers', '1'])).code).toBe(0);
    const report = readFileSync(join(out, 'runs', '001', 'report.json'), 'utf8');

    copyFileSync(join(ROOT, 'feeds', 'samples', 'spot_ethusdt_20240808.gz'), feed);
    const changed = await cli(['sweep', grid, '--out', out, '--resume']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain(`sweep --resume: ${feed} changed since the sweep in ${out}`);
    expect(changed.stderr).toMatch(/\[E_USAGE\]\n$/u);
    copyFileSync(SPOT_0808, feed);
    rmSync(accounts);
    const gone = await cli(['sweep', grid, '--out', out, '--resume']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`sweep --resume: ${accounts} is gone since the sweep`);
    writeFileSync(accounts, 'account_id,capital\na1,1000\na2,2000\na3,3000\n');
    rmSync(join(out, 'inputs.json'));
    const unrecorded = await cli(['sweep', grid, '--out', out, '--resume']);
    expect(unrecorded.code).toBe(2);
    expect(unrecorded.stderr).toMatch(/has no readable inputs\.json .*\[E_USAGE\]\n$/u);
    // Nothing of the sweep was touched.
    expect(readFileSync(join(out, 'runs', '001', 'report.json'), 'utf8')).toBe(report);
  }, 120_000);

  it('--resume runs again a run whose report.json is damaged (truncated, or {}), as not complete', async () => {
    const dir = tempDir('sc-sweep-damaged-');
    const grid = join(dir, 'grid.json');
    writeFileSync(
      grid,
      JSON.stringify({
        feeds: [SPOT_0808],
        options: { '--accounts': '50', '--no-fills': true },
        grid: { '--salt': ['a', 'b', 'c'] },
      }),
    );
    const out = join(dir, 'out');
    expect((await cli(['sweep', grid, '--out', out, '--workers', '1'])).code).toBe(0);
    const read = (file: string): string => readFileSync(join(out, file), 'utf8');
    const before = ['001', '002', '003'].map((run) => read(join('runs', run, 'report.json')));
    const summary = read('summary.json');
    writeFileSync(join(out, 'runs', '001', 'report.json'), before[0]!.slice(0, 1000));
    writeFileSync(join(out, 'runs', '002', 'report.json'), '{}\n');
    const resumed = await cli(['sweep', grid, '--out', out, '--resume', '--workers', '1']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(['001', '002', '003'].map((run) => read(join('runs', run, 'report.json')))).toEqual(
      before,
    );
    expect(read('summary.json')).toBe(summary);
  }, 120_000);

  it('refuses --resume without a sweep of the same grid in --out, and with --nats', async () => {
    const dir = tempDir('sc-sweep-resume-');
    const operator = join(dir, 'operator.json');
    writeFileSync(operator, '[]\n');
    const grid = fourRunGrid(dir, operator);
    const empty = join(dir, 'empty');
    const none = await cli(['sweep', grid, '--out', empty, '--resume']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/holds no sweep to go on with \(no grid\.json.*\[E_USAGE\]\n$/u);

    const other = join(dir, 'other');
    const otherGrid = join(dir, 'other-grid.json');
    writeFileSync(otherGrid, JSON.stringify({ feeds: [SPOT_0808], grid: { '--salt': ['x'] } }));
    const started = await cli(['sweep', otherGrid, '--out', other, '--workers', '1']);
    expect(started.code).toBe(0);
    const mismatch = await cli(['sweep', grid, '--out', other, '--resume']);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/holds the runs of another grid .*\[E_USAGE\]\n$/u);
    // Nothing of the other sweep was touched.
    expect(readdirSync(join(other, 'runs'))).toEqual(['001']);

    const nats = await cli([
      'sweep',
      grid,
      '--out',
      other,
      '--resume',
      '--nats',
      'nats://127.0.0.1:1',
    ]);
    expect(nats.code).toBe(2);
    expect(nats.stderr).toMatch(/--resume is for a sweep on worker threads.*\[E_USAGE\]\n$/u);
  }, 120_000);
});

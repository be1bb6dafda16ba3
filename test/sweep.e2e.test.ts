import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepRow } from '../src/cli/sweep/sweep-summary.js';
import { BIN, cli, ROOT, spawnCli, tempDir } from './cli-harness.js';

const SPOT_0808 = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');

function gridFile(grid: object): string {
  const path = join(tempDir('sc-sweep-grid-'), 'grid.json');
  writeFileSync(path, JSON.stringify(grid));
  return path;
}

function summary(out: string): { runs: SweepRow[] } {
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runs: SweepRow[] };
}

describe('strategy-canary sweep', () => {
  it('runs every combination on worker threads; each run is the replay its command line gives, byte for byte', async () => {
    const out = join(tempDir('sc-sweep-'), 'sweep');
    const grid = gridFile({
      feeds: [SPOT_0808],
      options: { '--plan': 'aggressive', '--accounts': '200' },
      grid: { '--salt': ['a', 'b'], '--inject': [null, 'canary:slippage=+5bp'] },
    });
    const result = await cli(['sweep', grid, '--out', out, '--workers', '2', '--html']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = summary(out).runs;
    expect(rows.map((r) => [r.index, r.parameters, r.exitCode, r.reportDir])).toEqual([
      [1, { '--salt': 'a', '--inject': null }, 0, join('runs', '001')],
      [2, { '--salt': 'a', '--inject': 'canary:slippage=+5bp' }, 0, join('runs', '002')],
      [3, { '--salt': 'b', '--inject': null }, 0, join('runs', '003')],
      [4, { '--salt': 'b', '--inject': 'canary:slippage=+5bp' }, 0, join('runs', '004')],
    ]);
    for (const row of [rows[1]!, rows[3]!]) {
      expect(row.outcome).toBe('rolled_back');
      expect(row.endedBy).toBe('rollback METRIC_WORSE slippageBps');
    }
    expect(rows[0]!.outcome).not.toBe('rolled_back');
    // The table on stdout and in summary.md; the CSV has a header and a line per run.
    expect(result.stdout).toContain('| 2 | a | canary:slippage=+5bp | ok | rolled_back | 0 |');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toBe(
      result.stdout.slice(0, result.stdout.indexOf('\n\n') + 1),
    );
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^run,--salt,--inject,status,outcome,/u);

    const direct = join(tempDir('sc-sweep-direct-'), 'run');
    const replay = await cli([
      'replay',
      SPOT_0808,
      '--plan',
      'aggressive',
      '--accounts',
      '200',
      '--salt',
      'a',
      '--inject',
      'canary:slippage=+5bp',
      '--out',
      direct,
    ]);
    expect(replay.code).toBe(0);
    expect(readFileSync(join(out, 'runs', '002', 'report.json'), 'utf8')).toBe(
      readFileSync(join(direct, 'report.json'), 'utf8'),
    );

    // The summaries are the grid's, not the run's: one worker gives them byte for byte; the wall
    // clock is in timings.json only.
    const again = join(tempDir('sc-sweep-again-'), 'sweep');
    const once = await cli(['sweep', grid, '--out', again, '--workers', '1']);
    expect(once.code).toBe(0);
    for (const file of ['summary.json', 'summary.csv', 'summary.md']) {
      expect(readFileSync(join(again, file), 'utf8'), file).toBe(
        readFileSync(join(out, file), 'utf8'),
      );
    }
    // A worker keeps the files it parsed (feeds/parsed-feed-cache.ts): one worker read the feed
    // once and replayed runs 2 to 4 from memory, two workers read it twice; the reports are the
    // same bytes either way (and run 2's, above, those of the replay command).
    for (const run of ['001', '002', '003', '004']) {
      for (const file of ['report.json', 'accounts.csv', 'audit.jsonl']) {
        expect(readFileSync(join(again, 'runs', run, file), 'utf8'), `${run}/${file}`).toBe(
          readFileSync(join(out, 'runs', run, file), 'utf8'),
        );
      }
    }
    // report.html: every run's with --html; without it none, and the command says how to draw one.
    for (const run of ['001', '002', '003', '004']) {
      expect(existsSync(join(out, 'runs', run, 'report.html')), run).toBe(true);
      expect(existsSync(join(again, 'runs', run, 'report.html')), run).toBe(false);
    }
    expect(result.stdout).not.toContain('report.html of a run');
    const hint = `report.html of a run: strategy-canary report ${join(again, 'runs', '001')}`;
    expect(once.stdout).toContain(hint);
    expect((await cli(['report', join(again, 'runs', '001')])).code).toBe(0);
    expect(readFileSync(join(again, 'runs', '001', 'report.html'), 'utf8')).toContain('<svg');
    const timings = JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8')) as {
      runs: { run: number; wallMs: number }[];
    };
    expect(timings.runs.map((t) => t.run)).toEqual([1, 2, 3, 4]);
    expect(timings.runs.every((t) => t.wallMs > 0)).toBe(true);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).not.toContain('wallMs');
  }, 240_000);

  it("says its runs' warnings once each, with the runs, and keeps them out of summary.json", async () => {
    const out = join(tempDir('sc-sweep-'), 'sweep');
    const accounts = join(tempDir('sc-sweep-accounts-'), 'accounts.csv');
    const rows = Array.from(
      { length: 40 },
      (_, i) => `a${i},1000,${i % 2 === 0 ? 'spot' : 'perp'}`,
    );
    writeFileSync(accounts, `account_id,capital,segment\n${rows.join('\n')}\n`);
    const grid = gridFile({
      feeds: [SPOT_0808],
      options: { '--plan': 'aggressive', '--accounts': accounts },
      grid: { '--salt': ['a', 'b'] },
    });
    const result = await cli(['sweep', grid, '--out', out, '--workers', '2']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `strategy-canary: warning: runs 1–2: --accounts ${accounts}: its segment column (40 of 40 accounts name a segment) is ignored: this replay runs no plan with segments (a plan rolls out per segment with its "segments" field, docs/rollout.md "Segments")\n`,
    );
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).not.toContain('warning');
  }, 180_000);

  it('goes on past a run that fails, lists its error, and exits 2 (the built command, compiled workers)', () => {
    const out = join(tempDir('sc-sweep-'), 'sweep');
    const grid = gridFile({
      feeds: [SPOT_0808],
      options: { '--plan': 'aggressive', '--accounts': '100', '--no-html': true },
      grid: { '--canary': ['momentum@2.0.0', 'nope@9.9.9'] },
    });
    const result = spawnCli(['sweep', grid, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/1 of 2 runs failed .*\[E_SWEEP_RUN\]/u);
    const rows = summary(out).runs;
    expect(rows[0]!.exitCode).toBe(0);
    // The grid's `"--no-html": true` is replay's flag (a sweep's runs draw none anyway).
    expect(existsSync(join(out, 'runs', '001', 'report.md'))).toBe(true);
    expect(existsSync(join(out, 'runs', '001', 'report.html'))).toBe(false);
    expect(rows[1]).toMatchObject({ exitCode: 2, outcome: null });
    expect(rows[1]!.error).toMatch(/nope@9\.9\.9.*\[E_STRATEGY_UNKNOWN\]/u);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`- run 2: ${rows[1]!.error}`);
  }, 180_000);

  it('goes on past a strategy that throws from a timer and one that ends its thread (on a fresh thread)', async () => {
    const dir = tempDir('sc-sweep-died-');
    // The bundled example, once with an error thrown outside its calls, once ending its thread.
    const example = readFileSync(join('examples', 'strategies', 'always-long.mjs'), 'utf8');
    const variant = (name: string, code: string): string => {
      const module = join(dir, name);
      const text = example.replace(
        'seen.add(event.symbol);',
        `seen.add(event.symbol);\n      ${code}`,
      );
      expect(text).toContain(code);
      writeFileSync(module, text);
      return module;
    };
    const timer = variant(
      'timer-throws.mjs',
      "setTimeout(() => { throw new Error('thrown from a timer'); }, 0);",
    );
    const exits = variant('exits.mjs', 'process.exit(7);');
    const out = join(dir, 'sweep');
    const grid = gridFile({
      feeds: [SPOT_0808],
      options: { '--plan': 'aggressive', '--accounts': '50', '--no-fills': true },
      grid: { '--canary': ['momentum@2.0.0', timer, exits, 'momentum@2.0.0'] },
    });
    const result = await cli(['sweep', grid, '--out', out, '--workers', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/2 of 4 runs failed .*\[E_SWEEP_RUN\]/u);
    const rows = summary(out).runs;
    expect(rows.map((row) => row.exitCode)).toEqual([0, 2, 1, 0]);
    expect(rows[1]!.error).toMatch(
      /strategy .*timer-throws\.mjs threw outside its calls .*: thrown from a timer; .*\[E_STRATEGY_INVALID\]$/u,
    );
    expect(rows[2]!.error).toMatch(/the run's thread died \(worker exited \(7\)\)/u);
    // Runs 1 and 4 are the same replay: the fresh thread after the death replays it alike.
    expect(readFileSync(join(out, 'runs', '004', 'report.json'), 'utf8')).toBe(
      readFileSync(join(out, 'runs', '001', 'report.json'), 'utf8'),
    );
    // Nothing is left of the runs that failed.
    expect(readdirSync(join(out, 'runs'))).toEqual(['001', '004']);
  }, 180_000);

  it('refuses a bad grid and an --out that holds something, before running anything', async () => {
    const bad = await cli([
      'sweep',
      gridFile({ feeds: [SPOT_0808], grid: { '--sault': ['a'] } }),
      '--out',
      tempDir(),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /grid\.--sault: not an option of strategy-canary replay .*\[E_SWEEP_GRID\]/u,
    );
    const full = tempDir();
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const used = await cli(['sweep', gridFile({ feeds: [SPOT_0808] }), '--out', full]);
    expect(used.code).toBe(2);
    expect(used.stderr).toMatch(/is not empty.*\[E_USAGE\]/u);
    expect(readFileSync(join(full, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('refuses an --out that is a file, or that cannot be made (under /proc), with E_OUTPUT', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'mine');
    const grid = gridFile({ feeds: [SPOT_0808] });
    const onFile = await cli(['sweep', grid, '--out', file]);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toMatch(/^strategy-canary: cannot write .*a-file: .*\[E_OUTPUT\]\n$/u);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    if (!existsSync('/proc/self')) return;
    // In a child with a deadline: Node's recursive mkdir spins there for good.
    const proc = spawnSync(process.execPath, [BIN, 'sweep', grid, '--out', '/proc/nope/sweep'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
      timeout: 30_000,
      killSignal: 'SIGKILL',
    });
    expect(proc.status).toBe(2);
    expect(proc.stderr).toMatch(
      /^strategy-canary: cannot write \/proc\/nope\/sweep: .*\[E_OUTPUT\]\n$/u,
    );
  }, 60_000);
});

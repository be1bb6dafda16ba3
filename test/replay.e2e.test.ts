import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../src/report/report-json.js';
import { bucketOf } from '../src/router/index.js';
import { cli, ROOT, SAMPLES, spawnCli, readReport, tempDir } from './cli-harness.js';

const SPOT_0808 = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');
const SPOT_0809 = join('feeds', 'samples', 'spot_btcusdt_20240809.gz');

/** The README's replay command, writing into `out`. */
function readmeReplay(out: string, ...extra: string[]): string[] {
  return [
    'replay',
    SPOT_0808,
    '--stable',
    'momentum@1.0.0',
    '--canary',
    'momentum@2.0.0',
    '--weight',
    '10',
    '--accounts',
    '1000',
    '--seed',
    '7',
    '--out',
    out,
    ...extra,
  ];
}

describe('replay: the quick start', () => {
  it('runs the README command: both arms trade, and report.json holds what the summary shows', async () => {
    const out = tempDir();
    const result = await cli(readmeReplay(out));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = readReport(out);

    // The contract of DESIGN.md
    expect(report.schemaVersion).toBe(4);
    expect(report.decisions).toEqual([]);
    expect(report.inputs.seed).toBe(7);
    expect(report.inputs.plan).toEqual({ type: 'fixed', weightPct: 10 });
    const file = report.inputs.files[0]!;
    expect(file.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(ROOT, SPOT_0808)))
        .digest('hex'),
    );
    expect(file).toMatchObject({
      format: 'binance-ws',
      trades: 9757,
      quotes: 28040,
      events: 37797,
    });
    expect(file.skipped).toEqual({ depthSnapshot: 1, depthUpdate: 3451 });
    expect(file.firstEventAt).toBe('2024-08-08T23:54:14.087891Z');

    for (const arm of ['stable', 'canary'] as const) {
      const a = report.arms[arm];
      expect(a.fills, `${arm} fills`).toBeGreaterThan(0);
      expect(a.orders).toBe(a.fills + a.rejects);
      for (const money of [a.capital, a.realizedPnl, a.unrealizedPnl, a.fees, a.equity]) {
        expect(money).toMatch(/^-?\d+(\.\d+)?$/);
      }
      expect(a.latencyMs.p50).toBeGreaterThan(0);
      expect(a.latencyMs.p99!).toBeGreaterThanOrEqual(a.latencyMs.p50!);
      expect(a.slippageBps.p95).not.toBeNull();
    }
    expect(report.arms.stable.id).toBe('momentum@1.0.0');
    expect(report.arms.canary.id).toBe('momentum@2.0.0');

    // Exposure agrees with the documented hash, recomputed here.
    const ids = Array.from({ length: 1000 }, (_, i) => `acct-${String(i + 1).padStart(4, '0')}`);
    const canary = ids.filter((id) => bucketOf('strategy-canary', id) < 1000).length;
    expect(report.exposure.canaryAccounts).toBe(canary);
    expect(report.arms.canary.accounts).toBe(canary);
    expect(report.exposure.accountSharePct).toBeCloseTo((canary / 1000) * 100, 10);

    // The summary shows the report's numbers.
    expect(result.stdout).toContain(`report: ${join(out, 'report.json')}`);
    expect(result.stdout).toContain(report.arms.canary.fills.toLocaleString('en-US'));
    expect(result.stdout).toMatch(/latency p50 \/ p99 ms/);
    expect(result.stdout).toMatch(/slippage mean \/ p95 bps/);
  });

  it('writes byte-identical report.json when run twice', async () => {
    const [a, b] = [tempDir(), tempDir()];
    expect((await cli(readmeReplay(a))).code).toBe(0);
    expect((await cli(readmeReplay(b))).code).toBe(0);
    expect(readFileSync(join(a, 'report.json'))).toEqual(readFileSync(join(b, 'report.json')));
  });

  it('writes the same files to the byte with every account in bigint books (--bigint-books)', async () => {
    // A rollout on the two spot files, in machine words and in the reference bigint books: the
    // representation must not show in any output.
    const [words, bigints] = [tempDir(), tempDir()];
    // The README's command on both spot files, with the short plan instead of a fixed weight.
    const rollout = (out: string, ...extra: string[]): string[] => {
      const args = readmeReplay(out, ...extra);
      args.splice(args.indexOf('--weight'), 2, '--plan', 'short');
      args.splice(2, 0, SPOT_0809);
      return args;
    };
    expect((await cli(rollout(words))).code).toBe(0);
    expect((await cli(rollout(bigints, '--bigint-books'))).code).toBe(0);
    // Byte for byte, but for the command line the reports quote.
    const read = (dir: string, file: string): string =>
      readFileSync(join(dir, file), 'utf8').replaceAll(' --bigint-books', '');
    for (const file of ['report.json', 'accounts.csv', 'fills.csv', 'audit.jsonl', 'report.md']) {
      expect(read(bigints, file), file).toBe(read(words, file));
    }
    // The plan's first step is a shadow step: the canary trades paper accounts (their own books).
    expect(readReport(words).arms.stable.fills).toBeGreaterThan(1000);
    expect(
      read(words, 'fills.csv')
        .split('\n')
        .filter((row) => row.includes(',paper:')).length,
    ).toBeGreaterThan(1000);
  });

  it('replays the two consecutive spot BTCUSDT files as one stream', async () => {
    const out = tempDir();
    const args = readmeReplay(out);
    args.splice(2, 0, SPOT_0809);
    expect((await cli(args)).code).toBe(0);
    const report = readReport(out);
    expect(report.inputs.files.map((f) => f.events)).toEqual([37797, 55281]);
    expect(report.inputs.events).toBe(37797 + 55281);
    expect(report.inputs.firstEventAt).toBe(report.inputs.files[0]!.firstEventAt);
    expect(report.inputs.lastEventAt).toBe(report.inputs.files[1]!.lastEventAt);
    expect(report.arms.stable.fills).toBeGreaterThan(0);
    expect(report.arms.canary.fills).toBeGreaterThan(0);
  });

  it.each(['spot_btcusdt_20240809.gz', 'spot_ethusdt_20240808.gz', 'usdm_btcusdt_20240808.gz'])(
    'runs on the bundled real sample %s with both arms trading',
    async (sample) => {
      const out = tempDir();
      const result = await cli([
        'replay',
        join(SAMPLES, sample),
        '--accounts',
        '200',
        '--out',
        out,
      ]);
      expect(result.code).toBe(0);
      const report = readReport(out);
      expect(report.arms.stable.fills).toBeGreaterThan(0);
      expect(report.arms.canary.fills).toBeGreaterThan(0);
      expect(report.inputs.files[0]!.format).toBe('binance-ws');
    },
  );

  it('prints one JSON object per line with --json, ending with the summary', async () => {
    const result = await cli(['replay', SPOT_0808, '--accounts', '50', '--json']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const summary = JSON.parse(lines.at(-1)!) as { type: string; arms: ReportJson['arms'] };
    expect(summary.type).toBe('summary');
    expect(summary.arms.stable.fills).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('plants a known degradation in the canary with --inject', async () => {
    const base = tempDir();
    const slow = tempDir();
    const common = ['--accounts', '300', '--weight', '50'];
    expect((await cli(['replay', SPOT_0808, ...common, '--out', base])).code).toBe(0);
    const injected = await cli([
      'replay',
      SPOT_0808,
      ...common,
      '--inject',
      'canary:latency=+20ms,slippage=+2bp',
      '--inject',
      'canary:rejects=+5%',
      '--out',
      slow,
    ]);
    expect(injected.code).toBe(0);
    const [b, s] = [readReport(base), readReport(slow)];
    // A fill's latency is the order's own (decision to arrival): +20 ms on every canary order.
    expect(s.arms.canary.latencyMs.p50! - b.arms.canary.latencyMs.p50!).toBeCloseTo(20, 0);
    // Stable is untouched.
    expect(s.arms.stable).toEqual(b.arms.stable);
    expect(s.arms.canary.rejectsByReason['INJECTED']).toBeGreaterThan(0);
    expect(s.arms.canary.slippageBps.mean! - b.arms.canary.slippageBps.mean!).toBeGreaterThan(1);
    expect(s.inputs.execution).toMatchObject({
      injections: { canary: { latencyMs: 20, slippageBps: 2, rejectPct: 5 } },
    });
  });

  it('loads a user strategy module by path and reads accounts from CSV with overrides', async () => {
    const dir = tempDir();
    const accounts = join(dir, 'accounts.csv');
    writeFileSync(
      accounts,
      'account_id,capital,override\nvip,250000,stable\ntester,1000,canary\nmm,50000,exclude\nx1,10000,\nx2,20000,\n',
    );
    const out = join(dir, 'run');
    const result = await cli([
      'replay',
      SPOT_0808,
      '--canary',
      'examples/strategies/always-long.mjs',
      '--accounts',
      accounts,
      '--weight',
      '100',
      '--out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = readReport(out);
    // At 100 %: every account but the stable pin and the excluded one is on the canary.
    expect(report.arms.canary.accounts).toBe(3);
    expect(report.arms.stable.accounts).toBe(2);
    expect(report.exposure.excludedAccounts).toBe(1);
    expect(report.inputs.accounts).toEqual({ source: accounts, count: 5, capital: '331000' });
    expect(report.arms.canary.id).toMatch(/^always-long@/);
    expect(report.arms.canary.fills).toBeGreaterThan(0);
  });
});

describe('replay: the real command', () => {
  it('runs from bin/ with no progress bar when output is not a terminal', () => {
    const out = tempDir();
    const result = spawnCli(readmeReplay(out));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/replayed 37,797 events/);
    const report = readReport(out);
    expect(report.arms.canary.fills).toBeGreaterThan(0);
    // fills.csv, written on a thread of its own here (the process's main thread runs the engine):
    // one row per fill, then the marks.
    const rows = readFileSync(join(out, 'fills.csv'), 'utf8').trimEnd().split('\n');
    const fillRows = rows.filter((row) => row.split(',')[1] === 'fill');
    expect(fillRows.length).toBe(report.arms.stable.fills + report.arms.canary.fills);
    expect(rows.at(-1)).toMatch(/,mark,/u);
  });
});

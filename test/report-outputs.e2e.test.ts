import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../src/core/money.js';
import { formatMoney } from '../src/report/format-money.js';
import { renderReportCharts } from '../src/report/render-report-charts.js';
import { renderReportHtml } from '../src/report/render-report-html.js';
import { cli, readReport, ROOT, tempDir } from './cli-harness.js';

/**
 * The report files a replay writes beside report.json (report.md, report.html, accounts.csv) and
 * `strategy-canary report`: their numbers are the run's numbers, report.md is stable (golden),
 * and the files stay small.
 */

const SPOT_0808 = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');
const SPOT_0809 = join('feeds', 'samples', 'spot_btcusdt_20240809.gz');
const GOLDEN = join(ROOT, 'test', 'golden', 'report-v1-v2-short.md');
const TIMEOUT_MS = 120_000;

function shortRollout(out: string): string[] {
  return [
    'replay',
    SPOT_0808,
    '--stable',
    'momentum@1.0.0',
    '--canary',
    'momentum@2.0.0',
    '--plan',
    'short',
    '--out',
    out,
  ];
}

interface AccountRow {
  readonly arm: string;
  readonly capital: string;
  readonly realized: string;
  readonly unrealized: string;
  readonly fees: string;
  readonly pnl: string;
  readonly equity: string;
}

function readAccounts(dir: string): AccountRow[] {
  const [header, ...lines] = readFileSync(join(dir, 'accounts.csv'), 'utf8').trimEnd().split('\n');
  expect(header).toBe(
    'account_id,arm,override,capital,realized_pnl,unrealized_pnl,fees,pnl,equity',
  );
  return lines.map((line) => {
    const [, arm, , capital, realized, unrealized, fees, pnl, equity] = line.split(',');
    return {
      arm: arm!,
      capital: capital!,
      realized: realized!,
      unrealized: unrealized!,
      fees: fees!,
      pnl: pnl!,
      equity: equity!,
    };
  });
}

function sum(rows: readonly AccountRow[], key: keyof AccountRow): Decimal {
  return rows.reduce((total, row) => total.plus(row[key]), new Decimal(0));
}

describe('report files of a fixed-weight replay', () => {
  const out = tempDir();
  beforeAll(async () => {
    const result = await cli([
      'replay',
      SPOT_0808,
      SPOT_0809,
      '--weight',
      '25',
      '--accounts',
      '300',
      '--out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, TIMEOUT_MS);

  it('accounts.csv adds up, exactly, to each arm of report.json', () => {
    const report = readReport(out);
    const rows = readAccounts(out);
    expect(rows).toHaveLength(300);
    expect(sum(rows, 'capital').toString()).toBe(
      new Decimal(report.inputs.accounts.capital).toString(),
    );
    for (const arm of ['stable', 'canary'] as const) {
      const mine = rows.filter((r) => r.arm === arm);
      const figures = report.arms[arm];
      expect(mine).toHaveLength(figures.accounts);
      // No account moved, so the attributed figures are the plain sums over the arm's accounts.
      expect(sum(mine, 'realized').equals(figures.realizedPnl)).toBe(true);
      expect(sum(mine, 'unrealized').equals(figures.unrealizedPnl)).toBe(true);
      expect(sum(mine, 'fees').equals(figures.fees)).toBe(true);
      expect(sum(mine, 'pnl').equals(figures.pnl)).toBe(true);
      expect(sum(mine, 'equity').equals(figures.equity)).toBe(true);
    }
    for (const row of rows) {
      const pnl = new Decimal(row.realized).plus(row.unrealized).minus(row.fees);
      expect(pnl.equals(row.pnl)).toBe(true);
      expect(new Decimal(row.capital).plus(pnl).equals(row.equity)).toBe(true);
    }
  });

  it('report.md and report.html show report.json’s money rounded to cents, grouped', () => {
    const report = readReport(out);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const arm of ['stable', 'canary'] as const) {
      const a = report.arms[arm];
      for (const money of [a.realizedPnl, a.unrealizedPnl, a.fees, a.pnl]) {
        expect(md).toContain(` ${formatMoney(money)} |`);
        expect(html).toContain(`>${formatMoney(money)}<`);
      }
    }
    // A fixed weight still compares the arms over the whole run (nothing acts on it).
    expect(md).toContain('## Compared metrics (canary − stable)\n\n| metric |');
    expect(md).toContain('**Verdict: fixed weight.**');
  });
});

describe('report files of a rollout', () => {
  const out = tempDir();
  beforeAll(async () => {
    const result = await cli(shortRollout(out));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`report.html: ${join(out, 'report.html')}`);
  }, TIMEOUT_MS);

  it('accounts.csv adds up to both arms together, exactly, after accounts moved', () => {
    const report = readReport(out);
    const rows = readAccounts(out);
    const { stable, canary } = report.arms;
    // Attribution moves P&L between arms, never creates or loses any: the total is the accounts'.
    for (const key of ['realized', 'unrealized', 'fees', 'pnl'] as const) {
      const field = {
        realized: 'realizedPnl',
        unrealized: 'unrealizedPnl',
        fees: 'fees',
        pnl: 'pnl',
      } as const;
      const total = new Decimal(stable[field[key]]).plus(canary[field[key]]);
      expect(sum(rows, key).equals(total)).toBe(true);
    }
  });

  it('the decision log is audit.jsonl, line for line, and report.md is golden', () => {
    const audit = readFileSync(join(out, 'audit.jsonl'), 'utf8').trimEnd().split('\n');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const logRows = md
      .slice(md.indexOf('## Decision log'))
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line));
    expect(logRows).toHaveLength(audit.length);
    for (const [i, line] of audit.entries()) {
      const entry = JSON.parse(line) as { seq: number; at: string; action: string };
      expect(logRows[i]).toContain(`| ${entry.seq} | ${entry.at} |`);
      expect(logRows[i]).toContain(`| ${entry.action} |`);
    }
    // The golden file: regenerate with UPDATE_GOLDEN=1 after a deliberate change, and review it.
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, md);
    expect(md).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('`report DIR` rebuilds report.md and report.html byte for byte', async () => {
    const md = readFileSync(join(out, 'report.md'));
    const html = readFileSync(join(out, 'report.html'));
    writeFileSync(join(out, 'report.md'), 'stale');
    writeFileSync(join(out, 'report.html'), 'stale');
    const result = await cli(['report', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(out, 'report.md'))).toEqual(md);
    expect(readFileSync(join(out, 'report.html'))).toEqual(html);
  });

  it(
    "--no-html leaves report.html out (a previous run's too); `report DIR` draws the same file",
    async () => {
      const dir = join(tempDir(), 'run');
      expect((await cli(shortRollout(dir))).code).toBe(0);
      const html = readFileSync(join(dir, 'report.html'));
      const result = await cli([...shortRollout(dir), '--no-html']);
      expect(result.code).toBe(0);
      expect(existsSync(join(dir, 'report.html'))).toBe(false);
      expect(existsSync(join(dir, 'report.md'))).toBe(true);
      expect(existsSync(join(dir, 'report.json'))).toBe(true);
      expect(result.stdout).toContain('report.md');
      expect(result.stdout).not.toContain('report.html');
      expect((await cli(['report', dir])).code).toBe(0);
      expect(readFileSync(join(dir, 'report.html'))).toEqual(html);
    },
    TIMEOUT_MS,
  );

  it('report.html of a 6-minute real-data replay stays well under 2 MB', () => {
    expect(statSync(join(out, 'report.html')).size).toBeLessThan(2 * 1024 * 1024);
  });

  it('a day of 1 s samples stays small and keeps every decision marker', () => {
    const report = readReport(out);
    const start = Date.parse(report.inputs.firstEventAt!);
    const day = 86_400;
    const curve = (drift: number) => ({
      tsMs: Array.from({ length: day }, (_, i) => start + i * 1000),
      returnPct: Array.from({ length: day }, (_, i) => drift * i + Math.sin(i / 97)),
      drawdownPct: Array.from({ length: day }, (_, i) => Math.abs(Math.sin(i / 131))),
    });
    const steps = 2_000;
    const exposure = {
      tsMs: Array.from({ length: steps }, (_, i) => start + i * 40_000),
      weightPct: Array.from({ length: steps }, (_, i) => (i % 100) + 1),
      accountSharePct: Array.from({ length: steps }, (_, i) => (i % 100) + 0.5),
      capitalSharePct: Array.from({ length: steps }, (_, i) => (i % 100) + 0.7),
    };
    const decisions = Array.from({ length: 40 }, (_, k) => ({
      ...report.decisions[0]!,
      seq: 1000 + k,
      action: 'increase' as const,
      at: new Date(start + k * 2_000_000 + 123).toISOString().replace('Z', '456Z'),
    }));
    const long = {
      ...report,
      inputs: { ...report.inputs, lastEventAt: new Date(start + day * 1000).toISOString() },
      decisions,
      series: { ...report.series, returns: { stable: curve(0), canary: curve(1e-5) }, exposure },
    };
    const html = renderReportHtml(long, [], renderReportCharts(long));
    expect(html.length).toBeLessThan(2 * 1024 * 1024);
    for (const d of decisions) expect(html).toContain(`>${d.seq}<`);
  });
});

describe('strategy-canary report: comparing and bad directories', () => {
  it(
    'compares two runs side by side',
    async () => {
      const a = tempDir();
      const b = tempDir();
      expect((await cli(shortRollout(a))).code).toBe(0);
      expect((await cli([...shortRollout(b), '--inject', 'canary:slippage=+3bp'])).code).toBe(0);
      const compared = tempDir();
      const result = await cli(['report', a, b, '--out', compared]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('# Comparison of 2 runs');
      expect(result.stdout).toMatch(/\| outcome \| halted \| rolled back \|/);
      expect(existsSync(join(compared, 'comparison.md'))).toBe(true);
    },
    TIMEOUT_MS,
  );

  it('a directory without report.json is a one-line error naming it', async () => {
    const empty = tempDir();
    const result = await cli(['report', empty]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/report\.json: cannot read it .*\[E_RUN_DIR\]/);
  });

  it('a report.json of another schema version is refused, not misread', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ schemaVersion: 1 }));
    const result = await cli(['report', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/schemaVersion 1, this version of the tool reads 4/);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANALYSIS_INTERVAL_MS } from '../src/analysis/analysis-defaults.js';
import { cli, ROOT, tempDir } from './cli-harness.js';
import { auditRun } from './report-audit.js';

// The risk team's sign-off, as a regression test: small replays of one bundled sample, audited by
// test/report-audit.ts (decimal.js and the run's own files, none of the project's computations):
// every account and arm figure, the exposure, the decisions against the audit log, and report.md
// and report.html against report.json; then what the reports and docs say about the figures.

/** Replays the spot sample with 200 generated accounts unless `args` gives its own `--accounts`. */
async function replay(args: string): Promise<string> {
  const out = join(tempDir('sc-audit-'), 'run');
  const feed = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');
  const result = await cli([
    'replay',
    feed,
    '--accounts',
    '200',
    ...args.split(' '),
    '--seed',
    '7',
    '--no-progress',
    '--out',
    out,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return out;
}

describe('a replay audited from its own files', () => {
  // A rollout that takes real accounts to the canary (trades only: a short replay), and a fixed
  // weight with injected faults (rejects, slower and costlier canary fills).
  let rollout = '';
  let fixed = '';
  beforeAll(async () => {
    rollout = await replay('--trades-only --plan short');
    fixed = await replay(
      '--weight 50 --inject canary:latency=+20ms,slippage=+2bp,rejects=+5%,fees=+2bp',
    );
  }, 120_000);

  it('a rollout: every figure agrees with the files and across the reports', () => {
    expect(auditRun(rollout, { root: ROOT })).toEqual([]);
  });

  it('a rollout whose override=canary account never trades on the canary: no exposure', async () => {
    // examples/accounts.csv pins desk-002 to the canary, but a plan starts in shadow with every
    // real account on stable: the canary never held a real account during the run.
    const dir = await replay('--accounts examples/accounts.csv --plan short');
    expect(auditRun(dir, { root: ROOT })).toEqual([]);
    const exposure = (
      JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
        exposure: { maxAccountSharePct: number; maxCapitalSharePct: number };
      }
    ).exposure;
    expect([exposure.maxAccountSharePct, exposure.maxCapitalSharePct]).toEqual([0, 0]);
  });

  it('a fixed weight with injected faults: every figure agrees', () => {
    expect(auditRun(fixed, { root: ROOT })).toEqual([]);
  });

  it("latency is the order's own, decision to arrival: as fills.csv shows, the reports and docs say", () => {
    // fills.csv: a fill is booked at the first market event after the order's arrival, so its
    // time is at or after decision + latency, and often later (the wait is not latency).
    const lines = readFileSync(join(fixed, 'fills.csv'), 'utf8').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    const at = (name: string): number => header.indexOf(name);
    const us = (iso: string): number => Date.parse(iso) * 1000 + Number(iso.slice(23, 26));
    let later = 0;
    let fills = 0;
    for (const line of lines.slice(1)) {
      const f = line.split(',');
      if (f[at('type')] !== 'fill') continue;
      fills++;
      const arrivalUs = us(f[at('decision_ts')]!) + Number(f[at('latency_ms')]) * 1000;
      expect(arrivalUs).toBeLessThanOrEqual(us(f[at('ts')]!) + 1);
      if (us(f[at('ts')]!) > arrivalUs + 1000) later++;
    }
    expect(fills).toBeGreaterThan(100);
    expect(later).toBeGreaterThan(fills / 10);
    const arrival = /decision to the order's arrival at the venue/u;
    expect(readFileSync(join(fixed, 'report.md'), 'utf8')).toMatch(arrival);
    expect(readFileSync(join(fixed, 'report.html'), 'utf8').replaceAll('&#39;', "'")).toMatch(
      arrival,
    );
    const row = (doc: string, field: string): string =>
      readFileSync(join(ROOT, 'docs', doc), 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`| \`${field}`)) ?? '';
    for (const text of [row('report-json.md', '….latencyMs'), row('accounting.md', 'latency_ms')]) {
      expect(text).toMatch(arrival);
      expect(text).not.toMatch(/decision.to.fill/u);
    }
  });

  it("a fixed weight's comparison: n is the fills of the closed buckets, and the reports say so", () => {
    // The comparison pairs 60 s buckets of decision time; the bucket the data ended in is still
    // open, so its fills are not in it (here every closed bucket has both arms' fills).
    const report = JSON.parse(readFileSync(join(fixed, 'report.json'), 'utf8')) as {
      inputs: { lastEventAt: string };
      comparison: { metric: string; n: number; nStable: number }[];
      arms: Record<'stable' | 'canary', { fills: number }>;
    };
    const bucketMs = ANALYSIS_INTERVAL_MS;
    const openFromMs = Math.floor(Date.parse(report.inputs.lastEventAt) / bucketMs) * bucketMs;
    const decided = { stable: 0, canary: 0 };
    const lines = readFileSync(join(fixed, 'fills.csv'), 'utf8').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    for (const line of lines.slice(1)) {
      const f = line.split(',');
      if (f[header.indexOf('type')] !== 'fill') continue;
      if (Date.parse(f[header.indexOf('decision_ts')]!) >= openFromMs) continue;
      decided[f[header.indexOf('arm')] as 'stable' | 'canary']++;
    }
    const slippage = report.comparison.find((r) => r.metric === 'slippageBps')!;
    expect([slippage.n, slippage.nStable]).toEqual([decided.canary, decided.stable]);
    expect(slippage.n).toBeLessThan(report.arms.canary.fills);
    // report.md and report.html say what n counts and what the comparison leaves out, and
    // a fixed weight's is not described as a rollout's.
    const md = readFileSync(join(fixed, 'report.md'), 'utf8');
    const html = readFileSync(join(fixed, 'report.html'), 'utf8').replaceAll('&#39;', "'");
    for (const text of [md, html]) {
      expect(text).toMatch(/n counts the observations in the paired buckets/u);
      expect(text).toMatch(/the bucket still open when the data ended/u);
      expect(text).toContain(`bucket of decision time, ${bucketMs / 1000} s each`);
      expect(text).not.toMatch(/over the current step and over the whole rollout/u);
    }
    const rolloutMd = readFileSync(join(rollout, 'report.md'), 'utf8');
    expect(rolloutMd).toMatch(/n counts the observations in the paired buckets/u);
  });

  it('report.json rounds each statistic as docs/report-json.md says, and the docs say how money is shown', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'report-json.md'), 'utf8');
    const documented: readonly [string, number][] = [
      ['returnPct', 6],
      ['maxDrawdownPct', 6],
      ['fillRatio', 6],
      ['latencyMs', 3],
      ['slippageBps', 4],
      ['winRatePct', 4],
      ['profitFactor', 4],
      ['sharpe', 4],
      ['sortino', 4],
    ];
    const intro = doc.slice(0, doc.indexOf('## Fields'));
    expect(intro).toMatch(/rounded\s+half-even\s+for\s+stability/u);
    const decimals = (x: number): number => (String(x).split('.')[1] ?? '').length;
    for (const dir of [rollout, fixed]) {
      const arms = (
        JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
          arms: Record<string, Record<string, unknown>>;
        }
      ).arms;
      for (const [field, places] of documented) {
        expect(intro).toContain(`\`${field}\``);
        for (const arm of Object.values(arms)) {
          const value = arm[field];
          const numbers =
            typeof value === 'number' ? [value] : Object.values(value as Record<string, number>);
          for (const x of numbers.filter((v) => typeof v === 'number')) {
            expect(decimals(x), `${field} ${x}`).toBeLessThanOrEqual(places);
          }
        }
      }
    }
    // Money shown in report.md, report.html and the summary: half away from zero to cents.
    const halfAway = /rounded half away\s+from\s+zero\s+to\s+cents/u;
    expect(intro).toMatch(halfAway);
    expect(readFileSync(join(ROOT, 'docs', 'accounting.md'), 'utf8')).toMatch(halfAway);
    expect(readFileSync(join(fixed, 'report.md'), 'utf8')).toMatch(halfAway);
    expect(readFileSync(join(fixed, 'report.html'), 'utf8')).toMatch(halfAway);
  });
  it('the capital-minutes say their unit', () => {
    for (const file of ['report.md', 'report.html']) {
      expect(readFileSync(join(rollout, file), 'utf8')).toMatch(
        /[\d,]+ capital-minutes \(quote currency × minutes of event time\)/u,
      );
    }
  });
  it('a target change sends at most one order per account: orders and dust add up to no more', () => {
    // Without account moves: an account already at its new target after rounding to the
    // quantity step sends nothing, and is neither an order nor dust.
    const report = JSON.parse(readFileSync(join(fixed, 'report.json'), 'utf8')) as {
      arms: Record<
        string,
        { targetChanges: number; accounts: number; orders: number; ordersBelowMinNotional: number }
      >;
    };
    const stable = report.arms['stable']!;
    const sent = stable.orders + stable.ordersBelowMinNotional;
    expect(sent).toBeLessThan(stable.targetChanges * stable.accounts);
    const row =
      readFileSync(join(ROOT, 'docs', 'report-json.md'), 'utf8')
        .split('\n')
        .find((l) => l.includes('`targetChanges`')) ?? '';
    expect(row).not.toMatch(/each change sends one order per account/u);
    expect(row).toMatch(/already holds its new target/u);
  });
  it('slippage is against the last quote mid, else the last trade: the docs say which', () => {
    // The trades-only rollout has no quote: its decision prices are trades (the audit above
    // recomputed every fill's slippage from the feed that way).
    expect(auditRun(rollout, { root: ROOT })).toEqual([]);
    const docRow = (doc: string, start: string): string =>
      readFileSync(join(ROOT, 'docs', doc), 'utf8')
        .split('\n')
        .find((l) => l.startsWith(start)) ?? '';
    for (const row of [
      docRow('report-json.md', '| `….slippageBps'),
      docRow('accounting.md', '| `latency_ms`, `slippage_bps`'),
    ]) {
      expect(row).toMatch(/last quote's mid at the decision, else the last trade price/u);
    }
  });
});

describe("replay's summary", () => {
  it('names the operator command that decided a rollback, as report.md does', async () => {
    const dir = tempDir('sc-audit-');
    const ops = join(dir, 'ops.json');
    writeFileSync(
      ops,
      JSON.stringify([
        { at: '2024-08-08T23:57:30Z', command: 'resume' },
        { at: '2024-08-08T23:59:00Z', command: 'rollback', reason: 'what if we had pulled it' },
      ]),
    );
    const out = join(dir, 'run');
    const result = await cli([
      'replay',
      join('feeds', 'samples', 'spot_btcusdt_20240808.gz'),
      ...`--plan short --operator ${ops} --accounts 200 --seed 7 --no-progress --out ${out}`.split(
        ' ',
      ),
    ]);
    expect(result.code).toBe(0);
    expect(auditRun(out, { root: ROOT })).toEqual([]);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const decided = /Decided by operator command (\d+): OPERATOR: what if we had pulled it/u.exec(
      md,
    );
    expect(decided).not.toBeNull();
    expect(result.stdout).toContain(
      `rolled back at 0.00 % after 1 applied decision (operator command ${decided?.[1] ?? ''}: OPERATOR)`,
    );
  });
});

describe('docs/report-json.md', () => {
  it('each row of its tables has as many cells as its header (a pipe in a cell is escaped)', () => {
    const lines = readFileSync(join(ROOT, 'docs', 'report-json.md'), 'utf8').split('\n');
    const cells = (line: string): number => line.replaceAll('\\|', '').split('|').length - 2;
    let header = 0;
    const bad: string[] = [];
    lines.forEach((line, i) => {
      if (!line.startsWith('|')) {
        header = 0;
        return;
      }
      if (header === 0) header = cells(line);
      else if (cells(line) !== header) bad.push(`line ${i + 1}: ${line.slice(0, 60)}`);
    });
    expect(bad).toEqual([]);
  });
});

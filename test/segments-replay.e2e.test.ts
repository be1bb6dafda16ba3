import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SegmentsJson } from '../src/report/segments-json.js';
import type { ReportJson } from '../src/report/report-json.js';
import { PLAN_PRESETS } from '../src/rollout/plan-presets.js';
import { AA_CANARY, FAST_STABLE } from './aa-replay.js';
import { cli, readAuditLines, readReport, SAMPLES, tempDir } from './cli-harness.js';

/**
 * Segments (issue 15): the spot and USDⓈ-M samples (23:54 to 00:00 UTC, the same six minutes) as
 * two segments of one plan, A/A (momentum@1.0.0 on both arms), with a fault planted on one venue's
 * canary. The faulty segment is rolled back alone; the other goes on, and its results do not
 * depend on the other venue's fault at all.
 */

const FILES = [
  join(SAMPLES, 'spot_btcusdt_20240808.gz'),
  join(SAMPLES, 'usdm_btcusdt_20240808.gz'),
];

/** The `short` preset as a plan file rolled out per venue. */
function planFile(dir: string, mode: 'parallel' | 'sequence'): string {
  const path = join(dir, `two-venues-${mode}.json`);
  const plan = {
    ...PLAN_PRESETS.short,
    name: `two-venues-${mode}`,
    segments: {
      mode,
      list: [
        { name: 'spot', venue: 'binance' },
        { name: 'usdm', venue: 'binance-futures' },
      ],
    },
  };
  writeFileSync(path, JSON.stringify(plan));
  return path;
}

function replayArgs(plan: string, out: string, ...extra: string[]): string[] {
  return [
    'replay',
    ...FILES,
    '--plan',
    plan,
    ...FAST_STABLE,
    ...AA_CANARY,
    '--accounts',
    '2000',
    '--out',
    out,
    ...extra,
  ];
}

interface AuditLine {
  kind: string;
  action: string;
  disposition: string;
  tsUs: number;
}

interface SegmentedRun {
  readonly out: string;
  readonly stdout: string;
  readonly summary: SegmentsJson;
  readonly reports: Readonly<Record<string, ReportJson>>;
  readonly audits: Readonly<Record<string, readonly AuditLine[]>>;
}

async function segmentedRun(
  mode: 'parallel' | 'sequence',
  ...inject: string[]
): Promise<SegmentedRun> {
  const dir = tempDir();
  const out = join(dir, 'run');
  const result = await cli(
    replayArgs(
      planFile(dir, mode),
      out,
      '--no-progress',
      ...inject.flatMap((i) => ['--inject', i]),
    ),
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const summary = JSON.parse(readFileSync(join(out, 'segments.json'), 'utf8')) as SegmentsJson;
  const reports: Record<string, ReportJson> = {};
  const audits: Record<string, AuditLine[]> = {};
  for (const name of ['spot', 'usdm']) {
    reports[name] = readReport(join(out, 'segments', name));
    audits[name] = readAuditLines<AuditLine>(join(out, 'segments', name));
  }
  return { out, stdout: result.stdout, summary, reports, audits };
}

const rollbacks = (audit: readonly AuditLine[]): AuditLine[] =>
  audit.filter((l) => l.kind === 'decision' && l.action === 'rollback');

/** report.json without the command line (the one field two runs with other faults must differ in). */
function withoutCommand(report: ReportJson): unknown {
  return { ...report, inputs: { ...report.inputs, command: null } };
}

describe('a two-venue replay rolls back the faulty segment only', () => {
  it('a fault on the futures canary from 10 %: usdm rolled back at 10 %, spot promoted, untouched', async () => {
    const faulty = await segmentedRun('parallel', 'usdm/canary:slippage=+3bp,from=10%');
    const usdm = faulty.reports.usdm!;
    const spot = faulty.reports.spot!;
    expect(usdm.outcome).toBe('rolled_back');
    expect(spot.outcome).toBe('promoted');
    // usdm had real accounts on the canary when it was pulled: they went back to stable.
    expect(usdm.exposure.maxAccountSharePct).toBeGreaterThan(5);
    expect(usdm.exposure.canaryAccounts).toBe(0);
    const pulled = usdm.decisions.find((d) => d.action === 'rollback')!;
    expect(pulled.fromWeightPct).toBe(10);
    expect(pulled.reasons[0]).toMatchObject({ code: 'METRIC_WORSE', metric: 'slippageBps' });
    expect(rollbacks(faulty.audits.usdm!)).toHaveLength(1);
    expect(rollbacks(faulty.audits.spot!)).toHaveLength(0);

    // Each report says which segment it is, and what it traded: its own venue's events only.
    expect(usdm.inputs.segment).toMatchObject({ name: 'usdm', venue: 'binance-futures' });
    expect(spot.inputs.segment).toMatchObject({ name: 'spot', venue: 'binance' });
    const [spotFile, usdmFile] = usdm.inputs.files;
    expect(spot.inputs.segment!.events).toBe(spotFile!.events);
    expect(usdm.inputs.segment!.events).toBe(usdmFile!.events);
    expect(spot.inputs.accounts.count + usdm.inputs.accounts.count).toBe(2000);

    // The summary agrees with the reports; no report.json at the top (each segment has its own).
    const byLane = Object.fromEntries(faulty.summary.segments.map((s) => [s.name, s]));
    expect(byLane.usdm).toMatchObject({
      outcome: 'rolled_back',
      venue: 'binance-futures',
      dir: 'segments/usdm',
    });
    expect(byLane.spot).toMatchObject({ outcome: 'promoted', finalWeightPct: 100 });
    expect(byLane.usdm!.decisions).toBe(usdm.decisions.length);
    expect(existsSync(join(faulty.out, 'report.json'))).toBe(false);
    for (const name of ['spot', 'usdm'])
      for (const file of ['report.md', 'report.html', 'accounts.csv', 'fills.csv'])
        expect(existsSync(join(faulty.out, 'segments', name, file))).toBe(true);
    const md = readFileSync(join(faulty.out, 'segments.md'), 'utf8');
    // Counts grouped as in every other table (87,953 events, not 87953).
    expect(md).toMatch(/\| usdm \| binance-futures \| 1,000 \| \d{1,3}(,\d{3})+ \| rolled_back \|/);
    const html = readFileSync(join(faulty.out, 'segments.html'), 'utf8');
    expect(html).toMatch(/<tr><td>usdm<\/td><td>binance-futures<\/td><td class="num">1,000<\/td>/);
    expect(html).toContain('<a href="segments/spot/report.html">report</a>');
    expect(readFileSync(join(faulty.out, 'segments', 'usdm', 'report.md'), 'utf8')).toMatch(
      /^# Rollout report: .*, segment usdm$/m,
    );
    expect(faulty.stdout).toMatch(/^\[usdm\] \S+ {2}rollback 10 % → 0 %/m);

    // The fault on usdm changed nothing on spot: its report is the no-fault run's, number for number.
    const clean = await segmentedRun('parallel');
    expect(clean.reports.usdm!.outcome).not.toBe('rolled_back');
    expect(withoutCommand(clean.reports.spot!)).toEqual(withoutCommand(spot));
  });

  it('the same fault on the spot canary pulls spot and leaves usdm to promote', async () => {
    const run = await segmentedRun('parallel', 'spot/canary:slippage=+3bp,from=10%');
    expect(run.reports.spot!.outcome).toBe('rolled_back');
    expect(run.reports.usdm!.outcome).toBe('promoted');
    expect(rollbacks(run.audits.usdm!)).toHaveLength(0);
  });

  it('in sequence, a rollback of the first segment stops the second before it starts', async () => {
    const run = await segmentedRun('sequence', 'spot/canary:latency=+20ms');
    expect(run.reports.spot!.outcome).toBe('rolled_back');
    const usdm = run.summary.segments.find((s) => s.name === 'usdm')!;
    expect(usdm).toMatchObject({
      outcome: 'not_started',
      notStarted: { reason: 'stopped', after: 'spot' },
      startedAt: null,
      decisions: 0,
    });
    // Its own report says so too, not "in progress" as if the data had ended mid-rollout.
    expect(run.reports.usdm!.inputs.segment).toMatchObject({
      name: 'usdm',
      notStarted: { reason: 'stopped', after: 'spot' },
    });
    expect(run.reports.spot!.inputs.segment!.notStarted).toBeNull();
    expect(readFileSync(join(run.out, 'segments', 'usdm', 'report.md'), 'utf8')).toContain(
      '**Verdict: not started.** The rollout of momentum@1.0.0 never started in segment usdm (stopped: spot rolled back): its accounts stayed on momentum@1.0.0.',
    );
    // Its accounts traded stable all along: no canary order, no decision in its audit log.
    expect(run.reports.usdm!.arms.canary.orders).toBe(0);
    expect(run.audits.usdm!.filter((l) => l.kind === 'decision')).toHaveLength(0);
  });

  it('in sequence, every segment after a rollback names the one that rolled back', async () => {
    const dir = tempDir();
    const plan = join(dir, 'three.json');
    writeFileSync(
      plan,
      JSON.stringify({
        ...PLAN_PRESETS.short,
        name: 'three',
        segments: {
          mode: 'sequence',
          list: [
            { name: 'spot', venue: 'binance' },
            { name: 'usdm', venue: 'binance-futures' },
            { name: 'both' },
          ],
        },
      }),
    );
    const out = join(dir, 'run');
    const result = await cli(
      replayArgs(plan, out, '--no-progress', '--inject', 'spot/canary:latency=+20ms'),
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'segments.json'), 'utf8')) as SegmentsJson;
    expect(summary.segments.map((s) => [s.name, s.outcome, s.notStarted])).toEqual([
      ['spot', 'rolled_back', null],
      ['usdm', 'not_started', { reason: 'stopped', after: 'spot' }],
      // Not "usdm rolled back": usdm never started.
      ['both', 'not_started', { reason: 'stopped', after: 'spot' }],
    ]);
    expect(result.stdout).toMatch(/^ {2}both +not started \(stopped: spot rolled back\)/m);
  });

  it('in sequence, the second segment starts after the first promotes', async () => {
    const run = await segmentedRun('sequence');
    const [spot, usdm] = run.summary.segments;
    expect(spot!.outcome).toBe('promoted');
    const promotedAt = run.reports.spot!.decisions.find((d) => d.action === 'promote')!.at;
    expect(usdm!.startedAt).not.toBeNull();
    expect(Date.parse(usdm!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(promotedAt));
    expect(run.reports.usdm!.decisions.length).toBeGreaterThan(0);
    expect(Date.parse(run.reports.usdm!.decisions[0]!.at)).toBeGreaterThanOrEqual(
      Date.parse(promotedAt),
    );
  });
});

describe('a segmented replay: bad input, reruns, the report command', () => {
  function expectRefused(result: { code: number; stderr: string }, message: RegExp): void {
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(message);
  }

  it('refuses bad segment input before anything is written', async () => {
    const dir = tempDir();
    const plan = planFile(dir, 'parallel');
    const out = join(dir, 'run');
    expectRefused(
      await cli(replayArgs(plan, out, '--inject', 'futures/canary:latency=+5ms')),
      /no segment "futures" \(its segments: spot, usdm\) \[E_INJECT_SPEC\]$/,
    );
    expectRefused(
      await cli(replayArgs(plan, out, '--inject', 'usdm/canary:latency=+5', '--no-progress')),
      /\[E_INJECT_SPEC\]$/,
    );
    expectRefused(
      await cli(['replay', FILES[0]!, '--plan', 'short', '--inject', 'usdm/canary:latency=+5ms']),
      /needs a plan with segments.*\[E_INJECT_SPEC\]$/,
    );
    const accounts = join(dir, 'accounts.csv');
    writeFileSync(accounts, 'account_id,capital,segment\na,1000,spot\nb,1000,\n');
    expectRefused(
      await cli([...replayArgs(plan, out), '--accounts', accounts]),
      /accounts\.csv: account "b": no segment .*\[E_ACCOUNTS_FILE\]$/,
    );
    const script = join(dir, 'operator.json');
    writeFileSync(script, '[]');
    expectRefused(
      await cli(replayArgs(plan, out, '--operator', script)),
      /--operator: a plan with segments .*\[E_USAGE\]$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('runs accounts from a file in their segments; a rerun into the same directory replaces the run whole', async () => {
    const dir = tempDir();
    const plan = planFile(dir, 'parallel');
    const out = join(dir, 'run');
    const accounts = join(dir, 'accounts.csv');
    const rows = Array.from(
      { length: 600 },
      (_, i) => `a${i},${1000 + i},${i < 200 ? 'usdm' : 'spot'}`,
    );
    writeFileSync(accounts, `account_id,capital,segment\n${rows.join('\n')}\n`);
    // A plain run first: a segmented one into the same directory leaves none of its files.
    const plain = ['replay', FILES[0]!, '--plan', 'short', '--accounts', '50', '--no-progress'];
    expect((await cli([...plain, '--out', out])).code).toBe(0);
    const segmented = await cli([
      ...replayArgs(plan, out, '--no-progress', '--no-fills'),
      '--accounts',
      accounts,
    ]);
    expect(segmented.stderr).toBe('');
    expect(segmented.code).toBe(0);
    for (const stale of ['report.json', 'report.md', 'audit.jsonl', 'fills.csv'])
      expect(existsSync(join(out, stale))).toBe(false);
    expect(readReport(join(out, 'segments', 'usdm')).inputs.accounts.count).toBe(200);
    expect(readReport(join(out, 'segments', 'spot')).inputs.accounts.count).toBe(400);
    // The report command points at the segments' directories.
    expectRefused(
      await cli(['report', out]),
      /segmented run: each segment's run directory is under .*segments\/ \[E_RUN_DIR\]$/,
    );
    const again = await cli(['report', join(out, 'segments', 'usdm')]);
    expect(again.code).toBe(0);
    // A plain run afterwards removes the segments.
    expect((await cli([...plain, '--out', out])).code).toBe(0);
    for (const stale of ['segments', 'segments.json', 'segments.md', 'segments.html'])
      expect(existsSync(join(out, stale))).toBe(false);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  });

  it("warns on stderr that an accounts file's segment column is ignored by a replay without segments", async () => {
    const dir = tempDir();
    const accounts = join(dir, 'accounts.csv');
    const rows = Array.from({ length: 40 }, (_, i) => `a${i},1000,${i < 30 ? 'spot' : ''}`);
    writeFileSync(accounts, `account_id,capital,segment\n${rows.join('\n')}\n`);
    const warning = `strategy-canary: warning: --accounts ${accounts}: its segment column (30 of 40 accounts name a segment) is ignored`;
    for (const run of [
      ['--plan', 'short'],
      ['--weight', '10'],
    ]) {
      const result = await cli([
        'replay',
        FILES[0]!,
        ...run,
        '--accounts',
        accounts,
        '--no-progress',
      ]);
      expect(result.code).toBe(0);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(warning);
      expect(lines[0]).toContain('docs/rollout.md');
    }
    // A segment column with no segment in it ignores nothing: no warning.
    writeFileSync(accounts, 'account_id,capital,segment\na,1000,\nb,1000,\n');
    const quiet = await cli(['replay', FILES[0]!, '--accounts', accounts, '--no-progress']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

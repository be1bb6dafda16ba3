import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/cli-harness.js';
import type { Arm } from '../core/arm.js';
import { Decimal } from '../core/money.js';
import type { AuditLineForReport } from './decision-log.js';
import { renderComparisonMd } from './render-comparison-md.js';
import { renderReportHtml, type ReportChartSvgs } from './render-report-html.js';
import { renderReportMd } from './render-report-md.js';
import type { ReportDecision, ReportJson } from './report-json.js';
import { armRows, comparisonRows, verdictOf } from './report-view.js';

/**
 * report-view, report.md, report.html and comparison.md checked against figures computed here,
 * independently of the report code: the per-arm money summed with decimal.js from accounts.csv
 * and rounded by Intl (which formats decimal strings exactly), the accounts counted per arm.
 * Three small replays of the bundled sample, each run once for the whole file.
 */

const SAMPLE = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');
const NO_CHARTS: ReportChartSvgs = {
  timeline: '',
  returns: '',
  drawdown: '',
  latency: '',
  slippage: '',
  exposure: '',
};
const MONEY = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  roundingMode: 'halfExpand',
});

interface Run {
  readonly dir: string;
  readonly report: ReportJson;
  readonly audit: AuditLineForReport[];
  readonly md: string;
  readonly html: string;
}

async function replay(...args: string[]): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-report-'));
  const result = await cli(['replay', SAMPLE, ...args, '--out', dir]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const audit = (existsSync(join(dir, 'audit.jsonl')) ? read('audit.jsonl') : '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditLineForReport);
  return {
    dir,
    report: JSON.parse(read('report.json')) as ReportJson,
    audit,
    md: read('report.md'),
    html: read('report.html'),
  };
}

interface ArmSums {
  readonly accounts: number;
  readonly capital: Decimal;
  readonly realized: Decimal;
  readonly unrealized: Decimal;
  readonly fees: Decimal;
  readonly pnl: Decimal;
}

/** Each arm's accounts and money, summed from accounts.csv with decimal.js. */
function sumsFromAccountsCsv(dir: string): Record<Arm, ArmSums> {
  const [header, ...lines] = readFileSync(join(dir, 'accounts.csv'), 'utf8').trimEnd().split('\n');
  expect(header).toBe(
    'account_id,arm,override,capital,realized_pnl,unrealized_pnl,fees,pnl,equity',
  );
  const zero = (): ArmSums => ({
    accounts: 0,
    capital: new Decimal(0),
    realized: new Decimal(0),
    unrealized: new Decimal(0),
    fees: new Decimal(0),
    pnl: new Decimal(0),
  });
  const sums: Record<Arm, ArmSums> = { stable: zero(), canary: zero() };
  for (const line of lines) {
    const [, arm, , capital, realized, unrealized, fees, pnl] = line.split(',');
    const s = sums[arm as Arm];
    sums[arm as Arm] = {
      accounts: s.accounts + 1,
      capital: s.capital.plus(capital!),
      realized: s.realized.plus(realized!),
      unrealized: s.unrealized.plus(unrealized!),
      fees: s.fees.plus(fees!),
      pnl: s.pnl.plus(pnl!),
    };
  }
  return sums;
}

/** Money as a reader sees it: Intl formats the exact decimal string (no float on the way). */
function shown(value: Decimal): string {
  const text = MONEY.format(value.toFixed() as unknown as number);
  return text === '-0.00' ? '0.00' : text;
}

/** The md table row for `label`: its cells after the label. */
function mdRow(md: string, label: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith(`| ${label} |`));
  expect(line, label).toBeDefined();
  return line!
    .slice(2, -2)
    .split(' | ')
    .slice(1)
    .map((c) => c.trim());
}

let fixed: Run; // a fixed weight of 30 %: nobody moves, so each arm is the sum of its accounts
let halted: Run; // v1 → v2, plan short: halts at the shadow step's maximum
let rolledBack: Run; // a planted slippage: rolled back at 5 %

beforeAll(async () => {
  fixed = await replay('--weight', '30', '--accounts', '200');
  halted = await replay(
    '--stable',
    'momentum@1.0.0',
    '--canary',
    'momentum@2.0.0',
    '--plan',
    'short',
  );
  rolledBack = await replay(
    '--stable',
    'momentum@1.0.0',
    '--canary',
    'momentum@1.0.0',
    '--plan',
    'aggressive',
    '--inject',
    'canary:slippage=+5bp',
    '--accounts',
    '500',
  );
}, 180_000);

const MONEY_ROWS = [
  ['capital (at the end)', 'capital'],
  ['realized P&L', 'realized'],
  ['unrealized P&L', 'unrealized'],
  ['fees', 'fees'],
  ['P&L (attributed)', 'pnl'],
] as const;

describe('report-view armRows', () => {
  it('puts stable then canary, each cell the sum over that arm’s accounts in accounts.csv', () => {
    const sums = sumsFromAccountsCsv(fixed.dir);
    expect(sums.stable.accounts).not.toBe(sums.canary.accounts); // a swap cannot go unseen
    const rows = armRows(fixed.report);
    const row = (label: string) => rows.find((r) => r.label === label)!;
    expect(row('strategy')).toMatchObject({ stable: 'momentum@1.0.0', canary: 'momentum@2.0.0' });
    expect(row('accounts (at the end)')).toMatchObject({
      stable: String(sums.stable.accounts),
      canary: String(sums.canary.accounts),
    });
    for (const [label, key] of MONEY_ROWS) {
      expect(row(label), label).toMatchObject({
        stable: shown(sums.stable[key]),
        canary: shown(sums.canary[key]),
      });
    }
  });

  it('shows Sharpe and Sortino as n/a for a run shorter than a day of event time', () => {
    const rows = armRows(fixed.report);
    expect(fixed.report.arms.stable.sharpe).not.toBeNull(); // computed, but from 6 minutes
    for (const label of ['Sharpe (annualized)', 'Sortino (annualized)']) {
      expect(rows.find((r) => r.label === label)).toMatchObject({ stable: 'n/a', canary: 'n/a' });
    }
    const dayLong: ReportJson = {
      ...fixed.report,
      inputs: { ...fixed.report.inputs, lastEventAt: '2024-08-10T00:00:00.000000Z' },
    };
    const sharpe = armRows(dayLong).find((r) => r.label === 'Sharpe (annualized)')!;
    expect(sharpe.stable).toBe(fixed.report.arms.stable.sharpe!.toFixed(2));
  });
});

describe('the max drawdown’s time range in report.md and report.html', () => {
  const row = 'max drawdown from → to';

  it('is times of day when the run lies within one UTC day (its date is the event-time line’s)', () => {
    const { stable } = fixed.report.arms;
    expect(fixed.report.inputs.firstEventAt!.slice(0, 10)).toBe(
      fixed.report.inputs.lastEventAt!.slice(0, 10),
    );
    expect(mdRow(fixed.md, row)[0]).toBe(
      `${stable.maxDrawdownStartAt!.slice(11, 23)} → ${stable.maxDrawdownEndAt!.slice(11, 23)}`,
    );
  });

  it('carries both dates when the drawdown crosses midnight, in every arm’s cell', () => {
    const { inputs, arms } = fixed.report;
    const acrossMidnight: ReportJson = {
      ...fixed.report,
      inputs: { ...inputs, lastEventAt: '2024-08-09T00:10:00.000000Z' },
      arms: {
        stable: {
          ...arms.stable,
          maxDrawdownStartAt: '2024-08-08T23:58:00.123456Z',
          maxDrawdownEndAt: '2024-08-09T00:02:30.000000Z',
        },
        canary: {
          ...arms.canary,
          maxDrawdownStartAt: '2024-08-08T23:55:01.000000Z',
          maxDrawdownEndAt: '2024-08-08T23:57:02.500000Z',
        },
      },
    };
    const stable = '2024-08-08 23:58:00.123 → 2024-08-09 00:02:30.000';
    // Within one day of a run over two, a time of day alone would still not say which day.
    const canary = '2024-08-08 23:55:01.000 → 2024-08-08 23:57:02.500';
    expect(mdRow(renderReportMd(acrossMidnight, []), row)).toEqual([stable, canary]);
    expect(renderReportHtml(acrossMidnight, [], NO_CHARTS)).toContain(
      `<td>${row}</td><td class="num">${stable}</td><td class="num">${canary}</td>`,
    );
  });
});

describe('report-view comparisonRows', () => {
  it('is canary − stable: a canary planted 5 bp of slippage worse reads about +5, worse', () => {
    const rows = comparisonRows(rolledBack.report).filter((r) => r.metric === 'slippageBps');
    expect(rows.map((r) => r.scope)).toEqual(['step', 'rollout']);
    for (const row of rows) {
      expect(Number(row.estimate)).toBeGreaterThan(4);
      expect(Number(row.estimate)).toBeLessThan(6);
      expect(row.verdict).toBe('worse');
    }
    const md = mdRow(rolledBack.md, 'slippageBps');
    expect(md[3]).toBe(rows[0]!.estimate);
  });

  it('names the clusters as the analysis does: pairing windows when the harm bound came from them', () => {
    const latest = rolledBack.report.decisions.findLast((d) =>
      d.reasons.some((r) => r.verdict !== null),
    )!;
    const reasons = latest.reasons.map((r) =>
      r.metric === 'slippageBps'
        ? { ...r, test: 'paired-windows/mean/normal-mixture-cs', clusters: 6 }
        : r,
    );
    const rows = comparisonRows({ ...rolledBack.report, decisions: [{ ...latest, reasons }] });
    const n = (metric: string) => rows.filter((r) => r.metric === metric).map((r) => r.n);
    for (const cell of n('slippageBps')) expect(cell).toMatch(/ in 6 pairing windows$/u);
    for (const cell of n('latencyMs')) expect(cell).toMatch(/ in [\d,]+ buckets$/u);
    for (const cell of n('edgeBps')) expect(cell).toMatch(/ in [\d,]+ intervals$/u);
  });
});

describe('the verdict of a rollout an operator halted', () => {
  it('names the operator’s halt from the audit log, not the decision before it', () => {
    const last = halted.audit.at(-1)!;
    const halt: AuditLineForReport = {
      ...last,
      seq: last.seq + 1,
      kind: 'operator',
      action: 'halt',
      disposition: 'applied',
      trigger: 'operator',
      detail: { code: 'OPERATOR', message: 'lunch' },
      reasons: [],
    };
    const audit = [...halted.audit, halt];
    const expected = `an operator halted the rollout: OPERATOR: lunch`;
    expect(verdictOf(halted.report, audit)).toMatchObject({
      decisiveSeq: halt.seq,
      decisiveReason: expected,
    });
    expect(renderReportMd(halted.report, audit)).toContain(
      `Decided by operator command ${halt.seq}: ${expected}`,
    );
    // Without an operator's halt, the decisive decision is the step's timeout, as before.
    expect(verdictOf(halted.report, halted.audit).decisiveReason).toMatch(/^MAX_DURATION: /u);
  });
});

describe('the timeline of a manual rollout', () => {
  it('names the proposal waiting for an operator as decisive, not a refused re-proposal after it', () => {
    const [first] = halted.report.decisions;
    const at = (
      seq: number,
      disposition: ReportDecision['disposition'],
      code: string,
    ): ReportDecision => ({
      ...first!,
      seq,
      action: 'increase',
      disposition,
      fromWeightPct: 0,
      toWeightPct: 0,
      reasons: [{ ...first!.reasons[0]!, code, message: `${code} message` }],
    });
    const report: ReportJson = {
      ...halted.report,
      outcome: 'in_progress',
      decisions: [
        at(8, 'proposed', 'ALL_NON_INFERIOR'),
        at(9, 'refused', 'PROPOSAL_ALREADY_PENDING'),
      ],
    };
    const verdict = verdictOf(report);
    expect(verdict.decisiveSeq).toBe(8);
    expect(verdict.decisiveReason).toBe(
      'proposed, waiting for an operator: ALL_NON_INFERIOR: ALL_NON_INFERIOR message',
    );
  });

  it('shows a proposal waiting for an operator at its weight, not as an increase to the same weight', () => {
    const increase = halted.report.decisions.find((d) => d.action !== 'hold') ?? {
      ...halted.report.decisions[0]!,
      action: 'increase',
    };
    const proposal: ReportDecision = {
      ...increase,
      action: 'increase',
      disposition: 'proposed',
      fromWeightPct: 0,
      toWeightPct: 0,
    };
    const report: ReportJson = { ...halted.report, decisions: [proposal] };
    const html = renderReportHtml(report, halted.audit, NO_CHARTS);
    const note = html.split('\n').find((l) => l.startsWith(`<li value="${proposal.seq}">`));
    expect(note).toContain('<strong>increase</strong> 0 % (proposed)');
    expect(note).not.toContain('→');
  });
});

describe('renderReportMd', () => {
  it('says when the paper column’s positions were valued, as fills.csv’s marks may not be theirs', () => {
    expect(halted.report.shadow).not.toBeNull();
    for (const text of [halted.md, halted.html.replaceAll('&#39;', "'")]) {
      expect(text).toContain('valued at the marks of the moment its shadow step ended');
    }
    expect(fixed.report.shadow).toBeNull();
    expect(fixed.md).not.toContain('Paper P&L');
  });

  it('the stable/canary table: header order and every money cell from accounts.csv', () => {
    const sums = sumsFromAccountsCsv(fixed.dir);
    expect(fixed.md).toContain('|  | stable | canary |');
    expect(mdRow(fixed.md, 'accounts (at the end)')).toEqual([
      String(sums.stable.accounts),
      String(sums.canary.accounts),
    ]);
    for (const [label, key] of MONEY_ROWS) {
      expect(mdRow(fixed.md, label), label).toEqual([
        shown(sums.stable[key]),
        shown(sums.canary[key]),
      ]);
    }
    // Grouped and rounded for reading: no raw 10-decimal strings in the table.
    expect(mdRow(fixed.md, 'capital (at the end)')[0]).toMatch(/^\d{1,3}(,\d{3})+\.\d{2}$/u);
  });

  it('names the metric that kept a step from passing when it halts at its maximum', () => {
    expect(halted.report.outcome).toBe('halted');
    const before = halted.report.decisions.findLast(
      (d) => d.reasons[0]?.code === 'INCONCLUSIVE' && d.seq < verdictOf(halted.report).decisiveSeq!,
    )!;
    const pending = before.reasons
      .filter((r) => r.required === true && r.verdict !== 'non_inferior' && r.verdict !== 'better')
      .map((r) => r.metric!);
    expect(pending.length).toBeGreaterThan(0);
    const verdictPart = halted.md.slice(0, halted.md.indexOf('## Stable vs canary'));
    for (const metric of pending) expect(verdictPart).toContain(metric);
    expect(verdictPart).toContain('not shown non-inferior');
  });

  it('says why there is no comparison: a guardrail rollback before the first analysis', () => {
    const guardrail: ReportDecision = {
      ...rolledBack.report.decisions.at(-1)!,
      action: 'rollback',
      reasons: [
        {
          code: 'GUARDRAIL_CANARY_STRATEGY_ERRORS',
          metric: 'strategyErrors',
          message: 'strategyErrors 1 count > limit 0',
          estimate: 1,
          ci: null,
          n: null,
          nStable: null,
          margin: 0,
          test: 'guardrail',
          alpha: null,
          verdict: null,
        },
      ],
    };
    const report: ReportJson = { ...rolledBack.report, decisions: [guardrail] };
    const md = renderReportMd(report, rolledBack.audit);
    const html = renderReportHtml(report, rolledBack.audit, NO_CHARTS);
    for (const text of [md, html]) {
      expect(text).not.toContain('the run had no rollout plan');
      expect(text).toContain('a guardrail rolled back the canary before the first analysis');
    }
    // A run at a fixed weight is compared too (issue 11, item 5).
    expect(fixed.md).not.toContain('No statistical comparison');
  });

  it('names the blocking metric for a rollback at a step’s maximum too', () => {
    const timeout = halted.report.decisions.find((d) => d.reasons[0]?.code === 'MAX_DURATION')!;
    const report: ReportJson = {
      ...halted.report,
      outcome: 'rolled_back',
      decisions: halted.report.decisions
        .filter((d) => d.seq <= timeout.seq)
        .map((d) => (d === timeout ? { ...d, action: 'rollback', toWeightPct: 0 } : d)),
    };
    expect(verdictOf(report).decisiveSeq).toBe(timeout.seq);
    const md = renderReportMd(report, halted.audit);
    expect(md).toMatch(
      /What kept the step from passing: not shown non-inferior at decision \d+: slippageBps/u,
    );
  });

  it("says so when the data end during the plan's baseline (standard: 10 minutes)", async () => {
    // The 6-minute sample ends before standard's baseline: no step started, nothing decided.
    const run = await replay('--plan', 'standard', '--accounts', '50');
    expect(run.report.outcome).toBe('in_progress');
    expect(run.report.inputs.plan).toMatchObject({ type: 'plan', baselineMs: 600_000 });
    expect(run.report.decisions).toEqual([]);
    expect(verdictOf(run.report).headline).toBe(
      "The data ended during the plan's baseline (10 minutes with every account on momentum@1.0.0): the rollout of momentum@2.0.0 had not started.",
    );
    const baseline = 'baseline of 10 min with every account on stable';
    expect(renderReportMd(run.report, run.audit)).toContain(baseline);
    expect(renderReportHtml(run.report, run.audit, NO_CHARTS)).toContain(baseline);
    expect(renderReportMd(halted.report, halted.audit)).not.toContain('baseline of');
  });

  it('does not blame a missing plan for a missing audit log', () => {
    const md = renderReportMd(halted.report, []);
    expect(md).not.toContain('the run had no rollout plan');
    expect(md).toContain('audit.jsonl is missing or empty');
  });

  it('gives a reproduce command that writes the report files (with --out)', () => {
    const line = halted.md.split('\n').find((l) => l.startsWith('Reproduce: '))!;
    const command = /`([^`]+)`/u.exec(line)![1]!;
    expect(command.startsWith(halted.report.inputs.command!)).toBe(true);
    expect(command).toMatch(/ --out \S+$/u);
    expect(halted.html).toContain(`${command}</pre>`);
  });

  it('renders the assumptions as tables, not JSON', () => {
    for (const text of [halted.md, halted.html]) {
      expect(text).not.toMatch(/\{"(margin|maxLossPct|feeBps|latencyMs)"/u);
    }
    expect(mdRow(halted.md, 'maxLossPct')).toEqual([
      String(
        halted.report.inputs.plan.type === 'plan' &&
          halted.report.inputs.plan.guardrails['maxLossPct'],
      ),
    ]);
    expect(halted.md).toContain(
      '| policy | slippageBps | latencyMs | rejectRate | feeBps | edgeBps |',
    );
    expect(halted.html).toContain('<td class="mono">maxLossPct</td>');
  });
});

describe('the decision log in report.md and report.html', () => {
  it('is audit.jsonl line for line: seq, time, kind, action, disposition, trigger, weights', () => {
    const raw = readFileSync(join(rolledBack.dir, 'audit.jsonl'), 'utf8').trimEnd().split('\n');
    const log = rolledBack.md.slice(rolledBack.md.indexOf('## Decision log'));
    const rows = log.split('\n').filter((l) => /^\| \d+ \|/u.test(l));
    expect(rows).toHaveLength(raw.length);
    for (const [i, text] of raw.entries()) {
      const entry = JSON.parse(text) as Record<string, unknown>;
      const from = entry['fromWeightPct'] as number;
      const to = entry['toWeightPct'] as number;
      const weights = from === to ? `${from} %` : `${from} % → ${to} %`;
      const trigger = (entry['trigger'] as string | null) ?? '';
      const cells = [
        entry['seq'],
        entry['at'],
        entry['kind'],
        entry['action'],
        entry['disposition'],
      ];
      expect(rows[i]).toContain(`| ${cells.join(' | ')} | ${trigger} | ${weights} |`);
      expect(rolledBack.html).toContain(
        `<tr><td class="num">${String(entry['seq'])}</td><td class="mono">${String(entry['at'])}</td>`,
      );
    }
  });
});

describe('renderReportHtml', () => {
  it('the stable/canary table: header order and every money cell from accounts.csv', () => {
    const sums = sumsFromAccountsCsv(fixed.dir);
    const table = fixed.html.slice(fixed.html.indexOf('<section id="comparison">'));
    expect(table.indexOf('</span>stable</th>')).toBeLessThan(table.indexOf('</span>canary</th>'));
    for (const [label, key] of MONEY_ROWS) {
      const cells = `<td>${label.replace('&', '&amp;')}</td><td class="num">${shown(sums.stable[key])}</td><td class="num">${shown(sums.canary[key])}</td>`;
      expect(table, label).toContain(cells);
    }
  });
});

describe('a fixed-weight run’s comparison', () => {
  it('compares the arms over the whole run, in report.json, report.md and report.html', async () => {
    const run = await replay(
      '--weight',
      '50',
      '--accounts',
      '100',
      '--inject',
      'canary:latency=+40ms',
    );
    expect(run.report.decisions).toEqual([]);
    const comparison = run.report.comparison!;
    expect(comparison.map((r) => [r.metric, r.scope])).toEqual([
      ['slippageBps', 'rollout'],
      ['latencyMs', 'rollout'],
      ['rejectRate', 'rollout'],
      ['feeBps', 'rollout'],
      ['edgeBps', 'rollout'],
    ]);
    const latency = comparison.find((r) => r.metric === 'latencyMs')!;
    expect(latency.verdict).toBe('worse');
    expect(latency.estimate).toBeGreaterThan(35);
    expect(mdRow(run.md, 'latencyMs')).toContain('worse');
    expect(run.md).not.toContain('No statistical comparison');
    expect(run.html).toContain('<td class="v-worse">worse</td>');
    // A rollout's comparison lives in its decisions.
    expect(halted.report.comparison).toBeNull();
  }, 60_000);
});

describe('the shadow step’s paper book', () => {
  it('is its own column in report.md and report.html, labelled paper, with the shadow figures', () => {
    const shadow = halted.report.shadow!;
    expect(shadow.fills).toBeGreaterThan(0);
    // The canary's real book is empty: every account stayed on stable.
    expect(mdRow(halted.md, 'fills')).toEqual([
      halted.report.arms.stable.fills.toLocaleString('en-US'),
      '0',
      shadow.fills.toLocaleString('en-US'),
    ]);
    expect(halted.md).toContain('|  | stable | canary | canary on paper (shadow step) |');
    const money = (text: string): string => shown(new Decimal(text));
    expect(mdRow(halted.md, 'P&L (attributed)')[2]).toBe(money(shadow.pnl));
    expect(mdRow(halted.md, 'fees')[2]).toBe(money(shadow.fees));
    expect(mdRow(halted.md, 'accounts (at the end)')[2]).toBe(
      `${shadow.paperAccounts.toLocaleString('en-US')} paper`,
    );
    expect(halted.html).toContain('<th class="num">canary on paper (shadow step)</th>');
    expect(halted.html).toContain(
      `<td>P&amp;L (attributed)</td><td class="num">${shown(new Decimal(halted.report.arms.stable.pnl))}</td><td class="num">0.00</td><td class="num">${money(shadow.pnl)}</td>`,
    );
    // Without a shadow step there is no such column.
    expect(fixed.md).not.toContain('on paper');
    expect(mdRow(fixed.md, 'fills')).toHaveLength(2);
  });
});

describe('a rollback by an operator command', () => {
  it('is decided by that command in report.md, report.html and comparison.md, not by the last increase', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-report-ops-'));
    const script = join(dir, 'ops.json');
    writeFileSync(
      script,
      JSON.stringify([{ at: '2024-08-08T23:57:30Z', command: 'rollback', reason: 'what if' }]),
    );
    const run = await replay(
      '--stable',
      'momentum@1.0.0',
      '--canary',
      'momentum@1.0.0',
      '--plan',
      'short',
      '--accounts',
      '200',
      '--operator',
      script,
    );
    expect(run.report.outcome).toBe('rolled_back');
    const command = run.audit.find((l) => l.kind === 'operator' && l.action === 'force-rollback')!;
    expect(run.report.decisions.some((d) => d.action === 'increase')).toBe(true);
    expect(run.md).toContain(`Decided by operator command ${command.seq}: OPERATOR: what if`);
    expect(run.html).toContain(
      `<strong>Decisive reason</strong> (operator command ${command.seq}): OPERATOR: what if`,
    );
    const compared = renderComparisonMd([
      { dir: 'a', report: run.report, audit: run.audit },
      { dir: 'b', report: run.report },
    ]);
    expect(mdRow(compared, 'decisive reason')[0]).toBe('OPERATOR: what if');
  }, 60_000);
});

describe('a promotion an operator approved without a note (manual mode)', () => {
  it('is decided by the proposal it approved, not by the last increase', () => {
    // The halted run's report, turned into a manual rollout whose promote proposal was approved.
    const last = halted.report.decisions.at(-1)!;
    const proposal: ReportDecision = {
      ...last,
      seq: last.seq + 1,
      action: 'promote',
      disposition: 'proposed',
      reasons: [{ ...last.reasons[0]!, code: 'ALL_NON_INFERIOR', message: 'promote the canary' }],
    };
    const increase: ReportDecision = { ...last, action: 'increase', disposition: 'applied' };
    const report: ReportJson = {
      ...halted.report,
      outcome: 'promoted',
      decisions: [...halted.report.decisions.slice(0, -1), increase, proposal],
    };
    const line = (seq: number, kind: string, action: string, ref: number | null) => ({
      seq,
      at: proposal.at,
      kind,
      action,
      disposition: 'applied',
      trigger: 'operator',
      fromWeightPct: 100,
      toWeightPct: 100,
      ref,
      detail: null,
      reasons: [],
    });
    const audit: AuditLineForReport[] = [
      ...halted.audit,
      line(proposal.seq + 1, 'operator', 'approve', proposal.seq),
      line(proposal.seq + 2, 'transition', 'promote', proposal.seq + 1),
    ];
    const verdict = verdictOf(report, audit);
    expect(verdict.decisiveSeq).toBe(proposal.seq);
    expect(verdict.decisiveReason).toBe(
      `ALL_NON_INFERIOR: promote the canary (approved by operator command ${proposal.seq + 1})`,
    );
    expect(verdictOf(report).decisiveSeq).toBe(increase.seq); // without the audit log: as before
  });
});

describe('renderComparisonMd', () => {
  it('shows each run’s stable and canary figures in their own rows, from accounts.csv', () => {
    const md = renderComparisonMd([
      { dir: 'fixed', report: fixed.report },
      { dir: 'rolled-back', report: rolledBack.report },
    ]);
    expect(md).toContain('|  | `fixed` | `rolled-back` |');
    const sums = sumsFromAccountsCsv(fixed.dir);
    expect(mdRow(md, 'stable P&L (attributed)')[0]).toBe(shown(sums.stable.pnl));
    expect(mdRow(md, 'canary P&L (attributed)')[0]).toBe(shown(sums.canary.pnl));
    expect(mdRow(md, 'stable fills')).toEqual([
      fixed.report.arms.stable.fills.toLocaleString('en-US'),
      rolledBack.report.arms.stable.fills.toLocaleString('en-US'),
    ]);
    expect(md.indexOf('| stable fills |')).toBeLessThan(md.indexOf('| canary fills |'));
  });

  it('tells apart two runs of the same data, plan and seed that differ in fees and faults', () => {
    const other = structuredClone(fixed.report) as ReportJson & {
      inputs: { execution: { parameters: Record<string, unknown>; injections: unknown } };
    };
    other.inputs.execution.parameters.feeBps = 0;
    other.inputs.execution.parameters.accountSlippageSdBps = 3;
    other.inputs.execution.injections = {
      stable: { latencyMs: 0, latencyPct: 0, slippageBps: 0, rejectPct: 0, feeBps: 0, spec: 'x' },
      canary: {
        latencyMs: 0,
        latencyPct: 0,
        slippageBps: 2,
        rejectPct: 0,
        feeBps: 0,
        spec: 'canary:latency=+0ms,slippage=+2bp,rejects=+0%',
      },
    };
    const command = `${fixed.report.inputs.command} --fee-bps 0`;
    const md = renderComparisonMd([
      { dir: 'a', report: fixed.report },
      { dir: 'b', report: { ...other, inputs: { ...other.inputs, command } } },
    ]);
    expect(mdRow(md, 'execution')).toEqual([
      'fee 10 bps; no injected faults',
      'fee 0 bps; canary:latency=+0ms,slippage=+2bp,rejects=+0%; account slippage sd 3 bps',
    ]);
    expect(mdRow(md, 'command')).toEqual([`\`${fixed.report.inputs.command}\``, `\`${command}\``]);
  });
});

describe('the canary’s exposure in report.md, report.html and comparison.md', () => {
  it('shows every share to 2 decimals, a whole one as a 4-decimal one (report.json keeps 4)', () => {
    const report: ReportJson = {
      ...fixed.report,
      exposure: { ...fixed.report.exposure, maxAccountSharePct: 50, maxCapitalSharePct: 12.3456 },
    };
    const sentence = 'Canary exposure: at most 50.00 % of accounts and 12.35 % of capital';
    expect(renderReportMd(report, [])).toContain(sentence);
    expect(renderReportHtml(report, [], NO_CHARTS)).toContain(sentence);
    const md = renderComparisonMd([{ dir: 'a', report }]);
    expect(mdRow(md, 'canary max share of capital')).toEqual(['12.35 %']);
  });
});

describe('report.json series.exposure after a rollback', () => {
  it('ends at weight 0 with no canary account, as the rollout does', () => {
    const { exposure } = rolledBack.report.series;
    expect(rolledBack.report.outcome).toBe('rolled_back');
    expect(rolledBack.report.rollout?.finalWeightPct).toBe(0);
    expect(exposure.weightPct.at(-1)).toBe(0);
    expect(exposure.accountSharePct.at(-1)).toBe(0);
    // Every point at or after the rollback shows weight 0.
    const rollback = rolledBack.report.decisions.find((d) => d.action === 'rollback')!;
    const atMs = Date.parse(rollback.at);
    exposure.tsMs.forEach((t, i) => {
      if (t >= atMs) expect(exposure.weightPct[i]).toBe(0);
    });
  });
});

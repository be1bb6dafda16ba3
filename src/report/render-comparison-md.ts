import type { AuditLineForReport } from './decision-log.js';
import { formatMoney } from './format-money.js';
import type { ReportArm, ReportJson } from './report-json.js';
import { comparisonRows, verdictOf } from './report-view.js';
import { planText } from './render-report-md.js';

/** One run to compare: its directory (as given), its report and its audit entries. */
export interface ComparedRun {
  readonly dir: string;
  readonly report: ReportJson;
  /** Its audit.jsonl's entries (none: the decisive reason from report.json's decisions alone). */
  readonly audit?: readonly AuditLineForReport[];
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\r?\n/gu, ' ');
}

const fixed = (n: number | null, digits: number, unit = ''): string =>
  n === null ? '–' : `${n.toFixed(digits)}${unit}`;

/**
 * comparison.md: two (or more) runs side by side, e.g. the same canary on two data sets: what ran,
 * what was decided and why, the exposure, each arm's key figures and the compared metrics.
 */
export function renderComparisonMd(runs: readonly ComparedRun[]): string {
  const header = ['', ...runs.map((r) => `\`${r.dir}\``)];
  const rows: string[][] = [];
  const add = (label: string, f: (report: ReportJson) => string) =>
    rows.push([label, ...runs.map((r) => f(r.report))]);
  const arm = (label: string, f: (a: ReportArm) => string) => {
    add(`stable ${label}`, (r) => f(r.arms.stable));
    add(`canary ${label}`, (r) => f(r.arms.canary));
  };
  add('data', (r) => r.inputs.files.map((f) => f.path).join(', '));
  add('event time', (r) => `${r.inputs.firstEventAt ?? '–'} → ${r.inputs.lastEventAt ?? '–'}`);
  add('stable → canary', (r) => `${r.arms.stable.id} → ${r.arms.canary.id}`);
  add('plan', (r) => planText(r));
  add(
    'accounts, seed, salt',
    (r) => `${r.inputs.accounts.count}, ${r.inputs.seed}, ${r.inputs.salt}`,
  );
  const verdicts = runs.map((run) => verdictOf(run.report, run.audit));
  rows.push(['outcome', ...verdicts.map((v) => v.outcome)]);
  add('final weight', (r) => (r.rollout === null ? 'fixed' : `${r.rollout.finalWeightPct} %`));
  rows.push(['decisive reason', ...verdicts.map((v) => v.decisiveReason ?? '–')]);
  add('canary max share of capital', (r) => `${r.exposure.maxCapitalSharePct} %`);
  add('canary capital-minutes', (r) =>
    Math.round(r.exposure.canaryCapitalMinutes).toLocaleString('en-US'),
  );
  arm('fills', (a) => a.fills.toLocaleString('en-US'));
  arm('P&L (attributed)', (a) => formatMoney(a.pnl));
  arm('return', (a) => fixed(a.returnPct, 4, ' %'));
  arm('max drawdown', (a) => fixed(a.maxDrawdownPct, 4, ' %'));
  arm('latency p50 / p99', (a) => `${fixed(a.latencyMs.p50, 1)} / ${fixed(a.latencyMs.p99, 1)} ms`);
  arm('slippage mean', (a) => fixed(a.slippageBps.mean, 3, ' bps'));
  const keyOf = (c: { metric: string; scope: string }): string => `${c.metric} (${c.scope})`;
  const metrics = new Set(runs.flatMap((r) => comparisonRows(r.report).map(keyOf)));
  for (const metric of metrics) {
    add(`${metric}: canary − stable`, (r) => {
      const c = comparisonRows(r).find((row) => keyOf(row) === metric);
      return c === undefined ? '–' : `${c.estimate} ${c.bound}, margin ${c.margin}: ${c.verdict}`;
    });
  }
  const lines = [
    `# Comparison of ${runs.length} runs`,
    '',
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

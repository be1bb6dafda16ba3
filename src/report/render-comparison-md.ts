import type { AuditLineForReport } from './decision-log.js';
import { formatMoney } from './format-money.js';
import type { ReportArm, ReportJson } from './report-json.js';
import { comparisonRows, sharePctText, verdictOf } from './report-view.js';
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

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An arm's `--inject` specs as run, without the all-zero spec every arm lists. */
function injectedText(injection: unknown): string[] {
  if (!isRecord(injection) || typeof injection['spec'] !== 'string') return [];
  const base = ['latencyMs', 'latencyPct', 'slippageBps', 'rejectPct', 'feeBps'];
  const none = base.every((field) => injection[field] === undefined || injection[field] === 0);
  const specs = injection['spec'].split(';');
  return none ? specs.slice(1) : specs;
}

/**
 * The execution model's settings a run may change (`--fee-bps`, `--inject`,
 * `--account-slippage-sd`, `--outages`), so that two runs of the same data, plan and seed that
 * differ there are not shown as the same run.
 */
function executionText(report: ReportJson): string {
  const execution = report.inputs.execution;
  if (!isRecord(execution) || !isRecord(execution['parameters'])) return '–';
  const parameters = execution['parameters'];
  const parts = [`fee ${String(parameters['feeBps'])} bps`];
  const injections = isRecord(execution['injections']) ? execution['injections'] : {};
  const injected = [...injectedText(injections['stable']), ...injectedText(injections['canary'])];
  parts.push(injected.length === 0 ? 'no injected faults' : injected.join('; '));
  const sd = parameters['accountSlippageSdBps'];
  if (typeof sd === 'number' && sd !== 0) parts.push(`account slippage sd ${sd} bps`);
  const outages = parameters['outages'];
  if (isRecord(outages)) {
    parts.push(
      `outages ${String(outages['perHour'])} an hour of ${String(outages['durationMs'])} ms`,
    );
  }
  return parts.join('; ');
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
  add('execution', executionText);
  add('command', (r) => (r.inputs.command === null ? '–' : `\`${r.inputs.command}\``));
  const verdicts = runs.map((run) => verdictOf(run.report, run.audit));
  rows.push(['outcome', ...verdicts.map((v) => v.outcome)]);
  add('final weight', (r) => (r.rollout === null ? 'fixed' : `${r.rollout.finalWeightPct} %`));
  rows.push(['decisive reason', ...verdicts.map((v) => v.decisiveReason ?? '–')]);
  add('canary max share of capital', (r) => sharePctText(r.exposure.maxCapitalSharePct));
  add('canary capital-minutes (quote currency × minutes)', (r) =>
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

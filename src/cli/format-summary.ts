import { formatMicroseconds, type DecisionTime } from '../engine/decision-timer.js';
import type { AuditLineForReport } from '../report/decision-log.js';
import { formatMoney } from '../report/format-money.js';
import type { ReportArm, ReportDecision, ReportJson } from '../report/report-json.js';
import { capitalMinutesText, durationText, shareOf, verdictOf } from '../report/report-view.js';

const count = (n: number): string => n.toLocaleString('en-US');
const pct = (n: number, digits = 2): string => `${n.toFixed(digits)} %`;
const opt = (n: number | null, digits: number): string => (n === null ? '–' : n.toFixed(digits));

/** Money for a terminal: thousands separators, 2 decimals (report.json keeps the exact strings). */
const money = formatMoney;

/**
 * A plain-text summary of a replay for the terminal: inputs, exposure and the side-by-side table,
 * then the files written (label and path, in the order given). With the run's audit records
 * (`audit`), what decided the rollout is named as report.md names it: an operator command (a
 * force-rollback, an approve, an A/B/n rollout's choice) rather than the decision before it.
 */
export function formatSummary(
  report: ReportJson,
  written: readonly (readonly [label: string, path: string])[],
  decisionTime: Readonly<Record<'stable' | 'canary', DecisionTime>> | null = null,
  audit: readonly AuditLineForReport[] = [],
): string {
  const { inputs, arms, exposure } = report;
  const lines: string[] = [];
  const span =
    inputs.firstEventAt === null || inputs.lastEventAt === null
      ? 'no events'
      : `${inputs.firstEventAt} → ${inputs.lastEventAt}`;
  lines.push(
    `replayed ${plural(inputs.events, 'event')} from ${plural(inputs.files.length, 'file')} (${span})`,
  );
  for (const file of inputs.files) {
    const skipped = Object.entries(file.skipped)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${count(n)} ${kind}`)
      .join(', ');
    const extras = [
      skipped === '' ? null : `skipped ${skipped}`,
      file.badLines > 0
        ? `${count(file.badLines)} bad line${file.badLines === 1 ? '' : 's'} skipped`
        : null,
      file.outOfOrder > 0 ? `${count(file.outOfOrder)} out-of-order clamped` : null,
    ].filter((x) => x !== null);
    lines.push(
      `  ${file.path} [${file.format}] ${plural(file.trades, 'trade')}, ${plural(file.quotes, 'quote')}${extras.length > 0 ? `; ${extras.join('; ')}` : ''}`,
    );
  }
  const plan = inputs.plan;
  if (plan.type === 'fixed') {
    lines.push(
      `canary weight ${pct(plan.weightPct)}: ${count(exposure.canaryAccounts)} of ${count(exposure.accounts)} accounts (${pct(exposure.accountSharePct)}), ${pct(exposure.capitalSharePct)} of capital; seed ${inputs.seed}, salt "${inputs.salt}"`,
    );
  } else {
    const rollout = report.rollout;
    // Applied decisions that moved or ended the rollout: a hold at a step's maximum halts it.
    const applied = report.decisions.filter(
      (d) =>
        d.disposition === 'applied' &&
        (d.action !== 'hold' || d.reasons[0]?.code.startsWith('MAX_DURATION') === true),
    );
    const baselineMs = plan.baselineMs ?? 0;
    const inBaseline = rollout?.status === 'pending' && baselineMs > 0;
    const state =
      inBaseline && rollout.halted
        ? `halted by an operator in its baseline (every account on stable; the first step waits for resume; the data ended first)`
        : inBaseline
          ? `still in its baseline (every account on stable for ${durationText(baselineMs)} of event time before the first step; the data ended first)`
          : `${report.outcome.replace('_', ' ')}${rollout === null ? '' : ` at ${pct(rollout.finalWeightPct)}`} after ${count(applied.length)} applied decision${applied.length === 1 ? '' : 's'}${decidedBy(report, audit)}`;
    lines.push(
      `plan ${plan.name}${plan.timeScale === 1 ? '' : ` (durations × ${plan.timeScale})`}, ${plan.mode} mode, positions ${plan.positions}: ${state}`,
    );
    lines.push(
      `canary exposure: at most ${pct(exposure.maxAccountSharePct)} of ${shareOf(report)}accounts and ${pct(exposure.maxCapitalSharePct)} of ${shareOf(report)}capital, ${capitalMinutesText(exposure.canaryCapitalMinutes)}; seed ${inputs.seed}, salt "${inputs.salt}"`,
    );
  }
  if (report.shadow !== null) {
    lines.push(
      `shadow step: ${count(report.shadow.paperAccounts)} paper accounts, ${count(report.shadow.fills)} paper fills, paper P&L ${money(report.shadow.pnl)}`,
    );
  }
  lines.push('');

  const rows: [string, (arm: ReportArm) => string][] = [
    ['strategy', (a) => a.id],
    ['accounts', (a) => count(a.accounts)],
    ['capital', (a) => money(a.capital)],
    ['target changes', (a) => count(a.targetChanges)],
    ['orders', (a) => count(a.orders)],
    ['fills', (a) => count(a.fills)],
    ['rejects', (a) => count(a.rejects)],
    ['strategy errors', (a) => count(a.strategyErrors)],
    ['realized P&L', (a) => money(a.realizedPnl)],
    ['unrealized P&L', (a) => money(a.unrealizedPnl)],
    ['fees', (a) => money(a.fees)],
    ['P&L (attributed)', (a) => money(a.pnl)],
    ['return', (a) => pct(a.returnPct, 4)],
    ['max drawdown', (a) => pct(a.maxDrawdownPct, 4)],
    ['latency p50 / p99 ms', (a) => `${opt(a.latencyMs.p50, 1)} / ${opt(a.latencyMs.p99, 1)}`],
    [
      'slippage mean / p95 bps',
      (a) => `${opt(a.slippageBps.mean, 2)} / ${opt(a.slippageBps.p95, 2)}`,
    ],
  ];
  const table = [
    ['', 'stable', 'canary'],
    ...rows.map(([label, f]) => [label, f(arms.stable), f(arms.canary)]),
    // Wall clock, unlike every row above: measured on this machine, never in report.json.
    ...(decisionTime === null
      ? []
      : [
          [
            'decision time / event (wall)',
            formatMicroseconds(decisionTime.stable.meanUs),
            formatMicroseconds(decisionTime.canary.meanUs),
          ],
        ]),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  for (const row of table) {
    lines.push(
      `  ${(row[0] ?? '').padEnd(widths[0] ?? 0)}   ${(row[1] ?? '').padStart(widths[1] ?? 0)}   ${(row[2] ?? '').padStart(widths[2] ?? 0)}`,
    );
  }
  const rejectReasons = (['stable', 'canary'] as const)
    .map((arm) => {
      const reasons = Object.entries(arms[arm].rejectsByReason)
        .filter(([, n]) => n > 0)
        .map(([r, n]) => `${r} ${count(n)}`);
      return reasons.length === 0 ? null : `${arm}: ${reasons.join(', ')}`;
    })
    .filter((x) => x !== null);
  if (rejectReasons.length > 0) lines.push('', `rejects by reason: ${rejectReasons.join('; ')}`);
  if (written.length > 0) {
    lines.push('');
    for (const [label, path] of written) lines.push(`${label}: ${path}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One decision on one line, as the replay prints it when it is taken: event time, action, weights,
 * disposition, and the main reason.
 */
export function formatDecisionLine(decision: ReportDecision): string {
  const main = decision.reasons[0];
  const weights =
    decision.fromWeightPct === decision.toWeightPct
      ? `${decision.fromWeightPct} %`
      : `${decision.fromWeightPct} % → ${decision.toWeightPct} %`;
  const reason = main === undefined ? '' : `  ${main.code}: ${main.message}`;
  const disposition = decision.disposition === 'applied' ? '' : ` (${decision.disposition})`;
  return `${decision.at}  ${decision.action.padEnd(8)} ${weights}${disposition}${reason}`;
}

/** `1 fill`, `4,185 fills`: a count with its noun, plural when it is not one. */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * ` (decision N: CODE)`: the record that decided a finished rollout (a halt at a step's maximum
 * included, which changes no weight; an operator's command, ` (operator command N: CODE)`), as
 * report.md's verdict names it from the same audit records; '' while in progress.
 */
function decidedBy(report: ReportJson, audit: readonly AuditLineForReport[]): string {
  if (report.outcome === 'in_progress' || report.outcome === 'fixed_weight') return '';
  const verdict = verdictOf(report, audit);
  if (verdict.decisiveSeq === null || verdict.decisiveReason === null) return '';
  const reason = verdict.decisiveReason.replace(/^proposed, waiting for an operator: /, '');
  const code = reason.includes(':') ? reason.slice(0, reason.indexOf(':')) : reason;
  return ` (${verdict.decisiveKind} ${verdict.decisiveSeq}: ${code})`;
}

import { decisionLogRows, type AuditLineForReport } from './decision-log.js';
import type { ReportJson } from './report-json.js';
import { formatMoney } from './format-money.js';
import {
  armRows,
  PAPER_COLUMN,
  LATENCY_NOTE,
  capitalMinutesText,
  comparisonNoteText,
  PAPER_NOTE,
  assumptionTables,
  comparisonRows,
  durationText,
  isMarkedDecision,
  noAuditText,
  noComparisonText,
  reproduceText,
  verdictOf,
  type AssumptionTable,
  reportTitle,
  shareOf,
  sharePctText,
} from './report-view.js';
import { planText } from './render-report-md.js';
import { weightChangeText } from './weight-change-text.js';

/** The charts of a report, as inline SVG strings (see `renderReportCharts`). */
export interface ReportChartSvgs {
  readonly timeline: string;
  readonly returns: string;
  readonly drawdown: string;
  readonly latency: string;
  readonly slippage: string;
  readonly exposure: string;
}

/** Text for HTML: `& < > " '` escaped. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const e = escapeHtml;

/** report.html's style sheet (also the lanes' summary page's). */
export const REPORT_STYLE = `
:root { color-scheme: light; --ink: #1d2530; --muted: #5b6675; --line: #d9dee5; --band: #f4f6f9;
  --stable: #4a6785; --canary: #d9730d; --bad: #b42318; --good: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 14px; margin: 18px 0 6px; }
h4 { font-size: 13px; margin: 12px 0 4px; }
table.kv { width: auto; min-width: 40%; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px;
  overflow-wrap: anywhere; }
pre { white-space: pre-wrap; background: var(--band); padding: 8px 10px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.sub td:first-child { padding-left: 22px; color: var(--muted); }
.verdict { border-left: 6px solid var(--muted); background: var(--band); padding: 12px 16px; margin-top: 10px; }
.verdict.promoted { border-color: var(--good); }
.verdict.rolled-back, .verdict.halted { border-color: var(--bad); }
.verdict .outcome { font-size: 20px; font-weight: 700; text-transform: capitalize; }
.v-worse { color: var(--bad); font-weight: 600; }
.v-better, .v-non-inferior { color: var(--good); }
.v-inconclusive, .v-too-few-data { color: var(--muted); }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
figure { margin: 14px 0 22px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figure svg { width: 100%; height: auto; display: block; }
ol.footnotes { padding-left: 22px; margin: 4px 0; }
ol.footnotes li { margin: 2px 0; }
.log td { font-size: 12.5px; }
.log td:nth-child(2) { white-space: nowrap; }
.log td.reason { max-width: 520px; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  table, tr { break-inside: avoid; }
  .log { font-size: 10px; }
}
`;

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no request), readable on a
 * laptop and printable: 1. verdict, 2. stable vs canary with the compared metrics, 3. timeline,
 * 4. charts, 5. assumptions and reproducibility, 6. decision log. Deterministic.
 */
export function renderReportHtml(
  report: ReportJson,
  audit: readonly AuditLineForReport[],
  charts: ReportChartSvgs,
): string {
  const title = reportTitle(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${e(`${report.tool.name} ${report.tool.version}`)}">
<title>${e(title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<main>
<h1>${e(title)}</h1>
<p class="muted">${e(planText(report).replaceAll('`', ''))}; event time ${e(report.inputs.firstEventAt ?? '–')} → ${e(report.inputs.lastEventAt ?? '–')} (UTC)</p>
${verdictSection(report, audit)}
${comparisonSection(report)}
${timelineSection(report, charts.timeline)}
${chartsSection(charts)}
${assumptionsSection(report)}
${decisionLogSection(report, audit)}
</main>
</body>
</html>
`;
}

function verdictSection(report: ReportJson, audit: readonly AuditLineForReport[]): string {
  const v = verdictOf(report, audit);
  const exposure = report.exposure;
  return `<section id="verdict">
<h2>1. Verdict</h2>
<div class="verdict ${e(v.outcome.replaceAll(' ', '-'))}">
<div class="outcome">${e(v.outcome)}</div>
<p>${e(v.headline)}</p>
${v.decisiveReason === null ? '' : `<p><strong>Decisive reason</strong> (${v.decisiveKind} ${v.decisiveSeq ?? '–'}): ${e(v.decisiveReason)}</p>`}
${v.blockedBy === null ? '' : `<p><strong>What kept the step from passing</strong>: ${e(v.blockedBy)}.</p>`}
<p>Final canary weight: <strong>${v.finalWeightPct === null ? `${fixedWeight(report)} % (fixed)` : `${v.finalWeightPct} %`}</strong>. Time range: ${e(v.from ?? '–')} → ${e(v.to ?? '–')}.</p>
<p>Canary exposure: at most ${sharePctText(exposure.maxAccountSharePct)} of ${e(shareOf(report))}accounts and ${sharePctText(exposure.maxCapitalSharePct)} of ${e(shareOf(report))}capital; ${e(capitalMinutesText(exposure.canaryCapitalMinutes))}.${report.shadow === null ? '' : ` Shadow step: ${report.shadow.paperAccounts.toLocaleString('en-US')} paper accounts, ${report.shadow.fills.toLocaleString('en-US')} paper fills, paper P&amp;L ${e(formatMoney(report.shadow.pnl))}.`}</p>
</div>
</section>`;
}

function fixedWeight(report: ReportJson): number {
  return report.inputs.plan.type === 'fixed' ? report.inputs.plan.weightPct : 0;
}

function comparisonSection(report: ReportJson): string {
  const rows = armRows(report)
    .map((r) => {
      const sub = r.label.startsWith('  ');
      const paper = r.paper === undefined ? '' : `<td class="num">${e(r.paper)}</td>`;
      return `<tr${sub ? ' class="sub"' : ''}><td>${e(r.label.trim())}</td><td class="num">${e(r.stable)}</td><td class="num">${e(r.canary)}</td>${paper}</tr>`;
    })
    .join('\n');
  const comparisons = comparisonRows(report);
  const metrics =
    comparisons.length === 0
      ? `<p class="muted">${e(noComparisonText(report))}</p>`
      : `<table>
<thead><tr><th>metric</th><th>evidence</th><th>gate</th><th>unit</th><th class="num">estimate</th><th class="num">bounds</th><th class="num">confidence</th><th class="num">margin</th><th class="num">n canary / stable</th><th>verdict</th><th>test</th></tr></thead>
<tbody>
${comparisons
  .map(
    (c) =>
      `<tr><td>${e(c.metric)}</td><td>${e(c.scope)}</td><td>${e(c.gate)}</td><td>${e(c.unit)}</td><td class="num">${e(c.estimate)}</td><td class="num">${e(c.bound)}</td><td class="num">${e(c.levels)}</td><td class="num">${e(c.margin)}</td><td class="num">${e(c.n)}</td><td class="v-${e(c.verdict.replaceAll(' ', '-'))}">${e(c.verdict)}</td><td class="mono">${e(c.test)}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>
<p class="muted">${e(comparisonNoteText(report))}</p>`;
  return `<section id="comparison">
<h2>2. Stable vs canary</h2>
<table>
<thead><tr><th></th><th class="num"><span class="swatch" style="background:var(--stable)"></span>stable</th><th class="num"><span class="swatch" style="background:var(--canary)"></span>canary</th>${report.shadow === null ? '' : `<th class="num">${e(PAPER_COLUMN)}</th>`}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="muted">Money in quote currency, rounded half away from zero to cents (exact in report.json and accounts.csv); P&amp;L attributed to the arm it was earned on; accounts and capital are those on the arm at the end. Sharpe and Sortino: per-interval returns (${report.inputs.sampleIntervalMs} ms), annualized over a 365-day year; n/a below one day of event time, where annualizing makes noise look like a verdict. Trades: fills that reduced, closed or flipped a position, before fees. ${e(LATENCY_NOTE)}${report.shadow === null ? '' : ` ${e(PAPER_NOTE)}`}</p>
<h3>Compared metrics</h3>
${metrics}
</section>`;
}

function timelineSection(report: ReportJson, svg: string): string {
  const marked = report.decisions.filter(isMarkedDecision);
  const notes =
    marked.length === 0
      ? '<p class="muted">No decision changed the weight.</p>'
      : `<ol class="footnotes">
${marked
  .map((d) => {
    const reason = d.reasons[0];
    return `<li value="${d.seq}"><span class="mono">${e(d.at)}</span> <strong>${e(d.action)}</strong> ${weightChangeText(d.fromWeightPct, d.toWeightPct)} (${e(d.disposition)})${reason === undefined ? '' : `: ${e(reason.code)}: ${e(reason.message)}`}</li>`;
  })
  .join('\n')}
</ol>`;
  return `<section id="timeline">
<h2>3. Timeline</h2>
<p class="muted">Canary weight over event time; each marker is numbered with its decision (holds are in the decision log).</p>
<figure>${svg}</figure>
${notes}
</section>`;
}

function chartsSection(charts: ReportChartSvgs): string {
  const figure = (id: string, caption: string, svg: string) =>
    `<figure id="chart-${id}"><figcaption>${e(caption)}</figcaption>${svg}</figure>`;
  return `<section id="charts">
<h2>4. Charts</h2>
${figure('returns', 'Cumulative return per arm (per unit of capital), with decisions', charts.returns)}
${figure('drawdown', 'Drawdown per arm', charts.drawdown)}
${figure('latency', 'Fill latency distribution (CDF)', charts.latency)}
${figure('slippage', 'Slippage distribution (CDF), positive = worse', charts.slippage)}
${figure('exposure', 'Canary exposure: share of capital and weight over time', charts.exposure)}
</section>`;
}

function assumptionsSection(report: ReportJson): string {
  const inputs = report.inputs;
  const files = inputs.files
    .map(
      (f) =>
        `<tr><td class="mono">${e(f.path)}</td><td>${e(f.format)}</td><td class="mono">${e(f.sha256)}</td><td class="num">${f.events.toLocaleString('en-US')}</td><td class="mono">${e(f.firstEventAt ?? '–')}<br>${e(f.lastEventAt ?? '–')}</td><td class="num">${f.badLines}</td></tr>`,
    )
    .join('\n');
  const execution = inputs.execution as {
    model?: string;
    assumptions?: readonly string[];
    rejectChecks?: readonly string[];
    parameters?: unknown;
    injections?: unknown;
  };
  const tables = assumptionTables(report);
  const plan = inputs.plan;
  const planDetails =
    plan.type === 'fixed'
      ? `<p>Fixed canary weight ${plan.weightPct} %: no rollout plan.</p>`
      : `<p>Plan <code>${e(plan.name)}</code> (${e(plan.source)}), hash <code>${e(plan.hash)}</code>, ${e(plan.mode)} mode, positions ${e(plan.positions)}, at a step's maximum: ${e(plan.onMaxDuration)}${plan.timeScale === 1 ? '' : `, durations × ${plan.timeScale}`}.${(plan.baselineMs ?? 0) > 0 ? ` First a baseline of ${durationText(plan.baselineMs ?? 0)} with every account on stable: each account's own offsets in slippage, latency and fees, learnt there, are removed from the comparison.` : ''}</p>
<table>
<thead><tr><th>#</th><th>step</th><th class="num">weight</th><th class="num">min duration</th><th class="num">max duration</th><th class="num">min canary fills</th></tr></thead>
<tbody>
${(plan.steps as readonly PlanStepLike[])
  .map(
    (s, i) =>
      `<tr><td>${i}</td><td>${e(s.name)}</td><td class="num">${s.weightPct} %</td><td class="num">${durationText(s.minDurationMs)}</td><td class="num">${s.maxDurationMs === null || s.maxDurationMs === undefined ? '–' : durationText(s.maxDurationMs)}</td><td class="num">${s.minCanaryFills ?? 0}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>
${tables
  .filter((t) => t.title === 'Metric policies' || t.title === 'Guardrails')
  .map(htmlTable)
  .join('\n')}`;
  return `<section id="assumptions">
<h2>5. Assumptions and reproducibility</h2>
<h3>Inputs</h3>
<table>
<thead><tr><th>file</th><th>format</th><th>sha256</th><th class="num">events</th><th>first / last event</th><th class="num">bad lines</th></tr></thead>
<tbody>
${files}
</tbody>
</table>
<p>Accounts: ${inputs.accounts.count.toLocaleString('en-US')} (${e(inputs.accounts.source)}), capital ${e(formatMoney(inputs.accounts.capital))}. Seed ${inputs.seed}, salt <code>${e(inputs.salt)}</code>. Strategies: stable <code>${e(inputs.strategies.stable.id)}</code>, canary <code>${e(inputs.strategies.canary.id)}</code> (parameters below). Equity sampled every ${inputs.sampleIntervalMs} ms of event time; bad lines: ${e(inputs.onBadLine)}.</p>
<h3>Execution model: ${e(execution.model ?? '–')}</h3>
<ul>
${(execution.assumptions ?? []).map((a) => `<li>${e(a)}</li>`).join('\n')}
</ul>
<p>Reject checks: ${e((execution.rejectChecks ?? []).join(', '))}.</p>
${tables
  .filter(
    (t) =>
      t.title === 'Strategy parameters' ||
      t.title === 'Execution parameters' ||
      t.title === 'Fault injections',
  )
  .map(htmlTable)
  .join('\n')}
<h3>Plan</h3>
${planDetails}
<h3>Reproduce</h3>
<p>${e(report.tool.name)} ${e(report.tool.version)}, report.json schema ${report.schemaVersion}:</p>
<pre class="mono">${e(reproduceText(report) ?? '(not run from the command line)')}</pre>
</section>`;
}

interface PlanStepLike {
  readonly name: string;
  readonly weightPct: number;
  readonly minDurationMs: number;
  readonly maxDurationMs?: number | null;
  readonly minCanaryFills?: number;
}

/** An assumptions table: its title, then keys (or fields) and values. */
function htmlTable(t: AssumptionTable): string {
  const [first, ...rest] = t.header;
  return `<h4>${e(t.title)}</h4>
<table class="kv">
<thead><tr><th>${e(first ?? '')}</th>${rest.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>
<tbody>
${t.rows.map((row) => `<tr>${row.map((c, i) => `<td class="${i === 0 ? 'mono' : 'num'}">${e(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table>`;
}

function decisionLogSection(report: ReportJson, audit: readonly AuditLineForReport[]): string {
  const rows = decisionLogRows(audit);
  const body =
    rows.length === 0
      ? `<p class="muted">${e(noAuditText(report))}</p>`
      : `<table class="log">
<thead><tr><th class="num">#</th><th>event time</th><th>kind</th><th>action</th><th>disposition</th><th>trigger</th><th>weight</th><th>reason</th></tr></thead>
<tbody>
${rows
  .map(
    (r) =>
      `<tr><td class="num">${r.seq}</td><td class="mono">${e(r.at)}</td><td>${e(r.kind)}</td><td>${e(r.action)}</td><td>${e(r.disposition)}</td><td>${e(r.trigger)}</td><td class="num">${e(r.weights)}</td><td class="reason">${e(r.reason)}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>`;
  return `<section id="decision-log">
<h2>6. Decision log</h2>
<p class="muted">Every entry of audit.jsonl, in order (each written and flushed before it took effect).</p>
${body}
</section>`;
}

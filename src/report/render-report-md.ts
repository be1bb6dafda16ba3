import { decisionLogRows, type AuditLineForReport } from './decision-log.js';
import type { ReportJson } from './report-json.js';
import {
  armRows,
  PAPER_COLUMN,
  PAPER_NOTE,
  assumptionTables,
  capitalMinutesText,
  comparisonNoteText,
  comparisonRows,
  durationText,
  LATENCY_NOTE,
  noAuditText,
  noComparisonText,
  reproduceText,
  verdictOf,
  reportTitle,
  shareOf,
  sharePctText,
} from './report-view.js';
import { calendarText } from './calendar-text.js';

/** A Markdown table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\r?\n/gu, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[], align: string[]) {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/**
 * report.md: the verdict, the side-by-side table, the compared metrics and the decision log, for
 * tickets and pull requests. Deterministic: the same report and audit lines give the same text.
 */
export function renderReportMd(report: ReportJson, audit: readonly AuditLineForReport[]): string {
  const verdict = verdictOf(report, audit);
  const out: string[] = [];
  out.push(`# ${reportTitle(report)}`, '');
  out.push(`**Verdict: ${verdict.outcome}.** ${verdict.headline}`, '');
  if (verdict.decisiveReason !== null) {
    out.push(
      `Decided by ${verdict.decisiveKind} ${verdict.decisiveSeq ?? '–'}: ${verdict.decisiveReason}`,
      '',
    );
  }
  if (verdict.blockedBy !== null)
    out.push(`What kept the step from passing: ${verdict.blockedBy}.`, '');
  const files = report.inputs.files.map((f) => `\`${f.path}\``).join(', ');
  out.push(
    `Event time ${verdict.from ?? '–'} → ${verdict.to ?? '–'}; ${report.inputs.events.toLocaleString('en-US')} events from ${files}; seed ${report.inputs.seed}, salt \`${report.inputs.salt}\`; ${planText(report)}.`,
    '',
  );
  const exposure = report.exposure;
  out.push(
    `Canary exposure: at most ${sharePctText(exposure.maxAccountSharePct)} of ${shareOf(report)}accounts and ${sharePctText(exposure.maxCapitalSharePct)} of ${shareOf(report)}capital, ${capitalMinutesText(exposure.canaryCapitalMinutes)}.`,
    '',
  );

  out.push('## Stable vs canary', '');
  const withPaper = report.shadow !== null;
  out.push(
    table(
      ['', 'stable', 'canary', ...(withPaper ? [PAPER_COLUMN] : [])],
      armRows(report).map((r) => [
        r.label.trim(),
        r.stable,
        r.canary,
        ...(withPaper ? [r.paper ?? '–'] : []),
      ]),
      ['---', '---:', '---:', ...(withPaper ? ['---:'] : [])],
    ),
    '',
  );
  out.push(
    'Money in quote currency, rounded half away from zero to cents (exact in report.json and accounts.csv); P&L attributed to the arm it was earned on. Sharpe and Sortino: n/a below one day of event time. ' +
      LATENCY_NOTE +
      (withPaper ? ` ${PAPER_NOTE}` : ''),
    '',
  );

  const comparisons = comparisonRows(report);
  out.push('## Compared metrics (canary − stable)', '');
  if (comparisons.length === 0) {
    out.push(noComparisonText(report), '');
  } else {
    out.push(
      table(
        [
          'metric',
          'evidence',
          'gate',
          'unit',
          'estimate',
          'bounds',
          'confidence',
          'margin',
          'n canary / stable',
          'verdict',
          'test',
        ],
        comparisons.map((c) => [
          c.metric,
          c.scope,
          c.gate,
          c.unit,
          c.estimate,
          c.bound,
          c.levels,
          c.margin,
          c.n,
          c.verdict,
          c.test,
        ]),
        ['---', '---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---', '---'],
      ),
      '',
      comparisonNoteText(report),
      '',
    );
  }

  out.push('## Decision log', '');
  if (audit.length === 0) {
    out.push(noAuditText(report), '');
  } else {
    out.push(
      table(
        ['#', 'event time', 'kind', 'action', 'disposition', 'trigger', 'weight', 'reason'],
        decisionLogRows(audit).map((r) => [
          String(r.seq),
          r.at,
          r.kind,
          r.action,
          r.disposition,
          r.trigger,
          r.weights,
          r.reason,
        ]),
        ['---:', '---', '---', '---', '---', '---', '---', '---'],
      ),
      '',
    );
  }
  out.push('## Assumptions', '');
  for (const t of assumptionTables(report)) {
    out.push(`${t.title}:`, '');
    out.push(
      t.rows.length === 0
        ? '(none)'
        : table(
            t.header,
            t.rows,
            t.header.map(() => '---'),
          ),
      '',
    );
  }
  out.push(
    `Reproduce: \`${reproduceText(report) ?? '(not run from the command line)'}\` (${report.tool.name} ${report.tool.version}).`,
  );
  return `${out.join('\n')}\n`;
}

/** The plan in words: a fixed weight, or the plan's name, mode, time scale and baseline. */
export function planText(report: ReportJson): string {
  const plan = report.inputs.plan;
  if (plan.type === 'fixed') return `fixed canary weight ${plan.weightPct} %`;
  const scale = plan.timeScale === 1 ? '' : `, durations × ${plan.timeScale}`;
  const baselineMs = plan.baselineMs ?? 0;
  const baseline =
    baselineMs > 0
      ? `, first a baseline of ${durationText(baselineMs)} with every account on stable (each account's own offsets removed from the comparison)`
      : '';
  const calendar = plan.calendar === undefined ? '' : `; ${calendarText(plan.calendar)}`;
  const segment = report.inputs.segment;
  const segmentText =
    segment === undefined
      ? ''
      : `; segment \`${segment.name}\` of a segmented plan, a rollout of its own over its accounts and the ${segment.events.toLocaleString('en-US')} events of ${segment.venue ?? 'every venue'}`;
  const candidate = report.inputs.candidate;
  const candidateText =
    candidate === undefined
      ? ''
      : `; candidate \`${candidate.name}\` of an A/B/n rollout of ${candidate.candidates}, a rollout of its own over lane ${candidate.lane + 1} of the router (its accounts and their stable controls), at the plan's error rates divided by ${candidate.candidates}`;
  return `plan \`${plan.name}\` (${plan.mode} mode, positions ${plan.positions}${scale}${baseline}${calendar})${segmentText}${candidateText}`;
}

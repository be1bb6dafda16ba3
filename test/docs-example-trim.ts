import type { ReportDecision, ReportJson } from '../src/report/report-json.js';
import type { ReportQuantiles, ReportReturnSeries } from '../src/report/report-series.js';

/**
 * How the docs trim the example run (docs/report-json.md "Example", docs/rollout.md's audit log
 * example): the first few entries of each long list, and one decision named by its seq. The
 * docs' paragraphs state these numbers; test/report-json-example.e2e.test.ts checks they do.
 */
export const EXAMPLE_TRIM = {
  /** `inputs.execution.assumptions`: its first sentences. */
  assumptions: 2,
  /** `decisions`: only this one (the increase from the shadow step to 10 %). */
  decisionSeq: 8,
  /** That decision's first reasons and guardrail states (and its audit line's). */
  reasons: 2,
  guardrails: 2,
  /** Each `series.returns` array and each quantile list (`q`, `value`): its first points. */
  points: 3,
  /** The audit.jsonl lines docs/rollout.md shows: the decision's and its transition's two. */
  auditLines: { first: 8, last: 10 },
} as const;

function firstPoints(series: ReportReturnSeries): ReportReturnSeries {
  return {
    tsMs: series.tsMs.slice(0, EXAMPLE_TRIM.points),
    returnPct: series.returnPct.slice(0, EXAMPLE_TRIM.points),
    drawdownPct: series.drawdownPct.slice(0, EXAMPLE_TRIM.points),
  };
}

function firstQuantiles(quantiles: ReportQuantiles | null): ReportQuantiles | null {
  if (quantiles === null) return null;
  return {
    q: quantiles.q.slice(0, EXAMPLE_TRIM.points),
    value: quantiles.value.slice(0, EXAMPLE_TRIM.points),
  };
}

function trimDecision(decision: ReportDecision): ReportDecision {
  return {
    ...decision,
    reasons: decision.reasons.slice(0, EXAMPLE_TRIM.reasons),
    guardrails: decision.guardrails.slice(0, EXAMPLE_TRIM.guardrails),
  };
}

/**
 * The example run's report.json as docs/report-json.md shows it: trimmed as {@link EXAMPLE_TRIM}
 * says, every other field as written, in the file's key order.
 */
export function trimExampleReport(report: ReportJson): ReportJson {
  const execution = report.inputs.execution as { readonly assumptions: readonly string[] };
  const { returns, latencyMs, slippageBps } = report.series;
  return {
    ...report,
    inputs: {
      ...report.inputs,
      execution: {
        ...execution,
        assumptions: execution.assumptions.slice(0, EXAMPLE_TRIM.assumptions),
      },
    },
    decisions: report.decisions
      .filter((d) => d.seq === EXAMPLE_TRIM.decisionSeq)
      .map((d) => trimDecision(d)),
    series: {
      ...report.series,
      returns: { stable: firstPoints(returns.stable), canary: firstPoints(returns.canary) },
      latencyMs: {
        stable: firstQuantiles(latencyMs.stable),
        canary: firstQuantiles(latencyMs.canary),
      },
      slippageBps: {
        stable: firstQuantiles(slippageBps.stable),
        canary: firstQuantiles(slippageBps.canary),
      },
    },
  };
}

/** The example's text in docs/report-json.md: two-space indented JSON, as report.json is written. */
export function exampleReportText(report: ReportJson): string {
  return JSON.stringify(trimExampleReport(report), null, 2);
}

/**
 * An audit.jsonl line as docs/rollout.md's example shows it: the decision's line with only its
 * first reasons and guardrail states, any other line as written.
 */
export function exampleAuditLine(line: string): string {
  const entry = JSON.parse(line) as {
    readonly seq: number;
    readonly reasons: readonly unknown[];
    readonly guardrails: readonly unknown[];
  };
  if (entry.seq !== EXAMPLE_TRIM.decisionSeq) return line;
  return JSON.stringify({
    ...entry,
    reasons: entry.reasons.slice(0, EXAMPLE_TRIM.reasons),
    guardrails: entry.guardrails.slice(0, EXAMPLE_TRIM.guardrails),
  });
}

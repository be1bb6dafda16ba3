import type { CandidateSummary, CandidatesJson } from '../report/candidates-json.js';
import { formatSignificant } from '../report/format-significant.js';

/** The overview's columns: its header, and whether its cells are right-aligned (numbers). */
const COLUMNS: readonly { readonly header: (metric: string) => string; readonly right: boolean }[] =
  [
    { header: () => 'candidate', right: false },
    { header: () => 'strategy', right: false },
    { header: () => 'status', right: false },
    { header: () => 'weight (of lane)', right: true },
    { header: (metric) => `${metric}: candidate − stable [bounds]`, right: false },
  ];

/**
 * The candidates' standing for the terminal: the outcome, then a table with a row per candidate
 * (status and rank, final weight, evidence on the primary metric). Each column is as wide as its
 * widest cell, so the rows line up for any number of candidates (`c1` … `c10` …).
 */
export function candidatesOverview(json: CandidatesJson): string {
  const title = `candidates (ranked by ${json.plan.primaryMetric}; each lane at α / ${json.plan.alphaDividedBy}): ${
    json.winner === null ? json.outcome : `promoted ${json.winner} at ${json.decidedAt ?? '–'}`
  }`;
  const table = [
    COLUMNS.map((column) => column.header(json.plan.primaryMetric)),
    ...json.candidates.map(cellsOf),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    `  ${row
      .map((cell, i) => (COLUMNS[i]!.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')}`.trimEnd(),
  );
  return `${[title, ...lines].join('\n')}\n`;
}

/** A candidate's row of the overview. */
function cellsOf(c: CandidateSummary): string[] {
  const e = c.evidence;
  const num = formatSignificant;
  const evidence =
    e === null || e.estimate === null
      ? '–'
      : `${num(e.estimate)}${e.ci === null ? '' : ` [${num(e.ci[0])}, ${num(e.ci[1])}]`}`;
  return [
    c.name,
    c.strategy.id,
    `${c.status}${c.rank === null ? '' : ` (rank ${c.rank})`}`,
    `${c.finalWeightPct} %`,
    evidence,
  ];
}

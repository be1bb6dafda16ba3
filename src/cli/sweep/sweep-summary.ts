import { stringify } from 'csv-stringify/sync';
import { formatOptionValue, type SweepGrid, type SweepRun } from './sweep-grid.js';
import type { SweepRunResult } from './sweep-run-result.js';

/** One row of a sweep's summary: the run's parameters, its result and where its reports are. */
export interface SweepRow extends SweepRunResult {
  readonly parameters: SweepRun['parameters'];
  /** The run's report directory, relative to the sweep's `--out`. */
  readonly reportDir: string;
}

/**
 * `summary.json`: the grid as given and one row per run, in run order. Deterministic: the same
 * grid gives the same bytes wherever and however its runs were spread (the wall-clock times are
 * in `timings.json`; the runs' warnings, some wall-clock too, are printed by the sweep).
 */
export function renderSummaryJson(grid: SweepGrid, rows: readonly SweepRow[]): string {
  const runs = rows.map(({ wallMs: _wallMs, warnings: _warnings, ...row }) => row);
  return `${JSON.stringify({ grid, runs }, null, 2)}\n`;
}

/**
 * `timings.json`: each run's wall-clock milliseconds (not deterministic, so not in the summaries);
 * null for a run not run, or run by an earlier session of a resumed sweep that wrote none.
 */
export function renderTimingsJson(rows: readonly SweepRow[]): string {
  return `${JSON.stringify(
    {
      note: 'wall clock of the machine that ran each replay: not deterministic, so kept out of the summaries',
      runs: rows.map((row) => ({
        run: row.index,
        wallMs: row.wallMs === null ? null : Math.round(row.wallMs),
      })),
    },
    null,
    2,
  )}\n`;
}

const COLUMNS = [
  'status',
  'outcome',
  'final weight %',
  'ended by',
  'minutes',
  'decisions',
  'stable P&L',
  'canary P&L',
  'canary fills',
] as const;

function cells(row: SweepRow): string[] {
  const n = (value: number | null, digits = 0): string =>
    value === null ? '' : value.toFixed(digits);
  return [
    row.exitCode === 0 ? 'ok' : row.exitCode === null ? 'not run' : `failed (exit ${row.exitCode})`,
    row.outcome ?? '',
    n(row.finalWeightPct, 2).replace(/\.?0+$/u, ''),
    row.endedBy ?? '',
    n(row.minutes, 2),
    n(row.decisions),
    row.stablePnl ?? '',
    row.canaryPnl ?? '',
    n(row.canaryFills),
  ];
}

/** `summary.csv`: one line per run; money as the exact decimal strings of report.json. */
export function renderSummaryCsv(grid: SweepGrid, rows: readonly SweepRow[]): string {
  const axes = Object.keys(grid.grid);
  return stringify([
    ['run', ...axes, ...COLUMNS, 'report dir', 'error'],
    ...rows.map((row) => [
      String(row.index),
      ...axes.map((axis) => formatOptionValue(row.parameters[axis])),
      ...cells(row),
      row.reportDir,
      row.error ?? '',
    ]),
  ]);
}

function mdCell(text: string): string {
  return text.replace(/\|/gu, '\\|').replace(/\n/gu, ' ');
}

/** `summary.md` (and what the command prints): a Markdown table, failed runs' errors below it. */
export function renderSummaryMd(grid: SweepGrid, rows: readonly SweepRow[]): string {
  const axes = Object.keys(grid.grid);
  const header = ['run', ...axes, ...COLUMNS];
  const lines = [
    `| ${header.map(mdCell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (row) =>
        `| ${[String(row.index), ...axes.map((a) => formatOptionValue(row.parameters[a])), ...cells(row)].map(mdCell).join(' | ')} |`,
    ),
  ];
  const failed = rows.filter((row) => row.exitCode !== 0 && row.exitCode !== null);
  if (failed.length > 0) {
    lines.push('', ...failed.map((row) => `- run ${row.index}: ${row.error ?? ''}`));
  }
  return `${lines.join('\n')}\n`;
}

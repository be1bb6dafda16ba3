import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandSweepGrid, sweepRunArgv, type SweepGrid } from './sweep-grid.js';
import type { SweepJob, SweepRunResult } from './sweep-run-result.js';
import {
  renderSummaryCsv,
  renderSummaryJson,
  renderSummaryMd,
  renderTimingsJson,
  type SweepRow,
} from './sweep-summary.js';
import { runInWorkers } from './worker-pool.js';

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** Where the runs' report directories (`runs/001`…) and the summaries go. */
  readonly outDir: string;
  /** Worker threads (replays at once). */
  readonly workers: number;
  /** Called as each run finishes (in any order), with how many are done. */
  readonly onRunDone?: (done: number, total: number) => void;
  /** Draw every run's report.html too (the `sweep --html` flag; default false: sweepRunArgv). */
  readonly html?: boolean;
}

/** A sweep's rows and the files it wrote. */
export interface SweepResult {
  readonly rows: readonly SweepRow[];
  readonly files: {
    readonly json: string;
    readonly csv: string;
    readonly md: string;
    readonly timings: string;
  };
}

const WORKER = new URL(
  `./sweep-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
  import.meta.url,
);

/**
 * Runs every replay of `grid` over worker threads (docs/sweep.md): each writes its reports as
 * `replay --out` does into `outDir/runs/NNN` (without report.html unless `html`), and the summary
 * (one row per run) is written as `summary.json`, `summary.csv` and `summary.md`
 * (deterministic), the wall-clock times as `timings.json`. A replay that fails (bad input) is a
 * row with its error; the others go on. Each run's report.json is the one the same `replay`
 * command line writes, byte for byte: the sweep only runs them side by side.
 */
export async function runSweep(grid: SweepGrid, options: SweepOptions): Promise<SweepResult> {
  const runs = expandSweepGrid(grid);
  mkdirSync(join(options.outDir, 'runs'), { recursive: true });
  const jobs: SweepJob[] = runs.map((run) => ({
    index: run.index,
    argv: sweepRunArgv(grid, run, options.html === true),
    outDir: join(options.outDir, sweepRunDir(run.index, runs.length)),
  }));
  let done = 0;
  const results = await runInWorkers<SweepJob, SweepRunResult>(WORKER, jobs, {
    workers: options.workers,
    onResult: () => options.onRunDone?.(++done, jobs.length),
  });
  return writeSweepOutputs(grid, results, options.outDir);
}

/** The report directory of run `index` of `count`, relative to the sweep's `--out`. */
export function sweepRunDir(index: number, count: number): string {
  return join('runs', String(index).padStart(Math.max(3, String(count).length), '0'));
}

/**
 * Writes a finished sweep's summaries (`summary.json`, `.csv`, `.md`: deterministic) and
 * `timings.json` into `outDir`, from the results in run order; returns the rows and the files.
 */
export function writeSweepOutputs(
  grid: SweepGrid,
  results: readonly SweepRunResult[],
  outDir: string,
): SweepResult {
  const runs = expandSweepGrid(grid);
  const rows: SweepRow[] = results.map((result, i) => ({
    ...result,
    parameters: runs[i]!.parameters,
    reportDir: sweepRunDir(result.index, runs.length),
  }));
  const files = {
    json: join(outDir, 'summary.json'),
    csv: join(outDir, 'summary.csv'),
    md: join(outDir, 'summary.md'),
    timings: join(outDir, 'timings.json'),
  };
  writeFileSync(files.json, renderSummaryJson(grid, rows));
  writeFileSync(files.csv, renderSummaryCsv(grid, rows));
  writeFileSync(files.md, renderSummaryMd(grid, rows));
  writeFileSync(files.timings, renderTimingsJson(rows));
  return { rows, files };
}

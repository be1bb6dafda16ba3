import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandSweepGrid, type SweepGrid } from './sweep-grid.js';
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
 * `replay --out` does into `outDir/runs/NNN`, and the summary (one row per run) is written as
 * `summary.json`, `summary.csv` and `summary.md` (deterministic), the wall-clock times as
 * `timings.json`. A replay that fails (bad input) is a row with
 * its error; the others go on. Each run's report.json is the one the same `replay` command line
 * writes, byte for byte: the sweep only runs them side by side.
 */
export async function runSweep(grid: SweepGrid, options: SweepOptions): Promise<SweepResult> {
  const runs = expandSweepGrid(grid);
  const width = Math.max(3, String(runs.length).length);
  const dirOf = (index: number): string => join('runs', String(index).padStart(width, '0'));
  mkdirSync(join(options.outDir, 'runs'), { recursive: true });
  const jobs: SweepJob[] = runs.map((run) => ({
    index: run.index,
    argv: run.argv,
    outDir: join(options.outDir, dirOf(run.index)),
  }));
  let done = 0;
  const results = await runInWorkers<SweepJob, SweepRunResult>(WORKER, jobs, {
    workers: options.workers,
    onResult: () => options.onRunDone?.(++done, jobs.length),
  });
  const rows: SweepRow[] = results.map((result, i) => ({
    ...result,
    parameters: runs[i]!.parameters,
    reportDir: dirOf(result.index),
  }));
  const files = {
    json: join(options.outDir, 'summary.json'),
    csv: join(options.outDir, 'summary.csv'),
    md: join(options.outDir, 'summary.md'),
    timings: join(options.outDir, 'timings.json'),
  };
  writeFileSync(files.json, renderSummaryJson(grid, rows));
  writeFileSync(files.csv, renderSummaryCsv(grid, rows));
  writeFileSync(files.md, renderSummaryMd(grid, rows));
  writeFileSync(files.timings, renderTimingsJson(rows));
  return { rows, files };
}

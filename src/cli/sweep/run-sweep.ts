import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, OutputError, UsageError } from '../../core/errors.js';
import {
  isCompleteRunDirectory,
  isPartialRunDirectory,
  makeDirectory,
  writeFileAtomically,
} from '../run-directory.js';
import { expandSweepGrid, sweepRunArgv, type SweepGrid } from './sweep-grid.js';
import {
  checkSweepInputs,
  sweepInputDigests,
  sweepInputsText,
  SWEEP_INPUTS_FILE,
} from './sweep-inputs.js';
import {
  diedRunResult,
  notRunResult,
  readSweepRunResult,
  type SweepJob,
  type SweepRunResult,
} from './sweep-run-result.js';
import {
  renderSummaryCsv,
  renderSummaryJson,
  renderSummaryMd,
  renderTimingsJson,
  type SweepRow,
} from './sweep-summary.js';
import { runInWorkers, WorkersInterrupted } from './worker-pool.js';

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
  /**
   * Stops the sweep when it aborts (the command's Ctrl-C): no run starts after it, the runs in
   * hand are abandoned (nothing of theirs is left in `outDir`), and the summaries are written with
   * the runs not done as `not run`; the result says `interrupted`.
   */
  readonly signal?: AbortSignal;
  /**
   * Go on with the sweep already in `outDir` (`sweep --resume`): its `grid.json` must be this
   * grid and its input files as `inputs.json` recorded them; the runs whose report directory is
   * complete are kept as they are, the others run.
   */
  readonly resume?: boolean;
}

/** A sweep's rows and the files it wrote. */
export interface SweepResult {
  /** One row per run of the grid; with `interrupted`, the runs not done have `exitCode` null. */
  readonly rows: readonly SweepRow[];
  /** True when the signal stopped the sweep before every run was done. */
  readonly interrupted?: boolean;
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

/** The file in a sweep's `--out` that names its grid, written before any run (for `--resume`). */
export const SWEEP_GRID_FILE = 'grid.json';

/** The grid as `grid.json` and `summary.json` hold it. */
function gridText(grid: SweepGrid): string {
  return `${JSON.stringify(grid, null, 2)}\n`;
}

/**
 * Runs every replay of `grid` over worker threads (docs/sweep.md): each writes its reports as
 * `replay --out` does into `outDir/runs/NNN` (without report.html unless `html`), and the summary
 * (one row per run) is written as `summary.json`, `summary.csv` and `summary.md`
 * (deterministic), the wall-clock times as `timings.json`. A replay that fails (bad input) is a
 * row with its error; the others go on. Each run's report.json is the one the same `replay`
 * command line writes, byte for byte: the sweep only runs them side by side. `signal` stops it
 * with every finished run summarized, `resume` goes on with one stopped (see {@link SweepOptions}).
 * @throws UsageError `E_USAGE` when `resume` finds no sweep of this grid in `outDir`, or an
 * input file changed since it began; OutputError `E_OUTPUT` when `outDir` cannot be made.
 */
export async function runSweep(grid: SweepGrid, options: SweepOptions): Promise<SweepResult> {
  const runs = expandSweepGrid(grid);
  const { outDir } = options;
  const gridPath = join(outDir, SWEEP_GRID_FILE);
  if (options.resume === true) {
    checkResumable(grid, outDir);
    await checkSweepInputs(outDir);
  }
  const inputs = options.resume === true ? null : await sweepInputDigests(grid);
  try {
    await makeDirectory(join(outDir, 'runs'));
  } catch (error) {
    throw new OutputError(outDir, error);
  }
  if (inputs !== null) {
    // Through temporary names: a sweep killed in these writes leaves no grid.json to misread
    // (inputs.json goes first, so that a grid.json always has it beside it).
    await writeFileAtomically(join(outDir, SWEEP_INPUTS_FILE), sweepInputsText(inputs));
    await writeFileAtomically(gridPath, gridText(grid));
  }
  const jobs: SweepJob[] = runs.map((run) => ({
    index: run.index,
    argv: sweepRunArgv(grid, run, options.html === true),
    outDir: join(outDir, sweepRunDir(run.index, runs.length)),
  }));
  const results: (SweepRunResult | undefined)[] = new Array<undefined>(jobs.length);
  if (options.resume === true) {
    removeAbandonedRuns(outDir);
    const timed = earlierWallMs(outDir);
    for (const [i, job] of jobs.entries()) {
      const kept = keptRunResult(job, timed.get(job.index) ?? null);
      if (kept !== null) results[i] = kept;
    }
  }
  const todo = jobs.filter((_, i) => results[i] === undefined);
  let done = jobs.length - todo.length;
  if (done > 0) options.onRunDone?.(done, jobs.length);
  let interrupted = false;
  try {
    await runInWorkers<SweepJob, SweepRunResult>(WORKER, todo, {
      workers: options.workers,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onResult: (result, i) => {
        results[todo[i]!.index - 1] = result;
        options.onRunDone?.(++done, jobs.length);
      },
      // A run whose thread died is a failed row; the others go on, on a fresh thread.
      onWorkerDied: (error, i) => diedRunResult(todo[i]!, error),
    });
  } catch (error) {
    if (!(error instanceof WorkersInterrupted)) throw error;
    interrupted = true;
  }
  // The runs abandoned mid-way (stopped, or their thread died) leave their temporary directories
  // (run-directory.ts): removed, so that the sweep's directory holds finished runs only.
  removeAbandonedRuns(outDir);
  const rows = jobs.map((job, i) => results[i] ?? notRunResult(job));
  const written = writeSweepOutputs(grid, rows, outDir);
  return interrupted ? { ...written, interrupted } : written;
}

/**
 * Checks that `outDir` holds a sweep of `grid` to go on with.
 * @throws UsageError `E_USAGE` naming what is missing or different.
 */
function checkResumable(grid: SweepGrid, outDir: string): void {
  const path = join(outDir, SWEEP_GRID_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(
      `sweep --resume: ${outDir} holds no sweep to go on with (no ${SWEEP_GRID_FILE}, which a sweep writes first)`,
    );
  }
  if (text !== gridText(grid)) {
    throw new UsageError(
      `sweep --resume: ${outDir} holds the runs of another grid (its ${SWEEP_GRID_FILE} differs from this one): give the grid it was started with, or a new --out`,
    );
  }
}

/**
 * The row of a run an earlier session of the sweep finished, or null when its directory holds no
 * finished run: none, or a report.json that does not read as a whole report (damaged): run again.
 */
function keptRunResult(job: SweepJob, wallMs: number | null): SweepRunResult | null {
  if (!isCompleteRunDirectory(job.outDir)) return null;
  try {
    return readSweepRunResult(job, 0, '', wallMs);
  } catch (error) {
    if (error instanceof ConfigError && error.code === 'E_RUN_DIR') return null;
    throw error;
  }
}

/** Removes what runs stopped mid-way left in `outDir/runs`: `replay --out`'s temporary folders. */
function removeAbandonedRuns(outDir: string): void {
  const runsDir = join(outDir, 'runs');
  for (const name of readdirSync(runsDir)) {
    if (isPartialRunDirectory(name)) rmSync(join(runsDir, name), { recursive: true, force: true });
  }
}

/** Each run's wall clock from the timings.json of an earlier session of the sweep, when known. */
function earlierWallMs(outDir: string): Map<number, number> {
  const timed = new Map<number, number>();
  try {
    const { runs } = JSON.parse(readFileSync(join(outDir, 'timings.json'), 'utf8')) as {
      runs?: { run?: unknown; wallMs?: unknown }[];
    };
    for (const { run, wallMs } of runs ?? [])
      if (typeof run === 'number' && typeof wallMs === 'number') timed.set(run, wallMs);
  } catch {
    // No timings (a sweep killed before it wrote them): those runs' times are unknown.
  }
  return timed;
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

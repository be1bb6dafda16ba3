import { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CanaryError, OutputError, UsageError } from '../../core/errors.js';
import type { CliIo } from '../cli-io.js';
import { parseInteger } from '../parse-option.js';
import { createProgressBar } from '../progress-bar.js';
import { runSweep } from '../sweep/run-sweep.js';
import { loadSweepGrid } from '../sweep/sweep-grid.js';
import { renderSummaryMd } from '../sweep/sweep-summary.js';
import { replayCommand } from './replay-command.js';

interface SweepCliOptions {
  readonly out?: string;
  readonly workers?: string;
  readonly progress: boolean;
}

/**
 * `strategy-canary sweep GRID.json --out DIR`: every replay of a grid (strategies × params × salts
 * × plans × injections…) over worker threads, one report directory per run and a summary table
 * (docs/sweep.md). Exit 0 when every run completed, 2 when the grid is bad or some run failed
 * (after writing everything: the failed runs' errors are in the summary).
 */
export function sweepCommand(io: CliIo): Command {
  return new Command('sweep')
    .description(
      'Run a grid of replays (every combination of the options a grid file lists) on every core: one report directory per run (replay --out) and a summary table (summary.md, .csv, .json).',
    )
    .argument(
      '<grid-file>',
      'the grid, JSON: {"feeds": [...], "options": {...}, "grid": {...}} (docs/sweep.md)',
    )
    .option('--out <dir>', 'where the runs and summaries go: a new or empty directory (required)')
    .option('--workers <n>', "replays at once (default: the machine's cores)")
    .option('--no-progress', 'no progress bar')
    .action(async (gridPath: string, o: SweepCliOptions) => {
      if (o.out === undefined) throw new UsageError('sweep: --out DIR is required');
      const workers =
        o.workers === undefined
          ? availableParallelism()
          : parseInteger('--workers', o.workers, 1, 256);
      const replayOptions = new Set(
        replayCommand(io)
          .options.map((option) => option.long)
          .filter((name): name is string => name !== undefined),
      );
      const grid = loadSweepGrid(gridPath, replayOptions);
      if (existsSync(o.out) && readdirSync(o.out).length > 0) {
        throw new UsageError(
          `sweep: --out ${o.out} is not empty: give a new or empty directory (a sweep never mixes its runs with others)`,
        );
      }
      let total = 1;
      for (const values of Object.values(grid.grid)) total *= values.length;
      const bar = createProgressBar(io, total, `sweep (${workers} workers)`, {
        enabled: o.progress,
        unit: 'runs',
      });
      let result;
      try {
        result = await runSweep(grid, {
          outDir: o.out,
          workers,
          onRunDone: (done) => bar.update(done),
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== undefined)
          throw new OutputError(o.out, error);
        throw error;
      } finally {
        bar.stop();
      }
      io.stdout.write(renderSummaryMd(grid, result.rows));
      io.stdout.write(
        `\n${result.rows.length} runs; summary: ${result.files.md}, ${result.files.csv}, ${result.files.json}\n`,
      );
      const failed = result.rows.filter((row) => row.exitCode !== 0).length;
      if (failed > 0) {
        throw new CanaryError(
          'E_SWEEP_RUN',
          `sweep: ${failed} of ${result.rows.length} runs failed (their errors are in ${result.files.md})`,
        );
      }
    });
}

import { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { CanaryError, OutputError, UsageError } from '../../core/errors.js';
import type { CliIo } from '../cli-io.js';
import { parseInteger } from '../parse-option.js';
import { createProgressBar } from '../progress-bar.js';
import { runSweepOverNats } from '../sweep/nats-sweep.js';
import { optionKinds } from '../sweep/option-kinds.js';
import { runSweep } from '../sweep/run-sweep.js';
import { loadSweepGrid } from '../sweep/sweep-grid.js';
import { renderSummaryMd } from '../sweep/sweep-summary.js';
import { sweepWarningLines } from '../sweep/sweep-warnings.js';
import { stopOnSignals } from '../stop-on-signals.js';
import { replayCommand } from './replay-command.js';

interface SweepCliOptions {
  readonly out?: string;
  readonly workers?: string;
  readonly progress: boolean;
  readonly html?: boolean;
  readonly nats?: string;
  readonly idleTimeout?: string;
  readonly sweepId?: string;
  readonly resume?: boolean;
}

/**
 * `strategy-canary sweep GRID.json --out DIR`: every replay of a grid (strategies × params × salts
 * × plans × injections…) over worker threads, one report directory per run and a summary table
 * (docs/sweep.md). Exit 0 when every run completed, 2 when the grid is bad or some run failed
 * (after writing everything: the failed runs' errors are in the summary), 130 when Ctrl-C or
 * SIGTERM stopped it (the finished runs summarized; `--resume` runs the others).
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
    .option(
      '--html',
      "also draw each run's report.html (its charts are about 40 % of a short run; without it, `strategy-canary report DIR/runs/NNN` draws one later)",
    )
    .option(
      '--resume',
      'go on with a sweep stopped before its end (Ctrl-C) in --out: its finished runs are kept, the others run; the grid must be the one it started with',
    )
    .option('--no-progress', 'no progress bar')
    .option(
      '--nats <url>',
      'run the replays on `strategy-canary worker` processes through NATS JetStream instead of worker threads (docs/sweep.md, "Across machines")',
    )
    .option(
      '--sweep-id <id>',
      "with --nats: the sweep's name on the queue (letters, digits, - and _; default: the --out directory's name and the time)",
    )
    .option(
      '--idle-timeout <seconds>',
      'with --nats: give up (exit 2) when no worker has sent a result for this long; the runs stay queued (default: wait)',
    )
    .action(async (gridPath: string, o: SweepCliOptions) => {
      if (o.out === undefined) throw new UsageError('sweep: --out DIR is required');
      const workers =
        o.workers === undefined
          ? availableParallelism()
          : parseInteger('--workers', o.workers, 1, 256);
      const grid = loadSweepGrid(gridPath, optionKinds(replayCommand(io)));
      if (o.resume === true && o.nats !== undefined)
        throw new UsageError(
          'sweep: --resume is for a sweep on worker threads (a NATS sweep keeps its runs queued: start the workers again)',
        );
      if (o.resume !== true && !isNewOrEmpty(o.out)) {
        throw new UsageError(
          `sweep: --out ${o.out} is not empty: give a new or empty directory (a sweep never mixes its runs with others), or --resume to go on with the sweep in it`,
        );
      }
      if (o.idleTimeout !== undefined && o.nats === undefined)
        throw new UsageError('sweep: --idle-timeout goes with --nats (a local sweep never waits)');
      const idleTimeoutMs =
        o.idleTimeout === undefined
          ? undefined
          : parseInteger('--idle-timeout', o.idleTimeout, 1, 86_400) * 1000;
      let total = 1;
      for (const values of Object.values(grid.grid)) total *= values.length;
      const sweepId = o.nats === undefined ? null : sweepIdOf(o);
      const bar = createProgressBar(
        io,
        total,
        sweepId === null ? `sweep (${workers} workers)` : `sweep ${sweepId} (NATS)`,
        {
          enabled: o.progress,
          unit: 'runs',
        },
      );
      // Ctrl-C (or SIGTERM) stops a local sweep with its finished runs summarized (a NATS sweep
      // keeps Node's default: its runs stay queued).
      const stop =
        sweepId === null
          ? stopOnSignals({
              reason: (signal) => new CanaryError('E_INTERRUPTED', `sweep: stopped by ${signal}`),
              said: (signal) => {
                bar.stop();
                io.stderr.write(
                  `sweep: ${signal}: stopping; the runs in hand are abandoned, the finished ones summarized (again to quit at once)\n`,
                );
              },
            })
          : null;
      let result;
      try {
        result =
          o.nats === undefined || sweepId === null
            ? await runSweep(grid, {
                outDir: o.out,
                workers,
                html: o.html === true,
                resume: o.resume === true,
                ...(stop === null ? {} : { signal: stop.signal }),
                onRunDone: (done) => bar.update(done),
              })
            : await runSweepOverNats(grid, {
                natsUrl: o.nats,
                sweepId,
                outDir: o.out,
                html: o.html === true,
                onRunDone: (done) => bar.update(done),
                ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
                onIdle: (idleMs) =>
                  io.stderr.write(
                    `sweep: no worker has sent a result for ${Math.round(idleMs / 1000)} s: is one running? (strategy-canary worker --nats ${o.nats} --out DIR)\n`,
                  ),
              });
      } catch (error) {
        if (error instanceof CanaryError) throw error;
        if ((error as NodeJS.ErrnoException).code !== undefined)
          throw new OutputError(o.out, error);
        throw error;
      } finally {
        stop?.release();
        bar.stop();
      }
      for (const line of sweepWarningLines(result.rows)) io.stderr.write(`${line}\n`);
      io.stdout.write(renderSummaryMd(grid, result.rows));
      io.stdout.write(
        `\n${result.rows.length} runs; summary: ${result.files.md}, ${result.files.csv}, ${result.files.json}\n`,
      );
      if (result.interrupted === true) {
        const notRun = result.rows.filter((row) => row.exitCode === null).length;
        throw new CanaryError(
          'E_INTERRUPTED',
          `sweep: stopped with ${result.rows.length - notRun} of ${result.rows.length} runs done (summarized in ${result.files.md}); the ${notRun} others: strategy-canary sweep ${gridPath} --out ${o.out} --resume`,
        );
      }
      const drawn = result.rows.find((row) => row.exitCode === 0);
      if (o.html !== true && drawn !== undefined) {
        io.stdout.write(
          `report.html of a run: strategy-canary report ${join(o.out, drawn.reportDir)} (sweep --html draws every run's)\n`,
        );
      }
      const failed = result.rows.filter((row) => row.exitCode !== 0).length;
      if (failed > 0) {
        throw new CanaryError(
          'E_SWEEP_RUN',
          `sweep: ${failed} of ${result.rows.length} runs failed (their errors are in ${result.files.md})`,
        );
      }
    });
}

/**
 * True when `dir` does not exist or is an empty directory.
 * @throws OutputError `E_OUTPUT` when something else is there (a file) or it cannot be read.
 */
function isNewOrEmpty(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    throw new OutputError(
      dir,
      code === 'ENOTDIR' ? new Error('it, or a folder on its path, is not a directory') : error,
    );
  }
}

/** The sweep's id on the NATS queue: `--sweep-id`, else the --out directory's name and the time. */
function sweepIdOf(o: SweepCliOptions): string {
  const id =
    o.sweepId ??
    `${basename(resolve(o.out ?? 'sweep'))}-${new Date().toISOString().replace(/\D/gu, '').slice(0, 14)}`;
  const clean = id.replace(/[^A-Za-z0-9_-]/gu, '-');
  if (o.sweepId !== undefined && clean !== o.sweepId)
    throw new UsageError(`--sweep-id: letters, digits, - and _ only, got "${o.sweepId}"`);
  return clean;
}

import { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { CliIo } from '../cli-io.js';
import { parseInteger } from '../parse-option.js';
import { runSweepWorker } from '../sweep/nats-sweep.js';

interface WorkerCliOptions {
  readonly nats?: string;
  readonly out?: string;
  readonly idleExit?: string;
}

/**
 * `strategy-canary worker --nats URL --out DIR`: takes the replays of `sweep --nats` from the
 * queue and runs them here, one at a time, until SIGINT or SIGTERM (the replay in hand is
 * finished first) or `--idle-exit` seconds without a job (docs/sweep.md, "Across machines").
 * `runCommand` runs one command line in this process (the CLI's own `runCli`).
 */
export function workerCommand(
  io: CliIo,
  runCommand: (argv: readonly string[], io: CliIo) => Promise<number>,
): Command {
  return new Command('worker')
    .description(
      'Run the replays of sweeps published with sweep --nats: take them from the NATS JetStream queue one at a time, write their reports under --out, publish their summary rows; until Ctrl-C (SIGINT), SIGTERM or --idle-exit.',
    )
    .option('--nats <url>', 'the NATS server, e.g. nats://127.0.0.1:4222 (required)')
    .option('--out <dir>', 'where the runs go: DIR/SWEEP-ID/runs/NNN (required)')
    .option('--idle-exit <seconds>', 'exit after this long without a job')
    .action(async (o: WorkerCliOptions) => {
      if (o.nats === undefined) throw new UsageError('worker: --nats URL is required');
      if (o.out === undefined) throw new UsageError('worker: --out DIR is required');
      const idleExitMs =
        o.idleExit === undefined
          ? undefined
          : parseInteger('--idle-exit', o.idleExit, 1, 86_400) * 1000;
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const onSignal = (): void => stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const ran = await runSweepWorker({
          natsUrl: o.nats,
          outDir: o.out,
          io,
          runCommand,
          stop: stopped,
          ...(idleExitMs === undefined ? {} : { idleExitMs }),
          onReady: () => io.stdout.write(`worker: taking replays from ${o.nats}\n`),
          onJob: (job, result) =>
            io.stdout.write(
              `${job.sweepId} run ${job.index}: ${result.exitCode === 0 ? (result.outcome ?? 'ok') : `failed (exit ${result.exitCode})`}\n`,
            ),
        });
        io.stdout.write(`worker: ${ran} replays run\n`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

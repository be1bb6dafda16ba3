import { join } from 'node:path';
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { CliIo } from '../cli-io.js';
import { sweepRunDir, writeSweepOutputs, type SweepResult } from './run-sweep.js';
import { expandSweepGrid, sweepRunArgv, type SweepGrid } from './sweep-grid.js';
import { readSweepRunResult, type SweepJob, type SweepRunResult } from './sweep-run-result.js';
import { CanaryError, OutputError } from '../../core/errors.js';
import { makeDirectory } from '../run-directory.js';

/** The work queue of replay jobs every `worker` takes from (one job to one worker). */
/** How long one wait for a result lasts, ms. */
const RESULT_WAIT_MS = 1000;
/** After this long without a result, the sweep says it is waiting (no worker running?), ms. */
export const IDLE_NOTE_MS = 30_000;

export const JOBS_STREAM = 'STRATEGY_CANARY_SWEEP_JOBS';
export const JOBS_SUBJECT = 'strategy-canary.sweep.jobs';
/** The workers' shared durable consumer of the jobs. */
export const WORKERS_CONSUMER = 'workers';
/** The results, one subject per sweep. */
export const RESULTS_STREAM = 'STRATEGY_CANARY_SWEEP_RESULTS';
export const resultsSubject = (sweepId: string): string =>
  `strategy-canary.sweep.results.${sweepId}`;

/** One replay of a sweep on the queue: the run, and where its reports go under a worker's --out. */
export interface QueuedSweepJob {
  readonly sweepId: string;
  readonly index: number;
  readonly argv: readonly string[];
  /** `runs/NNN`, relative to the sweep's directory under the worker's `--out`. */
  readonly runDir: string;
}

/** A job whose acknowledgement is this long overdue goes to another worker, ms. */
const ACK_WAIT_MS = 60_000;
/** A worker says it is still on a job this often (well inside the ack wait), ms. */
const WORKING_EVERY_MS = 15_000;
/** How long one wait for a message lasts before the loop looks again, ms. */
const POLL_MS = 1000;

/** Creates the sweep streams and the workers' consumer when missing (idempotent). */
export async function ensureSweepStreams(jsm: JetStreamManager): Promise<void> {
  const streams = new Set<string>();
  for await (const info of jsm.streams.list()) streams.add(info.config.name);
  if (!streams.has(JOBS_STREAM)) {
    await jsm.streams.add({
      name: JOBS_STREAM,
      subjects: [JOBS_SUBJECT],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(10 * 60_000),
    });
  }
  if (!streams.has(RESULTS_STREAM)) {
    await jsm.streams.add({
      name: RESULTS_STREAM,
      subjects: ['strategy-canary.sweep.results.>'],
      duplicate_window: nanos(10 * 60_000),
      max_age: nanos(7 * 24 * 3_600_000),
    });
  }
  try {
    await jsm.consumers.info(JOBS_STREAM, WORKERS_CONSUMER);
  } catch {
    await jsm.consumers.add(JOBS_STREAM, {
      durable_name: WORKERS_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ACK_WAIT_MS),
    });
  }
}

async function connectTo(url: string): Promise<NatsConnection> {
  return connect({ servers: url, timeout: 10_000, name: 'strategy-canary' });
}

/**
 * A sweep through NATS (docs/sweep.md, "Across machines"): publishes every run of `grid` to the
 * jobs queue (message id `SWEEP:RUN`, so publishing again never doubles a job), collects one
 * result per run from the workers (a repeated result is ignored), and writes the summaries as a
 * local sweep does: byte for byte the same. The runs' report directories stay with the workers
 * that ran them (`WORKER_OUT/SWEEP/runs/NNN`).
 */
export async function runSweepOverNats(
  grid: SweepGrid,
  options: {
    readonly natsUrl: string;
    readonly sweepId: string;
    readonly outDir: string;
    readonly onRunDone?: (done: number, total: number) => void;
    /** Draw every run's report.html too (the `sweep --html` flag; default false). */
    readonly html?: boolean;
    /** Give up when no result has come for this long, ms (default: wait as long as it takes). */
    readonly idleTimeoutMs?: number;
    /** Told once when no result has come for {@link IDLE_NOTE_MS} (no worker running?). */
    readonly onIdle?: (idleMs: number) => void;
    /** Wall clock, ms (default `Date.now`). */
    readonly now?: () => number;
  },
): Promise<SweepResult> {
  const now = options.now ?? Date.now;
  const runs = expandSweepGrid(grid);
  try {
    await makeDirectory(options.outDir);
  } catch (error) {
    throw new OutputError(options.outDir, error);
  }
  const nc = await connectTo(options.natsUrl);
  try {
    await ensureSweepStreams(await jetstreamManager(nc));
    const js = jetstream(nc);
    // Results first, from the start of this sweep's subject: none can be missed.
    const results = await js.consumers.get(RESULTS_STREAM, {
      filter_subjects: resultsSubject(options.sweepId),
    });
    for (const run of runs) {
      const job: QueuedSweepJob = {
        sweepId: options.sweepId,
        index: run.index,
        argv: sweepRunArgv(grid, run, options.html === true),
        runDir: sweepRunDir(run.index, runs.length),
      };
      await js.publish(JOBS_SUBJECT, JSON.stringify(job), {
        msgID: `${options.sweepId}:${run.index}`,
      });
    }
    const byIndex = new Map<number, SweepRunResult>();
    let lastResultAt = now();
    let noted = false;
    while (byIndex.size < runs.length) {
      const message = await results.next({ expires: RESULT_WAIT_MS });
      if (message === null) {
        const idleMs = now() - lastResultAt;
        if (!noted && idleMs >= IDLE_NOTE_MS) {
          noted = true;
          options.onIdle?.(idleMs);
        }
        if (options.idleTimeoutMs !== undefined && idleMs >= options.idleTimeoutMs) {
          throw new CanaryError(
            'E_NATS',
            `sweep ${options.sweepId}: no result from any worker in ${Math.round(idleMs / 1000)} s (${byIndex.size} of ${runs.length} runs done): start \`strategy-canary worker --nats ${options.natsUrl} --out DIR\`; the runs stay queued, and \`sweep --sweep-id ${options.sweepId}\` again collects them`,
          );
        }
        continue;
      }
      lastResultAt = now();
      const result = JSON.parse(message.string()) as SweepRunResult;
      if (byIndex.has(result.index)) continue;
      byIndex.set(result.index, result);
      options.onRunDone?.(byIndex.size, runs.length);
    }
    const ordered = runs.map((run) => byIndex.get(run.index)!);
    return writeSweepOutputs(grid, ordered, options.outDir);
  } finally {
    await nc.close();
  }
}

/**
 * `strategy-canary worker --nats URL --out DIR`: takes replay jobs from the queue one at a time,
 * runs each in this process as `replay` would (its reports in `DIR/SWEEP/runs/NNN`), publishes
 * its summary row, then acknowledges the job; until `stop` resolves (the job in hand is
 * finished first) or, with `idleExitMs`, the queue has been empty that long. A job whose worker
 * dies unacknowledged goes to another worker after the ack wait; its result, published twice
 * under one message id, counts once. Resolves to the number of jobs this worker ran.
 */
export async function runSweepWorker(options: {
  readonly natsUrl: string;
  readonly outDir: string;
  readonly io: CliIo;
  /** Runs one command line in this process and resolves to its exit code (`runCli`). */
  readonly runCommand: (argv: readonly string[], io: CliIo) => Promise<number>;
  readonly stop: Promise<void>;
  readonly idleExitMs?: number;
  /** Called once the worker is bound to the queue (jobs published from now on can be its). */
  readonly onReady?: () => void;
  readonly onJob?: (job: QueuedSweepJob, result: SweepRunResult) => void;
}): Promise<number> {
  const nc = await connectTo(options.natsUrl);
  let stopping = false;
  void options.stop.then(() => (stopping = true));
  let ran = 0;
  try {
    await ensureSweepStreams(await jetstreamManager(nc));
    const js = jetstream(nc);
    const consumer = await js.consumers.get(JOBS_STREAM, WORKERS_CONSUMER);
    options.onReady?.();
    let idleSinceMs = Date.now();
    while (!stopping) {
      const message = await consumer.next({ expires: POLL_MS });
      if (message === null) {
        if (options.idleExitMs !== undefined && Date.now() - idleSinceMs >= options.idleExitMs)
          break;
        continue;
      }
      const job = JSON.parse(message.string()) as QueuedSweepJob;
      const working = setInterval(() => message.working(), WORKING_EVERY_MS);
      let result: SweepRunResult;
      try {
        result = await runJob(job, options);
      } finally {
        clearInterval(working);
      }
      await js.publish(resultsSubject(job.sweepId), JSON.stringify(result), {
        msgID: `${job.sweepId}:${job.index}`,
      });
      await message.ackAck();
      ran++;
      options.onJob?.(job, result);
      idleSinceMs = Date.now();
    }
    return ran;
  } finally {
    await nc.close();
  }
}

async function runJob(
  job: QueuedSweepJob,
  options: {
    readonly outDir: string;
    readonly io: CliIo;
    readonly runCommand: (argv: readonly string[], io: CliIo) => Promise<number>;
  },
): Promise<SweepRunResult> {
  const sweepJob: SweepJob = {
    index: job.index,
    argv: job.argv,
    outDir: join(options.outDir, job.sweepId, job.runDir),
  };
  let stderr = '';
  const started = performance.now();
  const exitCode = await options.runCommand(
    [...job.argv, '--out', sweepJob.outDir, '--json', '--no-progress'],
    {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      cwd: options.io.cwd,
    },
  );
  return readSweepRunResult(sweepJob, exitCode, stderr, performance.now() - started);
}

import { availableParallelism } from 'node:os';
import { parentPort, type Worker } from 'node:worker_threads';
import { IdleWorkerPool } from '../../core/idle-worker-pool.js';

/**
 * How long a pool's idle worker waits for the next run before it is ended, ms: a program that
 * sweeps again soon (the benchmark, a loop of sweeps) finds its workers warm, each with the feeds
 * it parsed (`ParsedFeedCache`); one that does not keeps no idle thread, nor its memory, for long.
 */
export const IDLE_WORKER_MS = 30_000;

/** The idle workers of each worker module, kept between runs. */
const idleWorkers = new Map<string, IdleWorkerPool>();

/** Ends every idle worker kept by {@link runInWorkers} (the next run starts its workers cold). */
export async function endIdleWorkers(): Promise<void> {
  await Promise.all([...idleWorkers.values()].map((pool) => pool.endIdle()));
}

/** Workers of `moduleUrl` kept idle now. */
export function idleWorkerCount(moduleUrl: URL): number {
  return idleWorkers.get(moduleUrl.href)?.idleCount ?? 0;
}

function poolOf(moduleUrl: URL): IdleWorkerPool {
  let pool = idleWorkers.get(moduleUrl.href);
  if (pool === undefined) {
    pool = new IdleWorkerPool(moduleUrl, Math.max(2, availableParallelism()), IDLE_WORKER_MS);
    idleWorkers.set(moduleUrl.href, pool);
  }
  return pool;
}

/** What a pool worker posts back for one job. */
export type WorkerReply<R> =
  { readonly ok: true; readonly result: R } | { readonly ok: false; readonly error: string };

/** Thrown by {@link runInWorkers} when its `signal` stopped it before every job was done. */
export class WorkersInterrupted extends Error {
  override readonly name = 'WorkersInterrupted';

  constructor() {
    super('interrupted before every job was done');
  }
}

/** Options of {@link runInWorkers}. */
export interface RunInWorkersOptions<R> {
  /** Threads (jobs at once), at most one per job. */
  readonly workers: number;
  /** Called with each result as it comes (in any order), and its job's index. */
  readonly onResult?: (result: R, index: number) => void;
  /**
   * Stops the run when it aborts: no job is started after it, and the jobs in hand are abandoned
   * (their threads ended, not kept); the run then rejects with {@link WorkersInterrupted}, every
   * result that came before it having gone to `onResult`.
   */
  readonly signal?: AbortSignal;
  /**
   * Makes a result of a job whose thread died under it (an uncaught error, an exit), so that the
   * other jobs go on, the next on a fresh thread; without it, such a death rejects the run.
   */
  readonly onWorkerDied?: (error: Error, index: number) => R;
}

/**
 * Runs `jobs` on `workers` worker threads of `moduleUrl` (each takes the next job when it is done
 * with one: a long job never holds the others back) and resolves to the results in job order.
 * A worker module answers each job with {@link serveJobs}. When the jobs run out, the workers
 * are kept, idle and unreferenced, for the next run of the same module in this process (up to one
 * per core, {@link IDLE_WORKER_MS}): started and warmed up once, as the parsing threads are. A
 * job that throws rejects the whole run, naming the job, and so does a worker that dies unless
 * `onWorkerDied` makes a result of it; a worker that errored or exited is not kept (one whose
 * job threw is: the job's error was caught in it).
 */
export async function runInWorkers<J, R>(
  moduleUrl: URL,
  jobs: readonly J[],
  options: RunInWorkersOptions<R>,
): Promise<R[]> {
  const { signal } = options;
  const aborted = (): boolean => signal?.aborted === true;
  if (aborted()) throw new WorkersInterrupted();
  const results = new Array<R>(jobs.length);
  let next = 0;
  const count = Math.max(1, Math.min(Math.floor(options.workers), jobs.length));
  await Promise.all(
    Array.from({ length: jobs.length === 0 ? 0 : count }, async () => {
      const pool = poolOf(moduleUrl);
      let worker = pool.take();
      let sound = true;
      let inHand = false;
      // A job in hand is abandoned: its thread is ended, and its wait below ends as a death. A
      // thread between jobs stops at the loop's check, and is kept.
      const abandon = (): void => {
        if (!inHand) return;
        sound = false;
        void worker.terminate();
      };
      signal?.addEventListener('abort', abandon);
      try {
        for (let index = next++; index < jobs.length; index = next++) {
          if (aborted()) break;
          if (!sound) {
            // The thread died with the job before (onWorkerDied): the next job gets a fresh one.
            await worker.terminate();
            worker = pool.take();
            sound = true;
            if (aborted()) break;
          }
          inHand = true;
          const reply = await jobReply<R>(worker, jobs[index]);
          inHand = false;
          if ('died' in reply) {
            sound = false;
            if (aborted()) break;
            if (options.onWorkerDied === undefined)
              throw new Error(`job ${index + 1}: ${reply.died.message}`);
            const result = options.onWorkerDied(reply.died, index);
            results[index] = result;
            options.onResult?.(result, index);
            continue;
          }
          if (!reply.ok) throw new Error(`job ${index + 1} failed:\n${reply.error}`);
          results[index] = reply.result;
          options.onResult?.(reply.result, index);
        }
      } finally {
        signal?.removeEventListener('abort', abandon);
        if (sound) pool.give(worker);
        else await worker.terminate();
      }
    }),
  );
  if (aborted()) throw new WorkersInterrupted();
  return results;
}

/** Posts `job` to `worker` and waits for its reply, or for the thread to fail or exit. */
function jobReply<R>(worker: Worker, job: unknown): Promise<WorkerReply<R> | { died: Error }> {
  return new Promise((resolve) => {
    const onError = (error: Error): void => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve({ died: new Error(`worker failed: ${error.message}`) });
    };
    const onExit = (code: number): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      resolve({ died: new Error(`worker exited (${code})`) });
    };
    const onMessage = (message: WorkerReply<R>): void => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(message);
    };
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', onMessage);
    worker.postMessage(job);
  });
}

/**
 * The worker side of {@link runInWorkers}: answers every job posted to this thread with
 * `handle`'s result, or with the error's stack when it throws.
 */
export function serveJobs<J, R>(handle: (job: J) => Promise<R>): void {
  const port = parentPort;
  if (port === null) throw new Error('serveJobs runs in a worker thread');
  port.on('message', (job: J) => {
    handle(job).then(
      (result) => port.postMessage({ ok: true, result } satisfies WorkerReply<R>),
      (error: unknown) =>
        port.postMessage({
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies WorkerReply<R>),
    );
  });
}

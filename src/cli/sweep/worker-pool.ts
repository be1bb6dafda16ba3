import { parentPort } from 'node:worker_threads';
import { startWorker } from '../../core/start-worker.js';

/** What a pool worker posts back for one job. */
export type WorkerReply<R> =
  { readonly ok: true; readonly result: R } | { readonly ok: false; readonly error: string };

/**
 * Runs `jobs` on `workers` worker threads of `moduleUrl` (each takes the next job when it is done
 * with one: a long job never holds the others back) and resolves to the results in job order.
 * A worker module answers each job with {@link serveJobs}; workers are terminated when the jobs
 * run out. A job that throws or a worker that dies rejects the whole run, naming the job.
 */
export async function runInWorkers<J, R>(
  moduleUrl: URL,
  jobs: readonly J[],
  options: { readonly workers: number; readonly onResult?: (result: R, index: number) => void },
): Promise<R[]> {
  const results = new Array<R>(jobs.length);
  let next = 0;
  const count = Math.max(1, Math.min(Math.floor(options.workers), jobs.length));
  await Promise.all(
    Array.from({ length: jobs.length === 0 ? 0 : count }, async () => {
      const worker = startWorker(moduleUrl);
      try {
        for (let index = next++; index < jobs.length; index = next++) {
          const job = jobs[index] as J;
          const reply = await new Promise<WorkerReply<R>>((resolve, reject) => {
            const onError = (error: Error): void => {
              worker.off('message', onMessage);
              reject(new Error(`job ${index + 1}: worker failed: ${error.message}`));
            };
            const onExit = (code: number): void => {
              worker.off('message', onMessage);
              reject(new Error(`job ${index + 1}: worker exited (${code})`));
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
          if (!reply.ok) throw new Error(`job ${index + 1} failed:\n${reply.error}`);
          results[index] = reply.result;
          options.onResult?.(reply.result, index);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return results;
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

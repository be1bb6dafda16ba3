import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { benchFeed } from './bench-files.js';

/**
 * Why a sweep on 2 cores does not take half the time of one worker: each kind of work alone on a
 * worker thread, then the same on two worker threads at once, and how much slower each of the two
 * ran (1.00× = the cores do not slow each other).
 *
 * - `alu`: an integer loop in registers (what the cores share: nothing);
 * - `memory`: random reads and writes over 64 MiB, far beyond each core's 4 MiB L2 (they share
 *   the L3 and the memory bus);
 * - `replay`: the bench's replay of the 1M-event feed with 1,000 accounts, parsing on its own
 *   thread, as one run of a sweep (best of 3 on each thread, so both are warm).
 *
 *   npm run build && node dist/bench/core-contention-probe.js
 */
type Kernel = 'alu' | 'memory' | 'replay';

interface Job {
  readonly kernel: Kernel;
  readonly file: string;
}

async function runKernel({ kernel, file }: Job): Promise<number> {
  if (kernel === 'alu') {
    const started = performance.now();
    let x = 1;
    for (let i = 0; i < 400_000_000; i++) x = (Math.imul(x, 1_664_525) + 1_013_904_223) | 0;
    if (x === 0) process.stdout.write(''); // keeps the loop
    return performance.now() - started;
  }
  if (kernel === 'memory') {
    const values = new Float64Array(8 * 1024 * 1024);
    const started = performance.now();
    let sum = 0;
    let at = 1;
    for (let i = 0; i < 40_000_000; i++) {
      at = (Math.imul(at, 1_664_525) + 1_013_904_223) >>> 0;
      const j = at & (values.length - 1);
      sum += values[j]!;
      values[j] = sum;
    }
    return performance.now() - started;
  }
  const { runReplay } = await import('../src/engine/run-replay.js');
  const { benchReplayConfig } = await import('./bench-replay-config.js');
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    await runReplay(benchReplayConfig(file, 1000), {}, { parseInWorker: false });
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Runs `job` on `threads` worker threads at once; each one's time, ms. */
async function onThreads(job: Job, threads: number): Promise<number[]> {
  return Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: job });
          worker.once('message', (ms: number) => resolve(ms));
          worker.once('error', reject);
        }),
    ),
  );
}

if (isMainThread) {
  const file = await benchFeed(1_000_000);
  process.stdout.write('kernel    alone ms   two at once ms   slower\n');
  for (const kernel of ['alu', 'memory', 'replay'] as const) {
    const job = { kernel, file };
    const [alone] = await onThreads(job, 1);
    const both = await onThreads(job, 2);
    const mean = (both[0]! + both[1]!) / 2;
    process.stdout.write(
      `${kernel.padEnd(8)}${alone!.toFixed(0).padStart(8)}${both
        .map((ms) => ms.toFixed(0))
        .join(' / ')
        .padStart(17)}${`${(mean / alone!).toFixed(2)}x`.padStart(9)}\n`,
    );
  }
} else {
  parentPort!.postMessage(await runKernel(workerData as Job));
}

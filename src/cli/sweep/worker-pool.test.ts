import { describe, expect, it } from 'vitest';
import { until } from '../../../test/wait-until.js';
import {
  endIdleWorkers,
  idleWorkerCount,
  runInWorkers,
  WorkersInterrupted,
} from './worker-pool.js';

const WORKER = new URL('./test-support/thread-id-worker.ts', import.meta.url);

describe('runInWorkers', () => {
  it('keeps its workers for the next run; a worker that died is not kept', async () => {
    const first = await runInWorkers<string, number>(WORKER, ['a', 'b', 'c', 'd'], { workers: 2 });
    const firstThreads = new Set(first);
    expect(firstThreads.size).toBeGreaterThanOrEqual(1);
    expect(firstThreads.size).toBeLessThanOrEqual(2);
    // The next run's jobs go to the same, kept threads: no thread is started for them.
    const second = await runInWorkers<string, number>(WORKER, ['e', 'f', 'g', 'h'], { workers: 2 });
    for (const thread of second) expect(firstThreads.has(thread)).toBe(true);

    // A job that fails leaves its worker sound: it is kept too.
    await expect(runInWorkers<string, number>(WORKER, ['throw'], { workers: 1 })).rejects.toThrow(
      /job 1 failed:\n.*the job failed/,
    );
    const afterFailure = await runInWorkers<string, number>(WORKER, ['i'], { workers: 1 });
    expect(firstThreads.has(afterFailure[0]!)).toBe(true);

    // A worker that exits mid-job is not kept: the run after it starts a new thread for it.
    await expect(runInWorkers<string, number>(WORKER, ['exit'], { workers: 1 })).rejects.toThrow(
      /job 1: worker exited \(3\)/,
    );
    const seen = new Set([...first, ...second, ...afterFailure]);
    const third = await runInWorkers<string, number>(WORKER, ['j', 'k', 'l', 'm'], { workers: 2 });
    // One of the (at most two) kept threads died: two workers need at least one new thread.
    expect(third.some((thread) => !seen.has(thread))).toBe(true);
  });

  it('ends a kept worker that fails while idle, and the process goes on', async () => {
    await endIdleWorkers();
    const [thread] = await runInWorkers<string, number>(WORKER, ['throw-later'], { workers: 1 });
    expect(idleWorkerCount(WORKER)).toBe(1);
    // Its error comes after the run: the idle pool ends the thread (no one else listens).
    await until('the failed idle worker is forgotten', () => idleWorkerCount(WORKER) === 0);
    const [next] = await runInWorkers<string, number>(WORKER, ['n'], { workers: 1 });
    expect(next).not.toBe(thread);
  });

  it('starts cold after endIdleWorkers', async () => {
    const before = await runInWorkers<string, number>(WORKER, ['a', 'b'], { workers: 2 });
    await endIdleWorkers();
    const after = await runInWorkers<string, number>(WORKER, ['c', 'd'], { workers: 2 });
    for (const thread of after) expect(before).not.toContain(thread);
  });
});

describe('runInWorkers with onWorkerDied', () => {
  it('makes a result of a job whose thread died, and goes on with the next on a fresh thread', async () => {
    await endIdleWorkers();
    const died: string[] = [];
    const results = await runInWorkers<string, number>(WORKER, ['a', 'exit', 'b'], {
      workers: 1,
      onWorkerDied: (error, index) => {
        died.push(`${index}: ${error.message}`);
        return -1;
      },
    });
    expect(died).toEqual(['1: worker exited (3)']);
    expect(results[1]).toBe(-1);
    expect(results[2]).toBeGreaterThan(0);
    expect(results[2]).not.toBe(results[0]);
    expect(idleWorkerCount(WORKER)).toBe(1);
  });
});

describe('runInWorkers with a signal', () => {
  it('starts no job after an abort and keeps the thread that was between jobs', async () => {
    await endIdleWorkers();
    const controller = new AbortController();
    const done: number[] = [];
    const run = runInWorkers<string, number>(WORKER, ['a', 'b', 'c'], {
      workers: 1,
      signal: controller.signal,
      onResult: (_thread, index) => {
        done.push(index);
        controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(WorkersInterrupted);
    expect(done).toEqual([0]);
    expect(idleWorkerCount(WORKER)).toBe(1);
  });

  it('abandons the jobs in hand: their threads are ended, the results before them delivered', async () => {
    await endIdleWorkers();
    const controller = new AbortController();
    const done: number[] = [];
    // Two threads: one hangs on its job, the other does every other job, then the run is stopped.
    const run = runInWorkers<string, number>(WORKER, ['a', 'hang', 'b', 'c', 'd'], {
      workers: 2,
      signal: controller.signal,
      onResult: (_thread, index) => {
        done.push(index);
        if (done.length === 4) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(WorkersInterrupted);
    expect(done.sort()).toEqual([0, 2, 3, 4]);
    // The hung thread was ended, not kept; the other one is kept.
    expect(idleWorkerCount(WORKER)).toBe(1);
  });

  it('runs nothing when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const done: number[] = [];
    await expect(
      runInWorkers<string, number>(WORKER, ['a'], {
        workers: 1,
        signal: controller.signal,
        onResult: (_thread, index) => done.push(index),
      }),
    ).rejects.toBeInstanceOf(WorkersInterrupted);
    expect(done).toEqual([]);
  });
});

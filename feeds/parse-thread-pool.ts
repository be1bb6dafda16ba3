import type { Worker } from 'node:worker_threads';
import { startWorker } from '../src/core/start-worker.js';

/**
 * Idle parsing threads kept for the next read: at most this many (a replay of several files
 * reads them at once, one thread each).
 */
const MAX_IDLE = 4;

const PARSE_WORKER = new URL(
  `./feed-parse-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
  import.meta.url,
);

/**
 * The parsing threads of {@link openFeedInWorker}, kept between reads. A fresh thread parses its
 * first file with cold code (interpreted, then compiled as it warms up) and costs a start-up of
 * its own; a process that replays again (a benchmark, a server, a program calling `runReplay` in
 * a loop) gets a thread whose parser is already compiled. A thread is given back only after a
 * read it finished (the `end` message): one stopped early or failed is terminated instead. An
 * idle thread is unreferenced, so it never keeps the process alive.
 */
class ParseThreadPool {
  readonly #idle: Worker[] = [];

  /** Threads waiting for a read. */
  get idleCount(): number {
    return this.#idle.length;
  }

  /** An idle thread, or a new one; referenced (it keeps the process alive while it reads). */
  take(): Worker {
    const worker = this.#idle.pop();
    if (worker === undefined) {
      const fresh = startWorker(PARSE_WORKER);
      // A thread that dies while idle is forgotten.
      fresh.on('exit', () => this.#forget(fresh));
      return fresh;
    }
    worker.ref();
    return worker;
  }

  /** Keeps a thread that finished its read for the next one (or ends it when enough are idle). */
  give(worker: Worker): void {
    if (this.#idle.length >= MAX_IDLE) {
      void worker.terminate();
      return;
    }
    worker.unref();
    this.#idle.push(worker);
  }

  #forget(worker: Worker): void {
    const at = this.#idle.indexOf(worker);
    if (at >= 0) this.#idle.splice(at, 1);
  }
}

/** This thread's parsing threads. */
export const parseThreads = new ParseThreadPool();

import type { Worker } from 'node:worker_threads';
import { startWorker } from '../src/core/start-worker.js';

/**
 * Idle parsing threads kept for the next read: at most this many (a replay of several files
 * reads them at once, one thread each).
 */
const MAX_IDLE = 4;

/**
 * How long an idle thread waits for the next read before it is ended, ms: a process that replays
 * again soon (a benchmark, a loop of replays) finds it warm; a long-running one (a server that
 * replayed once) does not keep a thread, and the garbage of its last read, for nothing.
 */
export const IDLE_THREAD_MS = 30_000;

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
 * idle thread is unreferenced, so it never keeps the process alive, and is ended after `idleMs`
 * without a read.
 */
export class ParseThreadPool {
  readonly #idle: Worker[] = [];
  /** The timer that ends each idle thread. */
  readonly #expiry = new Map<Worker, NodeJS.Timeout>();

  /** @param idleMs how long an idle thread is kept ({@link IDLE_THREAD_MS}). */
  constructor(readonly idleMs: number = IDLE_THREAD_MS) {}

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
    this.#clearExpiry(worker);
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
    const expiry = setTimeout(() => {
      this.#forget(worker);
      void worker.terminate();
    }, this.idleMs);
    expiry.unref();
    this.#expiry.set(worker, expiry);
  }

  #forget(worker: Worker): void {
    this.#clearExpiry(worker);
    const at = this.#idle.indexOf(worker);
    if (at >= 0) this.#idle.splice(at, 1);
  }

  #clearExpiry(worker: Worker): void {
    const expiry = this.#expiry.get(worker);
    if (expiry === undefined) return;
    clearTimeout(expiry);
    this.#expiry.delete(worker);
  }
}

/** This thread's parsing threads. */
export const parseThreads = new ParseThreadPool();

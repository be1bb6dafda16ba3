import { IdleWorkerPool } from '../src/core/idle-worker-pool.js';

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
 * The parsing threads of {@link openFeedInWorker}, kept between reads ({@link IdleWorkerPool}):
 * a process that replays again gets a thread whose parser is already compiled. A thread is given
 * back only after a read it finished (the `end` message).
 */
export class ParseThreadPool extends IdleWorkerPool {
  /** @param idleMs how long an idle thread is kept ({@link IDLE_THREAD_MS}). */
  constructor(idleMs: number = IDLE_THREAD_MS) {
    super(PARSE_WORKER, MAX_IDLE, idleMs);
  }
}

/** This thread's parsing threads. */
export const parseThreads = new ParseThreadPool();

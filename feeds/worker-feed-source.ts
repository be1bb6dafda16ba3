import type { Worker } from 'node:worker_threads';
import { CanaryError, FeedError, UsageError, type ErrorCode } from '../src/core/errors.js';
import type { MarketEvent } from '../src/core/market-event.js';
import type { FeedFormat, FeedOptions, FeedSource, FeedStats } from './feed-source.js';
import { emptyFeedStats } from './feed-source.js';
import { openFeed } from './open-feed.js';
import type { PackedBatch } from './packed-batch.js';
import { unpackBatch } from './packed-events.js';
import { parseThreads } from './parse-thread-pool.js';

/** Batches the parsing thread may read ahead of the consumer. */
const BATCHES_AHEAD = 8;
/**
 * Credit goes back this many batches at a time: one message for four batches rather than one
 * each (a message costs the engine's thread tens of µs; `node --cpu-prof`). The thread then stays
 * four to eight batches ahead.
 */
const CREDIT_STEP = BATCHES_AHEAD / 2;

/** What the reader asks of the parsing thread. */
export type FeedWorkerRequest =
  | { readonly type: 'read'; readonly path: string; readonly options: FeedOptions }
  | { readonly type: 'credit'; readonly batches: number };

/** An error thrown in the parsing thread, as it crosses back. */
export type SerializedFeedError =
  | {
      readonly kind: 'feed';
      readonly code: ErrorCode;
      readonly file: string;
      readonly line: number;
      readonly field: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'canary';
      readonly code: ErrorCode;
      readonly name: string;
      readonly message: string;
    }
  | { readonly kind: 'other'; readonly message: string };

/** What the parsing thread posts. */
export type FeedWorkerMessage =
  | { readonly type: 'batch'; readonly batch: PackedBatch; readonly stats: FeedStats }
  | { readonly type: 'end'; readonly stats: FeedStats }
  | { readonly type: 'error'; readonly error: SerializedFeedError };

/**
 * {@link openFeed} with the reading and parsing on a worker thread: the same checks at open (made
 * here, so a bad path or format throws the same errors at once), the same events in the same
 * order and the same statistics, while the caller's thread only unpacks each batch
 * ({@link unpackBatch}), a fraction of the cost of parsing it. At most {@link BATCHES_AHEAD}
 * batches are read ahead. The thread is kept for the next read when this one reaches the end
 * (feeds/parse-thread-pool.ts: its parser is then already compiled) and ended when the
 * iteration stops early or fails.
 */
export async function openFeedInWorker(
  path: string,
  options: FeedOptions = {},
): Promise<FeedSource> {
  const local = await openFeed(path, options);
  return new WorkerFeedSource(local.path, local.format, local.sizeBytes, {
    ...options,
    format: local.format,
  });
}

class WorkerFeedSource implements FeedSource {
  readonly stats: FeedStats = emptyFeedStats();

  constructor(
    readonly path: string,
    readonly format: FeedFormat,
    readonly sizeBytes: number,
    readonly options: FeedOptions,
  ) {}

  async *batches(): AsyncIterable<readonly MarketEvent[]> {
    const worker = parseThreads.take();
    const inbox = new Inbox(worker);
    let finished = false;
    try {
      const request = (message: FeedWorkerRequest): void => worker.postMessage(message);
      request({ type: 'read', path: this.path, options: this.options });
      request({ type: 'credit', batches: BATCHES_AHEAD });
      let owed = 0;
      for (;;) {
        const message = await inbox.next();
        if (message.type === 'error') throw reviveError(message.error);
        Object.assign(this.stats, message.stats);
        if (message.type === 'end') {
          finished = true;
          return;
        }
        if (++owed === CREDIT_STEP) {
          request({ type: 'credit', batches: owed });
          owed = 0;
        }
        yield unpackBatch(message.batch);
      }
    } finally {
      inbox.close();
      // A thread that read to the end is idle and serves the next read; one stopped early (it
      // may still be reading ahead) or failed is ended.
      if (finished) parseThreads.give(worker);
      else await worker.terminate();
    }
  }
}

/** The worker's messages in order, awaited one at a time; a dying worker becomes an error. */
class Inbox {
  readonly #queue: FeedWorkerMessage[] = [];
  #waiting: ((message: FeedWorkerMessage) => void) | null = null;
  readonly #onMessage = (message: FeedWorkerMessage): void => this.#push(message);
  readonly #onError = (error: Error): void =>
    this.#push({ type: 'error', error: { kind: 'other', message: error.stack ?? error.message } });
  readonly #onExit = (code: number): void =>
    this.#push({
      type: 'error',
      error: { kind: 'other', message: `the feed parsing thread exited (code ${code})` },
    });

  constructor(readonly worker: Worker) {
    worker.on('message', this.#onMessage);
    worker.on('error', this.#onError);
    worker.on('exit', this.#onExit);
  }

  next(): Promise<FeedWorkerMessage> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  close(): void {
    this.worker.off('message', this.#onMessage);
    this.worker.off('error', this.#onError);
    this.worker.off('exit', this.#onExit);
  }

  #push(message: FeedWorkerMessage): void {
    const waiting = this.#waiting;
    if (waiting === null) {
      this.#queue.push(message);
      return;
    }
    this.#waiting = null;
    waiting(message);
  }
}

function reviveError(error: SerializedFeedError): Error {
  switch (error.kind) {
    case 'feed':
      return new FeedError(
        error.code,
        { file: error.file, line: error.line, field: error.field },
        error.reason,
      );
    case 'canary': {
      if (error.name === 'UsageError') return new UsageError(error.message);
      const revived = new CanaryError(error.code, error.message);
      Object.defineProperty(revived, 'name', { value: error.name });
      return revived;
    }
    case 'other':
      return new Error(`feed parsing thread: ${error.message}`);
  }
}

import { parentPort } from 'node:worker_threads';
import { CanaryError, FeedError } from '../src/core/errors.js';
import { lowerThreadPriority } from '../src/core/lower-thread-priority.js';
import type { FeedOptions } from './feed-source.js';
import { openFeedFile } from './open-feed.js';
import { transferablesOf } from './packed-batch.js';
import type {
  FeedWorkerMessage,
  FeedWorkerRequest,
  SerializedFeedError,
} from './worker-feed-source.js';

/**
 * The thread of {@link openFeedInWorker}: reads and parses a feed file, posting each batch
 * packed as it was parsed (`FeedFile.packedBatches`) with the feed's statistics so far, as long
 * as the reader has credit (a bounded number of batches in flight: the file is never read far
 * ahead of the replay). Reads
 * come one after another (parse-thread-pool.ts keeps the thread for the next file once `end` is
 * posted); each starts with no credit, so a credit left over from the last one never counts.
 */
const port = parentPort;
if (port === null) throw new Error('feed-parse-worker runs as a worker thread');
// The engine's thread sets the replay's pace: this one gives way to it when the cores are short.
lowerThreadPriority();

let credit = 0;
let wake: (() => void) | null = null;
const post = (message: FeedWorkerMessage, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

port.on('message', (message: FeedWorkerRequest) => {
  if (message.type === 'credit') {
    credit += message.batches;
    wake?.();
    wake = null;
    return;
  }
  credit = 0;
  void read(message.path, message.options);
});

async function read(path: string, options: FeedOptions): Promise<void> {
  try {
    const feed = await openFeedFile(path, options);
    for await (const batch of feed.packedBatches()) {
      while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
      credit--;
      post({ type: 'batch', batch, stats: feed.stats }, transferablesOf(batch));
    }
    post({ type: 'end', stats: feed.stats });
  } catch (error) {
    post({ type: 'error', error: serializeError(error) });
  }
}

function serializeError(error: unknown): SerializedFeedError {
  if (error instanceof FeedError)
    return {
      kind: 'feed',
      code: error.code,
      file: error.file,
      line: error.line,
      field: error.field,
      reason: error.reason,
    };
  if (error instanceof CanaryError)
    return { kind: 'canary', code: error.code, name: error.name, message: error.message };
  return {
    kind: 'other',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  };
}

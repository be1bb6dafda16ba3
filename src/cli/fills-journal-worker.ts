import { openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { OutputError } from '../core/errors.js';
import { FILLS_CSV_HEADER } from '../report/fills-csv.js';
import type { FillsBatch } from './fills-batch.js';
import { FillsBatchFormatter } from './fills-batch-formatter.js';
import { FillsFile } from './fills-file.js';

/** What the engine's thread sends the fills.csv thread (cli/threaded-fills-journal.ts). */
export type FillsWorkerRequest =
  | {
      readonly type: 'open';
      /** The file, created (empty) by the engine's thread: this thread opens it again to write. */
      readonly path: string;
      /** Int32 cell 0: batches formatted so far (the sender waits when too far ahead). */
      readonly consumed: SharedArrayBuffer;
    }
  | { readonly type: 'batch'; readonly batch: FillsBatch }
  | { readonly type: 'finish' }
  | { readonly type: 'discard' };

/** What the fills.csv thread answers, once, at the end. */
export type FillsWorkerReply =
  | { readonly type: 'done'; readonly name: string }
  | { readonly type: 'failed'; readonly path: string; readonly reason: string }
  | { readonly type: 'discarded' };

/**
 * The thread that formats and writes a replay's fills.csv (cli/threaded-fills-journal.ts): takes
 * the packed batches in order, formats their rows as the in-thread journal would, and writes them.
 */
const port = parentPort;
if (port === null) throw new Error('fills-journal-worker runs as a worker thread');

const formatter = new FillsBatchFormatter();
let file: FillsFile | null = null;
let consumed: Int32Array | null = null;
/** Why the file could not be opened or a batch written, reported at the end. */
let failure: OutputError | null = null;

port.on('message', (request: FillsWorkerRequest) => {
  switch (request.type) {
    case 'open':
      consumed = new Int32Array(request.consumed);
      try {
        file = new FillsFile(request.path, openSync(request.path, 'r+'), 0, false);
        file.add(FILLS_CSV_HEADER);
      } catch (error) {
        failure = new OutputError(request.path, error);
      }
      break;
    case 'batch': {
      const open = file;
      try {
        if (open !== null && !open.closed && failure === null)
          formatter.format(request.batch, (text) => open.add(text));
      } catch (error) {
        failure = new OutputError(open?.path ?? '', error);
      }
      // Counted even when it failed: the engine's thread must never wait on a batch for ever.
      Atomics.add(consumed!, 0, 1);
      Atomics.notify(consumed!, 0);
      break;
    }
    case 'finish':
      void finish();
      break;
    case 'discard':
      void (file?.discard() ?? Promise.resolve()).finally(() => {
        port.postMessage({ type: 'discarded' } satisfies FillsWorkerReply);
        port.close();
      });
      break;
  }
});

async function finish(): Promise<void> {
  let reply: FillsWorkerReply;
  try {
    if (failure !== null) throw failure;
    reply = { type: 'done', name: await file!.close() };
  } catch (error) {
    reply =
      error instanceof OutputError
        ? { type: 'failed', path: error.path, reason: error.reason }
        : { type: 'failed', path: file?.path ?? '', reason: String(error) };
  }
  // The engine's thread ends this thread once it has the reply.
  port!.postMessage(reply);
}

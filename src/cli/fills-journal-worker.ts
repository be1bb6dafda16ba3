import { openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { OutputError } from '../core/errors.js';
import { lowerThreadPriority } from '../core/lower-thread-priority.js';
import { FILLS_CSV_HEADER } from '../report/fills-csv.js';
import type { FillsBatch } from './fills-batch.js';
import { CsvBytes } from './csv-bytes.js';
import { FillsBatchFormatter } from './fills-batch-formatter.js';
import { FillsFile } from './fills-file.js';

/**
 * What the engine's thread sends the fills.csv thread (cli/threaded-fills-journal.ts). One thread
 * may write several files (the lanes of a segmented or A/B/n replay): `journal` says whose.
 */
export type FillsWorkerRequest =
  | {
      readonly type: 'open';
      readonly journal: number;
      /** The file, created (empty) by the engine's thread: this thread opens it again to write. */
      readonly path: string;
      /** Int32 cell 0: the journal's batches formatted so far (the sender waits when too far ahead). */
      readonly consumed: SharedArrayBuffer;
    }
  | { readonly type: 'batch'; readonly journal: number; readonly batch: FillsBatch }
  | { readonly type: 'finish'; readonly journal: number }
  | { readonly type: 'discard'; readonly journal: number };

/** What the fills.csv thread answers, once per journal, at its end. */
export type FillsWorkerReply = { readonly journal: number } & (
  | { readonly type: 'done'; readonly name: string }
  | { readonly type: 'failed'; readonly path: string; readonly reason: string }
  | { readonly type: 'discarded' }
);

/** One file this thread writes. */
interface Journal {
  readonly formatter: FillsBatchFormatter;
  /** The formatted rows' bytes on their way into {@link file}. */
  readonly bytes: CsvBytes;
  readonly consumed: Int32Array;
  file: FillsFile | null;
  /** Why the file could not be opened or a batch written, reported at the end. */
  failure: OutputError | null;
}

/**
 * The thread that formats and writes replays' fills.csv files (cli/threaded-fills-journal.ts):
 * takes each journal's packed batches in order, formats their rows as the in-thread journal
 * would, and writes them.
 */
const port = parentPort;
if (port === null) throw new Error('fills-journal-worker runs as a worker thread');
// The engine's thread sets the replay's pace: this one gives way to it when the cores are short.
lowerThreadPriority();

const journals = new Map<number, Journal>();
const reply = (message: FillsWorkerReply): void => port.postMessage(message);

// Requests are served one after another, in order: a batch may wait for its file's gzip to
// catch up (FillsFile.drained), and what comes after it waits too.
const inbox: FillsWorkerRequest[] = [];
let serving = false;
port.on('message', (request: FillsWorkerRequest) => {
  inbox.push(request);
  if (!serving) void serveInbox();
});

async function serveInbox(): Promise<void> {
  serving = true;
  for (let request = inbox.shift(); request !== undefined; request = inbox.shift()) {
    serve(request);
    if (request.type === 'batch') {
      const file = journals.get(request.journal)?.file;
      if (file?.backlogged === true) await file.drained();
    }
  }
  serving = false;
}

function serve(request: FillsWorkerRequest): void {
  switch (request.type) {
    case 'open': {
      const journal: Journal = {
        formatter: new FillsBatchFormatter(),
        bytes: new CsvBytes((bytes, length) => journal.file?.addBytes(bytes, length)),
        consumed: new Int32Array(request.consumed),
        file: null,
        failure: null,
      };
      journals.set(request.journal, journal);
      try {
        // This thread has a core's idle time beside the engine: the gzip runs as the file grows.
        journal.file = new FillsFile(request.path, openSync(request.path, 'r+'), 0, false, {
          gzipWhileWriting: true,
        });
        journal.file.add(FILLS_CSV_HEADER);
      } catch (error) {
        journal.failure = new OutputError(request.path, error);
      }
      break;
    }
    case 'batch': {
      // A journal sends no batch after its finish or discard; one that did is dropped.
      const journal = journals.get(request.journal);
      if (journal === undefined) break;
      const open = journal.file;
      try {
        if (open !== null && !open.closed && journal.failure === null)
          journal.formatter.format(request.batch, journal.bytes);
      } catch (error) {
        journal.failure = new OutputError(open?.path ?? '', error);
      }
      // Counted even when it failed: the engine's thread must never wait on a batch for ever.
      Atomics.add(journal.consumed, 0, 1);
      Atomics.notify(journal.consumed, 0);
      break;
    }
    case 'finish':
      void finish(request.journal);
      break;
    case 'discard': {
      const id = request.journal;
      const file = journals.get(id)?.file ?? null;
      void (file?.discard() ?? Promise.resolve()).finally(() => {
        journals.delete(id);
        reply({ journal: id, type: 'discarded' });
      });
      break;
    }
  }
}

async function finish(id: number): Promise<void> {
  const journal = journals.get(id);
  if (journal === undefined) {
    reply({ journal: id, type: 'failed', path: '', reason: 'the run was discarded' });
    return;
  }
  const file = journal.file;
  let answer: FillsWorkerReply;
  try {
    if (journal.failure !== null) throw journal.failure;
    answer = { journal: id, type: 'done', name: await file!.close() };
  } catch (error) {
    answer =
      error instanceof OutputError
        ? { journal: id, type: 'failed', path: error.path, reason: error.reason }
        : { journal: id, type: 'failed', path: file?.path ?? '', reason: String(error) };
  }
  journals.delete(id);
  // The engine's thread ends this thread once every journal it serves has its reply.
  reply(answer);
}

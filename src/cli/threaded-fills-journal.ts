import { closeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { OutputError } from '../core/errors.js';
import type { ExecutionReport } from '../core/execution-report.js';
import type { Decimal } from '../core/money.js';
import { FillsCsvFormatter } from '../report/fills-csv.js';
import { FILLS_BATCH_ROWS } from './fills-batch.js';
import { FillsBatchPacker } from './fills-batch-packer.js';
import { FillsJournal, openFills, type FillsSink } from './fills-journal.js';
import type { FillsWorkerReply, FillsWorkerRequest } from './fills-journal-worker.js';
import { FillsThread } from './fills-thread.js';

/** Batches sent and not yet formatted at most: beyond, the engine waits for the writing thread. */
const BATCHES_IN_FLIGHT = 32;
/** How long the engine waits for one batch to be formatted before it gives up, ms. */
const STALL_TIMEOUT_MS = 120_000;

/**
 * `replay --out`'s fills.csv on the process's main thread (one replay): the rows are formatted
 * and written on a thread of their own (cli/fills-journal-worker.ts), beside the engine, which
 * only packs each fill's fields into columns (cli/fills-batch.ts). On a worker thread (a sweep's,
 * every core already busy with a replay) the journal formats in the thread itself.
 */
export function openFillsSink(dir: string): FillsSink {
  return isMainThread ? new ThreadedFillsJournal(dir) : new FillsJournal(dir);
}

/**
 * The fills.csv journals of several runs of one replay (the lanes of a segmented or A/B/n
 * replay), each run's file in its own directory: on the process's main thread they share one
 * writing thread ({@link FillsThread}); on a worker thread (a sweep's) each formats in the thread.
 */
export function fillsSinksOpener(): (dir: string) => FillsSink {
  if (!isMainThread) return (dir) => new FillsJournal(dir);
  let thread: FillsThread | null = null;
  return (dir) => new ThreadedFillsJournal(dir, (thread ??= new FillsThread()));
}

/**
 * A run's fills.csv formatted and written on a worker thread: the same bytes as
 * {@link FillsJournal} (the same formatter, fed the packed fields), with the engine's thread
 * spared the string work (about a fifth of a `replay --out` of a fill-heavy feed, `node --cpu-prof`).
 */
export class ThreadedFillsJournal implements FillsSink {
  readonly #path: string;
  readonly #thread: FillsThread;
  readonly #journal: number;
  readonly #packer = new FillsBatchPacker();
  readonly #consumed = new Int32Array(new SharedArrayBuffer(4));
  readonly #reply: Promise<FillsWorkerReply>;
  #sent = 0;
  #ended = false;
  /** Resolves once the writing thread has closed a discarded run's file. */
  #closed: Promise<void> = Promise.resolve();

  /**
   * Creates `dir/fills.csv`, written on `thread` (by default a thread of its own, ended with the
   * journal).
   */
  constructor(dir: string, thread: FillsThread = new FillsThread()) {
    // Created here, so a directory that cannot take it fails the run at once; written there.
    const opened = openFills(dir);
    closeSync(opened.fd);
    this.#path = opened.path;
    this.#thread = thread;
    const { journal, reply } = thread.open(this.#path, this.#consumed.buffer);
    this.#journal = journal;
    this.#reply = reply;
  }

  add(report: ExecutionReport): void {
    if (this.#ended) return;
    const packer = this.#packer;
    packer.add(report);
    if (packer.count >= FILLS_BATCH_ROWS) this.#send();
  }

  async finish(
    marks: readonly (readonly [symbol: string, price: Decimal])[],
    lastTsUs: number,
  ): Promise<string> {
    if (this.#ended) throw new OutputError(this.#path, new Error('the run was discarded'));
    const format = new FillsCsvFormatter();
    for (const [symbol, price] of marks) {
      this.#packer.addRow(format.markRow(lastTsUs, symbol, price));
      if (this.#packer.count >= FILLS_BATCH_ROWS) this.#send();
    }
    this.#send();
    this.#ended = true;
    this.#post({ type: 'finish', journal: this.#journal });
    const reply = await this.#reply;
    if (reply.type === 'done') return reply.name;
    if (reply.type === 'failed') throw new OutputError(reply.path, new Error(reply.reason));
    throw new OutputError(this.#path, new Error('the run was discarded'));
  }

  discard(): Promise<void> {
    if (this.#ended) return this.#closed;
    this.#ended = true;
    this.#thread.discard(this.#journal);
    this.#closed = this.#reply.then(() => undefined);
    return this.#closed;
  }

  /** Sends the rows packed so far (none: nothing), first waiting while too many are unformatted. */
  #send(): void {
    if (this.#packer.count === 0) return;
    const consumed = this.#consumed;
    let waited = 0;
    for (;;) {
      const done = Atomics.load(consumed, 0);
      if (this.#sent - done < BATCHES_IN_FLIGHT) break;
      if (
        Atomics.wait(consumed, 0, done, 1000) === 'timed-out' &&
        (waited += 1000) >= STALL_TIMEOUT_MS
      )
        throw new OutputError(
          this.#path,
          new Error(`its writing thread took no batch for ${STALL_TIMEOUT_MS / 1000} s`),
        );
    }
    const batch = this.#packer.take();
    this.#sent++;
    this.#post({ type: 'batch', journal: this.#journal, batch }, [
      batch.kinds.buffer as ArrayBuffer,
      batch.numbers.buffer as ArrayBuffer,
      batch.codes.buffer as ArrayBuffer,
      batch.decimals.buffer as ArrayBuffer,
    ]);
  }

  #post(request: FillsWorkerRequest, transfer: ArrayBuffer[] = []): void {
    this.#thread.post(request, transfer);
  }
}

import type { Worker } from 'node:worker_threads';
import { startWorker } from '../core/start-worker.js';
import type { FillsWorkerReply, FillsWorkerRequest } from './fills-journal-worker.js';

const FILLS_WORKER = new URL(
  `./fills-journal-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
  import.meta.url,
);

/** A journal the thread serves: its file and who waits for its one reply. */
interface Served {
  readonly path: string;
  readonly resolve: (reply: FillsWorkerReply) => void;
}

/**
 * The thread that formats and writes fills.csv files (cli/fills-journal-worker.ts), shared by
 * the journals of one process's replay: one for a `replay`, one for all the lanes of a segmented
 * or A/B/n replay (a thread per lane would be as many threads as lanes, most of them idle). It
 * ends itself once every journal opened on it has had its reply.
 */
export class FillsThread {
  readonly #worker: Worker;
  readonly #served = new Map<number, Served>();
  readonly #discarded = new Set<number>();
  #nextJournal = 0;
  /** Why the thread stopped, once it has: every journal still served fails with it. */
  #stopped: string | null = null;

  constructor() {
    const worker = startWorker(FILLS_WORKER);
    this.#worker = worker;
    worker.on('message', (reply: FillsWorkerReply) => this.#answer(reply));
    worker.once('error', (error) => this.#stop(error.message));
    worker.once('exit', () => this.#stop('its writing thread stopped'));
  }

  /**
   * Opens a journal on `path` (created empty by the caller), its formatted batches counted in
   * cell 0 of `consumed`. Returns its number, for {@link post}, and its one reply: done, failed
   * or discarded.
   */
  open(
    path: string,
    consumed: SharedArrayBuffer,
  ): { journal: number; reply: Promise<FillsWorkerReply> } {
    const journal = this.#nextJournal++;
    const stopped = this.#stopped;
    const reply =
      stopped !== null
        ? Promise.resolve<FillsWorkerReply>({ journal, type: 'failed', path, reason: stopped })
        : new Promise<FillsWorkerReply>((resolve) => this.#served.set(journal, { path, resolve }));
    this.post({ type: 'open', journal, path, consumed });
    return { journal, reply };
  }

  /** Sends the thread a request (its buffers in `transfer` are handed over, not copied). */
  post(request: FillsWorkerRequest, transfer: ArrayBuffer[] = []): void {
    if (this.#stopped === null) this.#worker.postMessage(request, transfer);
  }

  /**
   * Discards a journal's file (the thread closes it, and the journal's reply says `discarded`).
   * Once every journal still served is discarded, the process need not wait for the thread.
   */
  discard(journal: number): void {
    this.post({ type: 'discard', journal });
    this.#discarded.add(journal);
    for (const served of this.#served.keys()) if (!this.#discarded.has(served)) return;
    this.#worker.unref();
  }

  #answer(reply: FillsWorkerReply): void {
    const served = this.#served.get(reply.journal);
    if (served === undefined) return;
    this.#served.delete(reply.journal);
    served.resolve(reply);
    if (this.#served.size === 0) void this.#worker.terminate();
  }

  #stop(reason: string): void {
    if (this.#stopped !== null) return;
    this.#stopped = reason;
    for (const [journal, { path, resolve }] of this.#served)
      resolve({ journal, type: 'failed', path, reason });
    this.#served.clear();
  }
}

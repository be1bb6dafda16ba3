import type { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.js';

/**
 * Worker threads of one module, kept between uses. A fresh thread loads its modules and runs its
 * first work with cold code (interpreted, then compiled as it warms up), and forgets what it
 * kept (a parsed feed); a process that uses such threads again (a benchmark, a server, a program
 * calling `runReplay` or `runSweep` in a loop) gets a thread that is already warm. A thread is
 * given back only when its user knows it is sound (its work finished); one stopped early or
 * failed is terminated instead. An idle thread is unreferenced, so it never keeps the process
 * alive, and is ended after `idleMs` without use.
 */
export class IdleWorkerPool {
  readonly #moduleUrl: URL;
  readonly #maxIdle: number;
  readonly #idle: Worker[] = [];
  /** The timer that ends each idle thread. */
  readonly #expiry = new Map<Worker, NodeJS.Timeout>();
  /**
   * What an idle thread's `error` does: it ends the thread. A thread in use has its user's
   * listeners; an idle one has none, and an `error` nobody listens to would end the process.
   */
  readonly #onIdleError = new Map<Worker, () => void>();

  /**
   * @param moduleUrl the threads' module ({@link startWorker})
   * @param maxIdle threads kept at most; the others are ended when given back
   * @param idleMs how long an idle thread is kept
   */
  constructor(
    moduleUrl: URL,
    maxIdle: number,
    readonly idleMs: number,
  ) {
    this.#moduleUrl = moduleUrl;
    this.#maxIdle = maxIdle;
  }

  /** Threads waiting for use. */
  get idleCount(): number {
    return this.#idle.length;
  }

  /** An idle thread, or a new one; referenced (it keeps the process alive while in use). */
  take(): Worker {
    const worker = this.#idle.pop();
    if (worker === undefined) {
      const fresh = startWorker(this.#moduleUrl);
      // A thread that dies while idle is forgotten.
      fresh.on('exit', () => this.#forget(fresh));
      return fresh;
    }
    this.#clearIdle(worker);
    worker.ref();
    return worker;
  }

  /** Keeps a thread that finished its work for the next use (or ends it when enough are idle). */
  give(worker: Worker): void {
    if (this.#idle.length >= this.#maxIdle) {
      void worker.terminate();
      return;
    }
    worker.unref();
    this.#idle.push(worker);
    const end = (): void => {
      this.#forget(worker);
      void worker.terminate();
    };
    const expiry = setTimeout(end, this.idleMs);
    expiry.unref();
    this.#expiry.set(worker, expiry);
    worker.once('error', end);
    this.#onIdleError.set(worker, end);
  }

  /** Ends every idle thread now. */
  async endIdle(): Promise<void> {
    const idle = this.#idle.splice(0);
    for (const worker of idle) this.#clearIdle(worker);
    await Promise.all(idle.map((worker) => worker.terminate()));
  }

  #forget(worker: Worker): void {
    this.#clearIdle(worker);
    const at = this.#idle.indexOf(worker);
    if (at >= 0) this.#idle.splice(at, 1);
  }

  /** Forgets an idle thread's timer and `error` listener. */
  #clearIdle(worker: Worker): void {
    const expiry = this.#expiry.get(worker);
    if (expiry !== undefined) {
      clearTimeout(expiry);
      this.#expiry.delete(worker);
    }
    const onError = this.#onIdleError.get(worker);
    if (onError !== undefined) {
      worker.off('error', onError);
      this.#onIdleError.delete(worker);
    }
  }
}

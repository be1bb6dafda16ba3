import type { Arm } from '../core/arm.js';
import type { ExecutionReport } from '../core/execution-report.js';
import { RunningMoments } from './running-moments.js';

/** The orders one arm sent for one decision (one target change), until all have a report. */
interface OpenBatch {
  readonly armIndex: 0 | 1;
  readonly decisionTsUs: number;
  orders: number;
  reports: number;
  fills: number;
  slippageSumBps: number;
  latencySumMs: number;
}

const armIndexOf = (arm: Arm): 0 | 1 => (arm === 'canary' ? 1 : 0);

/**
 * Decision batches, keyed by (arm, decisionTsUs): the orders an arm sent at one event time and
 * their reports. A batch completes when every order sent for it has a report **and** no more
 * orders can join it (event time has moved past its decision time: the engine sends a decision's
 * orders at one event time, and an order rejected on submission reports before the next order of
 * the same decision is sent). On completion its mean fill slippage and mean fill latency become one
 * observation each (a batch without fills gives none) and the batch is dropped: memory is
 * O(open batches). EXPIRED rejects at the end of data complete batches like any report.
 */
export class DecisionBatches {
  readonly #open: [Map<number, OpenBatch>, Map<number, OpenBatch>] = [
    new Map<number, OpenBatch>(),
    new Map<number, OpenBatch>(),
  ];
  /** Per arm, the batch at the arm's latest decision time: the only one that can still grow. */
  readonly #latest: [OpenBatch | null, OpenBatch | null] = [null, null];
  #closedThroughUs = Number.NEGATIVE_INFINITY;
  readonly #completed: [number, number] = [0, 0];
  /** Per-batch mean fill slippage, bps, per arm (index 0 stable, 1 canary). */
  readonly slippageBps: readonly [RunningMoments, RunningMoments] = [
    new RunningMoments(),
    new RunningMoments(),
  ];
  /** Per-batch mean fill latency, ms, per arm (index 0 stable, 1 canary). */
  readonly latencyMs: readonly [RunningMoments, RunningMoments] = [
    new RunningMoments(),
    new RunningMoments(),
  ];

  /** Completed batches of an arm. */
  completed(arm: Arm): number {
    return this.#completed[armIndexOf(arm)];
  }

  /** Batches still waiting for reports or for event time to move on, both arms. */
  get open(): number {
    return this.#open[0].size + this.#open[1].size;
  }

  /** One order sent by `arm` at event time `tsUs` (its decision time). */
  order(arm: Arm, tsUs: number): void {
    const index = armIndexOf(arm);
    const latest = this.#latest[index];
    let batch =
      latest !== null && latest.decisionTsUs === tsUs ? latest : this.#open[index].get(tsUs);
    if (batch === undefined) {
      batch = {
        armIndex: index,
        decisionTsUs: tsUs,
        orders: 0,
        reports: 0,
        fills: 0,
        slippageSumBps: 0,
        latencySumMs: 0,
      };
      this.#open[index].set(tsUs, batch);
    }
    batch.orders++;
    if (latest === null || tsUs >= latest.decisionTsUs) this.#latest[index] = batch;
  }

  /** A fill or reject; returns true when it completed its batch. Reports of unknown batches are ignored. */
  report(report: ExecutionReport): boolean {
    const batch = this.#open[armIndexOf(report.arm)].get(report.decisionTsUs);
    if (batch === undefined) return false;
    batch.reports++;
    if (
      report.type === 'fill' &&
      Number.isFinite(report.slippageBps) &&
      Number.isFinite(report.latencyMs)
    ) {
      batch.fills++;
      batch.slippageSumBps += report.slippageBps;
      batch.latencySumMs += report.latencyMs;
    }
    if (batch.reports >= batch.orders && batch.decisionTsUs <= this.#closedThroughUs) {
      this.#complete(batch);
      return true;
    }
    return false;
  }

  /**
   * No order with a decision time ≤ `tsUs` will come any more; completes the fully reported batches
   * this closes and returns how many. O(1): only each arm's latest batch can be waiting for this.
   */
  closeThrough(tsUs: number): number {
    if (!(tsUs > this.#closedThroughUs)) return 0;
    this.#closedThroughUs = tsUs;
    let completed = 0;
    for (let index = 0; index < 2; index++) {
      const batch = this.#latest[index as 0 | 1];
      if (batch !== null && batch.decisionTsUs <= tsUs && batch.reports >= batch.orders) {
        this.#complete(batch);
        completed++;
      }
    }
    return completed;
  }

  #complete(batch: OpenBatch): void {
    const index = batch.armIndex;
    this.#open[index].delete(batch.decisionTsUs);
    if (this.#latest[index] === batch) this.#latest[index] = null;
    this.#completed[index]++;
    if (batch.fills > 0) {
      this.slippageBps[index].push(batch.slippageSumBps / batch.fills);
      this.latencyMs[index].push(batch.latencySumMs / batch.fills);
    }
  }
}

import { expect } from 'vitest';

/** A stand-in order for the venue's queues' tests: they only keep it, beside its key and tag. */
export interface QueuedEntry {
  readonly arrivalUs: number;
  readonly seq: number;
  readonly tag: number;
}

/** What the queues' tests read of an `OrderHeap` or a `PendingOrders`. */
interface EntryQueue {
  pop(): QueuedEntry | undefined;
  readonly poppedArrivalUs: number;
  readonly poppedSeq: number;
  readonly poppedTag: number;
}

/** Settling order: earlier arrival, then earlier submission. */
export const byKey = (a: QueuedEntry, b: QueuedEntry): number =>
  a.arrivalUs - b.arrivalUs || a.seq - b.seq;

/** Pops one order and checks that the popped key and tag are the order's own. */
export function popChecked(queue: EntryQueue): QueuedEntry | undefined {
  const popped = queue.pop();
  if (popped !== undefined) {
    expect([queue.poppedArrivalUs, queue.poppedSeq, queue.poppedTag]).toEqual([
      popped.arrivalUs,
      popped.seq,
      popped.tag,
    ]);
  }
  return popped;
}

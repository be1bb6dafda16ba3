import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderHeap } from './order-heap.js';
import { byKey, popChecked, type QueuedEntry } from './test-support/queued-entry.js';

type Entry = QueuedEntry;

const entry = (arrivalUs: number, seq: number, tag = seq % 7): Entry => ({ arrivalUs, seq, tag });

const push = (heap: OrderHeap<Entry>, e: Entry): void => heap.push(e, e.arrivalUs, e.seq, e.tag);

function drain(heap: OrderHeap<Entry>): Entry[] {
  const out: Entry[] = [];
  for (let e = popChecked(heap); e !== undefined; e = popChecked(heap)) out.push(e);
  return out;
}

describe('OrderHeap', () => {
  it('is empty at first', () => {
    const heap = new OrderHeap<Entry>();
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
    expect(heap.peekArrivalUs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('pops by arrival, then by submission sequence, with each order its own key and tag', () => {
    const heap = new OrderHeap<Entry>();
    for (const [arrival, seq] of [
      [30, 0],
      [10, 1],
      [20, 2],
      [10, 3],
      [5, 4],
    ] as const)
      push(heap, entry(arrival, seq));
    expect([heap.peekArrivalUs(), heap.peekSeq()]).toEqual([5, 4]);
    expect(drain(heap).map((e) => [e.arrivalUs, e.seq])).toEqual([
      [5, 4],
      [10, 1],
      [10, 3],
      [20, 2],
      [30, 0],
    ]);
    expect(heap.size).toBe(0);
  });

  it('matches a sorted list under any mix of pushes and pops', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1)), { maxLength: 200 }),
        (ops) => {
          const heap = new OrderHeap<Entry>();
          const reference: Entry[] = [];
          let seq = 0;
          for (const op of ops) {
            if (op < 0) {
              reference.sort(byKey);
              expect(popChecked(heap)).toBe(reference.shift());
            } else {
              const e = entry(op, seq++);
              push(heap, e);
              reference.push(e);
            }
            expect(heap.size).toBe(reference.length);
            if (reference.length > 0) {
              const first = [...reference].sort(byKey)[0]!;
              expect([heap.peekArrivalUs(), heap.peekSeq()]).toEqual([first.arrivalUs, first.seq]);
            }
          }
          expect(drain(heap)).toEqual(reference.sort(byKey));
        },
      ),
    );
  });

  it('grows past its first capacity, keeping every tag with its order', () => {
    const heap = new OrderHeap<Entry>();
    const entries = Array.from({ length: 1000 }, (_, i) =>
      entry((i * 7919) % 1000, i, (i * 31) % 1_000_003),
    );
    for (const e of entries) push(heap, e);
    expect(heap.size).toBe(1000);
    expect(heap.peekArrivalUs()).toBe(0);
    expect(drain(heap)).toEqual([...entries].sort(byKey));
    expect(heap.pop()).toBeUndefined();
  });

  it('drains into a list in settling order', () => {
    const heap = new OrderHeap<Entry>();
    const entries = [entry(3, 0), entry(1, 1), entry(3, 2), entry(2, 3)];
    for (const e of entries) push(heap, e);
    const into: { order: Entry; arrivalUs: number; seq: number }[] = [];
    heap.drainInto(into);
    expect(into.map(({ order, arrivalUs, seq }) => [order, arrivalUs, seq])).toEqual(
      [...entries].sort(byKey).map((e) => [e, e.arrivalUs, e.seq]),
    );
    expect(heap.size).toBe(0);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import type { Order } from '../core/order.js';
import { OrderHeap, type PendingOrder } from './order-heap.js';

const order: Order = {
  orderId: 'stable-1',
  accountId: 'a',
  arm: 'stable',
  symbol: 'BTCUSDT',
  side: 'buy',
  quantity: new Decimal('1'),
  decisionTsUs: 0,
  decisionPrice: 1,
};

const entry = (arrivalUs: number, seq: number): PendingOrder => ({
  order,
  arrivalUs,
  seq,
  injectedReject: false,
  level: 0,
  offset: null,
});

const byKey = (a: PendingOrder, b: PendingOrder): number =>
  a.arrivalUs - b.arrivalUs || a.seq - b.seq;

describe('OrderHeap', () => {
  it('is empty at first', () => {
    const heap = new OrderHeap();
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
    expect(heap.peekArrivalUs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('pops by arrival, then by submission sequence', () => {
    const heap = new OrderHeap();
    for (const [arrival, seq] of [
      [30, 0],
      [10, 1],
      [20, 2],
      [10, 3],
      [5, 4],
    ] as const)
      heap.push(entry(arrival, seq));
    expect(heap.peekArrivalUs()).toBe(5);
    expect(heap.drain().map((e) => [e.arrivalUs, e.seq])).toEqual([
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
          const heap = new OrderHeap();
          const reference: PendingOrder[] = [];
          let seq = 0;
          for (const op of ops) {
            if (op < 0) {
              reference.sort(byKey);
              expect(heap.pop()).toBe(reference.shift());
            } else {
              const e = entry(op, seq++);
              heap.push(e);
              reference.push(e);
            }
            expect(heap.size).toBe(reference.length);
          }
          expect(heap.drain()).toEqual(reference.sort(byKey));
        },
      ),
    );
  });

  it('grows past its first capacity and keeps no settled order', () => {
    const heap = new OrderHeap();
    const entries = Array.from({ length: 1000 }, (_, i) => entry((i * 7919) % 1000, i));
    for (const e of entries) heap.push(e);
    expect(heap.size).toBe(1000);
    expect(heap.peekArrivalUs()).toBe(0);
    const popped = heap.drain();
    expect(popped.map((e) => e.seq)).toEqual([...entries].sort(byKey).map((e) => e.seq));
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
  });
});

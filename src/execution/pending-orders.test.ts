import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PendingOrders } from './pending-orders.js';
import { byKey, popChecked, type QueuedEntry } from './test-support/queued-entry.js';

type Entry = QueuedEntry;

describe('PendingOrders', () => {
  it('is empty at first', () => {
    const queue = new PendingOrders<Entry>();
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
    expect(queue.peekArrivalUs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('takes orders out as a sorted list would, batches of any size between reads (property)', () => {
    // A step pushes a batch (a target change's orders: sometimes past the size that makes a
    // sorted run, sometimes more runs than are kept) or pops a few, peeking as the venue does.
    // Latencies over a wide range, or over a few values (arrival ties between batches, which the
    // sequence must break wherever the orders wait: the heap or a run).
    const step = (spread: number) =>
      fc.oneof(
        fc.record({
          // size 'max': fast-check keeps arrays to about ten values otherwise, never a run.
          push: fc.array(fc.integer({ min: 0, max: spread }), { maxLength: 90, size: 'max' }),
          offset: fc.integer({ min: 0, max: spread }),
        }),
        fc.record({ pop: fc.integer({ min: 1, max: 40 }) }),
      );
    const steps = fc.oneof(
      fc.array(step(400), { maxLength: 40, size: 'max' }),
      fc.array(step(3), { maxLength: 40, size: 'max' }),
    );
    fc.assert(
      fc.property(steps, (steps) => {
        const queue = new PendingOrders<Entry>();
        const reference: Entry[] = [];
        let seq = 0;
        for (const s of steps) {
          if ('push' in s) {
            for (const latency of s.push) {
              const e = { arrivalUs: s.offset + latency, seq: seq++, tag: seq % 5 };
              queue.push(e, e.arrivalUs, e.seq, e.tag);
              reference.push(e);
            }
          } else {
            for (let k = 0; k < s.pop; k++) {
              reference.sort(byKey);
              const first = reference[0];
              expect(queue.peekArrivalUs()).toBe(first?.arrivalUs ?? Number.POSITIVE_INFINITY);
              if (first !== undefined) expect(queue.peekSeq()).toBe(first.seq);
              expect(popChecked(queue)).toBe(reference.shift());
            }
          }
          expect(queue.size).toBe(reference.length);
        }
        const drained: { order: Entry; arrivalUs: number; seq: number }[] = [];
        queue.drainInto(drained);
        expect(drained.map((d) => d.order)).toEqual(reference.sort(byKey));
        expect(
          drained.every((d) => d.arrivalUs === d.order.arrivalUs && d.seq === d.order.seq),
        ).toBe(true);
        expect(queue.size).toBe(0);
      }),
    );
  });

  it('keeps a batch pushed while it is being read in order', () => {
    const queue = new PendingOrders<Entry>();
    const batch = (from: number, count: number, arrival: (i: number) => number): Entry[] =>
      Array.from({ length: count }, (_, i) => ({ arrivalUs: arrival(i), seq: from + i, tag: i }));
    const first = batch(0, 100, (i) => 1000 + ((i * 37) % 100));
    for (const e of first) queue.push(e, e.arrivalUs, e.seq, e.tag);
    const out: Entry[] = [];
    for (let k = 0; k < 50; k++) out.push(popChecked(queue)!);
    // Orders submitted while the first batch settles (as a fill's report may send one).
    const second = batch(100, 100, (i) => 1040 + ((i * 13) % 50));
    for (const e of second) queue.push(e, e.arrivalUs, e.seq, e.tag);
    for (let e = popChecked(queue); e !== undefined; e = popChecked(queue)) out.push(e);
    const firstSorted = [...first].sort(byKey);
    expect(out).toEqual([
      ...firstSorted.slice(0, 50),
      ...[...firstSorted.slice(50), ...second].sort(byKey),
    ]);
  });
  it('folds runs past its limit into the heap, each order with its own key and tag', () => {
    const queue = new PendingOrders<Entry>();
    const all: Entry[] = [];
    let seq = 0;
    // Forty batches of forty, each read once (a sorted run each), with no time to drain.
    for (let b = 0; b < 40; b++) {
      for (let i = 0; i < 40; i++) {
        const e = { arrivalUs: 1000 + ((i * 17 + b * 5) % 60), seq: seq++, tag: (seq * 7) % 1000 };
        queue.push(e, e.arrivalUs, e.seq, e.tag);
        all.push(e);
      }
      all.sort(byKey);
      expect(popChecked(queue)).toBe(all.shift());
    }
    const out: Entry[] = [];
    for (let e = popChecked(queue); e !== undefined; e = popChecked(queue)) out.push(e);
    expect(out).toEqual(all);
  });
});

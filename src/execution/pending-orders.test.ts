import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InFlightOrderCodec } from './in-flight-order-codec.js';
import { PendingOrders } from './pending-orders.js';
import { byKey, popChecked, type QueuedEntry } from './test-support/queued-entry.js';

type Entry = QueuedEntry;

/** An order with an account (its holder) and a batch (what it shares with its batch). */
interface CodedEntry extends QueuedEntry {
  readonly account: { readonly id: number };
  readonly batch: { readonly id: number };
}

/**
 * Keeps a {@link CodedEntry} as its account, its batch, its arrival, and seq and tag in one
 * number; batches from 40 on (runs start at 32: both kinds of run occur).
 */
const ENTRY_CODEC: InFlightOrderCodec<CodedEntry> = {
  minBatch: 40,
  holder: (entry) => entry.account,
  shared: (entry) => entry.batch,
  first: (entry) => entry.arrivalUs,
  second: (entry) => entry.seq * 1024 + entry.tag,
  rebuild: (account, batch, first, second) => ({
    account: account as CodedEntry['account'],
    batch: batch as CodedEntry['batch'],
    arrivalUs: first,
    seq: Math.floor(second / 1024),
    tag: second % 1024,
  }),
};

const ACCOUNTS = Array.from({ length: 7 }, (_, id) => ({ id }));

describe('PendingOrders', () => {
  it('is empty at first', () => {
    const queue = new PendingOrders<Entry>();
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
    expect(queue.peekArrivalUs()).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    ['kept as objects', null],
    ['kept through a codec', ENTRY_CODEC],
  ] as const)(
    'takes orders out as a sorted list would, batches of any size between reads, %s (property)',
    (_, codec) => {
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
          const queue = new PendingOrders<CodedEntry>(codec);
          const reference: CodedEntry[] = [];
          // Kept as objects, the order taken out is the one pushed; through the codec an equal
          // one (the pushed one from a batch too small to code), with the same account and batch.
          const expectSame = (
            out: CodedEntry | undefined,
            expected: CodedEntry | undefined,
          ): void => {
            if (codec === null || expected === undefined) expect(out).toBe(expected);
            else {
              expect(out).toEqual(expected);
              expect(out?.account).toBe(expected.account);
              expect(out?.batch).toBe(expected.batch);
            }
          };
          let seq = 0;
          for (const [b, s] of steps.entries()) {
            if ('push' in s) {
              // Two batch objects in turns within a push: the codec keeps each run of equal ones once.
              const batches = [{ id: 2 * b }, { id: 2 * b + 1 }];
              for (const [i, latency] of s.push.entries()) {
                const e = {
                  account: ACCOUNTS[seq % ACCOUNTS.length]!,
                  batch: batches[Math.floor(i / 7) % 2]!,
                  arrivalUs: s.offset + latency,
                  seq: seq++,
                  tag: seq % 5,
                };
                queue.push(e, e.arrivalUs, e.seq, e.tag);
                reference.push(e);
              }
            } else {
              for (let k = 0; k < s.pop; k++) {
                reference.sort(byKey);
                const first = reference[0];
                expect(queue.peekArrivalUs()).toBe(first?.arrivalUs ?? Number.POSITIVE_INFINITY);
                if (first !== undefined) expect(queue.peekSeq()).toBe(first.seq);
                expectSame(popChecked(queue) as CodedEntry | undefined, reference.shift());
              }
            }
            expect(queue.size).toBe(reference.length);
          }
          const drained: { order: CodedEntry; arrivalUs: number; seq: number }[] = [];
          queue.drainInto(drained);
          reference.sort(byKey);
          expect(drained).toHaveLength(reference.length);
          drained.forEach((d, i) => expectSame(d.order, reference[i]));
          expect(
            drained.every((d) => d.arrivalUs === d.order.arrivalUs && d.seq === d.order.seq),
          ).toBe(true);
          expect(queue.size).toBe(0);
        }),
      );
    },
  );

  it.each([
    ['a run', ENTRY_CODEC, 40],
    ['the heap (a batch too small for a run)', { ...ENTRY_CODEC, minBatch: 4 }, 4],
  ] as const)(
    "codes a batch of the codec's minBatch or more, and keeps a smaller one as objects, into %s",
    (_, codec, size) => {
      const queue = new PendingOrders<CodedEntry>(codec);
      const batch = (from: number, count: number): CodedEntry[] =>
        Array.from({ length: count }, (_, i) => ({
          account: ACCOUNTS[i % ACCOUNTS.length]!,
          batch: { id: from },
          arrivalUs: 1000 + ((i * 37) % 101),
          seq: from + i,
          tag: i % 3,
        }));
      for (const [from, count] of [
        [0, size],
        [100, size - 1],
      ] as const) {
        const pushed = batch(from, count);
        for (const e of pushed) queue.push(e, e.arrivalUs, e.seq, e.tag);
        const out: CodedEntry[] = [];
        for (let e = queue.pop(); e !== undefined; e = queue.pop()) out.push(e);
        const sorted = [...pushed].sort(byKey);
        expect(out).toEqual(sorted);
        const same = out.filter((e, i) => e === sorted[i]).length;
        expect(same).toBe(count >= codec.minBatch ? 0 : count);
      }
    },
  );

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
  it.each([
    ['kept as objects', null],
    ['kept through a codec', ENTRY_CODEC],
  ] as const)(
    'folds runs past its limit into the heap, each order with its own key and tag, %s',
    (_, codec) => {
      const queue = new PendingOrders<CodedEntry>(codec);
      const all: CodedEntry[] = [];
      let seq = 0;
      // Forty batches of forty, each read once (a sorted run each), with no time to drain.
      for (let b = 0; b < 40; b++) {
        const batch = { id: b };
        for (let i = 0; i < 40; i++) {
          const e = {
            account: ACCOUNTS[i % ACCOUNTS.length]!,
            batch,
            arrivalUs: 1000 + ((i * 17 + b * 5) % 60),
            seq: seq++,
            tag: (seq * 7) % 1000,
          };
          queue.push(e, e.arrivalUs, e.seq, e.tag);
          all.push(e);
        }
        all.sort(byKey);
        expect(popChecked(queue)).toEqual(all.shift());
      }
      const out: QueuedEntry[] = [];
      for (let e = popChecked(queue); e !== undefined; e = popChecked(queue)) out.push(e);
      expect(out).toEqual(all);
      if (codec !== null) {
        const batches = (out as CodedEntry[]).map((e) => e.batch);
        expect(batches.every((batch, i) => batch === all[i]!.batch)).toBe(true);
      }
    },
  );
});

import type { Order } from '../core/order.js';
import type { AccountOffset } from './account-slippage.js';

/** An accepted order waiting to reach the venue. */
export interface PendingOrder<O extends Order = Order> {
  readonly order: O;
  /** Event time the order reaches the venue, µs. */
  readonly arrivalUs: number;
  /** Submission sequence, unique and increasing: breaks arrival ties in submission order. */
  readonly seq: number;
  /** Drawn at submission: fault injection rejects this order at arrival. */
  readonly injectedReject: boolean;
  /** The broker's fault level (arm and canary weight) in effect at submission. */
  readonly level: number;
  /** The account's persistent slippage offset, or null for none. */
  readonly offset: AccountOffset | null;
}

/** Whether `a` settles before `b`: earlier arrival, then earlier submission. */
export const settlesBefore = (a: PendingOrder, b: PendingOrder): boolean =>
  a.arrivalUs < b.arrivalUs || (a.arrivalUs === b.arrivalUs && a.seq < b.seq);

/** Binary min-heap of pending orders keyed by (arrivalUs, seq): push and pop O(log n), peek O(1). */
export class OrderHeap<O extends Order = Order> {
  readonly #items: PendingOrder<O>[] = [];

  get size(): number {
    return this.#items.length;
  }

  /** The earliest order without removing it, or undefined when empty. */
  peek(): PendingOrder<O> | undefined {
    return this.#items[0];
  }

  /** Arrival of the earliest order, µs, or +Infinity when empty. */
  peekArrivalUs(): number {
    const head = this.#items[0];
    return head === undefined ? Number.POSITIVE_INFINITY : head.arrivalUs;
  }

  push(entry: PendingOrder<O>): void {
    const items = this.#items;
    let i = items.length;
    items.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!settlesBefore(entry, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = entry;
  }

  /** Removes and returns the earliest order, or undefined when empty. */
  pop(): PendingOrder<O> | undefined {
    const items = this.#items;
    const head = items[0];
    const last = items.pop();
    if (head === undefined || last === undefined || items.length === 0) return head;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && settlesBefore(items[right]!, items[left]!)) child = right;
      const c = items[child]!;
      if (!settlesBefore(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return head;
  }

  /** Empties the heap, returning its orders in (arrivalUs, seq) order. */
  drain(): PendingOrder<O>[] {
    const out: PendingOrder<O>[] = [];
    for (let entry = this.pop(); entry !== undefined; entry = this.pop()) out.push(entry);
    return out;
  }
}

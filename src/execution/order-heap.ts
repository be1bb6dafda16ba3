import { grown } from '../core/grown-array.js';

/**
 * Binary min-heap of orders waiting to reach the venue, keyed by (arrival, submission
 * sequence): push and pop O(log n), peek O(1). `PendingOrders` (pending-orders.ts) keeps here the orders that
 * come a few at a time (a large batch becomes a sorted run instead). What the venue keeps of a pending order besides
 * the order itself (its arrival, its sequence, and a small integer `tag`: the fault level and the
 * injected-reject coin) lives in typed arrays beside the orders, so a pending order is no object
 * of its own and sifting compares numbers in contiguous arrays, never reading an order. With
 * 100,000 orders in flight (one per account after a target change) each object read was a cache
 * miss, and each object the scavenger had to copy while its order was in flight.
 */
export class OrderHeap<O> {
  readonly #orders: O[] = [];
  #arrival = new Float64Array(64);
  #seq = new Float64Array(64);
  #tag = new Int32Array(64);
  #poppedArrivalUs = Number.NaN;
  #poppedSeq = Number.NaN;
  #poppedTag = 0;

  get size(): number {
    return this.#orders.length;
  }

  /** Arrival of the earliest order, µs, or +Infinity when empty. */
  peekArrivalUs(): number {
    return this.#orders.length === 0 ? Number.POSITIVE_INFINITY : this.#arrival[0]!;
  }

  /** Submission sequence of the earliest order (meaningless when empty). */
  peekSeq(): number {
    return this.#seq[0]!;
  }

  /** Arrival, µs, of the order the last {@link pop} returned. */
  get poppedArrivalUs(): number {
    return this.#poppedArrivalUs;
  }

  /** Submission sequence of the order the last {@link pop} returned. */
  get poppedSeq(): number {
    return this.#poppedSeq;
  }

  /** Tag of the order the last {@link pop} returned. */
  get poppedTag(): number {
    return this.#poppedTag;
  }

  /**
   * Adds `order`, reaching the venue at `arrivalUs`, submitted `seq`-th (unique and increasing:
   * it breaks arrival ties in submission order), with `tag` (a 32-bit integer kept for the caller).
   */
  push(order: O, arrivalUs: number, seq: number, tag: number): void {
    const orders = this.#orders;
    let i = orders.length;
    if (i === this.#arrival.length) this.#grow();
    const arrival = this.#arrival;
    const seqs = this.#seq;
    const tags = this.#tag;
    orders.push(order);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentArrival = arrival[parent]!;
      if (!(arrivalUs < parentArrival || (arrivalUs === parentArrival && seq < seqs[parent]!)))
        break;
      orders[i] = orders[parent]!;
      arrival[i] = parentArrival;
      seqs[i] = seqs[parent]!;
      tags[i] = tags[parent]!;
      i = parent;
    }
    orders[i] = order;
    arrival[i] = arrivalUs;
    seqs[i] = seq;
    tags[i] = tag;
  }

  /**
   * Removes and returns the earliest order, or undefined when empty; its arrival, sequence and
   * tag are then {@link poppedArrivalUs}, {@link poppedSeq} and {@link poppedTag}.
   */
  pop(): O | undefined {
    const orders = this.#orders;
    const n = orders.length - 1;
    if (n < 0) return undefined;
    const arrival = this.#arrival;
    const seqs = this.#seq;
    const tags = this.#tag;
    const head = orders[0]!;
    this.#poppedArrivalUs = arrival[0]!;
    this.#poppedSeq = seqs[0]!;
    this.#poppedTag = tags[0]!;
    const last = orders.pop()!;
    if (n === 0) return head;
    const lastArrival = arrival[n]!;
    const lastSeq = seqs[n]!;
    const lastTag = tags[n]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (
        right < n &&
        (arrival[right]! < arrival[left]! ||
          (arrival[right] === arrival[left] && seqs[right]! < seqs[left]!))
      )
        child = right;
      const childArrival = arrival[child]!;
      if (!(childArrival < lastArrival || (childArrival === lastArrival && seqs[child]! < lastSeq)))
        break;
      orders[i] = orders[child]!;
      arrival[i] = childArrival;
      seqs[i] = seqs[child]!;
      tags[i] = tags[child]!;
      i = child;
    }
    orders[i] = last;
    arrival[i] = lastArrival;
    seqs[i] = lastSeq;
    tags[i] = lastTag;
    return head;
  }

  /** Empties the heap into `into`, in (arrival, sequence) order. */
  drainInto(into: { order: O; arrivalUs: number; seq: number }[]): void {
    for (let order = this.pop(); order !== undefined; order = this.pop())
      into.push({ order, arrivalUs: this.#poppedArrivalUs, seq: this.#poppedSeq });
  }

  #grow(): void {
    const size = this.#arrival.length * 2;
    this.#arrival = grown(this.#arrival, new Float64Array(size));
    this.#seq = grown(this.#seq, new Float64Array(size));
    this.#tag = grown(this.#tag, new Int32Array(size));
  }
}

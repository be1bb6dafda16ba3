import { grown } from '../core/grown-array.js';
import type { InFlightOrderCodec } from './in-flight-order-codec.js';
import { OrderHeap } from './order-heap.js';
import { sortedIndices } from './sorted-indices.js';

/** Pushes sorted at once (a target change's orders) at or above this count become a sorted run. */
const RUN_MIN = 32;
/** More sorted runs than this are folded into the heap (bounds the scan for the earliest). */
const MAX_RUNS = 16;

/**
 * Orders sorted by (arrival, sequence), consumed from `head` on. Uncoded (`first` empty),
 * `holders` are the orders; coded, each order is its holder, its shared object
 * (`shared[sharedIndex[k]]`) and its two numbers.
 */
interface SortedRun {
  readonly holders: object[];
  readonly shared: readonly object[];
  readonly sharedIndex: Int32Array;
  readonly first: Float64Array;
  readonly second: Float64Array;
  readonly arrival: Float64Array;
  readonly seq: Float64Array;
  readonly tag: Int32Array;
  head: number;
}

/**
 * The venue's orders waiting to reach it, taken out by (arrival, submission sequence): the
 * earliest first, ties in submission order. Same contract as {@link OrderHeap}, built for the
 * way orders come: a target change submits one order per account of the arm at once, all before
 * the next one is taken out. Pushes are kept unsorted until the queue is next read; then a batch
 * of {@link RUN_MIN} or more is sorted in one go (a typed-array sort of integer keys) into a run
 * read from its head, and a smaller one goes into a binary heap. Taking an order out of a run is
 * reading the next slot of four arrays, where a heap of 100,000 sifts through seventeen levels of
 * them, a cache miss or more each. The earliest order is the earliest of the heap's head and the
 * runs' heads (at most {@link MAX_RUNS} runs: more are folded into the heap).
 *
 * With an {@link InFlightOrderCodec}, once the pushes since the last read reach the codec's
 * `minBatch`, the queue codes them and every later push of the batch as it comes, and keeps no
 * order object of the batch: each is rebuilt when it is taken out (or when it goes into the heap).
 */
export class PendingOrders<O> {
  readonly #codec: InFlightOrderCodec<O> | null;
  /** Pushes since the last read from which on they are coded (+Infinity without a codec). */
  readonly #minBatch: number;
  readonly #heap = new OrderHeap<O>();
  #runs: SortedRun[] = [];
  // Pushed since the queue was last read, in push (so sequence) order: the first `#newCount` of
  // arrays kept from batch to batch (regrown from empty, 100,000 orders' worth of arrays would be
  // copied by each scavenge they lived through). The orders, or once there are `#minBatch` of
  // them their holders, the index of each one's shared object in `#newShared`, and their two
  // numbers.
  readonly #newHolders: (object | undefined)[] = [];
  readonly #newShared: object[] = [];
  #newSharedIndex = new Int32Array(64);
  #newFirst = new Float64Array(64);
  #newSecond = new Float64Array(64);
  #newArrival = new Float64Array(64);
  #newSeq = new Float64Array(64);
  #newTag = new Int32Array(64);
  #newCount = 0;
  #size = 0;
  /** Where the earliest order is (-1: the heap, else a run's index), when `#bestKnown`. */
  #best = -1;
  #bestKnown = true;
  #poppedArrivalUs = Number.NaN;
  #poppedSeq = Number.NaN;
  #poppedTag = 0;

  /** @param codec how to keep the orders of a batch without their objects; none: keep them. */
  constructor(codec: InFlightOrderCodec<O> | null = null) {
    this.#codec = codec;
    this.#minBatch = codec === null ? Number.POSITIVE_INFINITY : codec.minBatch;
  }

  get size(): number {
    return this.#size;
  }

  /** Arrival of the earliest order, µs, or +Infinity when empty. */
  peekArrivalUs(): number {
    if (this.#size === 0) return Number.POSITIVE_INFINITY;
    const best = this.#bestIndex();
    if (best < 0) return this.#heap.peekArrivalUs();
    const run = this.#runs[best]!;
    return run.arrival[run.head]!;
  }

  /** Submission sequence of the earliest order (meaningless when empty). */
  peekSeq(): number {
    const best = this.#bestIndex();
    if (best < 0) return this.#heap.peekSeq();
    const run = this.#runs[best]!;
    return run.seq[run.head]!;
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
   * Adds `order`, reaching the venue at `arrivalUs`, submitted `seq`-th (unique and increasing
   * from push to push: it breaks arrival ties in submission order), with `tag` (a 32-bit integer
   * kept for the caller).
   */
  push(order: O, arrivalUs: number, seq: number, tag: number): void {
    const at = this.#newCount;
    if (at === this.#newArrival.length) this.#growNew();
    if (at >= this.#minBatch) this.#code(at, order);
    else this.#newHolders[at] = order as object;
    this.#newArrival[at] = arrivalUs;
    this.#newSeq[at] = seq;
    this.#newTag[at] = tag;
    this.#newCount = at + 1;
    this.#size++;
    this.#bestKnown = false;
    if (at + 1 === this.#minBatch) {
      for (let i = 0; i <= at; i++) this.#code(i, this.#newHolders[i] as O);
    }
  }

  /** Keeps the `i`-th push as the codec gives it. */
  #code(i: number, order: O): void {
    const codec = this.#codec!;
    this.#newHolders[i] = codec.holder(order);
    const shared = codec.shared(order);
    const list = this.#newShared;
    // Mostly one shared object a batch (the orders of one decision), so the last is checked first.
    let index = list.length - 1;
    if (index < 0 || list[index] !== shared) {
      index = list.indexOf(shared);
      if (index < 0) index = list.push(shared) - 1;
    }
    this.#newSharedIndex[i] = index;
    this.#newFirst[i] = codec.first(order);
    this.#newSecond[i] = codec.second(order);
  }

  /** The `i`-th push since the last read: itself, or rebuilt. */
  #newOrder(i: number): O {
    const holder = this.#newHolders[i]!;
    if (this.#newCount < this.#minBatch) return holder as O;
    return this.#codec!.rebuild(
      holder,
      this.#newShared[this.#newSharedIndex[i]!]!,
      this.#newFirst[i]!,
      this.#newSecond[i]!,
    );
  }

  /**
   * Removes and returns the earliest order, or undefined when empty; its arrival, sequence and
   * tag are then {@link poppedArrivalUs}, {@link poppedSeq} and {@link poppedTag}.
   */
  pop(): O | undefined {
    if (this.#size === 0) return undefined;
    const best = this.#bestIndex();
    this.#size--;
    this.#bestKnown = false;
    if (best < 0) {
      const heap = this.#heap;
      const order = heap.pop()!;
      this.#poppedArrivalUs = heap.poppedArrivalUs;
      this.#poppedSeq = heap.poppedSeq;
      this.#poppedTag = heap.poppedTag;
      return order;
    }
    const runs = this.#runs;
    const run = runs[best]!;
    const at = run.head;
    const order = this.#runOrder(run, at);
    this.#poppedArrivalUs = run.arrival[at]!;
    this.#poppedSeq = run.seq[at]!;
    this.#poppedTag = run.tag[at]!;
    run.head = at + 1;
    if (run.head === run.holders.length) {
      runs[best] = runs[runs.length - 1]!;
      runs.pop();
    }
    return order;
  }

  /** Empties the queue into `into`, in (arrival, sequence) order. */
  drainInto(into: { order: O; arrivalUs: number; seq: number }[]): void {
    for (let order = this.pop(); order !== undefined; order = this.pop())
      into.push({ order, arrivalUs: this.#poppedArrivalUs, seq: this.#poppedSeq });
  }

  /** Where the earliest order is: -1 for the heap, else the index of its run. Not empty. */
  #bestIndex(): number {
    if (this.#bestKnown) return this.#best;
    if (this.#newCount > 0) this.#sortNew();
    const heap = this.#heap;
    let best = -1;
    let bestArrival = heap.size === 0 ? Number.POSITIVE_INFINITY : heap.peekArrivalUs();
    let bestSeq = heap.size === 0 ? Number.POSITIVE_INFINITY : heap.peekSeq();
    const runs = this.#runs;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r]!;
      const arrival = run.arrival[run.head]!;
      const seq = run.seq[run.head]!;
      if (arrival < bestArrival || (arrival === bestArrival && seq < bestSeq)) {
        best = r;
        bestArrival = arrival;
        bestSeq = seq;
      }
    }
    this.#best = best;
    this.#bestKnown = true;
    return best;
  }

  /** The order at `k` of `run`: itself, or rebuilt. */
  #runOrder(run: SortedRun, k: number): O {
    const holder = run.holders[k]!;
    if (run.first.length === 0) return holder as O;
    return this.#codec!.rebuild(
      holder,
      run.shared[run.sharedIndex[k]!]!,
      run.first[k]!,
      run.second[k]!,
    );
  }

  /** Moves the pushes not yet sorted into the heap (a few) or into a new sorted run. */
  #sortNew(): void {
    const holders = this.#newHolders;
    const arrival = this.#newArrival;
    const seq = this.#newSeq;
    const tag = this.#newTag;
    const n = this.#newCount;
    if (n < RUN_MIN) {
      for (let i = 0; i < n; i++) this.#heap.push(this.#newOrder(i), arrival[i]!, seq[i]!, tag[i]!);
    } else {
      const order = sortedIndices(arrival, n);
      const coded = n >= this.#minBatch ? n : 0;
      const run: SortedRun = {
        holders: new Array<object>(n),
        shared: [...this.#newShared],
        sharedIndex: new Int32Array(coded),
        first: new Float64Array(coded),
        second: new Float64Array(coded),
        arrival: new Float64Array(n),
        seq: new Float64Array(n),
        tag: new Int32Array(n),
        head: 0,
      };
      for (let k = 0; k < n; k++) {
        const i = order[k]!;
        run.holders[k] = holders[i]!;
        run.arrival[k] = arrival[i]!;
        run.seq[k] = seq[i]!;
        run.tag[k] = tag[i]!;
      }
      if (coded > 0) {
        const sharedIndex = this.#newSharedIndex;
        const first = this.#newFirst;
        const second = this.#newSecond;
        for (let k = 0; k < n; k++) {
          const i = order[k]!;
          run.sharedIndex[k] = sharedIndex[i]!;
          run.first[k] = first[i]!;
          run.second[k] = second[i]!;
        }
      }
      this.#runs.push(run);
      if (this.#runs.length > MAX_RUNS) this.#foldRuns();
    }
    // The orders live on in the heap or the run; the buffers forget them.
    holders.fill(undefined, 0, n);
    this.#newShared.length = 0;
    this.#newCount = 0;
  }

  #growNew(): void {
    const size = 2 * this.#newArrival.length;
    if (this.#codec !== null) {
      this.#newSharedIndex = grown(this.#newSharedIndex, new Int32Array(size));
      this.#newFirst = grown(this.#newFirst, new Float64Array(size));
      this.#newSecond = grown(this.#newSecond, new Float64Array(size));
    }
    this.#newArrival = grown(this.#newArrival, new Float64Array(size));
    this.#newSeq = grown(this.#newSeq, new Float64Array(size));
    this.#newTag = grown(this.#newTag, new Int32Array(size));
  }

  /** Moves every run's remaining orders into the heap. */
  #foldRuns(): void {
    const heap = this.#heap;
    for (const run of this.#runs) {
      for (let k = run.head; k < run.holders.length; k++)
        heap.push(this.#runOrder(run, k), run.arrival[k]!, run.seq[k]!, run.tag[k]!);
    }
    this.#runs = [];
  }
}

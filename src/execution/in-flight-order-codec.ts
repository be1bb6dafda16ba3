/**
 * How a `SimulatedBroker` may keep an order while it is in flight without keeping the order
 * object: as a long-lived object the order refers to (`holder`, e.g. its account's record), an
 * object it shares with the orders submitted with it (`shared`, e.g. their decision; kept once
 * per batch) and two numbers. It does so for batches of `minBatch` orders or more, and rebuilds
 * each of their orders when it settles or expires: an object equal to the submitted one field by
 * field, not the same object.
 *
 * Why: a target change over 100,000 accounts sends 100,000 orders, in flight for tens of
 * milliseconds of event time, through several of V8's young-generation collections, each of which
 * copied every order object still in flight. Kept as references to objects that are long-lived
 * anyway and as numbers in typed arrays, an order in flight costs the collector nothing, and the
 * rebuilt order is a fresh object that dies young (`node --trace-gc
 * dist/bench/replay-rss-child.js .bench/synthetic-seed1-30000.csv 100000`: the README's
 * "Architecture", a large target change's orders).
 *
 * `rebuild(holder(o), shared(o), first(o), second(o))` must equal `o` in every field its reports
 * and its reader read.
 */
export interface InFlightOrderCodec<O> {
  /**
   * Batches smaller than this (orders pushed between two reads of a queue) keep their objects,
   * and a larger one is coded from its `minBatch`-th order on (those before it then too): a few
   * hundred objects cost a collection little to copy, and coding costs a little per order.
   */
  readonly minBatch: number;
  /** A long-lived object of the order's (kept by reference while the order is in flight). */
  holder(order: O): object;
  /** What the order shares with the orders submitted with it (kept once per batch). */
  shared(order: O): object;
  /** The order's first number. */
  first(order: O): number;
  /** The order's second number. */
  second(order: O): number;
  /** The order again, from what the four functions above gave. */
  rebuild(holder: object, shared: object, first: number, second: number): O;
}

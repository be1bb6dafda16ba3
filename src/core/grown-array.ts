/** A typed array of numbers (the kinds the columns and queues grow). */
type NumberArray = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** `into` with `from` copied to its start: a typed array grown, its values kept. */
export function grown<T extends NumberArray>(from: T, into: T): T {
  into.set(from);
  return into;
}

/**
 * A batch of market events packed for a thread boundary: typed-array columns and the events'
 * decimal strings and ids as bytes (all transferred, not copied), with the exchange and symbol
 * sent once while they repeat. Packing (`PackedBatchWriter`) copies the bytes of a line's decimal
 * strings as they are (nothing is decoded); unpacking (`unpackBatch`, packed-events.ts) makes
 * events that read the batch in place, so neither side makes a string per event: receiving a
 * batch costs a fraction of parsing it (`bench/event-transfer-probe.ts`).
 */
export interface PackedBatch {
  readonly size: number;
  /** 1 quote, 2 trade. */
  readonly kind: Uint8Array;
  readonly tsUs: Float64Array;
  /** NaN for none. */
  readonly exchangeTsUs: Float64Array;
  /** Four per event: quote bid price, bid size, ask price, ask size; trade price, size. */
  readonly nums: Float64Array;
  /**
   * Per event: bit 0 the exchange repeats the previous event's (not in `names`), bit 1 the
   * symbol; a trade's bit 2 side null, bit 3 side sell, bit 4 id null.
   */
  readonly flags: Uint8Array;
  /** Exchanges and symbols not repeated, in event order, joined by newlines. */
  readonly names: string;
  /**
   * The strings' bytes, event after event: a quote's bid price, bid size, ask price and ask size;
   * a trade's price, size and id (UTF-8). Only the first `textEnd[4 × size − 1]` bytes are used.
   */
  readonly text: Uint8Array;
  /** Four per event: where each of its strings ends in `text` (a trade's fourth repeats its third). */
  readonly textEnd: Uint32Array;
}

/** Numbers (and string ends) per event in `nums` and `textEnd`. */
export const PACKED_NUMS = 4;
/** Flag: the exchange repeats the previous event's. */
export const PACKED_EXCHANGE_REPEATS = 1;
/** Flag: the symbol repeats the previous event's. */
export const PACKED_SYMBOL_REPEATS = 2;
/** Flag: a trade's side is null. */
export const PACKED_SIDE_NULL = 4;
/** Flag: a trade's side is sell. */
export const PACKED_SIDE_SELL = 8;
/** Flag: a trade has no id. */
export const PACKED_ID_NULL = 16;

/** The buffers a packed batch can hand over to another thread without copying. */
export function transferablesOf(batch: PackedBatch): ArrayBuffer[] {
  return [
    batch.kind,
    batch.tsUs,
    batch.exchangeTsUs,
    batch.nums,
    batch.flags,
    batch.text,
    batch.textEnd,
  ].map((a) => a.buffer as ArrayBuffer);
}

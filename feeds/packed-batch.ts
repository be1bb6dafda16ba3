import type { MarketEvent } from '../src/core/market-event.js';
import { BufferQuoteEvent, BufferTradeEvent } from './buffer-events.js';

/**
 * A batch of market events packed for a thread boundary: typed-array columns and the events'
 * decimal strings and ids as bytes (all transferred, not copied), with the exchange and symbol
 * sent once while they repeat. Packing copies a buffer event's bytes as they are (nothing is
 * decoded); unpacking (`unpackBatch`, packed-events.ts) makes events that read the batch in place,
 * so neither side makes a string per event: receiving a batch costs a fraction of parsing it
 * (`bench/event-transfer-probe.ts`).
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

/** Bytes reserved per event before the text grows (a quote of four 8-digit decimals fits). */
const TEXT_BYTES_PER_EVENT = 40;

/** The growing text of a batch being packed. */
class TextWriter {
  bytes: Buffer;
  at = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.from(new ArrayBuffer(Math.max(capacity, 64)));
  }

  /** Copies `source[start, end)`. */
  copy(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.#reserve(length);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = start; i < end; i++) bytes[at++] = source[i]!;
    this.at = at;
  }

  /** Writes `text` as UTF-8. */
  write(text: string): void {
    this.#reserve(text.length * 3);
    this.at += this.bytes.write(text, this.at, 'utf8');
  }

  #reserve(length: number): void {
    if (this.at + length <= this.bytes.length) return;
    const grown = Buffer.from(new ArrayBuffer(Math.max(this.bytes.length * 2, this.at + length)));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }
}

/** Packs `events` (any length, buffer events or plain ones). */
export function packBatch(events: readonly MarketEvent[]): PackedBatch {
  const size = events.length;
  const kind = new Uint8Array(size);
  const tsUs = new Float64Array(size);
  const exchangeTsUs = new Float64Array(size);
  const nums = new Float64Array(size * PACKED_NUMS);
  const flags = new Uint8Array(size);
  const textEnd = new Uint32Array(size * PACKED_NUMS);
  const text = new TextWriter(size * TEXT_BYTES_PER_EVENT);
  const names: string[] = [];
  let lastExchange: string | null = null;
  let lastSymbol: string | null = null;
  for (let i = 0; i < size; i++) {
    const e = events[i]!;
    const n = i * PACKED_NUMS;
    tsUs[i] = e.tsUs;
    exchangeTsUs[i] = e.exchangeTsUs ?? Number.NaN;
    let flag = 0;
    if (e.exchange === lastExchange) flag |= PACKED_EXCHANGE_REPEATS;
    else names.push((lastExchange = e.exchange));
    if (e.symbol === lastSymbol) flag |= PACKED_SYMBOL_REPEATS;
    else names.push((lastSymbol = e.symbol));
    if (e.type === 'quote') {
      kind[i] = 1;
      nums[n] = e.bidPriceNum;
      nums[n + 1] = e.bidSizeNum;
      nums[n + 2] = e.askPriceNum;
      nums[n + 3] = e.askSizeNum;
      if (e instanceof BufferQuoteEvent) {
        const bytes = e.bytes;
        text.copy(bytes, e.bidPriceStart, e.bidPriceEnd);
        textEnd[n] = text.at;
        text.copy(bytes, e.bidSizeStart, e.bidSizeEnd);
        textEnd[n + 1] = text.at;
        text.copy(bytes, e.askPriceStart, e.askPriceEnd);
        textEnd[n + 2] = text.at;
        text.copy(bytes, e.askSizeStart, e.askSizeEnd);
      } else {
        text.write(e.bidPrice);
        textEnd[n] = text.at;
        text.write(e.bidSize);
        textEnd[n + 1] = text.at;
        text.write(e.askPrice);
        textEnd[n + 2] = text.at;
        text.write(e.askSize);
      }
      textEnd[n + 3] = text.at;
    } else {
      kind[i] = 2;
      nums[n] = e.priceNum;
      nums[n + 1] = e.sizeNum;
      if (e.side === null) flag |= PACKED_SIDE_NULL;
      else if (e.side === 'sell') flag |= PACKED_SIDE_SELL;
      if (e instanceof BufferTradeEvent) {
        const bytes = e.bytes;
        text.copy(bytes, e.priceStart, e.priceEnd);
        textEnd[n] = text.at;
        text.copy(bytes, e.sizeStart, e.sizeEnd);
        textEnd[n + 1] = text.at;
        if (e.idStart < 0) flag |= PACKED_ID_NULL;
        else text.copy(bytes, e.idStart, e.idEnd);
      } else {
        text.write(e.price);
        textEnd[n] = text.at;
        text.write(e.size);
        textEnd[n + 1] = text.at;
        const id = e.id;
        if (id === null) flag |= PACKED_ID_NULL;
        else text.write(id);
      }
      textEnd[n + 2] = text.at;
      textEnd[n + 3] = text.at;
    }
    flags[i] = flag;
  }
  return {
    size,
    kind,
    tsUs,
    exchangeTsUs,
    nums,
    flags,
    names: names.join('\n'),
    text: text.bytes,
    textEnd,
  };
}

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

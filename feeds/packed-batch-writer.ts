import type { MarketEvent, Side } from '../src/core/market-event.js';
import { BufferQuoteEvent, BufferTradeEvent } from './buffer-events.js';
import type { EventBatcher } from './event-batcher.js';
import {
  PACKED_EXCHANGE_REPEATS,
  PACKED_ID_NULL,
  PACKED_NUMS,
  PACKED_SIDE_NULL,
  PACKED_SIDE_SELL,
  PACKED_SYMBOL_REPEATS,
  type PackedBatch,
} from './packed-batch.js';

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

/**
 * Packs events into a {@link PackedBatch} as they are read: a parser's bytes fast path writes a
 * line's fields straight into the batch's columns and copies its decimal strings' bytes
 * ({@link trade}, {@link quote}), so the parsing thread makes no event object at all; any other
 * event is packed from its fields ({@link add}). {@link take} hands the batch over; the next one
 * gets new columns (a batch's buffers are transferred to another thread).
 */
export class PackedBatchWriter implements EventBatcher<PackedBatch> {
  readonly #capacity: number;
  size = 0;
  /** The columns are new: a batch was handed over (or none was started). */
  #taken = true;
  #kind!: Uint8Array;
  #tsUs!: Float64Array;
  #exchangeTsUs!: Float64Array;
  #nums!: Float64Array;
  #flags!: Uint8Array;
  #textEnd!: Uint32Array;
  #text!: TextWriter;
  #names: string[] = [];
  #lastExchange: string | null = null;
  #lastSymbol: string | null = null;

  /** `capacity`: the most events a batch holds (the reader's batch size). */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  #start(): void {
    const capacity = this.#capacity;
    this.#taken = false;
    this.#kind = new Uint8Array(capacity);
    this.#tsUs = new Float64Array(capacity);
    this.#exchangeTsUs = new Float64Array(capacity);
    this.#nums = new Float64Array(capacity * PACKED_NUMS);
    this.#flags = new Uint8Array(capacity);
    this.#textEnd = new Uint32Array(capacity * PACKED_NUMS);
    this.#text = new TextWriter(capacity * TEXT_BYTES_PER_EVENT);
    this.#names = [];
    this.#lastExchange = null;
    this.#lastSymbol = null;
  }

  /** Starts the next event: its index, with its times and its exchange and symbol flags set. */
  #next(tsUs: number, exchangeTsUs: number | null, exchange: string, symbol: string): number {
    if (this.#taken) this.#start();
    const i = this.size;
    if (i === this.#capacity) throw new RangeError(`a packed batch holds ${i} events`);
    this.size = i + 1;
    this.#tsUs[i] = tsUs;
    this.#exchangeTsUs[i] = exchangeTsUs ?? Number.NaN;
    let flag = 0;
    if (exchange === this.#lastExchange) flag |= PACKED_EXCHANGE_REPEATS;
    else this.#names.push((this.#lastExchange = exchange));
    if (symbol === this.#lastSymbol) flag |= PACKED_SYMBOL_REPEATS;
    else this.#names.push((this.#lastSymbol = symbol));
    this.#flags[i] = flag;
    return i;
  }

  trade(
    tsUs: number,
    exchangeTsUs: number | null,
    exchange: string,
    symbol: string,
    side: Side | null,
    priceNum: number,
    sizeNum: number,
    bytes: Uint8Array,
    priceStart: number,
    priceEnd: number,
    sizeStart: number,
    sizeEnd: number,
    idStart: number,
    idEnd: number,
  ): void {
    const i = this.#next(tsUs, exchangeTsUs, exchange, symbol);
    const n = i * PACKED_NUMS;
    this.#kind[i] = 2;
    this.#nums[n] = priceNum;
    this.#nums[n + 1] = sizeNum;
    let flag = this.#flags[i]!;
    if (side === null) flag |= PACKED_SIDE_NULL;
    else if (side === 'sell') flag |= PACKED_SIDE_SELL;
    const text = this.#text;
    const textEnd = this.#textEnd;
    text.copy(bytes, priceStart, priceEnd);
    textEnd[n] = text.at;
    text.copy(bytes, sizeStart, sizeEnd);
    textEnd[n + 1] = text.at;
    if (idStart < 0) flag |= PACKED_ID_NULL;
    else text.copy(bytes, idStart, idEnd);
    textEnd[n + 2] = text.at;
    textEnd[n + 3] = text.at;
    this.#flags[i] = flag;
  }

  quote(
    tsUs: number,
    exchangeTsUs: number | null,
    exchange: string,
    symbol: string,
    bidPriceNum: number,
    bidSizeNum: number,
    askPriceNum: number,
    askSizeNum: number,
    bytes: Uint8Array,
    bidPriceStart: number,
    bidPriceEnd: number,
    bidSizeStart: number,
    bidSizeEnd: number,
    askPriceStart: number,
    askPriceEnd: number,
    askSizeStart: number,
    askSizeEnd: number,
  ): void {
    const i = this.#next(tsUs, exchangeTsUs, exchange, symbol);
    const n = i * PACKED_NUMS;
    this.#kind[i] = 1;
    const nums = this.#nums;
    nums[n] = bidPriceNum;
    nums[n + 1] = bidSizeNum;
    nums[n + 2] = askPriceNum;
    nums[n + 3] = askSizeNum;
    const text = this.#text;
    const textEnd = this.#textEnd;
    text.copy(bytes, bidPriceStart, bidPriceEnd);
    textEnd[n] = text.at;
    text.copy(bytes, bidSizeStart, bidSizeEnd);
    textEnd[n + 1] = text.at;
    text.copy(bytes, askPriceStart, askPriceEnd);
    textEnd[n + 2] = text.at;
    text.copy(bytes, askSizeStart, askSizeEnd);
    textEnd[n + 3] = text.at;
  }

  add(e: MarketEvent): void {
    if (e instanceof BufferTradeEvent) {
      this.trade(
        e.tsUs,
        e.exchangeTsUs,
        e.exchange,
        e.symbol,
        e.side,
        e.priceNum,
        e.sizeNum,
        e.bytes,
        e.priceStart,
        e.priceEnd,
        e.sizeStart,
        e.sizeEnd,
        e.idStart,
        e.idEnd,
      );
      return;
    }
    if (e instanceof BufferQuoteEvent) {
      this.quote(
        e.tsUs,
        e.exchangeTsUs,
        e.exchange,
        e.symbol,
        e.bidPriceNum,
        e.bidSizeNum,
        e.askPriceNum,
        e.askSizeNum,
        e.bytes,
        e.bidPriceStart,
        e.bidPriceEnd,
        e.bidSizeStart,
        e.bidSizeEnd,
        e.askPriceStart,
        e.askPriceEnd,
        e.askSizeStart,
        e.askSizeEnd,
      );
      return;
    }
    const i = this.#next(e.tsUs, e.exchangeTsUs, e.exchange, e.symbol);
    const n = i * PACKED_NUMS;
    const text = this.#text;
    const textEnd = this.#textEnd;
    const nums = this.#nums;
    if (e.type === 'quote') {
      this.#kind[i] = 1;
      nums[n] = e.bidPriceNum;
      nums[n + 1] = e.bidSizeNum;
      nums[n + 2] = e.askPriceNum;
      nums[n + 3] = e.askSizeNum;
      text.write(e.bidPrice);
      textEnd[n] = text.at;
      text.write(e.bidSize);
      textEnd[n + 1] = text.at;
      text.write(e.askPrice);
      textEnd[n + 2] = text.at;
      text.write(e.askSize);
      textEnd[n + 3] = text.at;
      return;
    }
    this.#kind[i] = 2;
    nums[n] = e.priceNum;
    nums[n + 1] = e.sizeNum;
    let flag = this.#flags[i]!;
    if (e.side === null) flag |= PACKED_SIDE_NULL;
    else if (e.side === 'sell') flag |= PACKED_SIDE_SELL;
    text.write(e.price);
    textEnd[n] = text.at;
    text.write(e.size);
    textEnd[n + 1] = text.at;
    const id = e.id;
    if (id === null) flag |= PACKED_ID_NULL;
    else text.write(id);
    textEnd[n + 2] = text.at;
    textEnd[n + 3] = text.at;
    this.#flags[i] = flag;
  }

  take(): PackedBatch {
    if (this.#taken) this.#start();
    const batch: PackedBatch = {
      size: this.size,
      kind: this.#kind,
      tsUs: this.#tsUs,
      exchangeTsUs: this.#exchangeTsUs,
      nums: this.#nums,
      flags: this.#flags,
      names: this.#names.join('\n'),
      text: this.#text.bytes,
      textEnd: this.#textEnd,
    };
    this.size = 0;
    this.#taken = true;
    return batch;
  }
}

/** Packs `events` (any length, buffer events or plain ones) into one batch. */
export function packBatch(events: readonly MarketEvent[]): PackedBatch {
  const writer = new PackedBatchWriter(events.length);
  for (const event of events) writer.add(event);
  return writer.take();
}

import type { MarketEvent, QuoteEvent, Side, TradeEvent } from '../src/core/market-event.js';
import { quoteEvent, tradeEvent } from './market-event-factory.js';

/**
 * Market events whose exact decimal strings stay bytes until read.
 *
 * A replay reads an event's floats (`priceNum`, `bidPriceNum`, …) on every event and its decimal
 * strings only when money is built from them (a fill, a mark asked for): about one event in ten.
 * These events keep the byte ranges of their strings in a buffer (the feed's chunk as read, or a
 * packed batch's text) and decode a string each time it is read, so parsing a line allocates one
 * object and no string. The strings are getters on the prototype: they are not own properties,
 * so spreading an event (`{ ...event }`) or comparing it field by field drops them;
 * {@link plainMarketEvent} copies one into a plain object, `JSON.stringify` does the same
 * (`toJSON`). An event keeps its buffer alive (a feed chunk or a batch, a few hundred KiB) as long
 * as it is referenced.
 *
 * Decimal strings are ASCII (every reader validates them) and decoded as Latin-1; a trade id may be
 * any UTF-8 text and is decoded as such.
 */

/**
 * What the events decode from: a Node `Buffer`, seen through its own `latin1Slice` and `utf8Slice`
 * (what `toString` calls after checking its arguments; present in every Node this package supports).
 */
export interface EventBytes extends Uint8Array {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** The bytes as {@link EventBytes}: a `Buffer` over the same memory (no copy). */
export function eventBytes(bytes: Uint8Array): EventBytes {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer as unknown as EventBytes;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class BufferTradeEvent implements TradeEvent {
  readonly type = 'trade' as const;
  readonly tsUs: number;
  readonly exchangeTsUs: number | null;
  readonly exchange: string;
  readonly symbol: string;
  readonly side: Side | null;
  readonly priceNum: number;
  readonly sizeNum: number;
  /** The buffer and the byte ranges of price, size and id (`idStart` < 0: no id). */
  readonly bytes: EventBytes;
  readonly priceStart: number;
  readonly priceEnd: number;
  readonly sizeStart: number;
  readonly sizeEnd: number;
  readonly idStart: number;
  readonly idEnd: number;

  constructor(
    tsUs: number,
    exchangeTsUs: number | null,
    exchange: string,
    symbol: string,
    side: Side | null,
    priceNum: number,
    sizeNum: number,
    bytes: EventBytes,
    priceStart: number,
    priceEnd: number,
    sizeStart: number,
    sizeEnd: number,
    idStart: number,
    idEnd: number,
  ) {
    this.tsUs = tsUs;
    this.exchangeTsUs = exchangeTsUs;
    this.exchange = exchange;
    this.symbol = symbol;
    this.side = side;
    this.priceNum = priceNum;
    this.sizeNum = sizeNum;
    this.bytes = bytes;
    this.priceStart = priceStart;
    this.priceEnd = priceEnd;
    this.sizeStart = sizeStart;
    this.sizeEnd = sizeEnd;
    this.idStart = idStart;
    this.idEnd = idEnd;
  }

  get price(): string {
    return this.bytes.latin1Slice(this.priceStart, this.priceEnd);
  }

  get size(): string {
    return this.bytes.latin1Slice(this.sizeStart, this.sizeEnd);
  }

  get id(): string | null {
    return this.idStart < 0 ? null : this.bytes.utf8Slice(this.idStart, this.idEnd);
  }

  toJSON(): TradeEvent {
    return plainMarketEvent(this) as TradeEvent;
  }

  /** What `console.log` and `util.inspect` show: the plain event. */
  [INSPECT](): TradeEvent {
    return this.toJSON();
  }
}

export class BufferQuoteEvent implements QuoteEvent {
  readonly type = 'quote' as const;
  readonly tsUs: number;
  readonly exchangeTsUs: number | null;
  readonly exchange: string;
  readonly symbol: string;
  readonly bidPriceNum: number;
  readonly bidSizeNum: number;
  readonly askPriceNum: number;
  readonly askSizeNum: number;
  /** The buffer and the byte ranges of bid price, bid size, ask price and ask size. */
  readonly bytes: EventBytes;
  readonly bidPriceStart: number;
  readonly bidPriceEnd: number;
  readonly bidSizeStart: number;
  readonly bidSizeEnd: number;
  readonly askPriceStart: number;
  readonly askPriceEnd: number;
  readonly askSizeStart: number;
  readonly askSizeEnd: number;

  constructor(
    tsUs: number,
    exchangeTsUs: number | null,
    exchange: string,
    symbol: string,
    bidPriceNum: number,
    bidSizeNum: number,
    askPriceNum: number,
    askSizeNum: number,
    bytes: EventBytes,
    bidPriceStart: number,
    bidPriceEnd: number,
    bidSizeStart: number,
    bidSizeEnd: number,
    askPriceStart: number,
    askPriceEnd: number,
    askSizeStart: number,
    askSizeEnd: number,
  ) {
    this.tsUs = tsUs;
    this.exchangeTsUs = exchangeTsUs;
    this.exchange = exchange;
    this.symbol = symbol;
    this.bidPriceNum = bidPriceNum;
    this.bidSizeNum = bidSizeNum;
    this.askPriceNum = askPriceNum;
    this.askSizeNum = askSizeNum;
    this.bytes = bytes;
    this.bidPriceStart = bidPriceStart;
    this.bidPriceEnd = bidPriceEnd;
    this.bidSizeStart = bidSizeStart;
    this.bidSizeEnd = bidSizeEnd;
    this.askPriceStart = askPriceStart;
    this.askPriceEnd = askPriceEnd;
    this.askSizeStart = askSizeStart;
    this.askSizeEnd = askSizeEnd;
  }

  get bidPrice(): string {
    return this.bytes.latin1Slice(this.bidPriceStart, this.bidPriceEnd);
  }

  get bidSize(): string {
    return this.bytes.latin1Slice(this.bidSizeStart, this.bidSizeEnd);
  }

  get askPrice(): string {
    return this.bytes.latin1Slice(this.askPriceStart, this.askPriceEnd);
  }

  get askSize(): string {
    return this.bytes.latin1Slice(this.askSizeStart, this.askSizeEnd);
  }

  toJSON(): QuoteEvent {
    return plainMarketEvent(this) as QuoteEvent;
  }

  /** What `console.log` and `util.inspect` show: the plain event. */
  [INSPECT](): QuoteEvent {
    return this.toJSON();
  }
}

/**
 * The event as a plain object with every field its own (the decimal strings decoded): what to
 * keep, spread, compare or send when the event may be a {@link BufferTradeEvent} or
 * {@link BufferQuoteEvent}. Plain events are copied too.
 */
export function plainMarketEvent(event: MarketEvent): MarketEvent {
  const { tsUs, exchangeTsUs, exchange, symbol } = event;
  return event.type === 'trade'
    ? tradeEvent(
        tsUs,
        exchangeTsUs,
        exchange,
        symbol,
        event.id,
        event.side,
        event.price,
        event.priceNum,
        event.size,
        event.sizeNum,
      )
    : quoteEvent(
        tsUs,
        exchangeTsUs,
        exchange,
        symbol,
        event.bidPrice,
        event.bidPriceNum,
        event.bidSize,
        event.bidSizeNum,
        event.askPrice,
        event.askPriceNum,
        event.askSize,
        event.askSizeNum,
      );
}

import type { MarketEvent, Side } from '../src/core/market-event.js';
import { BufferQuoteEvent, BufferTradeEvent, type EventBytes } from './buffer-events.js';
import type { EventBatcher } from './event-batcher.js';

/** Batches of event objects: a fast path's events are buffer events over the reader's chunk. */
export class EventArrayBatcher implements EventBatcher<MarketEvent[]> {
  #events: MarketEvent[] = [];

  get size(): number {
    return this.#events.length;
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
    this.#events.push(
      new BufferTradeEvent(
        tsUs,
        exchangeTsUs,
        exchange,
        symbol,
        side,
        priceNum,
        sizeNum,
        bytes as EventBytes,
        priceStart,
        priceEnd,
        sizeStart,
        sizeEnd,
        idStart,
        idEnd,
      ),
    );
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
    this.#events.push(
      new BufferQuoteEvent(
        tsUs,
        exchangeTsUs,
        exchange,
        symbol,
        bidPriceNum,
        bidSizeNum,
        askPriceNum,
        askSizeNum,
        bytes as EventBytes,
        bidPriceStart,
        bidPriceEnd,
        bidSizeStart,
        bidSizeEnd,
        askPriceStart,
        askPriceEnd,
        askSizeStart,
        askSizeEnd,
      ),
    );
  }

  add(event: MarketEvent): void {
    this.#events.push(event);
  }

  take(): MarketEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }
}

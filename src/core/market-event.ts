/**
 * Market data, normalized: the one shape every feed reader (files or websocket) produces and
 * everything downstream consumes, so nothing after the reader knows where the data came from.
 *
 * Prices and sizes keep the feed's exact decimal strings (money is built from them with
 * {@link Decimal}); the `...Num` twins are the same values as floats, for signals and statistics.
 * A file reader's events may decode their strings only when read, and events from a parsing
 * thread read their numbers from its batch too (getters, not own properties:
 * feeds/buffer-events.ts, feeds/packed-events.ts); `plainMarketEvent` copies any event into a
 * plain object.
 * Times are integers in microseconds since the Unix epoch (UTC).
 *
 * Events are values: whoever receives one may keep it (the ledger keeps each symbol's last event
 * as its mark), so an event must not be changed once handed over.
 */

/** Which side took liquidity in a trade (the aggressor), or which way an order goes. */
export type Side = 'buy' | 'sell';

interface MarketEventBase {
  /**
   * Event time, µs since epoch: the time the replay and every duration run on. For captures that
   * carry a local receive time (Binance websocket captures, Tardis CSV) it is that receive time,
   * because every message has one and it is the order a live bot saw them in; otherwise it is the
   * exchange time.
   */
  readonly tsUs: number;
  /** The exchange's own timestamp, µs since epoch, when the feed has one (it may be later than `tsUs`). */
  readonly exchangeTsUs: number | null;
  /** Venue id in Tardis style: `binance` (spot), `binance-futures` (USD-M), or as the feed says. */
  readonly exchange: string;
  /** Instrument, upper case as the venue spells it, e.g. `BTCUSDT`. */
  readonly symbol: string;
}

/** One print on the tape. */
export interface TradeEvent extends MarketEventBase {
  readonly type: 'trade';
  /** Venue trade id (as a string: ids exceed 2^53 on some venues), or null when the feed has none. */
  readonly id: string | null;
  /** Aggressor side, or null when unknown. */
  readonly side: Side | null;
  /** Price as the feed wrote it (quote currency per unit of base), > 0. */
  readonly price: string;
  readonly priceNum: number;
  /** Size as the feed wrote it (base units), > 0. */
  readonly size: string;
  readonly sizeNum: number;
}

/** Best bid and offer. */
export interface QuoteEvent extends MarketEventBase {
  readonly type: 'quote';
  readonly bidPrice: string;
  readonly bidPriceNum: number;
  readonly bidSize: string;
  readonly bidSizeNum: number;
  readonly askPrice: string;
  readonly askPriceNum: number;
  readonly askSize: string;
  readonly askSizeNum: number;
}

/** A normalized market data event: discriminate on `type`. */
export type MarketEvent = TradeEvent | QuoteEvent;

/** The price a strategy would quote for the event: the trade price, or the quote's mid. */
export function referencePrice(event: MarketEvent): number {
  return event.type === 'trade' ? event.priceNum : (event.bidPriceNum + event.askPriceNum) / 2;
}

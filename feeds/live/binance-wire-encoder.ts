import type { MarketEvent, QuoteEvent, TradeEvent } from '../../src/core/market-event.js';
import type { BinanceStreamRequest } from './binance-streams.js';
import { binanceStreamName } from './binance-streams.js';

const FUTURES = 'binance-futures';
const WIRE_ID = /^(?:0|[1-9]\d{0,15})$/;

interface SymbolStreams {
  readonly symbolJson: string;
  readonly trade: string | null;
  readonly aggTrade: string | null;
  readonly bookTicker: string | null;
  /** Next id for trades without a usable one, and next bookTicker update id. */
  nextTradeId: number;
  nextUpdateId: number;
}

/**
 * Writes market events as Binance sends them on the requested streams (one encoder per client):
 * a trade on `<symbol>@trade` and/or `<symbol>@aggTrade`, a quote on `<symbol>@bookTicker`; spot
 * shapes, or USD-M futures shapes for `exchange: 'binance-futures'`; wrapped in
 * `{"stream","data"}` for a combined-stream client. Prices and sizes are the event's own strings.
 * Trade ids are kept when they are integers, else numbered per symbol from 1; bookTicker update
 * ids are numbered per symbol from 1. `E`/`T` are the exchange time in ms, else the event time.
 */
export class BinanceWireEncoder {
  readonly #request: BinanceStreamRequest;
  readonly #wanted: ReadonlySet<string>;
  readonly #symbols = new Map<string, SymbolStreams>();

  constructor(request: BinanceStreamRequest) {
    this.#request = request;
    this.#wanted = new Set(request.streams);
  }

  /** The frames (0, 1 or 2) this event becomes for the client. */
  encode(event: MarketEvent): string[] {
    const streams = this.#streamsOf(event.symbol);
    const frames: string[] = [];
    if (event.type === 'trade') {
      if (streams.trade === null && streams.aggTrade === null) return frames;
      const id = tradeId(event, streams);
      if (streams.trade !== null) frames.push(this.#wrap(streams.trade, trade(event, streams, id)));
      if (streams.aggTrade !== null)
        frames.push(this.#wrap(streams.aggTrade, aggTrade(event, streams, id)));
    } else if (streams.bookTicker !== null) {
      frames.push(this.#wrap(streams.bookTicker, bookTicker(event, streams)));
    }
    return frames;
  }

  #wrap(stream: string, payload: string): string {
    return this.#request.combined ? `{"stream":${stream},"data":${payload}}` : payload;
  }

  #streamsOf(symbol: string): SymbolStreams {
    let streams = this.#symbols.get(symbol);
    if (streams === undefined) {
      const named = (type: 'trade' | 'aggTrade' | 'bookTicker'): string | null => {
        const name = binanceStreamName(symbol, type);
        return this.#wanted.has(name) ? JSON.stringify(name) : null;
      };
      streams = {
        symbolJson: JSON.stringify(symbol),
        trade: named('trade'),
        aggTrade: named('aggTrade'),
        bookTicker: named('bookTicker'),
        nextTradeId: 1,
        nextUpdateId: 1,
      };
      this.#symbols.set(symbol, streams);
    }
    return streams;
  }
}

function tradeId(event: TradeEvent, streams: SymbolStreams): string {
  if (event.id !== null && WIRE_ID.test(event.id) && Number.isSafeInteger(Number(event.id)))
    return event.id;
  return String(streams.nextTradeId++);
}

function ms(us: number): number {
  return Math.floor(us / 1000);
}

function trade(event: TradeEvent, s: SymbolStreams, id: string): string {
  const t = ms(event.exchangeTsUs ?? event.tsUs);
  const m = event.side === 'sell';
  return event.exchange === FUTURES
    ? `{"e":"trade","E":${t},"T":${t},"s":${s.symbolJson},"t":${id},"p":"${event.price}","q":"${event.size}","X":"MARKET","m":${m}}`
    : `{"e":"trade","E":${t},"s":${s.symbolJson},"t":${id},"p":"${event.price}","q":"${event.size}","T":${t},"m":${m},"M":true}`;
}

function aggTrade(event: TradeEvent, s: SymbolStreams, id: string): string {
  const t = ms(event.exchangeTsUs ?? event.tsUs);
  const m = event.side === 'sell';
  return event.exchange === FUTURES
    ? `{"e":"aggTrade","E":${t},"a":${id},"s":${s.symbolJson},"p":"${event.price}","q":"${event.size}","f":${id},"l":${id},"T":${t},"m":${m}}`
    : `{"e":"aggTrade","E":${t},"s":${s.symbolJson},"a":${id},"p":"${event.price}","q":"${event.size}","f":${id},"l":${id},"T":${t},"m":${m},"M":true}`;
}

function bookTicker(event: QuoteEvent, s: SymbolStreams): string {
  const u = s.nextUpdateId++;
  const levels = `"b":"${event.bidPrice}","B":"${event.bidSize}","a":"${event.askPrice}","A":"${event.askSize}"`;
  if (event.exchange !== FUTURES) return `{"u":${u},"s":${s.symbolJson},${levels}}`;
  const t = ms(event.exchangeTsUs ?? event.tsUs);
  return `{"e":"bookTicker","u":${u},"s":${s.symbolJson},${levels},"T":${t},"E":${t}}`;
}
